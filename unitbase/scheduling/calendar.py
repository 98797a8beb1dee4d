"""The calendar views of a schedule: month grids of a unit's days and iCal feeds (RFC 5545, written
here: all-day events, CRLF lines folded at 75 octets)."""

from __future__ import annotations

import calendar as pycal
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from unitbase.productions.permissions import ProductionAccess

from .models import Availability, CalendarFeed, ProductionCalendar, ScheduleVersion
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


def _engaged_on(crew, day: date) -> bool:
    """A crew member works the unit's shoot days inside their engagement (open ends count as open)."""
    return (crew.start_date is None or crew.start_date <= day) and (crew.end_date is None or day <= crew.end_date)


def ical_for_feed(feed: CalendarFeed) -> str:
    production = feed.production
    access = _FeedAccess(production)
    crew = feed.crew_member
    if feed.unit_id:
        units = [feed.unit]
    elif crew is not None and crew.unit_id:
        units = [crew.unit]
    else:
        units = list(production.units.order_by("id"))
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
            if crew is not None and not _engaged_on(crew, day.date):
                continue
            scenes = [s for s in day.strips if s.kind == "scene"]
            if member is not None:
                scenes = [s for s in scenes if member.pk in {c.pk for c in s.cast_members}]
                if not scenes:
                    continue
            desc = "\n".join(f"Sc {s.label} {s.scene.int_ext} {s.scene.set_name} {s.dn} {s.pages} pg" for s in scenes)
            who = f" — {member.character}" if member else (f" — {crew.person.name}" if crew else "")
            suffix = f"-c{member.pk}" if member else (f"-w{crew.pk}" if crew else "")
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
    if crew is not None:
        name += f" — {crew.person.name}"
    return ical_text(name=name, events=sorted(events, key=lambda e: e["date"]), uid_prefix=f"ub{production.pk}-f{feed.pk}")
