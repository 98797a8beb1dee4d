"""Timecard figures per shooting day for the hot cost (registered with unitbase.budgets.hotcost_sources
in PayrollConfig.ready()).

For each date: the days of the production's submitted or approved timecards (drafts, rejected and
superseded revisions left out): the day's length (the longest worked hours among the cards, to set
against the budgeted day length), the crew's overtime hours added up (every tier but "straight"),
meal penalty units, and the day's calculated gross, per currency. Week-level pay (weekly salaries,
weekly overtime) has no date and is not in a day's figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from unitbase.budgets.hotcost_sources import DayFigures

from .models import TimecardDay, TimecardStatus

ZERO = Decimal("0")


def timecard_day_figures(production, start: dt.date, end: dt.date) -> list[DayFigures]:
    days = (TimecardDay.objects
            .filter(timecard__production=production, date__gte=start, date__lte=end,
                    timecard__status__in=[TimecardStatus.SUBMITTED, TimecardStatus.APPROVED])
            .select_related("timecard").order_by("date"))
    grouped: dict[tuple[dt.date, str], dict] = {}
    for day in days:
        if day.worked_hours is None and day.gross is None:
            continue  # not worked or not calculated yet
        slot = grouped.setdefault((day.date, day.timecard.currency),
                                  {"hours": ZERO, "ot": ZERO, "meals": 0, "cost": ZERO, "people": 0})
        slot["hours"] = max(slot["hours"], day.worked_hours or ZERO)
        slot["ot"] += sum((Decimal(h) for tier, h in (day.hours_by_tier or {}).items() if tier != "straight"), ZERO)
        slot["meals"] += day.meal_penalty_units
        slot["cost"] += day.gross or ZERO
        slot["people"] += 1
    return [DayFigures(date=date, hours=v["hours"], overtime_hours=v["ot"], meal_penalties=v["meals"],
                       cost=v["cost"], currency=currency, source="timecards", people=v["people"])
            for (date, currency), v in grouped.items()]
