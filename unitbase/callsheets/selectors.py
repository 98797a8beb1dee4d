"""Reads for call sheets and production reports, scoped by a ProductionAccess.

`sheet_data` turns a call sheet into the plain dict that every rendering uses (office page,
print, PDF, personal links) and that publishing freezes as a revision snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from unitbase.locations.selectors import locations_by_set
from unitbase.productions.authority import Action
from unitbase.productions.permissions import ProductionAccess
from unitbase.scheduling import rest_hooks
from unitbase.scheduling.models import ScheduleVersion
from unitbase.scheduling.selectors import Board, Day, board_get, eighths_label, version_applied

from .models import (
    CallSheet,
    CallSheetPreferences,
    CallSheetRevision,
    DailyReport,
    Delivery,
    Recipient,
)
from .sun import sun_times
from .weather import weather_for


def hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def preferences_get(production) -> CallSheetPreferences:
    return CallSheetPreferences.objects.filter(production=production).first() or CallSheetPreferences(production=production)


@dataclass
class ShootDay:
    version: ScheduleVersion
    board: Board
    day: Day

    @property
    def total_days(self) -> int:
        return len([d for d in self.board.days if d.strips])


def shoot_day_get(*, access: ProductionAccess, unit_id: int, shoot_date: date) -> ShootDay:
    """The day of the unit's applied schedule that falls on `shoot_date`, or a clear error."""
    version = version_applied(access=access, unit_id=unit_id)
    if version is None:
        raise ValidationError({"shoot_date": "This unit has no applied schedule: apply a published schedule version first."})
    board = board_get(access=access, version=version)
    day = board.day_of_date(shoot_date)
    if day is None or not day.strips:
        raise ValidationError({"shoot_date": f"{shoot_date:%a %d %b %Y} is not a shoot day of the applied schedule ({version.name})."})
    return ShootDay(version=version, board=board, day=day)


def shoot_dates_of_unit(*, access: ProductionAccess, unit_id: int) -> list[tuple[int, date]]:
    version = version_applied(access=access, unit_id=unit_id)
    if version is None:
        return []
    board = board_get(access=access, version=version)
    return [(d.number, d.date) for d in board.days if d.date and d.strips]


def callsheet_list(*, access: ProductionAccess) -> QuerySet[CallSheet]:
    return CallSheet.objects.filter(production=access.production).select_related("unit").order_by("-shoot_date", "unit_id")


