"""Every write to calendars, schedules, versions, strips, availability and preferences.

Edits to a version are optimistic: the caller passes the version's `revision` it last saw; the
service bumps it atomically (compare-and-set) and refuses a stale one with `StaleVersion`, changing
nothing. Views answer 409 and reload the board.
"""

from __future__ import annotations

import secrets
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from unitbase.approvals import services as approval_services
from unitbase.approvals.selectors import approval_latest_for
from unitbase.core.audit import audit_record
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.models import Unit
from unitbase.productions.permissions import ProductionAccess
from unitbase.scripts.models import Scene, ScriptRevision
from unitbase.scripts.selectors import revision_current

from . import selectors
from .models import (
    Availability,
    CalendarDay,
    CalendarFeed,
    ProductionCalendar,
    Schedule,
    ScheduleChange,
    SchedulePreferences,
    ScheduleVersion,
    Strip,
    shoot_dates,
)
from .permissions import EDIT_ACTION, access_version, can_change_locked, require_edit_version

BOARD = Strip.Section.BOARD
BONEYARD = Strip.Section.BONEYARD


class StaleVersion(Exception):
    """The version changed since the caller loaded it."""

    def __init__(self, version: ScheduleVersion | None = None, expected: int | None = None):
        self.version = version
        current = f" (now revision {version.revision}, you had {expected})" if version is not None else ""
        super().__init__(
            "Someone else changed this schedule version since you loaded it"
            f"{current}. Nothing was changed: the board has been reloaded, please make your change again."
        )


def _audit(access: ProductionAccess, action: str, obj: Any, **changes: Any) -> None:
    audit_record(production_id=access.production.pk, actor=access.user, action=f"schedule.{action}", obj=obj, changes=changes)


def _edit(access: ProductionAccess, version_id: int, revision: int) -> ScheduleVersion:
    """Load a version for an edit: scope, authority (including the lock rule), then bump the revision
    if it still is `revision`."""
    try:
        version = access_version(access, version_id)
    except (ScheduleVersion.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"version": "No such schedule version in this production."}) from None
    require_edit_version(access, version)
    if ScheduleChange.objects.filter(proposal=version, status=ScheduleChange.Status.PENDING).exists():
        raise ValidationError({"version": f"“{version.name}” is waiting for approval to replace the locked schedule; "
                                          "withdraw that request to change it again."})
    updated = ScheduleVersion.objects.filter(pk=version.pk, revision=revision).update(revision=F("revision") + 1)
    if not updated:
        raise StaleVersion(version, revision)
    version.revision = revision + 1
    return version


def _strips(version: ScheduleVersion, section: str) -> list[Strip]:
    return list(Strip.objects.filter(version=version, section=section).select_related("scene").order_by("position", "id"))


def _save_order(version: ScheduleVersion, board: list[Strip], boneyard: list[Strip]) -> None:
    changed = []
    for section, strips in ((BOARD, board), (BONEYARD, boneyard)):
        for i, strip in enumerate(strips):
            if strip.position != i or strip.section != section:
                strip.position, strip.section = i, section
                changed.append(strip)
    if changed:
        Strip.objects.bulk_update(changed, ["position", "section"])


def _day_break_indexes(board: list[Strip]) -> list[int]:
    return [i for i, s in enumerate(board) if s.kind == Strip.Kind.DAY_BREAK]


def _day_for_date(version: ScheduleVersion, when: date, day_count: int) -> int:
    calendar = ProductionCalendar.objects.filter(unit_id=version.schedule.unit_id).first()
    if calendar is None:
        raise ValidationError({"date": "This unit has no calendar yet: set its shoot dates first."})
    dates = shoot_dates(calendar, selectors.calendar_exceptions(calendar), max(day_count + 1, 1))
    if when not in dates:
        if calendar.shoot_start <= when:
            dates = shoot_dates(calendar, selectors.calendar_exceptions(calendar), day_count + 60)
        if when not in dates:
            raise ValidationError({"date": f"{when:%a %d %b %Y} is not a shoot day in the {version.schedule.unit} calendar."})
    number = dates.index(when) + 1
    if number > day_count + 1:
        raise ValidationError({"date": f"{when:%a %d %b %Y} would be day {number}; the board has {day_count} days."})
    return number


# --- calendar, preferences, availability ---------------------------------------------------------


def _unit(access: ProductionAccess, unit_id: int) -> Unit:
    try:
        return Unit.objects.get(production=access.production, pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"unit": "No such unit in this production."}) from None


