from django import forms

from .models import Location, LocationAvailability


class LocationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    status = forms.ChoiceField(label="Status", choices=Location.Status.choices, initial=Location.Status.SCOUTING)
    address = forms.CharField(label="Address", required=False, max_length=300)
    latitude = forms.DecimalField(label="Latitude", required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90, help_text="Decimal degrees, north positive, e.g. 55.8650.")
    longitude = forms.DecimalField(label="Longitude", required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180, help_text="Decimal degrees, east positive, e.g. -5.4140.")
    parking = forms.CharField(label="Crew parking", required=False, max_length=300)
    base_camp = forms.CharField(label="Base camp", required=False, max_length=300)
    hospital_name = forms.CharField(label="Nearest hospital", required=False, max_length=200)
    hospital_address = forms.CharField(label="Hospital address", required=False, max_length=300)
    hospital_phone = forms.CharField(label="Hospital phone", required=False, max_length=40)
    contact_name = forms.CharField(label="Contact person", required=False, max_length=200)
    contact_phone = forms.CharField(label="Contact phone", required=False, max_length=40)
    permit_notes = forms.CharField(label="Permits", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors.get("latitude") \
                and not self.errors.get("longitude"):
            self.add_error("longitude", "Give both latitude and longitude, or neither.")
        return data


class AssignForm(forms.Form):
    set_key = forms.CharField(widget=forms.HiddenInput, max_length=300)
    set_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    location = forms.TypedChoiceField(label="Location", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "— not assigned —"), *[(loc.pk, loc.name) for loc in locations]]


class AvailabilityForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="Status", choices=LocationAvailability.Status.choices,
                               initial=LocationAvailability.Status.UNAVAILABLE)
    note = forms.CharField(label="Note", required=False, max_length=200)
