"""Forms for call sheet and production report pages (labels on every input)."""

from django import forms

from unitbase.core.forms import apply_service_errors  # noqa: F401 - this app's views use it as forms.apply_service_errors

from .models import CallSheetBackground, DailyReportScene

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def tfield(label: str, required: bool = False) -> forms.TimeField:
    return forms.TimeField(label=label, required=required, widget=TIME)


class BuildForm(forms.Form):
    unit = forms.ChoiceField(label="Unit")
    shoot_date = forms.ChoiceField(label="Shoot day")

    def __init__(self, *args, units=(), dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["shoot_date"].choices = [(d.isoformat(), f"Day {n} · {d:%a %-d %b %Y}") for n, d in dates]


class CallSheetForm(forms.Form):
    general_call = tfield("General crew call", required=True)
    shooting_call = tfield("Shooting call")
    estimated_wrap = tfield("Estimated wrap")
    lunch = forms.CharField(label="Lunch", required=False, max_length=100)
    weather = forms.CharField(label="Weather", required=False, max_length=300)
    safety_notes = forms.CharField(label="Safety notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    walkie_channels = forms.CharField(label="Walkie channels (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    department_notes = forms.CharField(label="Department notes (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    special_requirements = forms.CharField(label="Special requirements (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    general_notes = forms.CharField(label="General notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    key_contacts = forms.CharField(
        label="Key contacts (one per line; printed for every recipient as written)", required=False,
        widget=forms.Textarea(attrs={"rows": 4}))
    change_note = forms.CharField(label="What changed in this revision", required=False, max_length=300)


class CastRowForm(forms.Form):
    pickup = tfield("Pickup")
    makeup = tfield("Hair/makeup/wardrobe")
    on_set = tfield("On set")
    remarks = forms.CharField(label="Remarks", required=False, max_length=300)


class CrewCallForm(forms.Form):
    call_time = tfield("Call (empty: general call)")
    row_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    department_name = forms.CharField(required=False, widget=forms.HiddenInput)


class BackgroundForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=CallSheetBackground.Kind.choices)
    description = forms.CharField(label="Description", max_length=200)
    count = forms.IntegerField(label="Count", min_value=1, initial=1)
    call_time = tfield("Call")
    report_to = forms.CharField(label="Report to", required=False, max_length=200)


class PublishForm(forms.Form):
    change_note = forms.CharField(label="What changed (required from revision 2)", required=False, max_length=300)


class RecipientForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="E-mail")
    role_label = forms.CharField(label="Role", required=False, max_length=200)


class PreferencesForm(forms.Form):
    share_phone_numbers = forms.BooleanField(
        label="Show crew and cast phone numbers to everyone who receives the call sheet", required=False)
    safety_contact = forms.CharField(label="Safety contact (name and phone, printed on every sheet)", required=False,
                                     max_length=300)
    safety_hotline = forms.CharField(label="Safety hotline", required=False, max_length=100)
    reminder_hours = forms.IntegerField(label="Remind those who have not confirmed, hours before general call (0: never)",
                                        min_value=0, max_value=72)
    link_valid_days = forms.IntegerField(label="Personal links work until this many days after the shoot date",
                                         min_value=1, max_value=365)


class RecipientEmailForm(forms.Form):
    email = forms.EmailField(label="Corrected e-mail", max_length=254)


class DprForm(forms.Form):
    crew_call = tfield("Crew call")
    shooting_call = tfield("Shooting call")
    first_shot = tfield("First shot")
    lunch_start = tfield("Lunch called")
    lunch_end = tfield("Back in")
    first_shot_after_lunch = tfield("First shot after lunch")
    second_meal_start = tfield("Second meal")
    second_meal_end = tfield("Back from second meal")
    camera_wrap = tfield("Camera wrap")
    last_out = tfield("Last person out")
    setups = forms.IntegerField(label="Setups", min_value=0, initial=0)
    media = forms.CharField(label="Media (cards, sound rolls, data)", required=False, max_length=300)
    weather = forms.CharField(label="Weather", required=False, max_length=200)
    safety_meeting_held = forms.BooleanField(label="Safety meeting held", required=False)
    accidents = forms.CharField(label="Accidents, injuries, near misses", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DprSceneForm(forms.Form):
    number = forms.CharField(label="Scene", max_length=20)
    status = forms.ChoiceField(label="Status", choices=DailyReportScene.Status.choices)
    eighths_shot = forms.IntegerField(label="Eighths shot", min_value=0, initial=0)
    minutes_shot = forms.IntegerField(label="Minutes", min_value=0, initial=0)
    setups = forms.IntegerField(label="Setups", min_value=0, initial=0)


class DelayForm(forms.Form):
    cause = forms.CharField(label="Cause", max_length=200)
    minutes = forms.IntegerField(label="Minutes", min_value=1)
    note = forms.CharField(label="Note", required=False, max_length=300)


class DprCastTimeForm(forms.Form):
    report_time = tfield("Report")
    on_set = tfield("On set")
    meal_out = tfield("Meal out")
    meal_in = tfield("Meal in")
    dismissed = tfield("Dismissed")
    travel_out = tfield("Travel out")
    travel_in = tfield("Travel in")
    notes = forms.CharField(label="Notes", required=False, max_length=200)


class DprCrewTimeForm(forms.Form):
    time_in = tfield("In")
    meal_out = tfield("Meal out")
    meal_in = tfield("Meal in")
    time_out = tfield("Out")
    notes = forms.CharField(label="Notes", required=False, max_length=200)


class UnshotMoveForm(forms.Form):
    to = forms.ChoiceField(label="Send unshot scenes to", choices=[("boneyard", "The boneyard (unscheduled)"),
                                                                  ("day", "The end of a later shoot day")])
    day = forms.IntegerField(label="Shoot day number (for a later day)", required=False, min_value=1)