@transaction.atomic
def calendar_set(
    *,
    access: ProductionAccess,
    unit_id: int,
    shoot_start: date,
    shoot_end: date,
    working_weekdays: list[int] | None = None,
    prep_start: date | None = None,
    wrap_end: date | None = None,
    default_call: time | None = None,
) -> ProductionCalendar:
    access.require(EDIT_ACTION)
    unit = _unit(access, unit_id)
    calendar = ProductionCalendar.objects.filter(unit=unit).first() or ProductionCalendar(production=access.production, unit=unit)
    data = {
        "shoot_start": shoot_start, "shoot_end": shoot_end, "prep_start": prep_start, "wrap_end": wrap_end,
        "working_weekdays": sorted(set(working_weekdays if working_weekdays is not None else [0, 1, 2, 3, 4])),
        "default_call": default_call,
    }
    for key, value in data.items():
        setattr(calendar, key, value)
    calendar.full_clean()
    calendar.save()
    _audit(access, "calendar_set", calendar, **data)
    return calendar


@transaction.atomic
def calendar_day_set(*, access: ProductionAccess, unit_id: int, date: date, kind: str, note: str = "") -> CalendarDay | None:
    """Mark a date as a day off, holiday, travel or extra working day; kind "" clears it."""
    access.require(EDIT_ACTION)
    unit = _unit(access, unit_id)
    calendar = ProductionCalendar.objects.filter(unit=unit).first()
    if calendar is None:
        raise ValidationError({"unit": f"{unit} has no calendar yet: set its shoot dates first."})
    if not kind:
        CalendarDay.objects.filter(calendar=calendar, date=date).delete()
        _audit(access, "calendar_day_clear", calendar, date=date)
        return None
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(CalendarDay.Kind.values)}."})
    day = CalendarDay.objects.filter(calendar=calendar, date=date).first() or CalendarDay(calendar=calendar, date=date)
    day.kind, day.note = kind, note
    day.full_clean()
    day.save()
    _audit(access, "calendar_day_set", calendar, date=date, kind=kind, note=note)
    return day


PREFERENCE_FIELDS = (
    "colour_int_day", "colour_ext_day", "colour_int_night", "colour_ext_night", "colour_other",
    "minutes_per_eighth", "day_limit_eighths", "day_limit_minutes", "turnaround_hours", "drop_gap_days",
)


@transaction.atomic
def preferences_update(*, access: ProductionAccess, **fields: Any) -> SchedulePreferences:
    access.require(EDIT_ACTION)
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown preference." for name in unknown})
    prefs = selectors.preferences_get(access.production)
    changes = {k: [getattr(prefs, k), v] for k, v in fields.items() if getattr(prefs, k) != v}
    for key, value in fields.items():
        setattr(prefs, key, value)
    prefs.full_clean()
    prefs.save()
    _audit(access, "preferences_update", prefs, **changes)
    return prefs


@transaction.atomic
def availability_set(
    *,
    access: ProductionAccess,
    date: date,
    status: str,
    cast_member_id: int | None = None,
    set_key: str = "",
    set_name: str = "",
    note: str = "",
) -> Availability | None:
    """Set a cast member's or a set's status on a date; "available" removes the row."""
    access.require(EDIT_ACTION)
    if status not in Availability.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(Availability.Status.values)}."})
    if bool(cast_member_id) == bool(set_key):
        raise ValidationError({"cast_member": "Choose either a cast member or a set."})
    if cast_member_id:
        member = CastMember.objects.filter(production=access.production, pk=cast_member_id).first()
        if member is None:
            raise ValidationError({"cast_member": "No such cast member in this production."})
        existing = Availability.objects.filter(cast_member=member, date=date).first()
        row = existing or Availability(production=access.production, cast_member=member, date=date)
    else:
        existing = Availability.objects.filter(production=access.production, set_key=set_key, date=date).first()
        row = existing or Availability(production=access.production, set_key=set_key, set_name=set_name or set_key, date=date)
    if status == Availability.Status.AVAILABLE:
        if existing:
            existing.delete()
        _audit(access, "availability_clear", None, cast_member=cast_member_id, set_key=set_key, date=date)
        return None
    row.status, row.note = status, note
    row.full_clean()
    row.save()
    _audit(access, "availability_set", row, status=status, date=date, note=note)
    return row


# --- schedules and versions ----------------------------------------------------------------------


def _scene_strips(version: ScheduleVersion, scenes: list[Scene], section: str) -> list[Strip]:
    return [
        Strip(version=version, section=section, position=i, kind=Strip.Kind.SCENE, scene=scene)
        for i, scene in enumerate(scenes)
    ]


