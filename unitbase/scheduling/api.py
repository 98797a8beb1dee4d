"""REST endpoints for schedules: calendars, versions, strips (list, move, day break, banner),
availability and reports as JSON. A stale `revision` answers 409 with a plain message."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import api_access
from unitbase.productions.authority import Action

from . import reports, selectors, services
from .models import Strip

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