def callsheet_get(*, access: ProductionAccess, call_sheet_id: int) -> CallSheet:
    try:
        return CallSheet.objects.select_related("unit", "production").get(production=access.production, pk=int(call_sheet_id))
    except (CallSheet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such call sheet.") from None


def latest_revision(call_sheet: CallSheet) -> CallSheetRevision | None:
    return call_sheet.revisions.order_by("-number").first()


# --- the document ------------------------------------------------------------------------------------


def sheet_data(call_sheet: CallSheet) -> dict:
    """Everything a call sheet shows, as JSON-friendly values (times as HH:MM)."""
    production = call_sheet.production
    prefs = preferences_get(production)
    scenes = list(call_sheet.scenes.all())
    keys = []
    for s in scenes:
        if s.set_key and s.set_key not in keys:
            keys.append(s.set_key)
    # Where each set is shot (the locations app); sets sharing a location print as one location block.
    locs = locations_by_set(production.pk, keys)
    locations = []
    by_location: dict[int, dict] = {}
    sun: dict[str, str] = {}
    first_coords = None
    for key in keys:
        loc = locs.get(key)
        set_name = next(s.set_name for s in scenes if s.set_key == key)
        if loc is None:
            locations.append({"set": set_name, "name": set_name, "address": "", "map_url": "", "parking": "",
                              "base_camp": "", "hospital_name": "", "hospital_address": "", "hospital_phone": "",
                              "notes": "", "missing": True})
            continue
        if loc.pk in by_location:
            by_location[loc.pk]["set"] += f", {set_name}"
            continue
        if loc.has_coordinates and first_coords is None:
            first_coords = (loc.latitude, loc.longitude)
            sun = sun_times(latitude=loc.latitude, longitude=loc.longitude, when=call_sheet.shoot_date,
                            time_zone=production.time_zone)
        by_location[loc.pk] = {
            "set": set_name, "name": loc.name, "address": loc.address,
            "map_url": loc.map_url, "parking": loc.parking, "base_camp": loc.base_camp,
            "hospital_name": loc.hospital_name, "hospital_address": loc.hospital_address,
            "hospital_phone": loc.hospital_phone, "notes": loc.notes[:300], "missing": False,
        }
        locations.append(by_location[loc.pk])
    hospital = next((loc for loc in locations if loc["hospital_name"]), None)
    weather = weather_for(latitude=first_coords[0] if first_coords else None,
                          longitude=first_coords[1] if first_coords else None,
                          when=call_sheet.shoot_date, entered=call_sheet.weather)
    loc_name = {key: (locs[key].name if key in locs else "") for key in keys}
    scene_rows = [{
        "number": s.number, "ie": s.int_ext, "dn": s.day_night, "set": s.set_name, "synopsis": s.synopsis,
        "pages": eighths_label(s.eighths), "eighths": s.eighths, "cast": s.cast_numbers, "location": loc_name.get(s.set_key, ""),
    } for s in scenes]
    cast_rows = []
    for c in call_sheet.cast_rows.select_related("cast_member__person"):
        person = c.cast_member.person if c.cast_member else None
        cast_rows.append({
            "number": c.cast_number, "character": c.character, "actor": c.actor, "status": c.status_code,
            "pickup": hhmm(c.pickup), "makeup": hhmm(c.makeup), "on_set": hhmm(c.on_set), "remarks": c.remarks,
            "person_id": person.pk if person else None, "phone": person.phone if person else "",
        })
    background = [{
        "kind": b.get_kind_display(), "description": b.description, "count": b.count, "call": hhmm(b.call_time),
        "report_to": b.report_to, "notes": b.notes,
    } for b in call_sheet.background_rows.all()]
    crew: list[dict] = []
    general = hhmm(call_sheet.general_call)
    for row in call_sheet.crew_rows.select_related("crew_member__person"):
        if not crew or crew[-1]["department"] != row.department_name:
            crew.append({"department": row.department_name, "rows": []})
        person = row.crew_member.person if row.crew_member else None
        call = hhmm(row.call_time) or general
        crew[-1]["rows"].append({
            "position": row.position, "name": row.name, "call": call, "own_call": call != general,
            "person_id": person.pk if person else None, "phone": person.phone if person else "",
        })
    return {
        "production": production.title,
        "unit": call_sheet.unit.name,
        "date": call_sheet.shoot_date.isoformat(),
        "date_label": f"{call_sheet.shoot_date:%A %-d %B %Y}",
        "day_label": call_sheet.day_label,
        "revision": call_sheet.revision,
        "change_note": call_sheet.change_note,
        "general_call": general,
        "shooting_call": hhmm(call_sheet.shooting_call),
        "estimated_wrap": hhmm(call_sheet.estimated_wrap),
        "lunch": call_sheet.lunch,
        "weather": weather.text,
        "weather_note": weather.note,
        "sun": sun,
        "hospital": hospital,
        "locations": locations,
        "scenes": scene_rows,
        "total_pages": eighths_label(sum(s.eighths for s in scenes)),
        "cast": cast_rows,
        "background": background,
        "crew": crew,
        "crew_count": sum(len(d["rows"]) for d in crew),
        "safety_notes": call_sheet.safety_notes,
        "safety_contact": prefs.safety_contact,
        "safety_hotline": prefs.safety_hotline,
        "walkie_channels": _lines(call_sheet.walkie_channels),
        "department_notes": _lines(call_sheet.department_notes),
        "special_requirements": _lines(call_sheet.special_requirements),
        "general_notes": call_sheet.general_notes,
        "key_contacts": _lines(call_sheet.key_contacts),
        "advance": call_sheet.advance_schedule,
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def redact(data: dict, *, own_person_id: int | None, show_phones: bool) -> dict:
    """A copy of `data` for one reader: others' phone numbers removed unless the production shares them."""
    out = {**data}
    out["cast"] = [{**r, "phone": r["phone"] if show_phones or (own_person_id and r["person_id"] == own_person_id) else ""}
                   for r in data["cast"]]
    out["crew"] = [{**d, "rows": [
        {**r, "phone": r["phone"] if show_phones or (own_person_id and r["person_id"] == own_person_id) else ""}
        for r in d["rows"]]} for d in data["crew"]]
    out["show_phones"] = show_phones
    return out


def office_data(*, access: ProductionAccess, call_sheet: CallSheet, revision: CallSheetRevision | None = None) -> dict:
    """What the office page shows: the draft as it stands, or a published revision's snapshot."""
    data = revision.snapshot if revision else sheet_data(call_sheet)
    show = preferences_get(access.production).share_phone_numbers or access.can(Action.MANAGE_CONTACTS)
    return {**redact(data, own_person_id=None, show_phones=show),
            "rest_warnings": cast_rest_warnings(access=access, call_sheet=call_sheet)}


def _cast_times(sheet: CallSheet) -> dict[int, tuple[datetime, datetime]]:
    """Working cast on a sheet: cast member id -> (first call of pickup/makeup/on set, or the general
    call; the estimated wrap, the next morning when it is not after the call). Holds are not working."""
    out: dict[int, tuple[datetime, datetime]] = {}
    for row in sheet.cast_rows.all():
        if not row.cast_member_id or row.status_code == "H":
            continue
        call = min([t for t in (row.pickup, row.makeup, row.on_set) if t] or [sheet.general_call or time(0)])
        call_at = datetime.combine(sheet.shoot_date, call)
        wrap = sheet.estimated_wrap
        wrap_at = datetime.combine(sheet.shoot_date, wrap) if wrap else call_at
        if wrap and wrap <= call:
            wrap_at += timedelta(days=1)
        out[row.cast_member_id] = (call_at, wrap_at)
    return out


def cast_rest_warnings(*, access: ProductionAccess, call_sheet: CallSheet) -> list[str]:
    """Rest-period warnings for this sheet's cast: the previous day's sheet (same unit) wrap against
    this sheet's cast calls, checked by the rest checkers other apps register (payroll: the pack on
    each cast member's deal). Empty when there is no previous day's sheet with an estimated wrap."""
    if not rest_hooks.has_rest_checkers():
        return []
    previous = CallSheet.objects.filter(production=call_sheet.production, unit_id=call_sheet.unit_id,
                                        shoot_date=call_sheet.shoot_date - timedelta(days=1)).first()
    if previous is None or previous.estimated_wrap is None:
        return []
    before, today = _cast_times(previous), _cast_times(call_sheet)
    rows = [row for row in call_sheet.cast_rows.all().order_by("cast_number")
            if row.cast_member_id in before and row.cast_member_id in today]
    found = rest_hooks.rest_warnings_for(
        access, {row.cast_member_id: [before[row.cast_member_id], today[row.cast_member_id]] for row in rows}
    )
    return [f"#{row.cast_number} {row.character}: {m}" for row in rows for m in found.get(row.cast_member_id, [])]


# --- distribution ------------------------------------------------------------------------------------


def recipient_by_token(token: str) -> Recipient:
    if not token or len(token) > 64:
        raise Http404("No such call sheet link.")
    try:
        return Recipient.objects.select_related("call_sheet", "call_sheet__production", "call_sheet__unit", "person").get(token=token)
    except Recipient.DoesNotExist:
        raise Http404("No such call sheet link.") from None


def distribution(*, access: ProductionAccess, call_sheet: CallSheet) -> list[Recipient]:
    """Recipients with their latest delivery attached as `.last` (two queries)."""
    recipients = list(call_sheet.recipients.order_by("kind", "name"))
    latest: dict[int, Delivery] = {}
    for d in Delivery.objects.filter(recipient__call_sheet=call_sheet).order_by("recipient_id", "-queued_at", "-id"):
        latest.setdefault(d.recipient_id, d)
    for r in recipients:
        r.last = latest.get(r.pk)
        r.confirmed_current = r.confirmed_revision == call_sheet.revision and call_sheet.is_published
    return recipients


# --- production reports ------------------------------------------------------------------------------


def dpr_list(*, access: ProductionAccess) -> QuerySet[DailyReport]:
    return DailyReport.objects.filter(production=access.production).select_related("unit").order_by("-shoot_date")


def dpr_get(*, access: ProductionAccess, report_id: int) -> DailyReport:
    try:
        return DailyReport.objects.select_related("unit", "production", "approved_by").get(
            production=access.production, pk=int(report_id))
    except (DailyReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such production report.") from None


@dataclass
class Progress:
    eighths_planned_today: int
    eighths_shot_today: int
    eighths_planned_to_date: int
    eighths_shot_to_date: int
    scenes_planned_to_date: int
    scenes_completed_to_date: int
    minutes_shot_today: int
    minutes_shot_to_date: int
    setups_today: int
    setups_to_date: int
    total_eighths: int
    days_ahead: float  # negative: behind

    @property
    def pages_planned_today(self) -> str:
        return eighths_label(self.eighths_planned_today)

    @property
    def pages_shot_today(self) -> str:
        return eighths_label(self.eighths_shot_today)

    @property
    def pages_planned_to_date(self) -> str:
        return eighths_label(self.eighths_planned_to_date)

    @property
    def pages_shot_to_date(self) -> str:
        return eighths_label(self.eighths_shot_to_date)

    @property
    def pages_ahead(self) -> str:
        diff = self.eighths_shot_to_date - self.eighths_planned_to_date
        return ("+" if diff >= 0 else "−") + eighths_label(abs(diff))

    @property
    def percent_shot(self) -> int:
        return round(100 * self.eighths_shot_to_date / self.total_eighths) if self.total_eighths else 0


def dpr_progress(*, access: ProductionAccess, report: DailyReport) -> Progress:
    """Pages and scenes shot to date against the applied schedule's plan to this day."""
    version = version_applied(access=access, unit_id=report.unit_id)
    planned_to_date = scenes_planned = total = 0
    days_planned = 0
    reports = list(DailyReport.objects.filter(unit_id=report.unit_id, shoot_date__lte=report.shoot_date).prefetch_related("scenes"))
    # A reported day keeps the plan it was reported against (moving its unshot scenes later must not
    # rewrite what was planned for it); days without a report take the applied schedule's plan.
    reported_plan: dict[int, tuple[int, int]] = {}
    for r in reports:
        planned_rows = [s for s in r.scenes.all() if s.planned]
        if planned_rows:
            reported_plan[r.day_number] = (sum(s.eighths_planned for s in planned_rows), len(planned_rows))
    if version is not None:
        board = board_get(access=access, version=version)
        total = board.total_eighths
        for day in board.days:
            if day.strips and day.number <= report.day_number:
                eighths, scenes = reported_plan.pop(day.number, (day.eighths, day.scenes))
                planned_to_date += eighths
                scenes_planned += scenes
                days_planned += 1
    for day_number, (eighths, scenes) in reported_plan.items():
        if day_number <= report.day_number:  # a reported day the board no longer has
            planned_to_date += eighths
            scenes_planned += scenes
            days_planned += 1
    shot_to_date = minutes_to_date = setups_to_date = completed = 0
    today = {"planned": 0, "shot": 0, "minutes": 0}
    for r in reports:
        for s in r.scenes.all():
            shot_to_date += s.eighths_shot
            minutes_to_date += s.minutes_shot
            if s.status == s.Status.COMPLETE:
                completed += 1
            if r.pk == report.pk:
                today["planned"] += s.eighths_planned if s.planned else 0
                today["shot"] += s.eighths_shot
                today["minutes"] += s.minutes_shot
        setups_to_date += r.setups
    per_day = planned_to_date / days_planned if days_planned else 0
    days_ahead = round((shot_to_date - planned_to_date) / per_day, 1) if per_day else 0.0
    return Progress(
        eighths_planned_today=today["planned"], eighths_shot_today=today["shot"],
        eighths_planned_to_date=planned_to_date, eighths_shot_to_date=shot_to_date,
        scenes_planned_to_date=scenes_planned, scenes_completed_to_date=completed,
        minutes_shot_today=today["minutes"], minutes_shot_to_date=minutes_to_date,
        setups_today=report.setups, setups_to_date=setups_to_date, total_eighths=total, days_ahead=days_ahead,
    )


def shoot_progress_panel(access: ProductionAccess):
    """The production dashboard's shoot-progress tile, from the latest production report."""
    latest = dpr_list(access=access).first()
    if latest is None:
        return None
    return "callsheets/_dashboard_progress.html", {"progress": dpr_progress(access=access, report=latest),
                                                   "report": latest}