@transaction.atomic
def schedule_create(
    *,
    access: ProductionAccess,
    unit_id: int,
    name: str = "First draft",
    script_revision_id: int | None = None,
    layout: str = "boneyard",
    by: str = "pages",
    limit: int | None = None,
) -> ScheduleVersion:
    """A new version of the unit's schedule (making the schedule on first use) from a script
    revision's scenes (default: the current one): all in the boneyard ("boneyard"), on the board in
    script order ("board"), or on the board with automatic day breaks ("auto")."""
    access.require(EDIT_ACTION)
    unit = _unit(access, unit_id)
    if layout not in ("boneyard", "board", "auto"):
        raise ValidationError({"layout": "Choose boneyard, board or auto."})
    if script_revision_id:
        revision = ScriptRevision.objects.filter(production=access.production, pk=script_revision_id).first()
        if revision is None:
            raise ValidationError({"script_revision": "No such script revision in this production."})
    else:
        revision = revision_current(access=access)
        if revision is None:
            raise ValidationError({"script_revision": "Import a script first: a schedule is made from its scenes."})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the version a name."})
    schedule, _ = Schedule.objects.get_or_create(production=access.production, unit=unit)
    if schedule.versions.filter(name=name).exists():
        raise ValidationError({"name": f"{unit} already has a version called “{name}”."})
    version = ScheduleVersion(schedule=schedule, name=name, script_revision=revision, created_by=access.user)
    version.full_clean()
    version.save()
    scenes = list(Scene.objects.filter(revision=revision).order_by("order"))
    section = BONEYARD if layout == "boneyard" else BOARD
    Strip.objects.bulk_create(_scene_strips(version, scenes, section))
    _audit(access, "version_create", version, unit=unit.name, scenes=len(scenes), layout=layout)
    if layout == "auto":
        auto_day_breaks(access=access, version_id=version.pk, revision=version.revision, by=by, limit=limit)
        version.refresh_from_db()
    return version


def _unique_name(schedule: Schedule, name: str) -> str:
    taken = set(schedule.versions.values_list("name", flat=True))
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


@transaction.atomic
def version_duplicate(*, access: ProductionAccess, version_id: int, name: str = "") -> ScheduleVersion:
    access.require(EDIT_ACTION)
    source = access_version(access, version_id)
    name = (name or "").strip() or _unique_name(source.schedule, f"{source.name} copy")
    if source.schedule.versions.filter(name=name).exists():
        raise ValidationError({"name": f"There is already a version called “{name}”."})
    copy = ScheduleVersion(schedule=source.schedule, name=name, script_revision=source.script_revision,
                           based_on=source, created_by=access.user)
    copy.full_clean()
    copy.save()
    fields = ("section", "position", "kind", "scene_id", "part", "part_eighths", "estimate_minutes",
              "banner_kind", "text", "call_time", "wrap_time")
    Strip.objects.bulk_create(
        [Strip(version=copy, **{f: getattr(s, f) for f in fields}) for s in Strip.objects.filter(version=source)]
    )
    _audit(access, "version_duplicate", copy, source=source.name)
    return copy


@transaction.atomic
def version_rename(*, access: ProductionAccess, version_id: int, revision: int, name: str) -> ScheduleVersion:
    version = _edit(access, version_id, revision)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the version a name."})
    if version.schedule.versions.filter(name=name).exclude(pk=version.pk).exists():
        raise ValidationError({"name": f"There is already a version called “{name}”."})
    old, version.name = version.name, name
    version.full_clean()
    version.save(update_fields=["name"])
    _audit(access, "version_rename", version, name=[old, name])
    return version


@transaction.atomic
def version_publish(*, access: ProductionAccess, version_id: int, revision: int) -> ScheduleVersion:
    version = _edit(access, version_id, revision)
    if version.status != ScheduleVersion.Status.DRAFT:
        raise ValidationError({"status": f"“{version.name}” is already {version.get_status_display().lower()}."})
    version.status, version.published_at = ScheduleVersion.Status.PUBLISHED, timezone.now()
    version.save(update_fields=["status", "published_at"])
    _audit(access, "version_publish", version)
    return version


@transaction.atomic
def version_lock(*, access: ProductionAccess, version_id: int, revision: int) -> ScheduleVersion:
    version = _edit(access, version_id, revision)
    if version.status == ScheduleVersion.Status.LOCKED:
        raise ValidationError({"status": f"“{version.name}” is already locked."})
    if version.status == ScheduleVersion.Status.DRAFT:
        version.published_at = timezone.now()
    version.status, version.locked_at = ScheduleVersion.Status.LOCKED, timezone.now()
    version.save(update_fields=["status", "published_at", "locked_at"])
    _audit(access, "version_lock", version)
    return version


@transaction.atomic
def version_unlock(*, access: ProductionAccess, version_id: int, revision: int) -> ScheduleVersion:
    version = _edit(access, version_id, revision)  # only approve_schedule_change passes for a locked version
    if version.status != ScheduleVersion.Status.LOCKED:
        raise ValidationError({"status": f"“{version.name}” is not locked."})
    version.status, version.locked_at = ScheduleVersion.Status.PUBLISHED, None
    version.save(update_fields=["status", "locked_at"])
    _audit(access, "version_unlock", version)
    return version


@transaction.atomic
def version_apply(*, access: ProductionAccess, version_id: int, revision: int) -> ScheduleVersion:
    """Make this the unit's applied version (the one call sheets read). Applying replaces the
    current applied version, so a locked applied version may only be replaced by a member with approve_schedule_change."""
    version = _edit(access, version_id, revision)
    if version.status == ScheduleVersion.Status.DRAFT:
        raise ValidationError({"status": "Publish the version before applying it."})
    current = ScheduleVersion.objects.filter(schedule=version.schedule, is_applied=True).exclude(pk=version.pk).first()
    if current and current.status == ScheduleVersion.Status.LOCKED and not can_change_locked(access):
        require_edit_version(access, current)
    if current:
        ScheduleVersion.objects.filter(pk=current.pk).update(is_applied=False, revision=F("revision") + 1)
    version.is_applied = True
    version.save(update_fields=["is_applied"])
    _audit(access, "version_apply", version, replaced=current.name if current else None)
    return version


