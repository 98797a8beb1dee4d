"""Production-report figures per shooting day for the hot cost (registered with
unitbase.budgets.hotcost_sources in CallsheetsConfig.ready(), as a *reporting* source: it gives hours
and extra days, never a cost, and gives way to the timecards on a date they cover).

For each date with a production report (draft or approved) of any unit:

- **hours**: the day's length from the DPR's times, crew call to camera wrap (to last out when the
  camera wrap is not entered), across midnight when the wrap is earlier than the call; with several
  units on a date, the longest unit day. A report without a crew call or a wrap gives no hours.
- **meal penalties**: the DPR has no meal-penalty field (they are counted on the timecards), so 0.
- **extra day**: a report whose date is not a shoot day of its unit's applied schedule (the schedule
  moved or shrank after the report was started), or whose day number is beyond the applied schedule's
  count of shoot days. A unit without an applied schedule has nothing to compare against: no mark.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from unitbase.budgets.hotcost_sources import DayFigures
from unitbase.scheduling.models import ScheduleVersion
from unitbase.scheduling.selectors import shoot_day_dates

from .models import DailyReport

ZERO = Decimal("0.00")


def report_day_hours(report: DailyReport) -> Decimal | None:
    """Crew call to wrap (camera wrap, else last out) in hours, to 2 places; None without both times."""
    wrap = report.camera_wrap or report.last_out
    if report.crew_call is None or wrap is None:
        return None
    start = dt.datetime.combine(report.shoot_date, report.crew_call)
    end = dt.datetime.combine(report.shoot_date, wrap)
    if end <= start:
        end += dt.timedelta(days=1)  # wrapped after midnight
    return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


def scheduled_shoot_days(version: ScheduleVersion) -> dict[int, dt.date | None]:
    """Day number → date of the version's shoot days, as the stripboard numbers and dates them."""
    return shoot_day_dates(version)


def _extra_reason(report: DailyReport, schedule: dict[int, dt.date | None] | None) -> str:
    if schedule is None:
        return ""
    if report.day_number > len(schedule):
        return (f"{report.unit.name}: day {report.day_number} is beyond the applied schedule's "
                f"{len(schedule)} shoot day{'s' if len(schedule) != 1 else ''}.")
    if report.shoot_date not in set(schedule.values()):
        return f"{report.unit.name}: {report.shoot_date:%a %d %b %Y} is not a shoot day of the applied schedule."
    return ""


def dpr_day_figures(production, start: dt.date, end: dt.date) -> list[DayFigures]:
    reports = list(DailyReport.objects.filter(production=production, shoot_date__gte=start, shoot_date__lte=end)
                   .select_related("unit").order_by("shoot_date", "unit_id"))
    if not reports:
        return []
    versions = {v.schedule.unit_id: v for v in ScheduleVersion.objects.filter(
        schedule__production=production, schedule__unit_id__in={r.unit_id for r in reports}, is_applied=True,
    ).select_related("schedule")}
    schedules = {unit_id: scheduled_shoot_days(v) for unit_id, v in versions.items()}
    by_date: dict[dt.date, dict] = {}
    for report in reports:
        slot = by_date.setdefault(report.shoot_date, {"hours": None, "reasons": []})
        hours = report_day_hours(report)
        if hours is not None and (slot["hours"] is None or hours > slot["hours"]):
            slot["hours"] = hours
        reason = _extra_reason(report, schedules.get(report.unit_id))
        if reason:
            slot["reasons"].append(reason)
    return [DayFigures(date=date, hours=v["hours"] if v["hours"] is not None else ZERO, overtime_hours=ZERO,
                       meal_penalties=0, cost=ZERO, currency=production.base_currency, source="dpr",
                       extra_day=bool(v["reasons"]), extra_reason=" ".join(v["reasons"]),
                       has_hours=v["hours"] is not None)
            for date, v in by_date.items()]
