"""REST endpoints for schedules: calendars, versions, strips (list, move, day break, banner),
availability and reports as JSON. A stale `revision` answers 409 with a plain message."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import api_access
from unitbase.productions.authority import Action

from . import reports, selectors, services
from .models import CalendarFeed, Strip

router = Router(tags=["scheduling"])


def _version(access, version_id: int):
    try:
        return selectors.version_get(access=access, version_id=version_id)
    except (ObjectDoesNotExist, ValueError, OverflowError):
        from django.http import Http404

        raise Http404("No such version.") from None


class Conflict(Schema):
    detail: str


class CalendarOut(Schema):
    unit_id: int
    prep_start: dt.date | None
    shoot_start: dt.date
    shoot_end: dt.date
    wrap_end: dt.date | None
    working_weekdays: list[int]
    default_call: dt.time | None


class CalendarIn(Schema):
    prep_start: dt.date | None = None
    shoot_start: dt.date
    shoot_end: dt.date
    wrap_end: dt.date | None = None
    working_weekdays: list[int] = [0, 1, 2, 3, 4]
    default_call: dt.time | None = None


class VersionOut(Schema):
    id: int
    unit_id: int
    name: str
    status: str
    is_applied: bool
    revision: int


class StripOut(Schema):
    id: int
    section: str
    position: int
    kind: str
    day: int | None
    date: dt.date | None
    scene: str | None
    part: int
    int_ext: str | None
    set_name: str | None
    day_night: str | None
    eighths: int
    minutes: int
    cast: list[int]
    text: str
    warnings: list[str]


class DayOut(Schema):
    number: int
    date: dt.date | None
    scenes: int
    eighths: int
    minutes: int
    warnings: list[str]


class BoardOut(Schema):
    version: VersionOut
    days: list[DayOut]
    strips: list[StripOut]


class MoveIn(Schema):
    revision: int
    strip_ids: list[int] = Field(..., min_length=1)
    to: Literal["board", "boneyard"] = "board"
    index: int | None = None
    day: int | None = None
    date: dt.date | None = None


class BreakIn(Schema):
    revision: int
    index: int | None = None
    call_time: dt.time | None = None
    wrap_time: dt.time | None = None


class BannerIn(Schema):
    revision: int
    banner_kind: Literal["move", "meal", "note", "block"]
    text: str = Field("", max_length=300)
    index: int | None = None


class AvailabilityIn(Schema):
    date: dt.date
    status: Literal["available", "unavailable", "hold", "travel", "rehearsal", "fitting"]
    cast_member_id: int | None = None
    set_key: str = ""
    set_name: str = ""
    note: str = Field("", max_length=200)


class AvailabilityOut(Schema):
    id: int
    date: dt.date
    status: str
    cast_member_id: int | None
    set_key: str
    note: str


def _version_out(v) -> dict:
    return {"id": v.pk, "unit_id": v.schedule.unit_id, "name": v.name, "status": v.status,
            "is_applied": v.is_applied, "revision": v.revision}


def _board_out(access, version) -> dict:
    board = selectors.board_get(access=access, version=version)
    strips = []
    for day in board.days:
        for s in [*day.strips, *([day.break_strip] if day.break_strip else [])]:
            strips.append((s, day))
    strips += [(s, None) for s in board.boneyard]
    out = []
    for s, day in strips:
        scene = s.scene if s.kind == Strip.Kind.SCENE else None
        out.append({
            "id": s.pk, "section": s.section, "position": s.position, "kind": s.kind,
            "day": day.number if day else None, "date": day.date if day else None,
            "scene": scene.number if scene else None, "part": s.part, "int_ext": scene.int_ext if scene else None,
            "set_name": scene.set_name if scene else None, "day_night": scene.day_night if scene else None,
            "eighths": s.eighths, "minutes": s.minutes, "cast": getattr(s, "cast_numbers", []),
            "text": s.text, "warnings": getattr(s, "warnings", []),
        })
    return {
        "version": _version_out(version),
        "days": [{"number": d.number, "date": d.date, "scenes": d.scenes, "eighths": d.eighths, "minutes": d.minutes,
                  "warnings": d.warnings} for d in board.days],
        "strips": out,
    }


@router.get("/{production_id}/schedule/versions", response=list[VersionOut])
def versions(request, production_id: int):
    access = api_access(request, production_id)
    return [_version_out(v) for s in selectors.schedule_list(access=access) for v in s.versions.all()]


@router.get("/{production_id}/schedule/calendars/{unit_id}", response=CalendarOut)
def calendar_get(request, production_id: int, unit_id: int):
    access = api_access(request, production_id)
    calendar = selectors.calendar_get(access=access, unit_id=unit_id)
    if calendar is None:
        from django.http import Http404

        raise Http404("No calendar.")
    return calendar


@router.put("/{production_id}/schedule/calendars/{unit_id}", response=CalendarOut)
def calendar_put(request, production_id: int, unit_id: int, payload: CalendarIn):
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    return services.calendar_set(access=access, unit_id=unit_id, **payload.dict())


@router.get("/{production_id}/schedule/versions/{version_id}/board", response=BoardOut)
def board(request, production_id: int, version_id: int):
    access = api_access(request, production_id)
    return _board_out(access, _version(access, version_id))


def _edit(request, production_id, version_id, call):
    access = api_access(request, production_id)
    version = _version(access, version_id)
    try:
        call(access, version)
    except services.StaleVersion as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _board_out(access, _version(access, version_id)))


@router.post("/{production_id}/schedule/versions/{version_id}/move", response={200: BoardOut, 409: Conflict})
def move(request, production_id: int, version_id: int, payload: MoveIn):
    return _edit(request, production_id, version_id, lambda access, v: services.strip_move(
        access=access, version_id=v.pk, revision=payload.revision, strip_ids=payload.strip_ids, to=payload.to,
        index=payload.index, day=payload.day, date=payload.date))


@router.post("/{production_id}/schedule/versions/{version_id}/breaks", response={200: BoardOut, 409: Conflict})
def day_break(request, production_id: int, version_id: int, payload: BreakIn):
    return _edit(request, production_id, version_id, lambda access, v: services.day_break_add(
        access=access, version_id=v.pk, revision=payload.revision, index=payload.index,
        call_time=payload.call_time, wrap_time=payload.wrap_time))


@router.post("/{production_id}/schedule/versions/{version_id}/banners", response={200: BoardOut, 409: Conflict})
def banner(request, production_id: int, version_id: int, payload: BannerIn):
    return _edit(request, production_id, version_id, lambda access, v: services.banner_add(
        access=access, version_id=v.pk, revision=payload.revision, banner_kind=payload.banner_kind,
        text=payload.text, index=payload.index))


@router.get("/{production_id}/schedule/availability", response=list[AvailabilityOut])
def availability_list(request, production_id: int):
    access = api_access(request, production_id)
    return list(selectors.availability_list(access=access))


@router.post("/{production_id}/schedule/availability", response={200: AvailabilityOut, 204: None})
def availability_set(request, production_id: int, payload: AvailabilityIn):
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    row = services.availability_set(access=access, **payload.dict())
    return Status(204, None) if row is None else Status(200, row)


@router.get("/{production_id}/schedule/versions/{version_id}/dood")
def dood(request, production_id: int, version_id: int, category: str = "cast"):
    """The day out of days as JSON: columns (date, kind, day) and rows (codes and totals)."""
    access = api_access(request, production_id)
    report = reports.dood_report(access=access, version=_version(access, version_id), category=category)
    ctx = report.context
    return {
        "columns": [{"date": c.date if not ctx["undated"] else None, "kind": c.kind, "day": c.day_number} for c in ctx["columns"]],
        "rows": [{"number": r.number, "name": r.name, "codes": r.codes, "work": r.work, "hold": r.hold,
                  "holiday": r.holiday, "travel": r.travel, "rehearsal": r.rehearsal, "fitting": r.fitting,
                  "paid": r.paid, "start": r.start if not ctx["undated"] else None,
                  "finish": r.finish if not ctx["undated"] else None} for r in ctx["dood_rows"]],
    }


@router.get("/{production_id}/schedule/versions/{version_id}/report/{kind}")
def schedule_report(request, production_id: int, version_id: int, kind: Literal["one-liner", "shooting"]):
    """The one-liner or shooting schedule as rows under headers."""
    access = api_access(request, production_id)
    report = reports.schedule_report(access=access, version=_version(access, version_id), full=kind == "shooting")
    return {"headers": report.headers, "rows": report.rows}


# --- versions: create, duplicate, rename, publish, lock, unlock, apply, delete, compare ----------


class VersionCreateIn(Schema):
    unit_id: int
    name: str = Field("First draft", max_length=100)
    layout: Literal["boneyard", "board", "auto"] = "boneyard"
    by: Literal["pages", "hours"] = "pages"
    limit: int | None = None
    script_revision_id: int | None = None


class RevisionIn(Schema):
    revision: int


class RenameIn(Schema):
    revision: int
    name: str = Field(..., max_length=100)


class DuplicateIn(Schema):
    name: str = Field("", max_length=100)


def _version_edit(request, production_id: int, version_id: int, call):
    access = api_access(request, production_id)
    version = _version(access, version_id)
    try:
        call(access, version)
    except services.StaleVersion as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _version_out(_version(access, version_id)))


@router.post("/{production_id}/schedule/versions", response={201: VersionOut})
def version_create(request, production_id: int, payload: VersionCreateIn):
    """A new version of a unit's schedule from a script revision (default: the current one)."""
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    version = services.schedule_create(access=access, **payload.dict())
    return Status(201, _version_out(_version(access, version.pk)))