@transaction.atomic
def version_delete(*, access: ProductionAccess, version_id: int, revision: int) -> None:
    version = _edit(access, version_id, revision)
    if version.is_applied:
        raise ValidationError({"version": "Apply another version before deleting the applied one."})
    _audit(access, "version_delete", version, name=version.name)
    version.delete()


# --- strips --------------------------------------------------------------------------------------


@transaction.atomic
def strip_move(
    *,
    access: ProductionAccess,
    version_id: int,
    revision: int,
    strip_ids: list[int],
    to: str = BOARD,
    index: int | None = None,
    day: int | None = None,
    date: date | None = None,
) -> ScheduleVersion:
    """Move strips (kept in their board order) to the boneyard or the board: at `index` of the
    section (counted without the moved strips), to the end of day `day`, or to the day shot on `date`."""
    version = _edit(access, version_id, revision)
    if to not in (BOARD, BONEYARD):
        raise ValidationError({"to": "Move to the board or the boneyard."})
    ids = list(dict.fromkeys(int(i) for i in strip_ids))
    if not ids:
        raise ValidationError({"strip_ids": "Choose at least one strip."})
    board, boneyard = _strips(version, BOARD), _strips(version, BONEYARD)
    by_id = {s.pk: s for s in board + boneyard}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ValidationError({"strip_ids": f"No such strip in this version: {', '.join(map(str, missing))}."})
    moving = [s for s in board + boneyard if s.pk in set(ids)]
    if to == BONEYARD and any(s.kind != Strip.Kind.SCENE for s in moving):
        raise ValidationError({"to": "Only scene strips go to the boneyard; remove day breaks and banners instead."})
    board = [s for s in board if s.pk not in set(ids)]
    boneyard = [s for s in boneyard if s.pk not in set(ids)]
    target = board if to == BOARD else boneyard
    if to == BOARD and (day is not None or date is not None):
        breaks = _day_break_indexes(board)
        if date is not None:
            day = _day_for_date(version, date, len(breaks))
        if day < 1 or day > len(breaks) + 1:
            raise ValidationError({"day": f"Day {day} does not exist; the board has {len(breaks)} days."})
        position = breaks[day - 1] if day <= len(breaks) else len(board)
    elif index is not None:
        if index < 0:
            raise ValidationError({"index": "A position cannot be negative."})
        position = min(index, len(target))
    else:
        position = len(target)
    target[position:position] = moving
    _save_order(version, board, boneyard)
    _audit(access, "strip_move", version, strips=ids, to=to, index=position, day=day)
    return version


@transaction.atomic
def day_break_add(
    *, access: ProductionAccess, version_id: int, revision: int, index: int | None = None,
    call_time: time | None = None, wrap_time: time | None = None,
) -> Strip:
    """A day break at `index` of the board (default: the end), closing the day above it."""
    version = _edit(access, version_id, revision)
    board = _strips(version, BOARD)
    strip = Strip(version=version, section=BOARD, position=0, kind=Strip.Kind.DAY_BREAK, call_time=call_time, wrap_time=wrap_time)
    strip.save()
    position = len(board) if index is None else max(0, min(int(index), len(board)))
    board.insert(position, strip)
    _save_order(version, board, [])
    _audit(access, "day_break_add", version, index=position)
    return strip


@transaction.atomic
def banner_add(
    *, access: ProductionAccess, version_id: int, revision: int, banner_kind: str, text: str = "", index: int | None = None,
) -> Strip:
    version = _edit(access, version_id, revision)
    if banner_kind not in Strip.BannerKind.values:
        raise ValidationError({"banner_kind": f"Choose one of: {', '.join(Strip.BannerKind.labels)}."})
    text = (text or "").strip() or Strip.BannerKind(banner_kind).label
    board = _strips(version, BOARD)
    strip = Strip(version=version, section=BOARD, position=0, kind=Strip.Kind.BANNER, banner_kind=banner_kind, text=text[:300])
    strip.full_clean()
    strip.save()
    position = len(board) if index is None else max(0, min(int(index), len(board)))
    board.insert(position, strip)
    _save_order(version, board, [])
    _audit(access, "banner_add", version, kind=banner_kind, text=text, index=position)
    return strip


def _version_strip(version: ScheduleVersion, strip_id: int) -> Strip:
    strip = Strip.objects.filter(version=version, pk=strip_id).select_related("scene").first()
    if strip is None:
        raise ValidationError({"strip": "No such strip in this version."})
    return strip


