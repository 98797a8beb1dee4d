"""Stripboard, versions, calendar, availability and report pages. Thin: parse, call, render.

Board edits answer the board fragment to htmx/fetch callers (200; 409 with the fresh board when the
version changed under them; 422 with the board and the message for bad input) and redirect back to
the board for plain form posts.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unitbase.locations.models import Location
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.decorators import production_view
from unitbase.scripts.models import BreakdownCategory, Element, Scene

from . import calendar as cal
from . import exports, reports, selectors, services
from .forms import (
    AvailabilityForm,
    BannerForm,
    CalendarDayForm,
    CalendarForm,
    CreateForm,
    PreferencesForm,
    apply_service_errors,
)
from .models import CalendarFeed, ScheduleVersion, Strip
from .permissions import EDIT_ACTION, READ_ACTION, can_change_locked, can_edit_version


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _version_or_404(access, version_id) -> ScheduleVersion:
    try:
        return selectors.version_get(access=access, version_id=int(version_id))
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such schedule version in this production.") from None


def _int(value: Any, field: str, required: bool = False) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: "This field is required."})
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: "Enter a whole number."}) from None


def _date(value: Any, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: "Enter a date as YYYY-MM-DD."}) from None


def _time(value: Any, field: str) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: "Enter a time as HH:MM."}) from None


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the board -----------------------------------------------------------------------------------


def _filter_from(request) -> selectors.StripFilter:
    get = request.GET
    try:
        return selectors.StripFilter(
            set_key=get.get("set", ""), location_id=_int(get.get("location"), "location"),
            int_ext=get.get("ie", ""), day_night=get.get("dn", ""),
            cast_number=_int(get.get("cast"), "cast"), element_id=_int(get.get("element"), "element"),
            min_eighths=_int(get.get("min"), "min"), max_eighths=_int(get.get("max"), "max"),
        )
    except ValidationError:
        return selectors.StripFilter()


def strip_html(strip: Strip, can_edit: bool) -> str:
    """One scene strip's <li>. Built here rather than by including a template per strip: a board
    has hundreds of strips, and a template include per strip was most of the page's time."""
    scene = strip.scene
    classes = "sb-strip" + (" sb-strip-warn" if strip.warnings else "") + (" sb-dim" if getattr(strip, "dimmed", False) else "")
    synopsis = scene.synopsis if len(scene.synopsis) <= 90 else scene.synopsis[:89] + "…"
    dn = strip.dn or "–"
    location = getattr(strip, "location_name", "")
    location_label = f" at {location}" if location else ""
    location_html = format_html('<span class="sb-loc" title="Location: {}">{}</span>', location, location) if location else ""
    warn = ""
    if strip.warnings:
        text = "; ".join(strip.warnings)
        warn = format_html('<span class="sb-warn" title="{}">⚠<span class="visually-hidden">{}</span></span>', text, text)
    return format_html(
        '<li class="{}" data-strip="{}" data-kind="scene"{} tabindex="0" style="--strip:{};--ink:{}" '
        'aria-label="Scene {}, {} {}{}, {}, {} pages">'
        '<span class="sb-sc">{}</span><span class="sb-ie">{}</span><span class="sb-set">{}{}</span><span class="sb-dn">{}</span>'
        '<span class="sb-pg num">{}</span><span class="sb-cast">{}</span><span class="sb-syn">{}</span>'
        '<span class="sb-est num">{}</span>{}</li>',
        classes, strip.pk, mark_safe(' draggable="true"') if can_edit else "", strip.colour, strip.ink,
        strip.label, scene.int_ext, scene.set_name, location_label, strip.dn or "-", strip.pages,
        strip.label, strip.ie, scene.set_name, location_html, dn, strip.pages, ", ".join(map(str, strip.cast_numbers)), synopsis,
        strip.hours, warn,
    )


