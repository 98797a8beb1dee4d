"""Locations: the real places a production shoots at, which of the script's sets are shot where,
and each location's availability per date.

A *set* is what the script's scene heading names ("HARBOUR CAFE - BACK ROOM", compared by its set
key); a *location* is the real place ("The Anchor Café, 4 Harbour Street"). Many sets can share one
location (two rooms of one house); a set has at most one location.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from unitbase.core.models import TimeStampedModel
from unitbase.productions.models import Production


class Location(TimeStampedModel):
    class Status(models.TextChoices):
        SCOUTING = "scouting", "Scouting"
        ON_HOLD = "on_hold", "On hold"
        CONFIRMED = "confirmed", "Confirmed"
        WRAPPED = "wrapped", "Wrapped"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCOUTING)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    parking = models.CharField(max_length=300, blank=True, help_text="Crew parking.")
    base_camp = models.CharField(max_length=300, blank=True, help_text="Trucks, trailers, catering.")
    hospital_name = models.CharField(max_length=200, blank=True, help_text="Nearest hospital with A&E / ER.")
    hospital_address = models.CharField(max_length=300, blank=True)
    hospital_phone = models.CharField(max_length=40, blank=True)
    contact_name = models.CharField(max_length=200, blank=True, help_text="Owner or site contact.")
    contact_phone = models.CharField(max_length=40, blank=True)
    permit_notes = models.TextField(blank=True, help_text="Filming permit, council, police, road closures.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["production", "name"]
        constraints = [
            models.UniqueConstraint(fields=["production", "name"], name="locations_unique_name"),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="locations_both_coordinates_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Give both latitude and longitude, or neither."})

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self) -> str:
        """An OpenStreetMap link centred on the coordinates ("" without them)."""
        if not self.has_coordinates:
            return ""
        return (f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=16/{self.latitude}/{self.longitude}")


class SetLocation(models.Model):
    """Set (the scenes' set key) → the location it is shot at."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="set_locations")
    set_key = models.CharField(max_length=300)
    set_name = models.CharField(max_length=300, blank=True, help_text="The set as the script names it.")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="sets")

    class Meta:
        ordering = ["production", "set_name"]
        constraints = [
            models.UniqueConstraint(fields=["production", "set_key"], name="locations_one_location_per_set"),
        ]

    def __str__(self) -> str:
        return f"{self.set_name or self.set_key} at {self.location_id}"

    def clean(self):
        if not self.set_key.strip():
            raise ValidationError({"set_key": "Name the set."})
        if self.location_id and self.production_id and self.location.production_id != self.production_id:
            raise ValidationError({"location": "That location belongs to another production."})


class LocationAvailability(models.Model):
    """A location's status on one date. No row means available."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        UNAVAILABLE = "unavailable", "Unavailable"
        HOLD = "hold", "On hold"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="availability")
    date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["location", "date"]
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="locations_one_status_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.get_status_display()} on {self.date}"