@transaction.atomic
def strip_remove(*, access: ProductionAccess, version_id: int, revision: int, strip_id: int) -> None:
    """Remove a day break or banner (scene strips go to the boneyard instead)."""
    version = _edit(access, version_id, revision)
    strip = _version_strip(version, strip_id)
    if strip.kind == Strip.Kind.SCENE:
        raise ValidationError({"strip": "Scene strips are not removed: move them to the boneyard."})
    _audit(access, f"{strip.kind}_remove", version, strip=strip.pk, text=strip.text)
    strip.delete()
    _save_order(version, _strips(version, BOARD), _strips(version, BONEYARD))


@transaction.atomic
def strip_update(
    *, access: ProductionAccess, version_id: int, revision: int, strip_id: int, **fields: Any,
) -> Strip:
    """Edit a strip's estimate (minutes, None for the default), a banner's text or a day's call/wrap."""
    version = _edit(access, version_id, revision)
    strip = _version_strip(version, strip_id)
    allowed = {Strip.Kind.SCENE: {"estimate_minutes"}, Strip.Kind.BANNER: {"text", "banner_kind"},
               Strip.Kind.DAY_BREAK: {"call_time", "wrap_time", "text"}}[strip.kind]
    bad = set(fields) - allowed
    if bad:
        raise ValidationError({name: "This strip has no such field." for name in bad})
    changes = {k: [getattr(strip, k), v] for k, v in fields.items()}
    for key, value in fields.items():
        setattr(strip, key, value)
    strip.full_clean()
    strip.save()
    _audit(access, "strip_update", strip, **changes)
    return strip


@transaction.atomic
def strip_split(*, access: ProductionAccess, version_id: int, revision: int, strip_id: int, eighths: int) -> Strip:
    """Split a scene strip in two: this part keeps `eighths`, a new part right after it takes the
    rest. Parts of the scene are numbered 1, 2 … in board order. Returns the new part."""
    version = _edit(access, version_id, revision)
    strip = _version_strip(version, strip_id)
    if strip.kind != Strip.Kind.SCENE:
        raise ValidationError({"strip": "Only scene strips can be split."})
    total = strip.eighths
    if not 1 <= int(eighths) < total:
        raise ValidationError({"eighths": f"Scene {strip.scene.number} has {total} eighths here: the first part takes 1 to {total - 1}."})
    new = Strip(version=version, section=strip.section, position=strip.position + 1, kind=Strip.Kind.SCENE,
                scene=strip.scene, part_eighths=total - int(eighths))
    strip.part_eighths = int(eighths)
    if strip.estimate_minutes is not None:
        new.estimate_minutes = strip.estimate_minutes * (total - int(eighths)) // total
        strip.estimate_minutes -= new.estimate_minutes
    strip.save()
    new.save()
    section = _strips(version, strip.section)
    section = [s for s in section if s.pk != new.pk]
    section.insert(next(i for i, s in enumerate(section) if s.pk == strip.pk) + 1, new)
    if strip.section == BOARD:
        _save_order(version, section, _strips(version, BONEYARD))
    else:
        _save_order(version, _strips(version, BOARD), section)
    parts = list(Strip.objects.filter(version=version, scene=strip.scene).order_by("section", "position"))
    for i, part in enumerate(parts, start=1):
        part.part = i
    Strip.objects.bulk_update(parts, ["part"])
    _audit(access, "strip_split", strip, scene=strip.scene.number, eighths=[int(eighths), total - int(eighths)])
    new.refresh_from_db()
    return new


@transaction.atomic
def auto_day_breaks(
    *, access: ProductionAccess, version_id: int, revision: int, by: str = "pages", limit: int | None = None,
) -> ScheduleVersion:
    """Replace the board's day breaks: walk the strips in order and close a day before a strip that
    would take it over `limit` (eighths for "pages", minutes for "hours"; default: the production's
    day limits). Banners stay where they are; a day is never left empty."""
    version = _edit(access, version_id, revision)
    prefs = selectors.preferences_get(access.production)
    if by not in ("pages", "hours"):
        raise ValidationError({"by": "Break by pages or by hours."})
    if limit is None:
        limit = prefs.day_limit_eighths if by == "pages" else prefs.day_limit_minutes
    if int(limit) < 1:
        raise ValidationError({"limit": "The limit must be at least 1."})
    board = _strips(version, BOARD)
    removed = [s.pk for s in board if s.kind == Strip.Kind.DAY_BREAK]
    Strip.objects.filter(pk__in=removed).delete()
    board = [s for s in board if s.kind != Strip.Kind.DAY_BREAK]
    result: list[Strip] = []
    new_breaks: list[Strip] = []
    used, has_scene = 0, False

    def close() -> None:
        brk = Strip(version=version, section=BOARD, position=0, kind=Strip.Kind.DAY_BREAK)
        new_breaks.append(brk)
        result.append(brk)

    for strip in board:
        if strip.kind == Strip.Kind.SCENE:
            size = strip.eighths if by == "pages" else (
                strip.estimate_minutes if strip.estimate_minutes is not None else strip.eighths * prefs.minutes_per_eighth)
            if has_scene and used + size > int(limit):
                close()
                used, has_scene = 0, False
            used += size
            has_scene = True
        result.append(strip)
    if has_scene:
        close()
    Strip.objects.bulk_create(new_breaks)
    _save_order(version, result, _strips(version, BONEYARD))
    _audit(access, "auto_day_breaks", version, by=by, limit=int(limit), days=len(new_breaks))
    return version