def _board_context(request, access, version: ScheduleVersion, **extra: Any) -> dict[str, Any]:
    board = selectors.board_get(access=access, version=version)
    flt = _filter_from(request)
    element_scenes = selectors.element_scene_ids(flt.element_id)
    can_edit = can_edit_version(access, version)
    for strip in [*(r for r in board.rows if isinstance(r, Strip)), *board.boneyard]:
        if flt.active:
            strip.dimmed = not selectors.strip_matches(strip, flt, element_scenes)
        if strip.kind == Strip.Kind.SCENE:
            strip.html = strip_html(strip, can_edit)
    return {
        "version": version, "board": board, "filter": flt, "can_edit": can_edit,
        "may_edit_schedule": access.can(EDIT_ACTION),
        "unit": version.schedule.unit, **extra,
    }


def _board_response(request, access, version, *, status: int = 200, message: str = "", level: str = "success"):
    context = _board_context(request, access, version, status_message=message, status_level=level)
    return render(request, "scheduling/board.html#board", context, status=status)


@production_view(READ_ACTION)
@require_GET
def home(request, access):
    """The main unit's schedule (applied or newest version), or how to start one."""
    schedules = selectors.schedule_list(access=access)
    unit_id = _int(request.GET.get("unit"), "unit") if request.GET.get("unit", "").isdigit() else None
    for schedule in schedules:
        if unit_id in (None, schedule.unit_id):
            version = selectors.version_default(access=access, schedule=schedule)
            if version is not None:
                return redirect("scheduling:board", access.production.pk, version.pk)
    units = list(selectors.unit_list(access=access))
    form = CreateForm(units=units)
    from unitbase.scripts.selectors import revision_current

    return render(request, "scheduling/start.html", {
        "form": form, "can_edit": access.can(EDIT_ACTION), "script": revision_current(access=access),
        "calendars": {c.unit_id for c in cal.calendar_list(access=access)}, "units": units,
    })