@router.get("/{production_id}/schedule/versions/{version_id}", response=VersionOut)
def version_detail(request, production_id: int, version_id: int):
    access = api_access(request, production_id)
    return _version_out(_version(access, version_id))


@router.post("/{production_id}/schedule/versions/{version_id}/duplicate", response={201: VersionOut})
def version_duplicate(request, production_id: int, version_id: int, payload: DuplicateIn):
    access = api_access(request, production_id)
    copy = services.version_duplicate(access=access, version_id=_version(access, version_id).pk, name=payload.name)
    return Status(201, _version_out(_version(access, copy.pk)))


@router.post("/{production_id}/schedule/versions/{version_id}/rename", response={200: VersionOut, 409: Conflict})
def version_rename(request, production_id: int, version_id: int, payload: RenameIn):
    return _version_edit(request, production_id, version_id, lambda access, v: services.version_rename(
        access=access, version_id=v.pk, revision=payload.revision, name=payload.name))


def _status_route(verb: str, service, doc: str):
    def view(request, production_id: int, version_id: int, payload: RevisionIn):
        return _version_edit(request, production_id, version_id, lambda access, v: service(
            access=access, version_id=v.pk, revision=payload.revision))

    view.__name__ = f"version_{verb}"
    view.__doc__ = doc
    router.post(f"/{{production_id}}/schedule/versions/{{version_id}}/{verb}",
                response={200: VersionOut, 409: Conflict}, operation_id=f"scheduling_version_{verb}")(view)