@transaction.atomic
def strip_sort(*, access: ProductionAccess, version_id: int, revision: int, strip_ids: list[int], keys: list[str]) -> ScheduleVersion:
    """Sort a selection of scene strips by several keys, in place: the selected strips are reordered
    among the slots they occupy (a selection in the boneyard stays there, one on the board stays in
    its days' slots)."""
    version = _edit(access, version_id, revision)
    bad = [k for k in keys if k not in selectors.SORT_KEYS]
    if not keys or bad:
        raise ValidationError({"keys": f"Sort by any of: {', '.join(selectors.SORT_KEYS)}."})
    board, boneyard = _strips(version, BOARD), _strips(version, BONEYARD)
    wanted = {int(i) for i in strip_ids}
    prefs = selectors.preferences_get(access.production)
    cast = selectors.scene_cast([s.scene_id for s in board + boneyard if s.scene_id], selectors.cast_by_key(access.production))
    for section in (board, boneyard):
        slots = [i for i, s in enumerate(section) if s.pk in wanted and s.kind == Strip.Kind.SCENE]
        chosen = [section[i] for i in slots]
        for s in chosen:
            selectors._decorate(s, prefs, cast)
        if "location" in keys:
            selectors.decorate_locations(access.production.pk, chosen)
        chosen.sort(key=lambda s: selectors.strip_sort_key(s, keys))
        for i, s in zip(slots, chosen, strict=True):
            section[i] = s
    _save_order(version, board, boneyard)
    _audit(access, "strip_sort", version, strips=sorted(wanted), keys=keys)
    return version


# --- changes to a locked, applied schedule (through approvals) ----------------------------------

CHANGE_KIND = "schedule_change"


def _change_audit(production_id: int, actor: Any, action: str, change: ScheduleChange, **changes: Any) -> None:
    audit_record(production_id=production_id, actor=actor, action=f"schedule.{action}", obj=change,
                 object_repr=str(change), changes=changes)


@transaction.atomic
def schedule_change_request(
    *, access: ProductionAccess, proposal_id: int, note: str = "", target_revision: int | None = None,
) -> ScheduleChange:
    """Ask for `proposal` (a draft, published or locked version of a unit's schedule, usually a copy
    of the applied one) to replace the unit's locked, applied version. Needs change_schedule; the
    approvers are named by the approvals policy of kind "schedule_change" (default: the UPM, whose
    authority comes from the matrix action approve_schedule_change). `target_revision`, when given,
    is the applied version's revision the requester compared against: a stale one is refused.
    While the request is pending the proposal cannot be edited."""
    access.require(EDIT_ACTION)
    try:
        proposal = access_version(access, proposal_id)
    except (ScheduleVersion.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"proposal": "No such schedule version in this production."}) from None
    target = ScheduleVersion.objects.select_for_update().filter(schedule=proposal.schedule, is_applied=True).first()
    unit = proposal.schedule.unit
    if target is None:
        raise ValidationError({"proposal": f"{unit} has no applied version: publish and apply “{proposal.name}” instead."})
    if target.pk == proposal.pk:
        raise ValidationError({"proposal": f"“{proposal.name}” is already the applied version of {unit}."})
    if target.status != ScheduleVersion.Status.LOCKED:
        raise ValidationError({"proposal": f"The applied version “{target.name}” is not locked: publish and apply "
                                           f"“{proposal.name}” directly, no approval is needed."})
    if target_revision is not None and int(target_revision) != target.revision:
        raise StaleVersion(target, int(target_revision))
    if ScheduleChange.objects.filter(proposal=proposal, status=ScheduleChange.Status.PENDING).exists():
        raise ValidationError({"proposal": f"“{proposal.name}” is already waiting for approval."})
    if _layout(proposal) == _layout(target):
        raise ValidationError({"proposal": f"“{proposal.name}” is the same as “{target.name}”: change the copy first."})
    note = (note or "").strip()
    change = ScheduleChange(
        production=access.production, schedule=proposal.schedule, target=target, target_name=target.name,
        target_revision=target.revision, proposal=proposal, proposal_name=proposal.name,
        proposal_revision=proposal.revision, note=note, requested_by=access.user,
    )
    change.full_clean()
    change.save()
    approval_services.approval_request_submit(
        access=access, kind=CHANGE_KIND, obj=change, amount=None, summary=schedule_change_describe(change),
    )
    _change_audit(access.production.pk, access.user, "change_request", change, unit=unit.name,
                  target=[target.name, target.revision], proposal=[proposal.name, proposal.revision], note=note)
    return change


