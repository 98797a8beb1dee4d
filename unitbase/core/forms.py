"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None, name_unknown: bool = False
) -> None:
    """Put a service's ValidationError on the form's fields.

    `field_map` renames a service's field to the form's (e.g. "person" → "existing_person").
    Errors on fields the form does not have become form-level errors, prefixed with the field's
    name when `name_unknown` is set so the user can tell which value was refused.
    """
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field_map.get(field, field)
        if target != NON_FIELD_ERRORS and target in form.fields:
            for error in errors:
                form.add_error(target, error)
        elif name_unknown and target != NON_FIELD_ERRORS:
            for message in (m for e in errors for m in e.messages):
                form.add_error(None, f"{field}: {message}")
        else:
            for error in errors:
                form.add_error(None, error)