_status_route("publish", services.version_publish, "Publish a draft version.")
_status_route("lock", services.version_lock, "Lock a version: the approved plan; only members with approve_schedule_change (default UPM, producer) may change it then.")
_status_route("unlock", services.version_unlock, "Unlock a locked version (UPM or producer).")
_status_route("apply", services.version_apply, "Apply a published or locked version: call sheets read it.")


@router.delete("/{production_id}/schedule/versions/{version_id}", response={204: None, 409: Conflict})
def version_delete(request, production_id: int, version_id: int, revision: int):
    access = api_access(request, production_id)
    version = _version(access, version_id)
    try:
        services.version_delete(access=access, version_id=version.pk, revision=revision)
    except services.StaleVersion as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)


class MovedOut(Schema):
    scene: str
    a: int | str | None
    b: int | str | None


class DoodChangeOut(Schema):
    number: str
    name: str
    work: list[int]
    hold: list[int]
    paid: list[int]
    start: list[dt.date | None]
    finish: list[dt.date | None]


class CompareOut(Schema):
    a: VersionOut
    b: VersionOut
    days: list[int]
    days_added: list[dt.date]
    days_removed: list[dt.date]
    pages: list[str]
    moved: list[MovedOut]
    dood: list[DoodChangeOut]


@router.get("/{production_id}/schedule/compare", response=CompareOut)
def compare(request, production_id: int, a: int | None = None, b: int | None = None):
    """Two versions side by side: scenes that moved (day number, None for the boneyard, "absent"),
    shoot days added and removed, and the cast whose day out of days changes (each pair is [a, b])."""
    access = api_access(request, production_id)
    if a is None or b is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"a" if a is None else "b": "Give the ids of the two versions to compare, as ?a=&b=."})
    va, vb = _version(access, a), _version(access, b)
    cmp = reports.compare_versions(access=access, a=va, b=vb)
    return {
        "a": _version_out(va), "b": _version_out(vb), "days": [cmp["days_a"], cmp["days_b"]],
        "days_added": cmp["days_added"], "days_removed": cmp["days_removed"], "pages": [cmp["pages_a"], cmp["pages_b"]],
        "moved": cmp["moved"],
        "dood": [{"number": str(c["number"]), "name": c["name"], "work": [c["a"].work, c["b"].work],
                  "hold": [c["a"].hold, c["b"].hold], "paid": [c["a"].paid, c["b"].paid],
                  "start": [c["a"].start, c["b"].start], "finish": [c["a"].finish, c["b"].finish]} for c in cmp["dood"]],
    }


