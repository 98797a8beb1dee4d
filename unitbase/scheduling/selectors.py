"""Reads for scheduling: the board of a version (with days, totals and warnings), calendars,
versions and availability. The board is loaded with a fixed number of queries, whatever its size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from unitbase.locations.selectors import locations_by_set, unavailable_locations
from unitbase.people.models import CastMember
from unitbase.productions.models import Unit
from unitbase.productions.permissions import ProductionAccess
from unitbase.scripts.breakdown import element_key
from unitbase.scripts.models import Tag, TagStatus
from unitbase.scripts.parsers.scenes import format_eighths

from . import rest_hooks
from .models import (
    Availability,
    CalendarDay,
    ProductionCalendar,
    Schedule,
    ScheduleChange,
    SchedulePreferences,
    ScheduleVersion,
    Strip,
    shoot_dates,
)


def eighths_label(eighths: int) -> str:
    return format_eighths(int(eighths))


def hours_label(minutes: int) -> str:
    h, m = divmod(int(minutes), 60)
    return f"{h}:{m:02d}"


def scene_sort_key(number: str) -> tuple:
    match = re.match(r"^([A-Za-z]*)(\d+)(.*)$", number or "")
    if not match:
        return (1, number or "", 0, "")
    return (0, match.group(1), int(match.group(2)), match.group(3))


def preferences_get(production) -> SchedulePreferences:
    """The production's preferences, or unsaved defaults."""
    prefs = SchedulePreferences.objects.filter(production=production).first()
    return prefs or SchedulePreferences(production=production)


def calendar_get(*, access: ProductionAccess, unit_id: int) -> ProductionCalendar | None:
    return ProductionCalendar.objects.filter(production=access.production, unit_id=unit_id).select_related("unit").first()


def calendar_exceptions(calendar: ProductionCalendar | None) -> dict[date, str]:
    if calendar is None:
        return {}
    return dict(CalendarDay.objects.filter(calendar=calendar).values_list("date", "kind"))


def unit_list(*, access: ProductionAccess) -> QuerySet[Unit]:
    return Unit.objects.filter(production=access.production).order_by("id")


def schedule_list(*, access: ProductionAccess) -> list[Schedule]:
    return list(
        Schedule.objects.filter(production=access.production).select_related("unit").prefetch_related("versions").order_by("unit_id")
    )


def version_list(*, access: ProductionAccess, schedule: Schedule) -> QuerySet[ScheduleVersion]:
    return ScheduleVersion.objects.filter(schedule=schedule, schedule__production=access.production).select_related("created_by")


def version_get(*, access: ProductionAccess, version_id: int) -> ScheduleVersion:
    return ScheduleVersion.objects.select_related("schedule", "schedule__unit", "script_revision").get(
        schedule__production=access.production, pk=int(version_id)
    )


