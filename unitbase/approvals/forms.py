"""Forms for the approvals pages: a decision, a policy, a delegation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from unitbase.productions.authority import Role

from . import registry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_ROLE_LOOKUP = {**{r.value: r.value for r in Role}, **{r.label.lower(): r.value for r in Role}}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (needed to reject)")
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why you reject it, so the requester can fix it.")
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def parse_steps(text: str) -> list[list[str]]:
    """One step per line; alternatives separated by commas or " or "; role names or labels."""
    steps = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        roles = []
        for part in line.replace(" or ", ",").replace("|", ",").split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in _ROLE_LOOKUP:
                raise ValidationError(f"Line {number}: unknown role “{part.strip()}”.")
            roles.append(_ROLE_LOOKUP[name])
        if roles:
            steps.append(list(dict.fromkeys(roles)))
    if not steps:
        raise ValidationError("Name at least one step.")
    return steps


def format_steps(steps: list[list[str]]) -> str:
    return "\n".join(" or ".join(Role(r).label for r in step) for step in steps)


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of request")
    department = forms.ModelChoiceField(queryset=None, required=False, empty_label="All departments")
    min_amount = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2,
                                    label="Above (amount)", help_text="Empty: from zero.")
    max_amount = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2,
                                    label="Up to and including", help_text="Empty: no upper limit.")
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Approvers, in order",
        help_text="One step per line; “Unit production manager or Production manager” lets either decide.",
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in registry.all_kinds()]
        self.fields["department"].queryset = departments

    def clean_steps(self):
        return parse_steps(self.cleaned_data["steps"])


class DelegationForm(forms.Form):
    from_user = forms.TypedChoiceField(coerce=int, label="Who is away", required=False)
    to_user = forms.TypedChoiceField(coerce=int, label="Who decides for them")
    starts_on = forms.DateField(widget=DATE, label="First day")
    ends_on = forms.DateField(widget=DATE, label="Last day")
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, members=(), can_manage=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m.user_id, f"{m.user.get_full_name() or m.user.email} · {m.get_role_display()}") for m in members]
        self.fields["to_user"].choices = [("", "Choose a member"), *choices]
        if can_manage:
            self.fields["from_user"].choices = [("", "Me"), *choices]
        else:
            del self.fields["from_user"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        return data