# --- strips: split, edit, remove, sort, automatic day breaks -------------------------------------


class SplitIn(Schema):
    revision: int
    eighths: int = Field(..., ge=1)


class StripPatchIn(Schema):
    revision: int
    estimate_minutes: int | None = Field(None, ge=0)
    text: str | None = Field(None, max_length=300)
    banner_kind: Literal["move", "meal", "note", "block"] | None = None
    call_time: dt.time | None = None
    wrap_time: dt.time | None = None


class SortIn(Schema):
    revision: int
    strip_ids: list[int] = Field(..., min_length=1)
    keys: list[Literal["scene", "set", "int_ext", "day_night", "cast", "pages"]] = Field(..., min_length=1)


class AutoIn(Schema):
    revision: int
    by: Literal["pages", "hours"] = "pages"
    limit: int | None = Field(None, ge=1, description="Eighths per day (pages) or minutes per day (hours).")


@router.post("/{production_id}/schedule/versions/{version_id}/strips/{strip_id}/split",
             response={200: BoardOut, 409: Conflict})
def strip_split(request, production_id: int, version_id: int, strip_id: int, payload: SplitIn):
    """Split a scene strip: it keeps `eighths`, a new part right after it takes the rest."""
    return _edit(request, production_id, version_id, lambda access, v: services.strip_split(
        access=access, version_id=v.pk, revision=payload.revision, strip_id=strip_id, eighths=payload.eighths))


@router.patch("/{production_id}/schedule/versions/{version_id}/strips/{strip_id}", response={200: BoardOut, 409: Conflict})
def strip_patch(request, production_id: int, version_id: int, strip_id: int, payload: StripPatchIn):
    """Edit a scene's estimate (null for the default), a banner's text or kind, a day break's call/wrap."""
    fields = payload.dict(exclude_unset=True)
    revision = fields.pop("revision")
    return _edit(request, production_id, version_id, lambda access, v: services.strip_update(
        access=access, version_id=v.pk, revision=revision, strip_id=strip_id, **fields))


@router.delete("/{production_id}/schedule/versions/{version_id}/strips/{strip_id}", response={200: BoardOut, 409: Conflict})
def strip_delete(request, production_id: int, version_id: int, strip_id: int, revision: int):
    """Remove a day break or a banner (scene strips go to the boneyard with a move instead)."""
    return _edit(request, production_id, version_id, lambda access, v: services.strip_remove(
        access=access, version_id=v.pk, revision=revision, strip_id=strip_id))


@router.post("/{production_id}/schedule/versions/{version_id}/sort", response={200: BoardOut, 409: Conflict})
def strip_sort(request, production_id: int, version_id: int, payload: SortIn):
    """Sort a selection of scene strips by several keys within the slots they occupy."""
    return _edit(request, production_id, version_id, lambda access, v: services.strip_sort(
        access=access, version_id=v.pk, revision=payload.revision, strip_ids=payload.strip_ids, keys=list(payload.keys)))


@router.post("/{production_id}/schedule/versions/{version_id}/auto-breaks", response={200: BoardOut, 409: Conflict})
def auto_breaks(request, production_id: int, version_id: int, payload: AutoIn):
    """Replace every day break: close a day before a strip that would take it over the limit."""
    return _edit(request, production_id, version_id, lambda access, v: services.auto_day_breaks(
        access=access, version_id=v.pk, revision=payload.revision, by=payload.by, limit=payload.limit))


