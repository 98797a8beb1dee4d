"""Forms of the scheduling pages: they validate shapes; the services decide."""

from __future__ import annotations

from django import forms

from unitbase.core.forms import apply_service_errors  # noqa: F401 - this app's views use it as forms.apply_service_errors

from .models import Availability, CalendarDay, SchedulePreferences, Strip

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")




class CreateForm(forms.Form):
    unit = forms.TypedChoiceField(coerce=int, label="Unit")
    name = forms.CharField(max_length=100, initial="First draft", label="Version name")
    layout = forms.ChoiceField(
        label="Start with",
        choices=[("auto", "Scenes in script order, with automatic day breaks"),
                 ("board", "Scenes in script order on the board, no day breaks"),
                 ("boneyard", "All scenes in the boneyard")],
        initial="auto",
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class CalendarForm(forms.Form):
    prep_start = forms.DateField(required=False, widget=DATE, label="Prep starts")
    shoot_start = forms.DateField(widget=DATE, label="First shoot day")
    shoot_end = forms.DateField(widget=DATE, label="Planned last shoot day")
    wrap_end = forms.DateField(required=False, widget=DATE, label="Wrap ends")
    working_weekdays = forms.TypedMultipleChoiceField(
        coerce=int, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, label="Working days", initial=[0, 1, 2, 3, 4]
    )
    default_call = forms.TimeField(required=False, widget=TIME, label="Usual crew call")


class CalendarDayForm(forms.Form):
    date = forms.DateField(widget=DATE, label="Date")
    kind = forms.ChoiceField(choices=[("", "Normal (clear)"), *CalendarDay.Kind.choices], required=False, label="Kind")
    note = forms.CharField(max_length=200, required=False, label="Note")


class AvailabilityForm(forms.Form):
    subject = forms.ChoiceField(label="Cast member or set")
    date = forms.DateField(widget=DATE, label="Date")
    status = forms.ChoiceField(choices=Availability.Status.choices, label="Status")
    note = forms.CharField(max_length=200, required=False, label="Note")

    def __init__(self, *args, cast=(), sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            ("Cast", [(f"cast:{c.pk}", f"{c.cast_number}. {c.character}") for c in cast]),
            ("Sets", [(f"set:{key}", name) for key, name in sets]),
        ]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = SchedulePreferences
        fields = ["colour_int_day", "colour_ext_day", "colour_int_night", "colour_ext_night", "colour_other",
                  "minutes_per_eighth", "day_limit_eighths", "day_limit_minutes", "turnaround_hours", "drop_gap_days"]
        widgets = {f: forms.TextInput(attrs={"type": "color"}) for f in
                   ["colour_int_day", "colour_ext_day", "colour_int_night", "colour_ext_night", "colour_other"]}
        labels = {"colour_int_day": "INT DAY", "colour_ext_day": "EXT DAY", "colour_int_night": "INT NIGHT",
                  "colour_ext_night": "EXT NIGHT", "colour_other": "Dawn, dusk, other",
                  "minutes_per_eighth": "Minutes per eighth", "day_limit_eighths": "Day limit (eighths)",
                  "day_limit_minutes": "Day limit (minutes)", "turnaround_hours": "Turnaround (hours)",
                  "drop_gap_days": "Drop/pick-up gap (days)"}


class BannerForm(forms.Form):
    banner_kind = forms.ChoiceField(choices=Strip.BannerKind.choices, label="Banner")
    text = forms.CharField(max_length=300, required=False, label="Text")


class DayBreakEditForm(forms.Form):
    call_time = forms.TimeField(required=False, widget=TIME, label="Call")
    wrap_time = forms.TimeField(required=False, widget=TIME, label="Wrap")