@production_view(EDIT_ACTION)
@require_POST
def create(request, access):
    units = list(selectors.unit_list(access=access))
    form = CreateForm(request.POST, units=units)
    if form.is_valid():
        try:
            version = services.schedule_create(access=access, unit_id=form.cleaned_data["unit"], name=form.cleaned_data["name"],
                                               layout=form.cleaned_data["layout"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Created “{version.name}” with {version.strips.count()} strips.")
            return redirect("scheduling:board", access.production.pk, version.pk)
    from unitbase.scripts.selectors import revision_current

    return render(request, "scheduling/start.html", {
        "form": form, "can_edit": True, "script": revision_current(access=access), "units": units,
        "calendars": {c.unit_id for c in cal.calendar_list(access=access)},
    }, status=422)


@production_view(READ_ACTION)
@require_GET
def board(request, access, version_id):
    version = _version_or_404(access, version_id)
    if _is_htmx(request):
        return _board_response(request, access, version)
    context = _board_context(request, access, version)
    production = access.production
    revision = version.script_revision
    sets = []
    if revision is not None:
        sets = sorted({(k, n) for k, n in Scene.objects.filter(revision=revision).values_list("set_key", "set_name")}, key=lambda x: x[1])
    context.update(
        versions=list(version.schedule.versions.all()),
        schedules=selectors.schedule_list(access=access),
        units=list(selectors.unit_list(access=access)),
        sets=sets,
        locations=list(Location.objects.filter(production=production).order_by("name").values_list("pk", "name")),
        elements=Element.objects.filter(production=production).exclude(category__key="cast").select_related("category").order_by("category__order", "name")[:500],
        sort_keys=selectors.SORT_KEYS,
        banner_form=BannerForm(),
        banner_kinds=Strip.BannerKind.choices,
    )
    return render(request, "scheduling/board.html", context)


def _board_edit(request, access, version_id, action):
    """Run `action(version, revision)` for a board edit and answer the board."""
    version = _version_or_404(access, version_id)
    htmx = _is_htmx(request) or request.headers.get("X-Requested-With") == "fetch"
    try:
        revision = _int(request.POST.get("revision"), "revision", required=True)
        message = action(version, revision) or "Saved."
    except services.StaleVersion as exc:
        if htmx:
            return _board_response(request, access, _version_or_404(access, version_id), status=409, message=str(exc), level="error")
        messages.error(request, str(exc))
    except ValidationError as exc:
        if htmx:
            return _board_response(request, access, _version_or_404(access, version_id), status=422,
                                   message=_messages_of(exc), level="error")
        messages.error(request, _messages_of(exc))
    else:
        if htmx:
            return _board_response(request, access, _version_or_404(access, version_id), message=message)
        messages.success(request, message)
    return redirect(reverse("scheduling:board", args=[access.production.pk, version.pk]))


def _ids(request) -> list[int]:
    raw = request.POST.getlist("strip_ids") or [x for x in request.POST.get("strips", "").split(",") if x]
    try:
        return [int(x) for x in raw]
    except ValueError:
        raise ValidationError({"strip_ids": "Strip ids are whole numbers."}) from None


@production_view(READ_ACTION)
@require_POST
def move(request, access, version_id):
    def action(version, revision):
        ids = _ids(request)
        to = request.POST.get("to") or "board"
        day, when = _int(request.POST.get("day"), "day"), _date(request.POST.get("date"), "date")
        services.strip_move(
            access=access, version_id=version.pk, revision=revision, strip_ids=ids, to=to,
            index=_int(request.POST.get("index"), "index"), day=day, date=when,
        )
        n = len(ids)
        where = "the boneyard" if to == "boneyard" else (
            f"day {day}" if day else (f"{when:%a %d %b}" if when else "the board"))
        return f"Moved {n} strip{'s' if n != 1 else ''} to {where}."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def day_break_add(request, access, version_id):
    def action(version, revision):
        services.day_break_add(access=access, version_id=version.pk, revision=revision,
                               index=_int(request.POST.get("index"), "index"),
                               call_time=_time(request.POST.get("call_time"), "call_time"),
                               wrap_time=_time(request.POST.get("wrap_time"), "wrap_time"))
        return "Added a day break."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def banner_add(request, access, version_id):
    def action(version, revision):
        services.banner_add(access=access, version_id=version.pk, revision=revision,
                            banner_kind=request.POST.get("banner_kind", ""), text=request.POST.get("text", ""),
                            index=_int(request.POST.get("index"), "index"))
        return "Added a banner."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def strip_remove(request, access, version_id, strip_id):
    def action(version, revision):
        services.strip_remove(access=access, version_id=version.pk, revision=revision, strip_id=strip_id)
        return "Removed."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def strip_split(request, access, version_id, strip_id):
    def action(version, revision):
        services.strip_split(access=access, version_id=version.pk, revision=revision, strip_id=strip_id,
                             eighths=_int(request.POST.get("eighths"), "eighths", required=True))
        return "Split the scene in two parts."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def strip_edit(request, access, version_id, strip_id):
    def action(version, revision):
        fields: dict[str, Any] = {}
        if "estimate_minutes" in request.POST:
            fields["estimate_minutes"] = _int(request.POST.get("estimate_minutes"), "estimate_minutes")
        for name in ("call_time", "wrap_time"):
            if name in request.POST:
                fields[name] = _time(request.POST.get(name), name)
        if "text" in request.POST:
            fields["text"] = request.POST.get("text", "").strip()[:300]
        if "banner_kind" in request.POST:
            fields["banner_kind"] = request.POST.get("banner_kind", "")
        services.strip_update(access=access, version_id=version.pk, revision=revision, strip_id=strip_id, **fields)
        return "Saved."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def auto_breaks(request, access, version_id):
    def action(version, revision):
        by = request.POST.get("by", "pages")
        raw = request.POST.get("limit", "").strip()
        limit = None
        if raw:
            try:
                value = float(raw)
            except ValueError:
                raise ValidationError({"limit": "Enter a number of pages or hours, such as 5 or 10.5."}) from None
            limit = round(value * (8 if by == "pages" else 60))
        services.auto_day_breaks(access=access, version_id=version.pk, revision=revision, by=by, limit=limit)
        return "Day breaks placed automatically."

    return _board_edit(request, access, version_id, action)


@production_view(READ_ACTION)
@require_POST
def sort(request, access, version_id):
    def action(version, revision):
        keys = [k for k in request.POST.getlist("keys") if k]
        services.strip_sort(access=access, version_id=version.pk, revision=revision, strip_ids=_ids(request), keys=keys)
        return "Sorted the selection."

    return _board_edit(request, access, version_id, action)


# --- versions ------------------------------------------------------------------------------------


def _versions_context(access) -> dict[str, Any]:
    schedules = selectors.schedule_list(access=access)
    changes = list(selectors.schedule_change_list(access=access)[:50])
    pending = {c.proposal_id: c for c in changes if c.is_pending}
    for schedule in schedules:
        applied = next((v for v in schedule.versions.all() if v.is_applied), None)
        schedule.locked_applied = applied if applied and applied.status == ScheduleVersion.Status.LOCKED else None
        schedule.change_list = [c for c in changes if c.schedule_id == schedule.pk][:10]
        for v in schedule.versions.all():
            v.pending_change = pending.get(v.pk)
    return {"schedules": schedules, "can_edit": access.can(EDIT_ACTION), "locked_editor": can_change_locked(access)}


@production_view(READ_ACTION)
@require_GET
def versions(request, access):
    return render(request, "scheduling/versions.html", _versions_context(access))


VERSION_ACTIONS = {
    "publish": (services.version_publish, "Published “{name}”."),
    "lock": (services.version_lock, "Locked “{name}”."),
    "unlock": (services.version_unlock, "Unlocked “{name}”."),
    "apply": (services.version_apply, "Applied “{name}”: call sheets now read it."),
    "delete": (services.version_delete, "Deleted “{name}”."),
}


@production_view(READ_ACTION)
@require_POST
def version_action(request, access, version_id, verb):
    version = _version_or_404(access, version_id)
    try:
        if verb == "duplicate":
            copy = services.version_duplicate(access=access, version_id=version.pk, name=request.POST.get("name", ""))
            messages.success(request, f"Made “{copy.name}” from “{version.name}”.")
        elif verb == "rename":
            services.version_rename(access=access, version_id=version.pk, revision=_int(request.POST.get("revision"), "revision", True),
                                    name=request.POST.get("name", ""))
            messages.success(request, "Renamed.")
        elif verb in VERSION_ACTIONS:
            service, text = VERSION_ACTIONS[verb]
            service(access=access, version_id=version.pk, revision=_int(request.POST.get("revision"), "revision", True))
            messages.success(request, text.format(name=version.name))
        else:
            raise Http404("No such action.")
    except services.StaleVersion as exc:
        messages.error(request, str(exc))
        return render(request, "scheduling/versions.html", _versions_context(access), status=409)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return render(request, "scheduling/versions.html", _versions_context(access), status=422)
    return redirect("scheduling:versions", access.production.pk)


# --- changes to a locked, applied schedule -------------------------------------------------------


@production_view(READ_ACTION)
@require_POST
def change_request(request, access):
    """Ask for a version to replace the locked, applied one (approvals decides)."""
    try:
        change = services.schedule_change_request(
            access=access, proposal_id=_int(request.POST.get("proposal"), "proposal", True),
            note=request.POST.get("note", "")[:500],
            target_revision=_int(request.POST.get("target_revision"), "target_revision"),
        )
    except services.StaleVersion as exc:
        messages.error(request, str(exc))
        return render(request, "scheduling/versions.html", _versions_context(access), status=409)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return render(request, "scheduling/versions.html", _versions_context(access), status=422)
    messages.success(request, f"Asked for approval: {change}. The proposal cannot be edited while it waits.")
    return redirect("scheduling:change", access.production.pk, change.pk)


def _change_context(access, change) -> dict[str, Any]:
    from unitbase.approvals.selectors import approval_latest_for
    from unitbase.approvals.services import decision_authority
    from unitbase.productions.permissions import ActionDenied

    approval = approval_latest_for(obj=change, kind=services.CHANGE_KIND)
    can_decide, refusal = False, ""
    if approval is not None and approval.is_pending and approval.current_step is not None:
        try:
            decision_authority(production=access.production, user=access.user, req=approval, step=approval.current_step)
            can_decide = True
        except ActionDenied as exc:
            refusal = str(exc)
    cmp = None
    if change.target is not None and change.proposal is not None:
        cmp = reports.compare_versions(access=access, a=change.target, b=change.proposal)
    return {"change": change, "approval": approval, "can_decide": can_decide, "refusal": refusal, "cmp": cmp,
            "a": change.target, "b": change.proposal,
            "can_withdraw": change.is_pending and change.requested_by_id == access.user.pk}


@production_view(READ_ACTION)
@require_GET
def change(request, access, change_id):
    try:
        item = selectors.schedule_change_get(access=access, change_id=change_id)
    except ValidationError:
        raise Http404("No such schedule change request.") from None
    return render(request, "scheduling/change.html", _change_context(access, item))


@production_view(READ_ACTION)
@require_POST
def change_decide(request, access, change_id, verb):
    """Approve, reject (with a reason) or withdraw a change request."""
    from unitbase.approvals.services import ApprovalConflict

    try:
        item = selectors.schedule_change_get(access=access, change_id=change_id)
    except ValidationError:
        raise Http404("No such schedule change request.") from None
    try:
        if verb == "withdraw":
            services.schedule_change_withdraw(access=access, change_id=item.pk)
            messages.success(request, "Withdrawn: the proposal can be edited again.")
        elif verb in ("approve", "reject"):
            item = services.schedule_change_decide(
                access=access, change_id=item.pk, decision=verb, reason=request.POST.get("reason", ""),
                version=_int(request.POST.get("version"), "version"))
            if item.status == item.Status.APPROVED:
                messages.success(request, f"Approved: “{item.proposal_name}” is now the locked, applied schedule.")
            elif item.status == item.Status.REJECTED:
                messages.success(request, "Rejected; the requester sees your reason.")
            else:
                messages.success(request, "Approved your step; the request waits for the next approver.")
        else:
            raise Http404("No such action.")
    except ApprovalConflict as exc:
        messages.error(request, _messages_of(exc))
        item.refresh_from_db()
        return render(request, "scheduling/change.html", _change_context(access, item), status=409)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        item.refresh_from_db()
        return render(request, "scheduling/change.html", _change_context(access, item), status=422)
    return redirect("scheduling:change", access.production.pk, item.pk)


@production_view(READ_ACTION)
@require_GET
def compare(request, access):
    a = _version_or_404(access, request.GET.get("a"))
    b = _version_or_404(access, request.GET.get("b"))
    return render(request, "scheduling/compare.html", {"cmp": reports.compare_versions(access=access, a=a, b=b), "a": a, "b": b})


# --- calendar, availability, preferences ---------------------------------------------------------


@production_view(READ_ACTION)
@require_http_methods(["GET", "POST"])
def calendar_page(request, access, unit_id):
    unit = selectors.unit_list(access=access).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit.")
    calendar = selectors.calendar_get(access=access, unit_id=unit.pk)
    initial = {}
    if calendar:
        initial = {f: getattr(calendar, f) for f in ("prep_start", "shoot_start", "shoot_end", "wrap_end", "working_weekdays", "default_call")}
    form = CalendarForm(initial=initial)
    day_form = CalendarDayForm()
    status = 200
    if request.method == "POST":
        if not access.can(EDIT_ACTION):
            raise PermissionDenied("Your role on this production does not allow: change the schedule.")
        if request.POST.get("form") == "day":
            day_form = CalendarDayForm(request.POST)
            if day_form.is_valid():
                try:
                    services.calendar_day_set(access=access, unit_id=unit.pk, **day_form.cleaned_data)
                except ValidationError as exc:
                    apply_service_errors(day_form, exc)
                else:
                    messages.success(request, "Calendar day saved.")
                    return redirect("scheduling:calendar", access.production.pk, unit.pk)
        else:
            form = CalendarForm(request.POST)
            if form.is_valid():
                try:
                    services.calendar_set(access=access, unit_id=unit.pk, **form.cleaned_data)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, "Calendar saved.")
                    return redirect("scheduling:calendar", access.production.pk, unit.pk)
        status = 422
    context = {"unit": unit, "calendar": calendar, "form": form, "day_form": day_form,
               "can_edit": access.can(EDIT_ACTION), "units": selectors.unit_list(access=access)}
    if calendar:
        context["months"] = cal.month_grid(access=access, unit=unit)
        context["exceptions"] = calendar.days.all()
        context["feeds"] = CalendarFeed.objects.filter(production=access.production, revoked_at__isnull=True).select_related(
            "unit", "cast_member", "crew_member__person")
        context["my_engagements"] = _my_engagements(access)
        if context["can_edit"]:
            context["feed_cast"] = CastMember.objects.filter(production=access.production).select_related("person")
            context["feed_crew"] = CrewMember.objects.filter(production=access.production).select_related("person", "position")
    return render(request, "scheduling/calendar.html", context, status=status)


def _sets(access) -> list[tuple[str, str]]:
    from unitbase.scripts.selectors import revision_current

    revision = revision_current(access=access)
    if revision is None:
        return []
    return sorted({(k, n) for k, n in Scene.objects.filter(revision=revision).exclude(set_key="").values_list("set_key", "set_name")},
                  key=lambda x: x[1])


@production_view(READ_ACTION)
@require_http_methods(["GET", "POST"])
def availability(request, access):
    from unitbase.people.selectors import cast_list

    cast = list(cast_list(access=access))
    sets = _sets(access)
    form = AvailabilityForm(request.POST or None, cast=cast, sets=sets)
    status = 200
    if request.method == "POST":
        if not access.can(EDIT_ACTION):
            raise PermissionDenied("Your role on this production does not allow: change the schedule.")
        if form.is_valid():
            kind, _, ref = form.cleaned_data["subject"].partition(":")
            names = dict(sets)
            try:
                services.availability_set(
                    access=access, date=form.cleaned_data["date"], status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"], cast_member_id=int(ref) if kind == "cast" else None,
                    set_key=ref if kind == "set" else "", set_name=names.get(ref, ref) if kind == "set" else "",
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Availability saved.")
                return redirect("scheduling:availability", access.production.pk)
        status = 422
    rows = selectors.availability_list(access=access)
    return render(request, "scheduling/availability.html",
                  {"form": form, "rows": rows, "can_edit": access.can(EDIT_ACTION)}, status=status)


@production_view(READ_ACTION)
@require_http_methods(["GET", "POST"])
def preferences(request, access):
    prefs = selectors.preferences_get(access.production)
    form = PreferencesForm(request.POST or None, instance=prefs)
    status = 200
    if request.method == "POST":
        if not access.can(EDIT_ACTION):
            raise PermissionDenied("Your role on this production does not allow: change the schedule.")
        if form.is_valid():
            try:
                services.preferences_update(access=access, **{f: form.cleaned_data[f] for f in form.Meta.fields})
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Preferences saved.")
                return redirect("scheduling:preferences", access.production.pk)
        status = 422
    return render(request, "scheduling/preferences.html", {"form": form, "can_edit": access.can(EDIT_ACTION)}, status=status)


# --- reports -------------------------------------------------------------------------------------


class ReportRefused(Exception):
    """A report asked for something that does not exist: answered with a page that says what."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _format(request) -> str:
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "csv", "xlsx", "pdf"):
        raise ReportRefused(400, f"There is no “{fmt[:20]}” format for schedule reports: choose html, csv, xlsx or pdf.")
    return fmt


def _report_version(access, version_id) -> ScheduleVersion:
    try:
        return selectors.version_get(access=access, version_id=int(version_id))
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise ReportRefused(404, f"There is no schedule version {version_id} in {access.production.title}: "
                                 "choose one on the Versions page.") from None


def _report_view(view):
    """Answer a ReportRefused with the error page and its message (nothing is generated)."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, access, *args, **kwargs):
        try:
            return view(request, access, *args, **kwargs)
        except ReportRefused as exc:
            return render(request, "error.html", {"status": exc.status, "title": "No such report",
                                                  "message": str(exc)}, status=exc.status)

    return wrapped


@production_view(READ_ACTION)
@require_GET
@_report_view
def dood(request, access, version_id):
    version = _report_version(access, version_id)
    category = request.GET.get("category", "cast")
    if category != "cast" and not BreakdownCategory.objects.filter(production=access.production, key=category).exists():
        keys = ", ".join(BreakdownCategory.objects.filter(production=access.production).values_list("key", flat=True))
        raise ReportRefused(404, f"There is no breakdown category “{category[:40]}”: choose one of {keys}.")
    fmt = _format(request)
    report = reports.dood_report(access=access, version=version, category=category)
    if fmt != "html":
        return exports.respond(report, fmt)
    categories = BreakdownCategory.objects.filter(production=access.production).exclude(key="cast")
    return render(request, "scheduling/dood.html", {**report.context, "report": report, "version": version, "categories": categories, "category": category})


@production_view(READ_ACTION)
@require_GET
@_report_view
def oneliner(request, access, version_id):
    version = _report_version(access, version_id)
    fmt = _format(request)
    report = reports.schedule_report(access=access, version=version, full=False)
    if fmt != "html":
        return exports.respond(report, fmt)
    return render(request, "scheduling/schedule_report.html", {"report": report, "version": version})


@production_view(READ_ACTION)
@require_GET
@_report_view
def shooting(request, access, version_id):
    version = _report_version(access, version_id)
    fmt = _format(request)
    report = reports.schedule_report(access=access, version=version, full=True)
    if fmt != "html":
        return exports.respond(report, fmt)
    return render(request, "scheduling/schedule_report.html", {"report": report, "version": version})


# --- iCal feeds ----------------------------------------------------------------------------------


def _my_engagements(access) -> list[tuple[str, int, str]]:
    """The signed-in user's own cast and crew engagements here: (form field, id, label), for the
    "feed of my work days" buttons."""
    rows: list[tuple[str, int, str]] = [
        ("cast_member", c.pk, c.character)
        for c in CastMember.objects.filter(production=access.production, person__user=access.user)
    ]
    rows += [
        ("crew_member", c.pk, str(c.position))
        for c in CrewMember.objects.filter(production=access.production, person__user=access.user).select_related("position")
    ]
    return rows


def _next(request, access) -> str:
    """Where to go back to after a feed form: a same-site `next`, else the schedule."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("scheduling:home", args=[access.production.pk])


@production_view(READ_ACTION)
@require_POST
def feed_create(request, access):
    try:
        services.feed_create(access=access, unit_id=_int(request.POST.get("unit"), "unit"),
                             cast_member_id=_int(request.POST.get("cast_member"), "cast_member"),
                             crew_member_id=_int(request.POST.get("crew_member"), "crew_member"))
        messages.success(request, "Made a calendar feed: copy its address into your calendar app.")
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    return redirect(_next(request, access))


@production_view(READ_ACTION)
@require_POST
def feed_revoke(request, access, feed_id):
    try:
        services.feed_revoke(access=access, feed_id=feed_id)
        messages.success(request, "Feed revoked: its address no longer works.")
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    return redirect(_next(request, access))


@require_GET
def ical(request, production_id, token):
    """A feed behind its secret token; no login (calendar apps cannot sign in)."""
    feed = CalendarFeed.objects.filter(production_id=production_id, token=token, revoked_at__isnull=True).select_related(
        "production", "unit", "cast_member", "crew_member__person", "crew_member__unit").first()
    if feed is None:
        raise Http404("No such feed.")
    body = cal.ical_for_feed(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schedule.ics"'
    return response