def _layout(version: ScheduleVersion) -> list[tuple]:
    """Everything a board shows, in order, to tell whether two versions differ."""
    return list(Strip.objects.filter(version=version).order_by("section", "position", "id").values_list(
        "section", "kind", "scene_id", "part", "part_eighths", "estimate_minutes", "banner_kind", "text",
        "call_time", "wrap_time"))


def _pending_request(change: ScheduleChange):
    request = approval_latest_for(obj=change, kind=CHANGE_KIND)
    if request is None or not change.is_pending or not request.is_pending:
        raise approval_services.ApprovalConflict(
            "This request is no longer waiting for approval (someone decided it first); reload to see where it stands.")
    return request


@transaction.atomic
def schedule_change_decide(
    *, access: ProductionAccess, change_id: int, decision: str, reason: str = "", version: int | None = None,
) -> ScheduleChange:
    """Approve or reject a change request's current approval step (the same as deciding it in the
    approvals inbox). The last approval applies the proposal; a stale one is refused (ValidationError)."""
    change = selectors.schedule_change_get(access=access, change_id=change_id)
    request = _pending_request(change)
    approval_services.approval_decide(access=access, request_id=request.pk, decision=decision, reason=reason,
                                      version=version)
    change.refresh_from_db()
    return change


@transaction.atomic
def schedule_change_withdraw(*, access: ProductionAccess, change_id: int) -> ScheduleChange:
    """The requester takes a pending request back (the proposal can be edited again)."""
    change = selectors.schedule_change_get(access=access, change_id=change_id)
    request = _pending_request(change)
    approval_services.approval_withdraw(access=access, request_id=request.pk)
    change.refresh_from_db()
    return change


def schedule_change_describe(change: ScheduleChange) -> str:
    return f"{change.schedule.unit}: apply “{change.proposal_name}” in place of locked “{change.target_name}”"


def schedule_change_url(change: ScheduleChange) -> str:
    from django.urls import reverse

    return reverse("scheduling:change", args=[change.production_id, change.pk])


def _change_for_update(change: ScheduleChange) -> ScheduleChange:
    change = ScheduleChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ValidationError("This schedule change was already decided.")
    return change


def schedule_change_on_approved(change: ScheduleChange, request: Any, actor: Any) -> None:
    """Approvals' callback on the last approval: swap the applied version, or refuse if stale."""
    change = _change_for_update(change)
    versions = {v.pk: v for v in ScheduleVersion.objects.select_for_update().filter(
        pk__in=[change.target_id, change.proposal_id])}
    target, proposal = versions.get(change.target_id), versions.get(change.proposal_id)
    stale = []
    if target is None or not target.is_applied or target.status != ScheduleVersion.Status.LOCKED:
        stale.append(f"“{change.target_name}” is no longer the locked, applied version")
    elif target.revision != change.target_revision:
        stale.append(f"“{target.name}” was changed since the request (revision {change.target_revision} → {target.revision})")
    if proposal is None:
        stale.append(f"“{change.proposal_name}” was deleted")
    elif proposal.revision != change.proposal_revision:
        stale.append(f"“{proposal.name}” was changed since the request")
    if stale:
        raise ValidationError(
            "This request is stale: " + "; ".join(stale) + ". Nothing was changed: reject it and ask for a new one.",
            code="stale",
        )
    now = timezone.now()
    ScheduleVersion.objects.filter(pk=target.pk).update(is_applied=False, revision=F("revision") + 1)
    proposal.status, proposal.is_applied = ScheduleVersion.Status.LOCKED, True
    proposal.published_at = proposal.published_at or now
    proposal.locked_at = now
    proposal.revision += 1
    proposal.save(update_fields=["status", "is_applied", "published_at", "locked_at", "revision"])
    change.status, change.decided_by, change.decided_at = ScheduleChange.Status.APPROVED, actor, now
    change.save(update_fields=["status", "decided_by", "decided_at"])
    _change_audit(change.production_id, actor, "change_approve", change, applied=proposal.name, replaced=target.name,
                  approval=request.pk)


def schedule_change_on_rejected(change: ScheduleChange, request: Any, actor: Any, reason: str) -> None:
    change = _change_for_update(change)
    change.status, change.decided_by, change.decided_at = ScheduleChange.Status.REJECTED, actor, timezone.now()
    change.reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _change_audit(change.production_id, actor, "change_reject", change, reason=reason, approval=request.pk)


def schedule_change_on_withdrawn(change: ScheduleChange, request: Any, actor: Any) -> None:
    change = _change_for_update(change)
    change.status, change.decided_at = ScheduleChange.Status.WITHDRAWN, timezone.now()
    change.save(update_fields=["status", "decided_at"])
    _change_audit(change.production_id, actor, "change_withdraw", change, approval=request.pk)


# --- calendar feeds ------------------------------------------------------------------------------


