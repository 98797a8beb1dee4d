"""Forms of the production pages. They validate input; services do the writing."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import password_validation

from unitbase.core.models import AuditEvent
from unitbase.core.money import COMMON_CURRENCIES

from .authority import MONEY_ACTIONS, Action, Role, Scope
from .models import Department, Membership, Production, Unit

# Offer the common zones first; any IANA name is accepted by the model's validation.
_COMMON_ZONES = [
    "UTC", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Prague",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
    "America/Vancouver", "America/Mexico_City", "America/Sao_Paulo", "Australia/Sydney", "Pacific/Auckland",
    "Asia/Tokyo", "Asia/Kolkata", "Africa/Johannesburg",
]


def time_zone_choices() -> list[tuple[str, str]]:
    others = sorted(z for z in available_timezones() if z not in _COMMON_ZONES and "/" in z)
    return [(z, z) for z in _COMMON_ZONES] + [(z, z) for z in others]


def currency_choices() -> list[tuple[str, str]]:
    return [(c, c) for c in COMMON_CURRENCIES]


class ProductionForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Production.Kind.choices)
    status = forms.ChoiceField(choices=Production.Status.choices)
    base_currency = forms.CharField(
        max_length=3, min_length=3, label="Base currency",
        help_text="ISO 4217 code, e.g. USD, EUR, GBP.",
        widget=forms.TextInput(attrs={"list": "currency-list", "autocomplete": "off", "size": 5}),
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices,
                                  help_text="Call times and the audit trail are shown in this zone.")

    def clean_base_currency(self) -> str:
        code = self.cleaned_data["base_currency"].strip().upper()
        if not code.isalpha():
            raise forms.ValidationError("Use a three-letter currency code such as USD.")
        return code


class UnitForm(forms.Form):
    name = forms.CharField(max_length=100, label="Unit name")
    kind = forms.ChoiceField(choices=Unit.Kind.choices, initial=Unit.Kind.SECOND, label="Kind")


class EpisodeForm(forms.Form):
    number = forms.CharField(max_length=20, label="Episode number", help_text="e.g. 101 or 1.01")
    title = forms.CharField(max_length=200, required=False, label="Episode title")


class DepartmentForm(forms.Form):
    name = forms.CharField(max_length=100, label="Department name")


class _ScopedToProduction(forms.Form):
    """Department and unit choices limited to one production."""

    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, empty_label="—")
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, production: Production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(production=production)
        self.fields["unit"].queryset = Unit.objects.filter(production=production)


class InvitationForm(_ScopedToProduction):
    email = forms.EmailField(label="E-mail")
    full_name = forms.CharField(max_length=200, required=False, label="Full name")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CREW)
    field_order = ["email", "full_name", "role", "department", "unit"]


class MembershipForm(_ScopedToProduction):
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(required=False, label="Active",
                                   help_text="An inactive member can no longer open the production.")
    field_order = ["role", "department", "unit", "is_active"]

    @classmethod
    def for_membership(cls, membership: Membership, data=None) -> MembershipForm:
        initial = {"role": membership.role, "department": membership.department_id, "unit": membership.unit_id,
                   "is_active": membership.is_active}
        return cls(data, initial=initial, production=membership.production, prefix=f"m{membership.pk}")


class InvitationAcceptForm(forms.Form):
    """Name and password for a person who has no account yet."""

    full_name = forms.CharField(max_length=200, label="Your full name")
    password1 = forms.CharField(label="Choose a password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label="Repeat the password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user=probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AuthorityCellForm(forms.Form):
    """One cell of the matrix: allowed, scope, and a limit for money actions."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)
    allowed = forms.BooleanField(required=False, label="Allowed")
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.ALL, label="Scope")
    limit_amount = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2,
                                      label="Limit", help_text="Empty means no limit.")

    def clean(self):
        data = super().clean()
        if data.get("action") not in MONEY_ACTIONS:
            data["limit_amount"] = None
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label="Action")
    object_type = forms.ChoiceField(required=False, label="Object type")
    actor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Who")
    q = forms.CharField(required=False, max_length=100, label="Search",
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Object name"}))

    def __init__(self, *args, production: Production, **kwargs):
        super().__init__(*args, **kwargs)
        events = AuditEvent.objects.filter(production_id=production.pk)
        actions = events.order_by("action").values_list("action", flat=True).distinct()
        types = events.order_by("object_type").values_list("object_type", flat=True).distinct()
        self.fields["action"].choices = [("", "Any action"), *((a, a) for a in actions)]
        self.fields["object_type"].choices = [("", "Any type"), *((t, t) for t in types if t)]
        members = (
            Membership.objects.filter(production=production).select_related("user").order_by("user__email")
        )
        self.fields["actor"].choices = [("", "Anyone"), *((m.user_id, str(m.user)) for m in members)]