# --- calendar days and preferences ---------------------------------------------------------------


class CalendarDayIn(Schema):
    date: dt.date
    kind: Literal["", "off", "holiday", "travel", "work"]
    note: str = Field("", max_length=200)


class CalendarDayOut(Schema):
    date: dt.date
    kind: str
    note: str


class PreferencesIO(Schema):
    colour_int_day: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$")
    colour_ext_day: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$")
    colour_int_night: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$")
    colour_ext_night: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$")
    colour_other: str = Field(..., pattern=r"^#[0-9a-fA-F]{6}$")
    minutes_per_eighth: int
    day_limit_eighths: int
    day_limit_minutes: int
    turnaround_hours: int
    drop_gap_days: int


class PreferencesPatch(Schema):
    colour_int_day: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    colour_ext_day: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    colour_int_night: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    colour_ext_night: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    colour_other: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    minutes_per_eighth: int | None = None
    day_limit_eighths: int | None = None
    day_limit_minutes: int | None = None
    turnaround_hours: int | None = None
    drop_gap_days: int | None = None


@router.get("/{production_id}/schedule/calendars/{unit_id}/days", response=list[CalendarDayOut])
def calendar_days(request, production_id: int, unit_id: int):
    """The calendar's exceptions: days off, holidays, company travel days and extra working days."""
    access = api_access(request, production_id)
    calendar = selectors.calendar_get(access=access, unit_id=unit_id)
    if calendar is None:
        from django.http import Http404

        raise Http404("No calendar.")
    return list(calendar.days.all())


@router.post("/{production_id}/schedule/calendars/{unit_id}/days", response={200: CalendarDayOut, 204: None})
def calendar_day_set(request, production_id: int, unit_id: int, payload: CalendarDayIn):
    """Mark a date; kind "" clears it back to the working week."""
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    day = services.calendar_day_set(access=access, unit_id=unit_id, **payload.dict())
    return Status(204, None) if day is None else Status(200, day)


@router.get("/{production_id}/schedule/preferences", response=PreferencesIO)
def preferences_get(request, production_id: int):
    access = api_access(request, production_id)
    return selectors.preferences_get(access.production)


@router.patch("/{production_id}/schedule/preferences", response=PreferencesIO)
def preferences_patch(request, production_id: int, payload: PreferencesPatch):
    """Strip colours, minutes per eighth, day limits, turnaround and the DOOD drop/pick-up gap."""
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    return services.preferences_update(access=access, **payload.dict(exclude_unset=True))


# --- iCal feeds ----------------------------------------------------------------------------------


class FeedIn(Schema):
    unit_id: int | None = None
    cast_member_id: int | None = None
    crew_member_id: int | None = None


class FeedOut(Schema):
    id: int
    unit_id: int | None
    cast_member_id: int | None
    crew_member_id: int | None
    label: str
    url: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def _feed_out(request, feed) -> dict:
    return {"id": feed.pk, "unit_id": feed.unit_id, "cast_member_id": feed.cast_member_id,
            "crew_member_id": feed.crew_member_id, "label": str(feed),
            "url": request.build_absolute_uri(reverse("scheduling:ical", args=[feed.production_id, feed.token])),
            "created_at": feed.created_at, "revoked_at": feed.revoked_at}


@router.get("/{production_id}/schedule/feeds", response=list[FeedOut])
def feed_list(request, production_id: int):
    """Live iCal feeds: your own, or every feed of the production if you may change the schedule."""
    access = api_access(request, production_id)
    feeds = CalendarFeed.objects.filter(production=access.production, revoked_at__isnull=True).select_related(
        "unit", "cast_member", "crew_member__person")
    if not access.can(Action.CHANGE_SCHEDULE):
        feeds = feeds.filter(created_by=access.user)
    return [_feed_out(request, f) for f in feeds]


@router.post("/{production_id}/schedule/feeds", response={201: FeedOut})
def feed_create(request, production_id: int, payload: FeedIn):
    """A secret iCal URL of the production, a unit (unit_id) or one person's work days (cast_member_id
    or crew_member_id; someone else's needs change_schedule)."""
    access = api_access(request, production_id)
    feed = services.feed_create(access=access, **payload.dict())
    return Status(201, _feed_out(request, feed))


