"""Contacts, the crew list and the cast list of a production."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from unitbase.core.models import TimeStampedModel
from unitbase.core.validators import validate_currency_code
from unitbase.productions.models import Department, Position, Production, Unit


class Person(TimeStampedModel):
    """A contact of one production: crew, cast, agent, vendor contact, anyone."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    agent_name = models.CharField(max_length=200, blank=True)
    agent_contact = models.CharField(max_length=200, blank=True, help_text="Agent's e-mail or phone.")
    union_memberships = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated, e.g. IATSE 600, SAG-AFTRA."
    )
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["production", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def unions(self) -> list[str]:
        return [u.strip() for u in self.union_memberships.split(",") if u.strip()]


class RateUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    DAY = "day", "per day"
    WEEK = "week", "per week"
    FLAT = "flat", "flat"


class Engagement(TimeStampedModel):
    """Shared fields of a hire: dates and pay (pay is private, see permissions)."""

    production = models.ForeignKey(Production, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.RESTRICT)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    rate_amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rate_currency = models.CharField(max_length=3, default="USD", validators=[validate_currency_code])
    rate_unit = models.CharField(max_length=10, choices=RateUnit.choices, default=RateUnit.WEEK)

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date is before the start date."
        if self.person_id and self.production_id and self.person.production_id != self.production_id:
            errors["person"] = "That person belongs to another production."
        if self.unit_id and self.unit.production_id != self.production_id:
            errors["unit"] = "That unit belongs to another production."
        if errors:
            raise ValidationError(errors)


class CrewMember(Engagement):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="crew")
    person = models.ForeignKey(Person, on_delete=models.RESTRICT, related_name="crew_engagements")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="crew")
    position = models.ForeignKey(Position, on_delete=models.RESTRICT, related_name="crew")

    class Meta:
        ordering = ["department__order", "position__name", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"

    def clean(self):
        super().clean()
        errors = {}
        if self.department_id and self.department.production_id != self.production_id:
            errors["department"] = "That department belongs to another production."
        if self.position_id and self.department_id and self.position.department_id != self.department_id:
            errors["position"] = "That position belongs to another department."
        if errors:
            raise ValidationError(errors)


class CastMember(Engagement):
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="cast")
    person = models.ForeignKey(Person, on_delete=models.RESTRICT, related_name="cast_engagements")
    character = models.CharField(max_length=200)
    cast_number = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="The number used on strips and call sheets."
    )

    class Meta:
        ordering = ["production", "cast_number"]
        constraints = [
            models.UniqueConstraint(fields=["production", "cast_number"], name="cast_unique_number"),
            models.UniqueConstraint(fields=["production", "character"], name="cast_unique_character"),
        ]

    def __str__(self) -> str:
        return f"{self.cast_number}. {self.character} ({self.person})"
