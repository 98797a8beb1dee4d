"""Forms for the budget pages: they check shapes; services check meaning."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from unitbase.core.forms import apply_service_errors as _apply_service_errors
from unitbase.core.money import COMMON_CURRENCIES

from .models import Charge, ChartCategory, ChartOfAccounts, Fringe, Level, Unit

MAX_UPLOAD = 2 * 1024 * 1024


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (unknown fields named in the message)."""
    _apply_service_errors(form, exc, name_unknown=True)


class BudgetCreateForm(forms.Form):
    name = forms.CharField(max_length=120, initial="Budget")
    chart = forms.ModelChoiceField(queryset=ChartOfAccounts.objects.none(), label="Chart of accounts")
    base_currency = forms.CharField(max_length=3, min_length=3, label="Base currency")

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chart"].queryset = ChartOfAccounts.objects.filter(production=access.production)
        self.fields["base_currency"].initial = access.production.base_currency


class StandardChartForm(forms.Form):
    kind = forms.ChoiceField(choices=[("feature", "Feature film (classic 1100-7900)"), ("series", "Series (episodic)"),
                                      ("commercial", "Commercial (AICP bid form)")], label="Standard chart")


def _csv_text(upload) -> str:
    if upload.size > MAX_UPLOAD:
        raise ValidationError("The file is larger than 2 MB.")
    data = upload.read()
    if data[:4] == b"PK\x03\x04" or (upload.name or "").lower().endswith(".xlsx"):
        from .services import xlsx_to_csv_text

        try:
            return xlsx_to_csv_text(data)
        except ValidationError as exc:
            raise ValidationError(" ".join(exc.messages)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file is not UTF-8 text; save it as CSV UTF-8.") from None


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV or XLSX file")

    def clean_file(self):
        return _csv_text(self.cleaned_data["file"])


class ChartImportForm(CsvUploadForm):
    name = forms.CharField(max_length=120, label="Chart name")
    field_order = ["name", "file"]


class ChartAccountForm(forms.Form):
    category = forms.ModelChoiceField(queryset=ChartCategory.objects.none())
    code = forms.CharField(max_length=20)
    name = forms.CharField(max_length=120)

    def __init__(self, *args, chart, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = chart.categories.all()


class RenameForm(forms.Form):
    name = forms.CharField(max_length=120)


class DetailLineForm(forms.Form):
    description = forms.CharField(max_length=200)
    amount = forms.CharField(max_length=40, initial="1", help_text="Number, global or expression, e.g. SHOOT_DAYS * 2")
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.WEEK, label="Units")
    x = forms.CharField(max_length=40, initial="1", label="X", help_text="Number, global or expression, e.g. SHOOT_DAYS * 2")
    rate = forms.DecimalField(max_digits=14, decimal_places=2)
    currency = forms.CharField(max_length=3, min_length=3)
    fringes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    fringe_group = forms.CharField(max_length=60, required=False, label="Person / engagement",
                                   help_text="Same text on several lines: fringe caps apply jointly")
    person = forms.CharField(max_length=60, required=False, label="Person",
                             help_text="Same name on several lines: per-person fringe caps apply across them")
    tag_set = forms.CharField(max_length=100, required=False, label="Set")
    tag_location = forms.CharField(max_length=100, required=False, label="Location")
    tag_episode = forms.CharField(max_length=20, required=False, label="Episode")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, budget, prefix_id: str = "new", **kwargs):
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["fringes"].choices = [(f.code, f"{f.code}") for f in budget.fringes.all()]
        self.fields["currency"].initial = budget.base_currency
        self.fields["currency"].widget.attrs["list"] = "currencies"

    @staticmethod
    def initial_for(line) -> dict:
        return {
            "description": line.description, "amount": line.amount, "unit": line.unit, "x": line.x, "rate": line.rate,
            "currency": line.currency, "fringes": [f.code for f in line.fringes.all()],
            "fringe_group": line.fringe_group, "person": line.person, "tag_set": line.tag_set, "tag_location": line.tag_location,
            "tag_episode": line.tag_episode, "notes": line.notes, "revision": line.revision,
        }

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"fringes", "revision"}}
        data["fringe_codes"] = self.cleaned_data["fringes"]
        return data


CURRENCIES = COMMON_CURRENCIES


class GlobalForm(forms.Form):
    name = forms.CharField(max_length=40, help_text="Capitals, e.g. SHOOT_DAYS")
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    description = forms.CharField(max_length=200, required=False)


class FringeForm(forms.Form):
    code = forms.CharField(max_length=20, help_text="Existing code: updates that fringe")
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Fringe.Kind.choices)
    rate = forms.DecimalField(max_digits=12, decimal_places=4, min_value=0, help_text="% or amount per hour")
    cutoff = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                                label="Cutoff per engagement", help_text="Wages per engagement; blank = none")
    cap = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                             help_text="Per person per engagement; blank = none")
    person_cap = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                                    label="Cap per person", help_text="Across all a person's lines; blank = none")
    person_cutoff = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                                       label="Cutoff per person",
                                       help_text="Wages across all a person's lines; blank = none")


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(max_length=3, min_length=3)
    rate = forms.DecimalField(max_digits=18, decimal_places=8, help_text="Base units for 1 of this currency")


class ChargeForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Existing name: updates that charge")
    code = forms.CharField(max_length=20, required=False, label="Account")
    kind = forms.ChoiceField(choices=Charge.Kind.choices)
    rate = forms.DecimalField(max_digits=8, decimal_places=4, required=False, label="Percent")
    amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False, label="Flat amount")
    basis = forms.MultipleChoiceField(choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                      label="Percent of", initial=[lv for lv in Level.values])
    applied = forms.BooleanField(required=False, initial=True)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["rate"] = data["rate"] or 0
        data["amount"] = data["amount"] or 0
        return data