@router.post("/{production_id}/schedule/feeds/{feed_id}/revoke", response=FeedOut)
def feed_revoke(request, production_id: int, feed_id: int):
    """Revoke a feed: its URL answers 404 from now on (your own, or any if you may change the schedule)."""
    access = api_access(request, production_id)
    return _feed_out(request, services.feed_revoke(access=access, feed_id=feed_id))


# --- changes to a locked, applied schedule -------------------------------------------------------


class ChangeIn(Schema):
    proposal_id: int
    note: str = Field("", max_length=500)
    target_revision: int | None = None


class ChangeOut(Schema):
    id: int
    unit_id: int
    status: str
    target_id: int | None
    target_name: str
    target_revision: int
    proposal_id: int | None
    proposal_name: str
    proposal_revision: int
    note: str
    reason: str
    requested_by: str
    decided_by: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    approval_id: int | None
    approval_version: int | None
    url: str


class ChangeDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = ""
    version: int | None = None


def _change_out(change) -> dict:
    from unitbase.approvals.selectors import approval_latest_for

    approval = approval_latest_for(obj=change, kind=services.CHANGE_KIND)
    return {
        "id": change.pk, "unit_id": change.schedule.unit_id, "status": change.status,
        "target_id": change.target_id, "target_name": change.target_name, "target_revision": change.target_revision,
        "proposal_id": change.proposal_id, "proposal_name": change.proposal_name,
        "proposal_revision": change.proposal_revision, "note": change.note, "reason": change.reason,
        "requested_by": change.requested_by.email, "decided_by": change.decided_by.email if change.decided_by else None,
        "created_at": change.created_at, "decided_at": change.decided_at,
        "approval_id": approval.pk if approval else None, "approval_version": approval.version if approval else None,
        "url": services.schedule_change_url(change),
    }


def _change(access, change_id: int):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        return selectors.schedule_change_get(access=access, change_id=change_id)
    except ValidationError:
        raise Http404("No such schedule change request.") from None


@router.get("/{production_id}/schedule/changes", response=list[ChangeOut])
def change_list(request, production_id: int, status: str = ""):
    """Requests to replace a locked, applied version (newest first; ?status=pending to filter)."""
    access = api_access(request, production_id)
    return [_change_out(c) for c in selectors.schedule_change_list(access=access, status=status)]


@router.post("/{production_id}/schedule/changes", response={201: ChangeOut, 409: Conflict})
def change_create(request, production_id: int, payload: ChangeIn):
    """Ask for a version to replace the unit's locked, applied version (change_schedule). The approvers
    come from the approvals policy "schedule_change" (default UPM); compare with the `compare` endpoint."""
    access = api_access(request, production_id, Action.CHANGE_SCHEDULE)
    try:
        change = services.schedule_change_request(access=access, proposal_id=payload.proposal_id, note=payload.note,
                                                  target_revision=payload.target_revision)
    except services.StaleVersion as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _change_out(_change(access, change.pk)))


@router.get("/{production_id}/schedule/changes/{change_id}", response=ChangeOut)
def change_detail(request, production_id: int, change_id: int):
    access = api_access(request, production_id)
    return _change_out(_change(access, change_id))


@router.post("/{production_id}/schedule/changes/{change_id}/decide", response={200: ChangeOut, 409: Conflict})
def change_decide(request, production_id: int, change_id: int, payload: ChangeDecisionIn):
    """Approve (the last approval applies the proposal, locked) or reject with a reason. 403 when it is
    not yours to decide, 409 when someone decided first, 422 when the request is stale."""
    from unitbase.approvals.services import ApprovalConflict

    access = api_access(request, production_id)
    change = _change(access, change_id)
    try:
        services.schedule_change_decide(access=access, change_id=change.pk, decision=payload.decision,
                                        reason=payload.reason, version=payload.version)
    except ApprovalConflict as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(200, _change_out(_change(access, change.pk)))


@router.post("/{production_id}/schedule/changes/{change_id}/withdraw", response={200: ChangeOut})
def change_withdraw(request, production_id: int, change_id: int):
    """The requester takes a pending request back."""
    access = api_access(request, production_id)
    change = _change(access, change_id)
    services.schedule_change_withdraw(access=access, change_id=change.pk)
    return Status(200, _change_out(_change(access, change.pk)))
