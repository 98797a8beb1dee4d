"""Input forms of the script and breakdown pages. They validate shape only; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from unitbase.core.forms import apply_service_errors  # noqa: F401 - this app's views use it as forms.apply_service_errors
from unitbase.productions.permissions import ProductionAccess

from . import selectors
from .models import Paper, RevisionColour


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Script file",
        help_text="Fountain (.fountain, .txt), Final Draft (.fdx) or a screenplay PDF with a text layer (.pdf).",
        widget=forms.ClearableFileInput(attrs={"accept": ".fountain,.fdx,.txt,.pdf"}),
    )
    paper = forms.ChoiceField(choices=Paper.choices, initial=Paper.LETTER, label="Paper",
                              help_text="Page counts and eighths follow this page size (FDX and PDF files use their own).")
    colour = forms.ChoiceField(
        choices=[("", "Next in order"), *RevisionColour.choices], required=False, label="Revision colour",
    )


class TagForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, empty_label=None, label="Category")
    name = forms.CharField(max_length=200, label="Element")
    start = forms.IntegerField(required=False, min_value=0, max_value=10**7, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, max_value=10**7, widget=forms.HiddenInput)

    def __init__(self, *args: Any, access: ProductionAccess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list(access=access)
        self.fields["name"].widget.attrs.update({"list": "element-names", "autocomplete": "off"})


class ElementForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    category = forms.ModelChoiceField(queryset=None, empty_label=None, label="Category")

    def __init__(self, *args: Any, access: ProductionAccess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.category_list(access=access)


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=None, label="Merge into", empty_label="Choose an element…")

    def __init__(self, *args: Any, access: ProductionAccess, exclude: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = selectors.element_list(access=access).exclude(pk=exclude)
        self.fields["target"].label_from_instance = lambda e: f"{e.name} ({e.category.name})"
