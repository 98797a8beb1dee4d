"""The calendar views of a schedule: month grids of a unit's days and iCal feeds (RFC 5545, written
here: all-day events, CRLF lines folded at 75 octets)."""

from __future__ import annotations

import calendar as pycal
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from unitbase.people.models import CrewMember
from unitbase.productions.permissions import ProductionAccess

from .models import Availability, CalendarDay, CalendarFeed, ProductionCalendar, ScheduleVersion
from .selectors import board_get, calendar_exceptions, eighths_label


def calendar_list(*, access: ProductionAccess):
    return ProductionCalendar.objects.filter(production=access.production).select_related("unit")


def _applied_board(access_like: Any, unit_id: int):
    version = (
        ScheduleVersion.objects.filter(schedule__unit_id=unit_id, is_applied=True).select_related("schedule", "schedule__unit").first()
        or ScheduleVersion.objects.filter(schedule__unit_id=unit_id).select_related("schedule", "schedule__unit").order_by("-created_at").first()
    )
    if version is None:
        return None
    return board_get(access=access_like, version=version)


def month_grid(*, access: ProductionAccess, unit) -> list[dict[str, Any]]:
    """Months from prep to wrap, each a list of weeks of 7 cells {date, kind, label, day}."""
    calendar = ProductionCalendar.objects.get(unit=unit)
    exceptions = calendar_exceptions(calendar)
    board = _applied_board(access, unit.pk)
    shoot = {d.date: d for d in board.days if d.date} if board else {}
    first = calendar.prep_start or calendar.shoot_start
    last = max([calendar.wrap_end or calendar.shoot_end, *shoot.keys()])
    months = []
    year, month = first.year, first.month
    weekdays = set(calendar.working_weekdays)
    while (year, month) <= (last.year, last.month):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                kind, label, shoot_day = "", "", None
                if day.month != month:
                    kind = "outside"
                elif day in shoot:
                    kind, shoot_day = "shoot", shoot[day]
                    label = f"Day {shoot_day.number}"
                elif exceptions.get(day) in ("holiday", "off", "travel"):
                    kind = exceptions[day]
                    label = {"holiday": "Holiday", "off": "Day off", "travel": "Travel"}[kind]
                elif day.weekday() not in weekdays:
                    kind = "weekend"
                elif calendar.prep_start and calendar.prep_start <= day < calendar.shoot_start:
                    kind, label = "prep", "Prep"
                elif calendar.shoot_start <= day <= calendar.shoot_end:
                    kind, label = "unscheduled", "Shoot"
                elif calendar.wrap_end and calendar.shoot_end < day <= calendar.wrap_end:
                    kind, label = "wrap", "Wrap"
                cells.append({"date": day, "kind": kind, "label": label, "day": shoot_day})
            weeks.append(cells)
        months.append({"title": date(year, month, 1).strftime("%B %Y"), "weeks": weeks})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- iCal ----------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ical_text(*, name: str, events: list[dict[str, Any]], uid_prefix: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Unitbase//Schedule//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"]
    for event in events:
        day: date = event["date"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_prefix}-{event['key']}@unitbase",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(event['summary'])}",
            f"DESCRIPTION:{_escape(event.get('description', ''))}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


class _FeedAccess:
    """What board_get needs of an access, for a feed read without a signed-in user."""

    def __init__(self, production):
        self.production = production


def _works(calendar: ProductionCalendar, exceptions: dict[date, str], day: date) -> bool:
    """A working date of the unit's calendar: a working weekday that is no day off or holiday, an
    extra working day, or a company travel day (travel is paid work)."""
    kind = exceptions.get(day)
    if kind in (CalendarDay.Kind.WORK, CalendarDay.Kind.TRAVEL):
        return True
    return kind is None and day.weekday() in set(calendar.working_weekdays or [0, 1, 2, 3, 4])


def crew_work_days(*, crew: CrewMember, units: list | None = None, boards: dict | None = None) -> list[dict[str, Any]]:
    """A crew member's work days, exactly as the calendars and applied schedules know them.

    Units: the engagement's unit, or every unit of the production when it has none (a day two units
    shoot is one work day). For each unit with a calendar, the work days are its prep days (working
    dates from prep start to the day before the first shoot day), the applied schedule's shoot days
    (the dates of its days, past the planned last day if the board runs over), its company travel
    days, and its wrap days (working dates after the later of the last shoot day and the planned
    last day, up to wrap end). Days off, holidays, weekends and unscheduled shoot-period days are not
    work days. The engagement's dates clip them: without a start date the engagement starts on the
    unit's first shoot day, without an end date it ends on its last shoot day (prep and wrap crew
    have dates). Returns one dict per date, in order: {date, kind (prep|shoot|travel|wrap), label,
    description}; `department` names the crew member's department on every day."""
    production = crew.production
    if units is None:
        units = [crew.unit] if crew.unit_id else list(production.units.order_by("id"))
    calendars = {c.unit_id: c for c in ProductionCalendar.objects.filter(unit__in=units)}
    access = _FeedAccess(production)
    by_date: dict[date, list[tuple[str, str, str]]] = {}
    for unit in units:
        calendar = calendars.get(unit.pk)
        if calendar is None:
            continue
        exceptions = calendar_exceptions(calendar)
        board = boards.get(unit.pk) if boards is not None else _applied_board(access, unit.pk)
        shoot = {d.date: d for d in (board.days if board else []) if d.date}
        total = len(board.days) if board else 0
        first = min(shoot) if shoot else calendar.shoot_start
        last = max(shoot) if shoot else calendar.shoot_end
        start = crew.start_date or first
        end = crew.end_date or last
        begin = min(d for d in (calendar.prep_start, calendar.shoot_start, first) if d)
        finish = max(d for d in (calendar.wrap_end, calendar.shoot_end, last) if d)
        wrap_from = max(last, calendar.shoot_end)
        day = max(begin, start)
        while day <= min(finish, end):
            entry = None
            if day in shoot:
                d = shoot[day]
                desc = f"{d.scenes} scenes, {eighths_label(d.eighths)} pages"
                entry = ("shoot", f"{unit.name} day {d.number} of {total}", desc)
            elif exceptions.get(day) == CalendarDay.Kind.TRAVEL:
                entry = ("travel", f"{unit.name} travel day", "Company travel day")
            elif day < first and _works(calendar, exceptions, day) and calendar.prep_start and day >= calendar.prep_start:
                entry = ("prep", f"{unit.name} prep", "Prep")
            elif day > wrap_from and _works(calendar, exceptions, day) and calendar.wrap_end and day <= calendar.wrap_end:
                entry = ("wrap", f"{unit.name} wrap", "Wrap")
            if entry:
                by_date.setdefault(day, []).append(entry)
            day += timedelta(days=1)
    rank = {"shoot": 0, "travel": 1, "prep": 2, "wrap": 3}
    result = []
    for day in sorted(by_date):
        entries = sorted(by_date[day], key=lambda e: rank[e[0]])
        result.append({
            "date": day, "kind": entries[0][0], "label": " + ".join(e[1] for e in entries),
            "description": "\n".join(e[2] for e in entries), "department": crew.department.name,
        })
    return result


def ical_for_feed(feed: CalendarFeed) -> str:
    production = feed.production
    access = _FeedAccess(production)
    crew = feed.crew_member
    if crew is not None:
        units = [feed.unit] if feed.unit_id else None
        days = crew_work_days(crew=crew, units=units)
        who = f"{crew.person.name} ({crew.department.name})"
        events = [{"key": f"{d['date']:%Y%m%d}-w{crew.pk}", "date": d["date"],
                   "summary": f"{production.title}: {d['label']} — {who}", "description": d["description"]}
                  for d in days]
        name = production.title + (f" — {feed.unit.name}" if feed.unit_id else "") + f" — {crew.person.name}"
        return ical_text(name=name, events=events, uid_prefix=f"ub{production.pk}-f{feed.pk}")
    units = [feed.unit] if feed.unit_id else list(production.units.order_by("id"))
    events: list[dict[str, Any]] = []
    member = feed.cast_member
    for unit in units:
        board = _applied_board(access, unit.pk)
        if board is None:
            continue
        total = len(board.days)
        for day in board.days:
            if not day.date:
                continue
            scenes = [s for s in day.strips if s.kind == "scene"]
            if member is not None:
                scenes = [s for s in scenes if member.pk in {c.pk for c in s.cast_members}]
                if not scenes:
                    continue
            desc = "\n".join(f"Sc {s.label} {s.scene.int_ext} {s.scene.set_name} {s.dn} {s.pages} pg" for s in scenes)
            who = f" — {member.character}" if member else ""
            suffix = f"-c{member.pk}" if member else ""
            events.append({
                "key": f"{unit.pk}-{day.number}-{day.date:%Y%m%d}{suffix}", "date": day.date,
                "summary": f"{production.title}: {unit.name} day {day.number} of {total}{who}",
                "description": f"{len(scenes)} scenes, {eighths_label(sum(s.eighths for s in scenes))} pages\n{desc}",
            })
    if member is not None:
        for row in Availability.objects.filter(cast_member=member, status__in=["travel", "rehearsal", "fitting"]):
            events.append({"key": f"a{row.pk}", "date": row.date,
                           "summary": f"{production.title}: {row.get_status_display()} — {member.character}",
                           "description": row.note})
    name = production.title + (f" — {feed.unit.name}" if feed.unit_id else "") + (f" — {member.character}" if member else "")
    return ical_text(name=name, events=sorted(events, key=lambda e: e["date"]), uid_prefix=f"ub{production.pk}-f{feed.pk}")