@transaction.atomic
def feed_create(
    *, access: ProductionAccess, unit_id: int | None = None, cast_member_id: int | None = None,
    crew_member_id: int | None = None,
) -> CalendarFeed:
    """A secret iCal URL. Anyone may make a feed of their production or unit, and of their own work
    days (their cast or crew engagement); a feed of someone else's days needs change_schedule (it
    discloses that person's calendar). A crew member's work days are the shoot days of their unit
    (every unit if they have none) within their engagement's start and end dates."""
    if cast_member_id and crew_member_id:
        raise ValidationError({"crew_member": "A feed follows one person: choose a cast member or a crew member."})
    unit = _unit(access, unit_id) if unit_id else None
    cast_member = crew_member = None
    if cast_member_id:
        cast_member = CastMember.objects.filter(production=access.production, pk=cast_member_id).select_related("person").first()
        if cast_member is None:
            raise ValidationError({"cast_member": "No such cast member in this production."})
    if crew_member_id:
        crew_member = CrewMember.objects.filter(production=access.production, pk=crew_member_id).select_related("person").first()
        if crew_member is None:
            raise ValidationError({"crew_member": "No such crew member in this production."})
    person = (cast_member or crew_member).person if (cast_member or crew_member) else None
    if person is not None and not (person.user_id and person.user_id == access.user.pk):
        access.require(EDIT_ACTION)
    feed = CalendarFeed.objects.create(production=access.production, unit=unit, cast_member=cast_member,
                                       crew_member=crew_member, token=secrets.token_urlsafe(32), created_by=access.user)
    _audit(access, "feed_create", feed)
    return feed


@transaction.atomic
def feed_revoke(*, access: ProductionAccess, feed_id: int) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(production=access.production, pk=feed_id).first()
    if feed is None:
        raise ValidationError({"feed": "No such feed."})
    if feed.created_by_id != access.user.pk:
        access.require(EDIT_ACTION)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    _audit(access, "feed_revoke", feed)
    return feed


# --- demo ----------------------------------------------------------------------------------------


def _days_needed(sizes: list[int], limit: int) -> int:
    count, used = 0, 0
    for size in sizes:
        if used and used + size > limit:
            count, used = count + 1, 0
        used += size
    return count + (1 if used else 0)


@transaction.atomic
def schedule_demo_seed(
    *, access: ProductionAccess, shoot_start: date, shoot_end: date, prep_start: date | None = None,
    wrap_end: date | None = None, holiday: date | None = None,
) -> ScheduleVersion:
    """The demo's schedule, for `unitbase demo` to call once the script is imported: a main-unit
    calendar, a published and applied version over the shoot days, a second draft that differs,
    and an unavailable cast member on a day they are scheduled (a conflict the board shows)."""
    unit = Unit.objects.filter(production=access.production, kind=Unit.Kind.MAIN).order_by("id").first()
    if unit is None:
        raise ValidationError({"unit": "The production has no main unit."})
    calendar_set(access=access, unit_id=unit.pk, shoot_start=shoot_start, shoot_end=shoot_end, prep_start=prep_start,
                 wrap_end=wrap_end, default_call=time(7, 0))
    if holiday:
        calendar_day_set(access=access, unit_id=unit.pk, date=holiday, kind=CalendarDay.Kind.HOLIDAY, note="Bank holiday")
    calendar = ProductionCalendar.objects.get(unit=unit)
    exceptions = selectors.calendar_exceptions(calendar)
    days = sum(1 for d in shoot_dates(calendar, exceptions, 400) if d <= shoot_end)
    sizes = list(Scene.objects.filter(revision=revision_current(access=access)).order_by("order").values_list("eighths", flat=True))
    per_day = max(8, -(-sum(sizes) // max(days, 1)))
    while _days_needed(sizes, per_day) > days and per_day < 80:
        per_day += 1
    version = schedule_create(access=access, unit_id=unit.pk, name="White (shooting)", layout="auto", by="pages", limit=per_day)
    version_publish(access=access, version_id=version.pk, revision=version.revision)
    version = version_apply(access=access, version_id=version.pk, revision=version.revision + 1)
    draft = version_duplicate(access=access, version_id=version.pk, name="Blue (weather cover)")
    board = _strips(draft, BOARD)
    exteriors = [s for s in board if s.kind == Strip.Kind.SCENE and (s.scene.int_ext or "").startswith("EXT")][:2]
    if exteriors:
        strip_move(access=access, version_id=draft.pk, revision=draft.revision, strip_ids=[s.pk for s in exteriors],
                   to=BOARD, index=len(board))
    from .selectors import board_get

    applied = board_get(access=access, version=version)
    for day in applied.days[1:]:
        members = [c for s in day.strips for c in getattr(s, "cast_members", [])]
        if members and day.date:
            availability_set(access=access, date=day.date, status=Availability.Status.UNAVAILABLE,
                             cast_member_id=members[-1].pk, note="Theatre matinee")
            break
    return version
