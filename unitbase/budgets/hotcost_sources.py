"""A shooting day's actual figures that other apps know (payroll: the timecards; call sheets: the
daily production report), through a registry filled in AppConfig.ready(), so the hot cost can be
filled from them instead of typed in.

Budgets sits below payroll and call sheets (import-linter), so they register providers:

    from unitbase.budgets.hotcost_sources import register
    register("timecards", "Timecards", timecard_day_figures)                     # pays
    register("dpr", "Production report", dpr_day_figures, pays=False)            # reports

A provider takes (production, start, end) and returns `DayFigures` per date (amounts in their own
currency). `day_figures` merges them per date:

- `hours` is the **day's length**, compared with the planned (budgeted) day length: a paying source
  gives the longest worked day among its cards, a reporting source crew call to wrap; the longest of
  them is kept. Overtime hours are the crew's, added up over the cards (they are what is paid);
- **paying** sources (timecards) are added up: overtime, meal penalties, people and the cost
  (converted into the reporting budget's base currency with its exchange rates);
- **reporting** sources (the DPR) give overtime and meal penalties only for a date that no paying
  source covers (`from_pay` is False then), and never a cost; their day length is kept as
  `report_hours`, which the fill prefers for the actual hours (the report is the day's record);
- the **extra day** mark comes from any source that sets it (only the DPR knows the schedule), with
  its reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DayFigures:
    date: dt.date
    hours: Decimal  # the day's length: the longest card's worked hours, or the DPR's call to wrap
    overtime_hours: Decimal  # crew overtime hours, added up over the cards
    meal_penalties: int
    cost: Decimal
    currency: str
    source: str
    people: int = 0
    extra_day: bool = False
    extra_reason: str = ""
    has_hours: bool = True  # False: the source saw the day but knows no hours (a DPR without times)


@dataclass
class DayTotal:
    date: dt.date
    hours: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    meal_penalties: int = 0
    cost: Decimal = ZERO  # base currency of the reporting budget
    people: int = 0
    sources: list[str] = field(default_factory=list)
    from_pay: bool = False  # the hours/overtime/meal penalties come from a paying source (timecards)
    has_hours: bool = False  # some source gave the day's hours
    extra_day: bool = False
    extra_reasons: list[str] = field(default_factory=list)
    report_hours: Decimal | None = None  # the reporting sources' hours (the DPR's call to wrap), for display


Provider = Callable[[Any, dt.date, dt.date], Iterable[DayFigures]]
_SOURCES: dict[str, tuple[str, Provider, bool]] = {}


def register(key: str, label: str, provider: Provider, *, pays: bool = True) -> None:
    """Add (or replace, by key: ready() may run twice in tests) a source. `pays=False`: a reporting
    source (hours and extra days, no cost) that gives way to the paying sources on a date they cover."""
    _SOURCES[key] = (label, provider, pays)


def day_figures(production: Any, start: dt.date, end: dt.date) -> dict[dt.date, DayTotal]:
    """Every source's figures from `start` to `end`, added up per date (cost in base currency)."""
    from .costreport import reporting_budget, to_base

    budget = reporting_budget(production)
    totals: dict[dt.date, DayTotal] = {}
    reports: list[DayFigures] = []
    for label, provider, pays in _SOURCES.values():
        for fig in provider(production, start, end):
            total = totals.setdefault(fig.date, DayTotal(date=fig.date))
            if label not in total.sources:
                total.sources.append(label)
            if fig.extra_day:
                total.extra_day = True
                if fig.extra_reason and fig.extra_reason not in total.extra_reasons:
                    total.extra_reasons.append(fig.extra_reason)
            if not pays:
                reports.append(fig)
                continue
            total.from_pay = total.has_hours = True
            total.hours = max(total.hours, fig.hours)
            total.overtime_hours += fig.overtime_hours
            total.meal_penalties += fig.meal_penalties
            total.people += fig.people
            if budget is not None:
                total.cost += to_base(budget, fig.cost, fig.currency)
    for fig in reports:  # after every paying source, whatever the registration order
        total = totals[fig.date]
        if fig.has_hours:
            total.report_hours = max(total.report_hours or ZERO, fig.hours)
        if total.from_pay or not fig.has_hours:
            continue
        total.has_hours = True
        total.hours = max(total.hours, fig.hours)
        total.overtime_hours += fig.overtime_hours
        total.meal_penalties += fig.meal_penalties
    return dict(sorted(totals.items()))
