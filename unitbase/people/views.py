"""Contacts, crew list and cast list pages. Thin: forms validate, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view
from unitbase.productions.permissions import ProductionAccess
from unitbase.productions.selectors import unit_list

from . import exports, selectors, services
from .filters import CastFilter, CrewFilter, PersonFilter
from .forms import NEW_CONTACT_ERRORS, CastForm, CrewForm, PersonForm, apply_service_errors


def _list_template(request, template: str, partial: str) -> str:
    """The whole page, or only the results partial when htmx asks for it (filter changes)."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return f"{template}#{partial}"
    return template


def _form_response(request, template: str, context: dict[str, Any], form) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


def _get_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("No such record in this production.") from None


def _new_contact(access: ProductionAccess, form) -> Any:
    """The picked contact, or a new one made through the service (inside the caller's transaction)."""
    data = form.new_contact_data()
    if data is None:
        return form.cleaned_data["person"]
    try:
        return services.person_create(access=access, **data)
    except ValidationError as exc:
        apply_service_errors(form, exc, NEW_CONTACT_ERRORS)
        raise


# Contacts -------------------------------------------------------------------------------------


@production_view()
def people(request, access):
    filters = PersonFilter(request.GET, access=access)
    rows = list(filters.queryset())
    context = {"filters": filters, "rows": rows, "can_manage": access.can(Action.MANAGE_CONTACTS)}
    return render(request, _list_template(request, "people/person_list.html", "results"), context)


@production_view()
def person_detail(request, access, person_id: int):
    person = _get_or_404(selectors.person_get, access=access, person_id=person_id)
    crew, cast = selectors.person_engagements(access=access, person=person)
    context = {
        "person": person,
        "crew_rows": exports.prepare_rows(access, crew),
        "cast_rows": exports.prepare_rows(access, cast),
        "can_manage": access.can(Action.MANAGE_CONTACTS),
    }
    return render(request, "people/person_detail.html", context)


