"""Forms of the payroll pages. They validate input; services decide and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from unitbase.core.forms import apply_service_errors  # noqa: F401 - this app's views use it as forms.apply_service_errors
from unitbase.core.money import COMMON_CURRENCIES

from .models import ZONE_CHOICES, EmploymentType, PayRateUnit, TimecardStatus

TIME = forms.TimeInput(attrs={"type": "time", "inputmode": "numeric"}, format="%H:%M")




class DayForm(forms.Form):
    """One worked day: one row on the week form (leave call and wrap empty for a day off)."""

    call = forms.TimeField(required=False, widget=TIME)
    meal1_out = forms.TimeField(label="Meal out", required=False, widget=TIME)
    meal1_in = forms.TimeField(label="Meal in", required=False, widget=TIME)
    meal2_out = forms.TimeField(label="2nd meal out", required=False, widget=TIME)
    meal2_in = forms.TimeField(label="2nd meal in", required=False, widget=TIME)
    wrap = forms.TimeField(required=False, widget=TIME)
    travel_start = forms.TimeField(label="Travel from", required=False, widget=TIME)
    travel_end = forms.TimeField(label="Travel to", required=False, widget=TIME)
    zone = forms.ChoiceField(choices=ZONE_CHOICES, required=False)
    holiday = forms.BooleanField(required=False)
    rest_reduction = forms.ChoiceField(
        label="Rest reduction", required=False, choices=[("", "None")],
        help_text="Only when the AD established that a reduced turnaround applies before this day.",
    )
    notes = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, date: dt.date, reductions: list[str] | tuple[str, ...] = (), **kwargs):
        self.date = date
        super().__init__(*args, **kwargs)
        self.fields["rest_reduction"].choices = [("", "None"), *((r, r.replace("_", " ")) for r in reductions)]
        if not reductions:
            del self.fields["rest_reduction"]

    @property
    def worked(self) -> bool:
        return bool(self.cleaned_data.get("call") or self.cleaned_data.get("wrap"))

    def clean(self):
        data = super().clean()
        filled = [k for k in ("meal1_out", "meal1_in", "meal2_out", "meal2_in", "travel_start", "travel_end") if data.get(k)]
        if (filled or data.get("notes")) and not data.get("call") and "call" not in self.errors:
            self.add_error("call", "Enter the call time (or clear the day).")
        if data.get("call") and not data.get("wrap") and "wrap" not in self.errors:
            self.add_error("wrap", "Enter the wrap time.")
        if data.get("wrap") and not data.get("call") and "call" not in self.errors:
            self.add_error("call", "Enter the call time.")
        return data


def day_forms(
    dates: list[dt.date], data=None, initial: dict[dt.date, dict] | None = None, reductions: list[str] | tuple[str, ...] = ()
) -> list[DayForm]:
    initial = initial or {}
    return [DayForm(data, date=d, prefix=f"d{d:%Y%m%d}", initial=initial.get(d, {}), reductions=reductions) for d in dates]


class TimecardHeaderForm(forms.Form):
    previous_dismissal = forms.DateTimeField(
        required=False, label="Last dismissal before this week",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Checks the first day's turnaround. Leave empty if you were not working.",
    )
    previous_week_days_worked = forms.IntegerField(
        required=False, min_value=0, max_value=7, label="Days worked last week",
        help_text="With the last dismissal, checks the weekend rest (e.g. 54 h after a 5-day week).",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TimecardCreateForm(forms.Form):
    deal = forms.ChoiceField(label="Engagement")
    week_ending = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), help_text="The last day of the workweek.")

    def __init__(self, *args, deals, **kwargs):
        super().__init__(*args, **kwargs)
        self.deals = {str(d.pk): d for d in deals}
        self.fields["deal"].choices = [(str(d.pk), f"{d.person_name} — {d.role_label}") for d in deals]

    def clean_deal(self):
        return self.deals[self.cleaned_data["deal"]]


class TimecardFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *TimecardStatus.choices], required=False)
    week_ending = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    department = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "All departments"), *((d.pk, d.name) for d in departments)]


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="What needs fixing")


class DealForm(forms.Form):
    pack_id = forms.ChoiceField(label="Rule pack")
    rate = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    rate_unit = forms.ChoiceField(choices=PayRateUnit.choices)
    currency = forms.ChoiceField(choices=[(c, c) for c in COMMON_CURRENCIES])
    guarantee_hours = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, required=False,
                                         help_text="Hours guaranteed per day; the pack's minimum call applies when higher.")
    employment_type = forms.ChoiceField(choices=[("", "—"), *EmploymentType.choices], required=False)
    jurisdiction = forms.CharField(max_length=20, required=False, help_text="e.g. US-CA: its legal floor (daily overtime) applies.")
    allowances = forms.CharField(required=False, help_text="One per line, CODE: amount, e.g. KIT: 25.00",
                                 widget=forms.Textarea(attrs={"rows": 2}))
    budget_account_code = forms.CharField(
        label="Budget account", max_length=20, required=False,
        help_text="Approved labour is posted here in the budget, e.g. 3301.",
    )
    fringe_account_code = forms.CharField(label="Fringe account", max_length=20, required=False,
                                          help_text="Empty: fringes go to the budget account.")
    rate_change_from = forms.DateField(
        label="New rate from", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A raise or a new rate mid-run: days from this date are paid the new rate.",
    )
    rate_change_rate = forms.DecimalField(label="New rate", max_digits=12, decimal_places=2, min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("rate_change_from")) != (data.get("rate_change_rate") is not None):
            missing = "rate_change_rate" if data.get("rate_change_from") else "rate_change_from"
            if missing not in self.errors:
                self.add_error(missing, "Enter both the new rate and the date it starts.")
        return data

    def __init__(self, *args, pack_ids: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack_id"].choices = [(p, p) for p in pack_ids]

    def clean_allowances(self):
        result = {}
        for number, line in enumerate(self.cleaned_data["allowances"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, amount = line.partition(":")
            try:
                if not sep or not code.strip():
                    raise InvalidOperation
                result[code.strip().upper()] = str(Decimal(amount.strip()))
            except InvalidOperation:
                raise ValidationError(f"Line {number}: write CODE: amount, e.g. KIT: 25.00") from None
        return result

    @staticmethod
    def allowances_text(allowances: dict) -> str:
        return "\n".join(f"{k}: {v}" for k, v in (allowances or {}).items())


class PackCopyForm(forms.Form):
    source = forms.ChoiceField(label="Copy of")
    new_id = forms.SlugField(label="New pack id", max_length=80, help_text="Lower-case, e.g. iatse-crew-night-train.")

    def __init__(self, *args, pack_ids: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(p, p) for p in pack_ids]


class PackEditForm(forms.Form):
    yaml_text = forms.CharField(
        label="Rule pack (YAML)", widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "yaml"}),
        max_length=200_000,
    )