def schedule_change_get(*, access: ProductionAccess, change_id: int) -> ScheduleChange:
    """A change request of this production (ValidationError on another production's or a bad id)."""
    from django.core.exceptions import ValidationError

    try:
        return ScheduleChange.objects.select_related(
            "schedule__unit", "target", "proposal", "requested_by", "decided_by").get(
            production=access.production, pk=int(change_id))
    except (ScheduleChange.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ValidationError({"change": "No such schedule change request in this production."}) from None


def schedule_change_list(*, access: ProductionAccess, status: str = "") -> QuerySet[ScheduleChange]:
    qs = ScheduleChange.objects.filter(production=access.production).select_related(
        "schedule__unit", "target", "proposal", "requested_by", "decided_by")
    return qs.filter(status=status) if status else qs


def version_applied(*, access: ProductionAccess, unit_id: int) -> ScheduleVersion | None:
    return ScheduleVersion.objects.filter(
        schedule__production=access.production, schedule__unit_id=unit_id, is_applied=True
    ).select_related("schedule", "schedule__unit").first()


def version_default(*, access: ProductionAccess, schedule: Schedule) -> ScheduleVersion | None:
    """The applied version, else the newest."""
    versions = list(schedule.versions.all())
    applied = [v for v in versions if v.is_applied]
    if applied:
        return applied[0]
    return versions[-1] if versions else None


def availability_list(*, access: ProductionAccess, start: date | None = None, end: date | None = None) -> QuerySet[Availability]:
    rows = Availability.objects.filter(production=access.production).select_related("cast_member")
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return rows.order_by("date", "cast_member__cast_number", "set_name")


# --- the board -----------------------------------------------------------------------------------


@dataclass
class Day:
    number: int
    date: date | None
    strips: list[Strip] = field(default_factory=list)
    break_strip: Strip | None = None  # None for the open day after the last break
    scenes: int = 0
    eighths: int = 0
    minutes: int = 0
    running_eighths: int = 0
    running_minutes: int = 0
    warnings: list[str] = field(default_factory=list)
    cast: set[int] = field(default_factory=set)

    @property
    def pages(self) -> str:
        return eighths_label(self.eighths)

    @property
    def running_pages(self) -> str:
        return eighths_label(self.running_eighths)

    @property
    def hours(self) -> str:
        return hours_label(self.minutes)

    @property
    def running_hours(self) -> str:
        return hours_label(self.running_minutes)

    @property
    def cast_sorted(self) -> list[int]:
        return sorted(self.cast)

    @property
    def has_night(self) -> bool:
        return any(s.kind == Strip.Kind.SCENE and s.dn == "N" for s in self.strips)

    @property
    def has_day(self) -> bool:
        return any(s.kind == Strip.Kind.SCENE and s.dn != "N" for s in self.strips)


@dataclass
class Board:
    version: ScheduleVersion
    prefs: SchedulePreferences
    calendar: ProductionCalendar | None
    exceptions: dict[date, str]
    rows: list[Any]  # Strip or Day (a day's bar follows its strips)
    days: list[Day]
    boneyard: list[Strip]
    cast: dict[int, CastMember]
    total_eighths: int = 0
    total_minutes: int = 0
    warning_count: int = 0
    scene_count: int = 0

    @property
    def total_pages(self) -> str:
        return eighths_label(self.total_eighths)

    @property
    def total_hours(self) -> str:
        return hours_label(self.total_minutes)

    @property
    def scheduled_days(self) -> list[Day]:
        return [d for d in self.days if d.strips or d.break_strip]

    def day_of_date(self, when: date) -> Day | None:
        return next((d for d in self.days if d.date == when), None)


def _ie_letter(int_ext: str) -> str:
    return {"INT": "I", "EXT": "E", "INT/EXT": "I/E"}.get(int_ext or "", "–")


def strip_colour(prefs: SchedulePreferences, int_ext: str, dn: str) -> str:
    if not int_ext or not dn:
        return prefs.colour_other
    ext = (int_ext or "").startswith("EXT") or int_ext == "INT/EXT"
    if dn == "N":
        return prefs.colour_ext_night if ext else prefs.colour_int_night
    return prefs.colour_ext_day if ext else prefs.colour_int_day


def text_on(colour: str) -> str:
    try:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except (ValueError, TypeError):
        return "#111111"
    return "#111111" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#ffffff"


def cast_by_key(production) -> dict[str, CastMember]:
    return {element_key(c.character): c for c in CastMember.objects.filter(production=production).select_related("person")}


def scene_cast(scene_ids: list[int], cast_map: dict[str, CastMember]) -> dict[int, list[CastMember]]:
    """{scene_id: [cast members]} from the accepted cast tags of those scenes (one query)."""
    result: dict[int, dict[int, CastMember]] = {}
    rows = Tag.objects.filter(
        scene_id__in=scene_ids, status=TagStatus.ACCEPTED, element__category__key="cast"
    ).values_list("scene_id", "element__key")
    for scene_id, key in rows:
        member = cast_map.get(key)
        if member is not None:
            result.setdefault(scene_id, {})[member.pk] = member
    return {sid: sorted(m.values(), key=lambda c: c.cast_number) for sid, m in result.items()}


def _decorate(strip: Strip, prefs: SchedulePreferences, cast: dict[int, list[CastMember]]) -> None:
    if strip.kind != Strip.Kind.SCENE:
        strip.minutes = 0
        return
    scene = strip.scene
    strip.dn = scene.day_night
    strip.ie = _ie_letter(scene.int_ext)
    strip.colour = strip_colour(prefs, scene.int_ext, strip.dn)
    strip.ink = text_on(strip.colour)
    strip.pages = eighths_label(strip.eighths)
    strip.minutes = strip.estimate_minutes if strip.estimate_minutes is not None else strip.eighths * prefs.minutes_per_eighth
    strip.hours = hours_label(strip.minutes)
    strip.cast_members = cast.get(scene.pk, [])
    strip.cast_numbers = [c.cast_number for c in strip.cast_members]
    strip.warnings = []
    strip.label = scene.number + (f" pt {strip.part}" if strip.part else "")


def decorate_locations(production_id: int, strips: list[Strip]) -> None:
    """Where each strip's set is shot (the locations app): `location`, `location_id` and
    `location_name` on each strip. One query for the production's set → location map."""
    where = locations_by_set(production_id)
    for strip in strips:
        location = where.get(strip.scene.set_key) if strip.scene_id else None
        strip.location = location
        strip.location_id = location.pk if location else None
        strip.location_name = location.name if location else ""


# Availability statuses that conflict with being scheduled to work that date, and how they read.
CONFLICT_STATUSES = {
    Availability.Status.UNAVAILABLE: "is unavailable",
    Availability.Status.TRAVEL: "is travelling that day",
    Availability.Status.HOLD: "is only on hold that day (not confirmed)",
}


def _when(day_date: date, t: time, after_midnight: bool) -> datetime:
    base = datetime.combine(day_date, t)
    return base + timedelta(days=1) if after_midnight else base


def _cast_rest_warnings(access: ProductionAccess, days: list[Day], calendar, cast_map) -> int:
    """Each cast member's planned (call, wrap) per dated day, checked by the rest checkers other apps
    register (unitbase.scheduling.rest_hooks); a message goes on the day of the dismissal it names.
    A day's call is its break's call time or the calendar's default call; its wrap is the break's
    wrap time or the call plus the day's estimated hours. Returns how many warnings were added."""
    if not rest_hooks.has_rest_checkers():
        return 0
    by_number = {member.cast_number: member for member in cast_map.values()}
    planned: dict[int, list[tuple[datetime, datetime, Day]]] = {}
    for day in days:
        call = (day.break_strip.call_time if day.break_strip else None) or (calendar.default_call if calendar else None)
        if not day.date or not call or not day.cast:
            continue
        call_at = datetime.combine(day.date, call)
        wrap = day.break_strip.wrap_time if day.break_strip else None
        if wrap:
            wrap_at = _when(day.date, wrap, wrap <= call)
        elif day.minutes:
            wrap_at = call_at + timedelta(minutes=day.minutes)
        else:
            continue
        for number in day.cast:
            if number in by_number:
                planned.setdefault(number, []).append((call_at, wrap_at, day))
    added = 0
    found = rest_hooks.rest_warnings_for(
        access, {by_number[number].pk: [(c, w) for c, w, _ in entries] for number, entries in planned.items()}
    )
    for number, entries in sorted(planned.items()):
        member = by_number[number]
        for message in found.get(member.pk, []):
            day = next((d for _, w, d in entries if f"dismissal {w:%a %d %b %H:%M}" in message), entries[0][2])
            day.warnings.append(f"Rest #{number} {member.character}: {message}.")
            added += 1
    return added


def board_days(board_strips: list[Strip]) -> list[Day]:
    """The board's days, numbered: the strips up to each day break; strips after the last break form
    an open day. The one numbering of shoot days (the board, call sheets, the hot cost)."""
    days: list[Day] = []
    current = Day(number=1, date=None)
    for strip in board_strips:
        if strip.kind == Strip.Kind.DAY_BREAK:
            current.break_strip = strip
            days.append(current)
            current = Day(number=len(days) + 1, date=None)
        else:
            current.strips.append(strip)
    if current.strips:
        days.append(current)
    return days


def _dated_days(version: ScheduleVersion) -> list[tuple[Day, date | None]]:
    """A version's board days, numbered as the board numbers them and dated from the unit's
    production calendar (None past its end), without the board's decorations."""
    strips = list(Strip.objects.filter(version=version, section=Strip.Section.BOARD)
                  .only("kind", "position").order_by("position"))
    days = board_days(strips)
    calendar = ProductionCalendar.objects.filter(unit_id=version.schedule.unit_id).first()
    dates = shoot_dates(calendar, calendar_exceptions(calendar), len(days)) if calendar else []
    return [(d, dates[d.number - 1] if d.number - 1 < len(dates) else None) for d in days]


def shoot_day_dates(version: ScheduleVersion) -> dict[int, date | None]:
    """Day number → date of a version's shoot days (days with strips). For internal callers that
    already hold the production's access (e.g. a registry provider); reads only this version."""
    return {day.number: when for day, when in _dated_days(version) if day.strips}


def scheduled_day_dates(version: ScheduleVersion) -> list[date | None]:
    """The date of each of a version's scheduled days (Board.scheduled_days), in order."""
    return [when for day, when in _dated_days(version) if day.strips or day.break_strip]


def board_get(*, access: ProductionAccess, version: ScheduleVersion) -> Board:
    """The whole board of a version: rows in order (strips and day bars), days with totals and
    warnings, the boneyard. A fixed number of queries, however many strips."""
    production = access.production
    prefs = preferences_get(production)
    calendar = ProductionCalendar.objects.filter(unit_id=version.schedule.unit_id).first()
    exceptions = calendar_exceptions(calendar)
    strips = list(
        Strip.objects.filter(version=version)
        .select_related("scene")
        .defer("scene__text", "scene__blocks")
        .order_by("section", "position")
    )
    cast_map = cast_by_key(production)
    scene_ids = [s.scene_id for s in strips if s.scene_id]
    cast = scene_cast(scene_ids, cast_map)
    for strip in strips:
        _decorate(strip, prefs, cast)
    decorate_locations(production.pk, strips)
    board_strips = [s for s in strips if s.section == Strip.Section.BOARD]
    boneyard = [s for s in strips if s.section == Strip.Section.BONEYARD]

    days = board_days(board_strips)
    dates = shoot_dates(calendar, exceptions, len(days)) if calendar else []
    running_e = running_m = 0
    for day in days:
        day.date = dates[day.number - 1] if day.number - 1 < len(dates) else None
        for strip in day.strips:
            strip.day_number = day.number
            if strip.kind == Strip.Kind.SCENE:
                day.scenes += 1
                day.eighths += strip.eighths
                day.minutes += strip.minutes
                day.cast.update(strip.cast_numbers)
        running_e += day.eighths
        running_m += day.minutes
        day.running_eighths, day.running_minutes = running_e, running_m

    # Availability on the board's dates (one query).
    dated = [d.date for d in days if d.date]
    unavailable_cast: dict[tuple[int, date], tuple[str, str]] = {}
    unavailable_sets: dict[tuple[str, date], tuple[str, str]] = {}
    if dated:
        rows = Availability.objects.filter(
            production=production, date__gte=min(dated), date__lte=max(dated), status__in=CONFLICT_STATUSES,
        ).values_list("cast_member_id", "set_key", "date", "status", "note")
        for member_id, set_key, when, status, note in rows:
            if member_id:
                unavailable_cast[(member_id, when)] = (status, note)
            else:
                unavailable_sets[(set_key, when)] = (status, note)
        unavailable_locs = unavailable_locations(production.pk, min(dated), max(dated), list(CONFLICT_STATUSES))
    else:
        unavailable_locs = {}

    warning_count = 0
    for i, day in enumerate(days):
        if day.eighths > prefs.day_limit_eighths:
            day.warnings.append(f"{day.pages} pages: over the {eighths_label(prefs.day_limit_eighths)}-page limit.")
        if day.minutes > prefs.day_limit_minutes:
            day.warnings.append(f"Estimated {day.hours} h: over the {hours_label(prefs.day_limit_minutes)} h limit.")
        if calendar and day.date is None:
            day.warnings.append("No shoot date: the calendar has no working day left for this day.")
        elif calendar and day.date and day.date > calendar.shoot_end:
            day.warnings.append(f"Past the planned last shoot day ({calendar.shoot_end:%a %d %b}).")
        if day.date:
            for strip in day.strips:
                if strip.kind != Strip.Kind.SCENE:
                    continue
                for member in strip.cast_members:
                    if (member.pk, day.date) in unavailable_cast:
                        status, note = unavailable_cast[(member.pk, day.date)]
                        strip.warnings.append(f"#{member.cast_number} {member.character} {CONFLICT_STATUSES[status]}"
                                              + (f" ({note})" if note else ""))
                if (strip.scene.set_key, day.date) in unavailable_sets:
                    status, note = unavailable_sets[(strip.scene.set_key, day.date)]
                    strip.warnings.append(f"{strip.scene.set_name} {CONFLICT_STATUSES[status]}" + (f" ({note})" if note else ""))
                if (strip.location_id, day.date) in unavailable_locs:
                    status, note = unavailable_locs[(strip.location_id, day.date)]
                    strip.warnings.append(f"Location {strip.location_name} {CONFLICT_STATUSES[status]}"
                                          + (f" ({note})" if note else ""))
                if strip.warnings:
                    day.warnings.append(f"Scene {strip.label}: " + "; ".join(strip.warnings) + ".")
        # Turnaround between this day and the next calendar day.
        if i + 1 < len(days):
            nxt = days[i + 1]
            if day.date and nxt.date and (nxt.date - day.date).days == 1:
                wrap = day.break_strip.wrap_time if day.break_strip else None
                call = (nxt.break_strip.call_time if nxt.break_strip else None) or (calendar.default_call if calendar else None)
                if wrap and call:
                    wrap_at = _when(day.date, wrap, wrap < time(12))
                    call_at = datetime.combine(nxt.date, call)
                    rest = (call_at - wrap_at).total_seconds() / 3600
                    if rest < prefs.turnaround_hours:
                        day.warnings.append(
                            f"Turnaround: wrap {wrap:%H:%M} to next call {call:%H:%M} is {rest:.1f} h, "
                            f"under {prefs.turnaround_hours} h."
                        )
                elif day.has_night and nxt.has_day and (call is None or call < time(14)):
                    day.warnings.append(
                        f"Night work followed by day scenes on day {nxt.number}: check the turnaround "
                        f"({prefs.turnaround_hours} h)."
                    )
        warning_count += len(day.warnings)
    warning_count += _cast_rest_warnings(access, days, calendar, cast_map)

    rows: list[Any] = []
    for day in days:
        rows.extend(day.strips)
        rows.append(day)
    scene_count = sum(d.scenes for d in days)
    return Board(
        version=version, prefs=prefs, calendar=calendar, exceptions=exceptions, rows=rows, days=days,
        boneyard=boneyard, cast={c.cast_number: c for c in cast_map.values()},
        total_eighths=running_e, total_minutes=running_m, warning_count=warning_count, scene_count=scene_count,
    )


# --- filters and sorting -------------------------------------------------------------------------

SORT_KEYS = {
    "scene": "Scene number",
    "set": "Set",
    "location": "Location",
    "int_ext": "INT/EXT",
    "day_night": "Day/night",
    "cast": "Cast",
    "pages": "Pages (longest first)",
}


def strip_sort_key(strip: Strip, keys: list[str]) -> tuple:
    parts: list[Any] = []
    for key in keys:
        scene = strip.scene
        if key == "scene":
            parts.append(scene_sort_key(scene.number))
        elif key == "set":
            parts.append(scene.set_key or scene.set_name)
        elif key == "location":  # by location name, sets without a location last
            name = getattr(strip, "location_name", "")
            parts.append((0, name.upper()) if name else (1, ""))
        elif key == "int_ext":
            parts.append(scene.int_ext or "~")
        elif key == "day_night":
            parts.append(scene.day_night or "~")
        elif key == "cast":
            parts.append(tuple(getattr(strip, "cast_numbers", [])) or (10**6,))
        elif key == "pages":
            parts.append(-strip.eighths)
    parts.append((strip.section, strip.position))
    return tuple(parts)


@dataclass
class StripFilter:
    set_key: str = ""
    location_id: int | None = None
    int_ext: str = ""
    day_night: str = ""
    cast_number: int | None = None
    element_id: int | None = None
    min_eighths: int | None = None
    max_eighths: int | None = None

    @property
    def active(self) -> bool:
        return any(v not in ("", None) for v in vars(self).values())


def strip_matches(strip: Strip, flt: StripFilter, element_scenes: set[int] | None) -> bool:
    if strip.kind != Strip.Kind.SCENE:
        return True
    scene = strip.scene
    if flt.set_key and scene.set_key != flt.set_key:
        return False
    if flt.location_id is not None and getattr(strip, "location_id", None) != flt.location_id:
        return False
    if flt.int_ext and scene.int_ext != flt.int_ext:
        return False
    if flt.day_night and scene.day_night != flt.day_night:
        return False
    if flt.cast_number is not None and flt.cast_number not in strip.cast_numbers:
        return False
    if element_scenes is not None and scene.pk not in element_scenes:
        return False
    if flt.min_eighths is not None and strip.eighths < flt.min_eighths:
        return False
    if flt.max_eighths is not None and strip.eighths > flt.max_eighths:
        return False
    return True


def element_scene_ids(element_id: int | None) -> set[int] | None:
    if not element_id:
        return None
    return set(Tag.objects.filter(element_id=element_id, status=TagStatus.ACCEPTED).values_list("scene_id", flat=True))
