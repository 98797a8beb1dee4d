"""A shooting day's actual figures that other apps know (payroll: the timecards), through a registry
filled in AppConfig.ready(), so the hot cost can be filled from them instead of typed in.

Budgets sits below payroll (import-linter), so payroll registers a provider:

    from unitbase.budgets.hotcost_sources import register
    register("timecards", "Timecards", timecard_day_figures)

A provider takes (production, start, end) and returns `DayFigures` per date (amounts in their own
currency); `day_figures` adds every source's figures up per date, the cost converted into the
reporting budget's base currency with its exchange rates.
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
    hours: Decimal
    overtime_hours: Decimal
    meal_penalties: int
    cost: Decimal
    currency: str
    source: str
    people: int = 0


@dataclass
class DayTotal:
    date: dt.date
    hours: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    meal_penalties: int = 0
    cost: Decimal = ZERO  # base currency of the reporting budget
    people: int = 0
    sources: list[str] = field(default_factory=list)


Provider = Callable[[Any, dt.date, dt.date], Iterable[DayFigures]]
_SOURCES: dict[str, tuple[str, Provider]] = {}


def register(key: str, label: str, provider: Provider) -> None:
    """Add (or replace, by key: ready() may run twice in tests) a source."""
    _SOURCES[key] = (label, provider)


def day_figures(production: Any, start: dt.date, end: dt.date) -> dict[dt.date, DayTotal]:
    """Every source's figures from `start` to `end`, added up per date (cost in base currency)."""
    from .costreport import reporting_budget, to_base

    budget = reporting_budget(production)
    totals: dict[dt.date, DayTotal] = {}
    for label, provider in _SOURCES.values():
        for fig in provider(production, start, end):
            total = totals.setdefault(fig.date, DayTotal(date=fig.date))
            total.hours += fig.hours
            total.overtime_hours += fig.overtime_hours
            total.meal_penalties += fig.meal_penalties
            total.people += fig.people
            if budget is not None:
                total.cost += to_base(budget, fig.cost, fig.currency)
            if label not in total.sources:
                total.sources.append(label)
    return dict(sorted(totals.items()))
