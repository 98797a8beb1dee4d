"""Input forms of the people pages. They validate shape only; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from unitbase.core.forms import apply_service_errors  # noqa: F401 - this app's views use it as forms.apply_service_errors
from unitbase.core.money import COMMON_CURRENCIES
from unitbase.productions.authority import Action
from unitbase.productions.permissions import ProductionAccess
from unitbase.productions.selectors import department_list, unit_list

from . import selectors
from .models import CastMember, Person, RateUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")




class _EngagementForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, required=False, empty_label="—")
    start_date = forms.DateField(required=False, widget=DATE, label="Start")
    end_date = forms.DateField(required=False, widget=DATE, label="End")
    rate_amount = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, min_value=0, label="Rate",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    rate_currency = forms.CharField(
        max_length=3, min_length=3, label="Currency",
        widget=forms.TextInput(attrs={"list": "currencies", "size": 4, "autocapitalize": "characters"}),
    )
    rate_unit = forms.ChoiceField(choices=RateUnit.choices, label="Per")

    currencies = COMMON_CURRENCIES

    def __init__(self, *args: Any, access: ProductionAccess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["unit"].queryset = unit_list(access=access)
        self.fields["rate_currency"].initial = access.production.base_currency

    def clean_rate_currency(self) -> str:
        return self.cleaned_data["rate_currency"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return data

    def engagement_data(self) -> dict[str, Any]:
        keys = ["unit", "start_date", "end_date", "rate_amount", "rate_currency", "rate_unit"]
        return {k: self.cleaned_data[k] for k in keys}


class _ContactChoiceMixin(forms.Form):
    """Pick an existing contact, or (with MANAGE_CONTACTS) type a new one inline."""

    person = forms.ModelChoiceField(queryset=None, required=False, label="Existing contact", empty_label="— new contact —")
    new_name = forms.CharField(required=False, max_length=200, label="New contact's name")
    new_email = forms.EmailField(required=False, label="E-mail")
    new_phone = forms.CharField(required=False, max_length=40, label="Phone",
                                widget=forms.TextInput(attrs={"type": "tel"}))

    def setup_contact(self, access: ProductionAccess, creating: bool) -> None:
        self.creating = creating
        if not creating:
            for name in ["person", "new_name", "new_email", "new_phone"]:
                del self.fields[name]
            return
        self.fields["person"].queryset = selectors.person_list(access=access)
        self.can_create_contact = access.can(Action.MANAGE_CONTACTS)
        if not self.can_create_contact:
            for name in ["new_name", "new_email", "new_phone"]:
                del self.fields[name]
            self.fields["person"].required = True
            self.fields["person"].empty_label = "Choose a contact"

    def clean_contact(self, data: dict[str, Any]) -> None:
        if not self.creating:
            return
        person = data.get("person")
        name = (data.get("new_name") or "").strip()
        if person and name:
            self.add_error("new_name", "Either pick an existing contact or type a new one, not both.")
        elif not person and not name and self.can_create_contact:
            self.add_error("person", "Pick a contact, or type the new contact's name below.")

    def new_contact_data(self) -> dict[str, Any] | None:
        if not self.creating or self.cleaned_data.get("person"):
            return None
        return {
            "name": self.cleaned_data["new_name"].strip(),
            "email": self.cleaned_data.get("new_email", ""),
            "phone": self.cleaned_data.get("new_phone", "").strip(),
        }


NEW_CONTACT_ERRORS = {"name": "new_name", "email": "new_email", "phone": "new_phone"}


class CrewForm(_ContactChoiceMixin, _EngagementForm):
    department = forms.ModelChoiceField(queryset=None, empty_label="Choose a department")
    position = forms.CharField(max_length=100, help_text="Free text, e.g. Gaffer; new positions are added.")

    field_order = ["person", "new_name", "new_email", "new_phone", "department", "position", "unit",
                   "start_date", "end_date", "rate_amount", "rate_currency", "rate_unit"]

    def __init__(self, *args: Any, access: ProductionAccess, creating: bool = True, **kwargs: Any):
        super().__init__(*args, access=access, **kwargs)
        self.fields["department"].queryset = department_list(access=access)
        self.fields["rate_unit"].initial = RateUnit.WEEK
        self.setup_contact(access, creating)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_contact(data)
        return data


class CastForm(_ContactChoiceMixin, _EngagementForm):
    cast_number = forms.IntegerField(
        required=False, min_value=1, label="Cast no.", help_text="Leave empty for the next free number."
    )
    character = forms.CharField(max_length=200)

    field_order = ["cast_number", "character", "person", "new_name", "new_email", "new_phone", "unit",
                   "start_date", "end_date", "rate_amount", "rate_currency", "rate_unit"]

    def __init__(self, *args: Any, access: ProductionAccess, instance: CastMember | None = None, **kwargs: Any):
        super().__init__(*args, access=access, **kwargs)
        self.instance = instance
        self.fields["rate_unit"].initial = RateUnit.DAY
        self.setup_contact(access, creating=instance is None)
        if instance is not None:
            self.fields["cast_number"].required = True
            self.fields["cast_number"].help_text = ""

    def _others(self):
        others = CastMember.objects.filter(production=self.access.production).select_related("person")
        return others.exclude(pk=self.instance.pk) if self.instance else others

    def clean_cast_number(self) -> int | None:
        number = self.cleaned_data.get("cast_number")
        if number is not None:
            taken = self._others().filter(cast_number=number).first()
            if taken:
                raise ValidationError(f"Number {number} is already {taken.character} ({taken.person.name}).")
        return number

    def clean_character(self) -> str:
        character = self.cleaned_data["character"].strip().upper()
        if not character:
            raise ValidationError("Enter the character's name.")
        taken = self._others().filter(character=character).first()
        if taken:
            raise ValidationError(f"{character} is already cast as number {taken.cast_number}.")
        return character

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.clean_contact(data)
        return data


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False, label="E-mail")
    phone = forms.CharField(required=False, max_length=40, widget=forms.TextInput(attrs={"type": "tel"}))
    agency = forms.CharField(required=False, max_length=200)
    agent_name = forms.CharField(required=False, max_length=200, label="Agent")
    agent_contact = forms.CharField(required=False, max_length=200, label="Agent's e-mail or phone")
    union_memberships = forms.CharField(
        required=False, max_length=200, label="Unions", help_text="Comma-separated, e.g. IATSE 600, SAG-AFTRA."
    )
    emergency_contact_name = forms.CharField(required=False, max_length=200, label="Emergency contact")
    emergency_contact_phone = forms.CharField(
        required=False, max_length=40, label="Emergency phone", widget=forms.TextInput(attrs={"type": "tel"})
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {name: getattr(person, name) for name in cls.base_fields}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["name"] = data["name"].strip()
        return data
