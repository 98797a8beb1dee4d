"""The filters of the crew and cast lists, defined once for the page, the CSV and the XLSX export.

A filter form never fails the request: a value that does not validate (an unknown department id,
say) is ignored and the rest still apply.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.http import urlencode

from unitbase.productions.permissions import ProductionAccess
from unitbase.productions.selectors import department_list, unit_list

from . import selectors
from .models import CastMember, CrewMember, Person


class _FilterForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=100, label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, position…", "autocomplete": "off"}),
    )

    def __init__(self, data: Any = None, *, access: ProductionAccess):
        super().__init__(data or None, auto_id="filter-%s")
        self.access = access

    def value(self, name: str) -> Any:
        """The cleaned value of one filter, or None when it was absent or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None

    def querystring(self) -> str:
        """The valid, non-empty filters as a querystring (for export links), without the '?'."""
        params = {}
        for name in self.fields:
            value = self.value(name)
            if value:
                params[name] = value.pk if hasattr(value, "pk") else value
        return urlencode(params)

    @property
    def active(self) -> bool:
        return bool(self.querystring())


class CrewFilter(_FilterForm):
    department = forms.ModelChoiceField(queryset=None, required=False, empty_label="All departments")
    unit = forms.ModelChoiceField(queryset=None, required=False, empty_label="All units")

    field_order = ["department", "unit", "q"]

    def __init__(self, data: Any = None, *, access: ProductionAccess):
        super().__init__(data, access=access)
        self.fields["department"].queryset = department_list(access=access)
        self.fields["unit"].queryset = unit_list(access=access)
        self.fields["q"].widget.attrs["placeholder"] = "Name or position"

    def queryset(self) -> QuerySet[CrewMember]:
        department = self.value("department")
        unit = self.value("unit")
        return selectors.crew_list(
            access=self.access,
            department_id=department.pk if department else None,
            unit_id=unit.pk if unit else None,
            search=(self.value("q") or "").strip(),
        )


class CastFilter(_FilterForm):
    unit = forms.ModelChoiceField(queryset=None, required=False, empty_label="All units")

    field_order = ["unit", "q"]

    def __init__(self, data: Any = None, *, access: ProductionAccess):
        super().__init__(data, access=access)
        self.fields["unit"].queryset = unit_list(access=access)
        self.fields["q"].widget.attrs["placeholder"] = "Actor or character"

    def queryset(self) -> QuerySet[CastMember]:
        cast = selectors.cast_list(access=self.access, search=(self.value("q") or "").strip())
        unit = self.value("unit")
        if unit:
            cast = cast.filter(unit_id=unit.pk)
        return cast


class PersonFilter(_FilterForm):
    def __init__(self, data: Any = None, *, access: ProductionAccess):
        super().__init__(data, access=access)
        self.fields["q"].widget.attrs["placeholder"] = "Name, e-mail or agency"

    def queryset(self) -> QuerySet[Person]:
        return selectors.person_list(access=self.access, search=(self.value("q") or "").strip())