@production_view(Action.MANAGE_CONTACTS)
@require_http_methods(["GET", "POST"])
def person_add(request, access):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(access=access, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Contact “{person.name}” added.")
            return redirect("people:person", access.production.pk, person.pk)
    return _form_response(request, "people/person_form.html", {"person": None}, form)


@production_view(Action.MANAGE_CONTACTS)
@require_http_methods(["GET", "POST"])
def person_edit(request, access, person_id: int):
    person = _get_or_404(selectors.person_get, access=access, person_id=person_id)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(access=access, person_id=person.pk, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Contact “{person.name}” saved.")
            return redirect("people:person", access.production.pk, person.pk)
    return _form_response(request, "people/person_form.html", {"person": person}, form)


# Crew -----------------------------------------------------------------------------------------


def _show_unit(access, filters) -> bool:
    """A unit column only earns its place when the production has more than one unit."""
    return bool(filters.value("unit")) or unit_list(access=access).count() > 1


def _crew_rows(request, access):
    filters = CrewFilter(request.GET, access=access)
    return filters, exports.prepare_rows(access, filters.queryset())


@production_view()
def crew(request, access):
    filters, rows = _crew_rows(request, access)
    can_hire, show_unit = access.can(Action.HIRE_CREW), _show_unit(access, filters)
    context = {
        "filters": filters, "rows": rows, "querystring": filters.querystring(), "can_hire": can_hire,
        "show_unit": show_unit, "columns": 5 + show_unit + can_hire, "oob": bool(getattr(request, "htmx", False)),
    }
    return render(request, _list_template(request, "people/crew_list.html", "results"), context)


@production_view()
def crew_csv(request, access):
    _, rows = _crew_rows(request, access)
    return exports.csv_response(production=access.production, kind="crew", columns=exports.CREW_COLUMNS, rows=rows)


@production_view()
def crew_xlsx(request, access):
    _, rows = _crew_rows(request, access)
    return exports.xlsx_response(production=access.production, kind="crew", columns=exports.CREW_COLUMNS, rows=rows)


@production_view(Action.HIRE_CREW)
@require_http_methods(["GET", "POST"])
def crew_hire(request, access):
    form = CrewForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = _new_contact(access, form)
                crew = services.crew_member_hire(
                    access=access, person=person, department=form.cleaned_data["department"],
                    position_name=form.cleaned_data["position"], **form.engagement_data(),
                )
        except ValidationError as exc:
            if not form.errors:
                apply_service_errors(form, exc)
        else:
            messages.success(request, f"{crew.person.name} hired as {crew.position.name}.")
            return redirect("people:crew", access.production.pk)
    return _form_response(request, "people/crew_form.html", {"crew_member": None}, form)


@production_view(Action.HIRE_CREW)
@require_http_methods(["GET", "POST"])
def crew_edit(request, access, crew_member_id: int):
    crew = _get_or_404(selectors.crew_member_get, access=access, crew_member_id=crew_member_id)
    initial = {
        "department": crew.department_id, "position": crew.position.name, "unit": crew.unit_id,
        "start_date": crew.start_date, "end_date": crew.end_date, "rate_amount": crew.rate_amount,
        "rate_currency": crew.rate_currency, "rate_unit": crew.rate_unit,
    }
    form = CrewForm(request.POST or None, access=access, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            crew = services.crew_member_update(
                access=access, crew_member_id=crew.pk, department=form.cleaned_data["department"],
                position_name=form.cleaned_data["position"], **form.engagement_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{crew.person.name} saved.")
            return redirect("people:crew", access.production.pk)
    return _form_response(request, "people/crew_form.html", {"crew_member": crew}, form)


@production_view(Action.HIRE_CREW)
@require_http_methods(["GET", "POST"])
def crew_release(request, access, crew_member_id: int):
    crew = _get_or_404(selectors.crew_member_get, access=access, crew_member_id=crew_member_id)
    if request.method == "POST":
        services.crew_member_release(access=access, crew_member_id=crew.pk)
        messages.success(request, f"{crew.person.name} released from {crew.position.name}.")
        return redirect("people:crew", access.production.pk)
    return render(request, "people/confirm_remove.html", {
        "title": f"Release {crew.person.name}?",
        "message": f"{crew.person.name} ({crew.position.name}, {crew.department.name}) leaves the crew list. "
                   "The contact stays in Contacts.",
        "button": "Release", "cancel_url_name": "people:crew",
    })


# Cast -----------------------------------------------------------------------------------------


def _cast_rows(request, access):
    filters = CastFilter(request.GET, access=access)
    return filters, exports.prepare_rows(access, filters.queryset())


@production_view()
def cast(request, access):
    filters, rows = _cast_rows(request, access)
    context = {
        "filters": filters, "rows": rows, "querystring": filters.querystring(),
        "can_hire": access.can(Action.HIRE_CAST), "show_unit": _show_unit(access, filters),
        "oob": bool(getattr(request, "htmx", False)),
    }
    return render(request, _list_template(request, "people/cast_list.html", "results"), context)


@production_view()
def cast_csv(request, access):
    _, rows = _cast_rows(request, access)
    return exports.csv_response(production=access.production, kind="cast", columns=exports.CAST_COLUMNS, rows=rows)


@production_view()
def cast_xlsx(request, access):
    _, rows = _cast_rows(request, access)
    return exports.xlsx_response(production=access.production, kind="cast", columns=exports.CAST_COLUMNS, rows=rows)


CAST_DUPLICATE = "That cast number or character is already taken; reload and pick another."


@production_view(Action.HIRE_CAST)
@require_http_methods(["GET", "POST"])
def cast_add(request, access):
    form = CastForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = _new_contact(access, form)
                member = services.cast_member_create(
                    access=access, person=person, character=form.cleaned_data["character"],
                    cast_number=form.cleaned_data["cast_number"], **form.engagement_data(),
                )
        except ValidationError as exc:
            if not form.errors:
                apply_service_errors(form, exc)
        except IntegrityError:  # a concurrent add took the number between the check and the write
            form.add_error("cast_number", CAST_DUPLICATE)
        else:
            messages.success(request, f"{member.cast_number}. {member.character}: {member.person.name} added.")
            return redirect("people:cast", access.production.pk)
    return _form_response(request, "people/cast_form.html", {"cast_member": None}, form)


@production_view(Action.HIRE_CAST)
@require_http_methods(["GET", "POST"])
def cast_edit(request, access, cast_member_id: int):
    member = _get_or_404(selectors.cast_member_get, access=access, cast_member_id=cast_member_id)
    initial = {
        "cast_number": member.cast_number, "character": member.character, "unit": member.unit_id,
        "start_date": member.start_date, "end_date": member.end_date, "rate_amount": member.rate_amount,
        "rate_currency": member.rate_currency, "rate_unit": member.rate_unit,
    }
    form = CastForm(request.POST or None, access=access, instance=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.cast_member_update(
                access=access, cast_member_id=member.pk, character=form.cleaned_data["character"],
                cast_number=form.cleaned_data["cast_number"], **form.engagement_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except IntegrityError:
            form.add_error("cast_number", CAST_DUPLICATE)
        else:
            messages.success(request, f"{member.cast_number}. {member.character} saved.")
            return redirect("people:cast", access.production.pk)
    return _form_response(request, "people/cast_form.html", {"cast_member": member}, form)


@production_view(Action.HIRE_CAST)
@require_http_methods(["GET", "POST"])
def cast_remove(request, access, cast_member_id: int):
    member = _get_or_404(selectors.cast_member_get, access=access, cast_member_id=cast_member_id)
    if request.method == "POST":
        services.cast_member_remove(access=access, cast_member_id=member.pk)
        messages.success(request, f"{member.cast_number}. {member.character} removed from the cast list.")
        return redirect("people:cast", access.production.pk)
    return render(request, "people/confirm_remove.html", {
        "title": f"Remove {member.cast_number}. {member.character}?",
        "message": f"{member.person.name} leaves the cast list and the number {member.cast_number} becomes free. "
                   "The contact stays in Contacts.",
        "button": "Remove", "cancel_url_name": "people:cast",
    })
