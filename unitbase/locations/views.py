"""Locations pages: list, detail (sets shot there, shoot days, availability), add/edit, assign sets.
Thin: forms validate, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from unitbase.core.forms import apply_service_errors
from unitbase.productions.decorators import production_view

from . import selectors, services
from .forms import AssignForm, AvailabilityForm, LocationForm
from .models import Location


def _ctx(access, **extra):
    return {"access": access, "production": access.production, "can_manage": services.can_manage(access), **extra}


@production_view()
def location_list(request, access):
    status = request.GET.get("status", "")
    if status not in Location.Status.values:
        status = ""
    q = request.GET.get("q", "")[:100]
    rows = list(selectors.location_list(access=access, status=status, q=q))
    unassigned = [s for s in selectors.set_list(access=access) if s.location is None and s.scenes]
    template = "locations/list.html#results" if getattr(request, "htmx", False) and not request.htmx.boosted \
        else "locations/list.html"
    return render(request, template, _ctx(access, rows=rows, status=status, q=q, statuses=Location.Status.choices,
                                          unassigned=unassigned))


@production_view()
def location_detail(request, access, location_id: int):
    location = selectors.location_get(access=access, location_id=location_id)
    sets = [s for s in selectors.set_list(access=access) if s.location and s.location.pk == location.pk]
    return render(request, "locations/detail.html", _ctx(
        access, location=location, sets=sets, shoot_days=selectors.shoot_days_of(access=access, location=location),
        availability=selectors.availability_list(access=access, location=location),
        availability_form=AvailabilityForm(),
    ))


def _save(request, access, location: Location | None):
    services.require_manage(access)
    initial = {f: getattr(location, f) for f in LocationForm.base_fields} if location else None
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if location is None:
                location = services.location_create(access=access, **form.cleaned_data)
            else:
                location = services.location_update(access=access, location_id=location.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, name_unknown=True)
        else:
            messages.success(request, f"{location.name} saved.")
            return redirect("locations:detail", access.production.pk, location.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "locations/form.html", _ctx(access, form=form, location=location), status=status)


@production_view()
@require_http_methods(["GET", "POST"])
def location_add(request, access):
    return _save(request, access, None)


@production_view()
@require_http_methods(["GET", "POST"])
def location_edit(request, access, location_id: int):
    return _save(request, access, selectors.location_get(access=access, location_id=location_id))


@production_view()
@require_POST
def location_delete(request, access, location_id: int):
    location = selectors.location_get(access=access, location_id=location_id)
    try:
        services.location_delete(access=access, location_id=location.pk)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("locations:detail", access.production.pk, location.pk)
    messages.success(request, f"{location.name} removed; its sets are unassigned.")
    return redirect("locations:list", access.production.pk)


@production_view()
@require_http_methods(["GET", "POST"])
def sets(request, access):
    """Every set of the script with the location it is shot at; one small form per set."""
    locations = list(selectors.location_list(access=access))
    status = 200
    failed: AssignForm | None = None
    if request.method == "POST":
        services.require_manage(access)
        form = AssignForm(request.POST, locations=locations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.set_location_assign(access=access, set_key=data["set_key"], set_name=data["set_name"],
                                                   location_id=data["location"])
            except ValidationError as exc:
                apply_service_errors(form, exc, name_unknown=True)
            else:
                name = data["set_name"] or data["set_key"]
                messages.success(request, f"{name}: shot at {row.location.name}." if row else f"{name}: no location.")
                return redirect(f"{request.path}#set-{data['set_key']}")
        failed, status = form, 422
    rows = []
    for i, s in enumerate(selectors.set_list(access=access)):
        if failed is not None and failed.data.get("set_key") == s.key:
            form = failed
        else:
            form = AssignForm(initial={"set_key": s.key, "set_name": s.name, "location": s.location.pk if s.location else ""},
                              locations=locations)
        form.auto_id = f"set{i}_%s"
        rows.append((s, form))
    return render(request, "locations/sets.html", _ctx(access, rows=rows, has_locations=bool(locations)), status=status)


@production_view()
@require_POST
def availability(request, access, location_id: int):
    location = selectors.location_get(access=access, location_id=location_id)
    services.require_manage(access)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.location_availability_set(access=access, location_id=location.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, name_unknown=True)
        else:
            d = form.cleaned_data
            messages.success(request, f"{location.name}: {dict(form.fields['status'].choices)[d['status']].lower()} "
                                      f"on {d['date']:%a %d %b %Y}.")
            return redirect("locations:detail", access.production.pk, location.pk)
    sets = [s for s in selectors.set_list(access=access) if s.location and s.location.pk == location.pk]
    return render(request, "locations/detail.html", _ctx(
        access, location=location, sets=sets, shoot_days=selectors.shoot_days_of(access=access, location=location),
        availability=selectors.availability_list(access=access, location=location), availability_form=form,
    ), status=422)
