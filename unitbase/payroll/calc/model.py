"""Typed inputs and results of the timecard calculator.

Times: every datetime of one WorkDay is either naive local wall-clock time (the production's
local time at the place of work) or aware; mixing the two is refused. Durations of aware times
are measured in UTC, so a night that crosses a DST change counts its real length; wall-clock
rules (night windows, "call not before 06:00") read the datetimes as given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

RateUnit = Literal["hour", "day", "week"]

# Pay-line kinds. "Time" kinds pay for hours worked or guaranteed; the floor compares per kind group.
TIME_KINDS = frozenset({"base", "day_share", "overtime", "golden", "guarantee"})
WORKED_KINDS = frozenset({"base", "day_share", "overtime", "golden"})


@dataclass(frozen=True, slots=True)
class MealPeriod:
    out: dt.datetime
    back: dt.datetime


@dataclass(frozen=True, slots=True)
class Interval:
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class WorkDay:
    date: dt.date
    call: dt.datetime
    wrap: dt.datetime
    meals: tuple[MealPeriod, ...] = ()
    travel: tuple[Interval, ...] = ()
    zone: str | None = None
    production_type: str | None = None
    on_production: bool = True
    day_in_week: int = 1  # nth day worked in the workweek, 1-based
    sixth_day: bool = False  # force the 6th-day treatment whatever day_in_week says
    seventh_day: bool = False
    holiday: bool = False
    shooting: bool = True
    mileage: Decimal = Decimal(0)
    previous_dismissal: dt.datetime | None = None
    previous_week_days_worked: int | None = None  # set on the first day of a week to check weekend rest
    rest_reduction: str | None = None  # key of a pack rest reduction that the AD has established applies
    meal_penalties_earlier_in_week: int = 0

    def all_datetimes(self) -> list[dt.datetime]:
        found = [self.call, self.wrap]
        for meal in self.meals:
            found += [meal.out, meal.back]
        for leg in self.travel:
            found += [leg.start, leg.end]
        if self.previous_dismissal is not None:
            found.append(self.previous_dismissal)
        return found

    @property
    def day_kind(self) -> Literal["normal", "sixth_day", "seventh_day", "holiday"]:
        if self.holiday:
            return "holiday"
        if self.seventh_day or self.day_in_week >= 7:
            return "seventh_day"
        if self.sixth_day or self.day_in_week == 6:
            return "sixth_day"
        return "normal"


@dataclass(frozen=True, slots=True)
class Deal:
    rate: Decimal
    rate_unit: RateUnit
    pack_id: str
    employment_type: str | None = None
    guarantee_hours: Decimal | None = None
    jurisdiction: str | None = None  # e.g. "US-CA": floor packs for it apply unless the pack is exempt
    allowances: dict[str, Decimal] = field(default_factory=dict)  # code -> amount, overrides the pack
    # Rate changes: ((from_date, rate), ...); `rate` applies before the first one. A week crossing
    # a change pays each day at the rate in force on its date (see `on`).
    rate_changes: tuple[tuple[dt.date, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal):
            raise TypeError("Deal.rate must be a Decimal")
        if self.rate < 0:
            raise ValueError("Deal.rate cannot be negative")
        for _, rate in self.rate_changes:
            if not isinstance(rate, Decimal) or rate < 0:
                raise ValueError("Deal.rate_changes rates must be non-negative Decimals")

    def rate_on(self, date: dt.date) -> Decimal:
        rate = self.rate
        for start, changed in sorted(self.rate_changes):
            if start <= date:
                rate = changed
        return rate

    def on(self, date: dt.date) -> Deal:
        """This deal with the rate in force on `date` (itself when nothing changes)."""
        if not self.rate_changes:
            return self
        return Deal(rate=self.rate_on(date), rate_unit=self.rate_unit, pack_id=self.pack_id,
                    employment_type=self.employment_type, guarantee_hours=self.guarantee_hours,
                    jurisdiction=self.jurisdiction, allowances=self.allowances)


@dataclass(frozen=True, slots=True)
class PayLine:
    rule_id: str
    kind: str  # base, overtime, golden, guarantee, meal_penalty, rest, night, allowance, floor, weekly_overtime
    amount: Decimal  # rounded once, half-up to the cent
    explanation: str
    hours: Decimal | None = None
    rate: Decimal | None = None
    multiplier: Decimal | None = None
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RestCheck:
    required_hours: Decimal
    actual_hours: Decimal
    rule_id: str
    kind: Literal["daily", "weekly"]

    @property
    def shortfall_hours(self) -> Decimal:
        return max(Decimal(0), self.required_hours - self.actual_hours)

    @property
    def violated(self) -> bool:
        return self.actual_hours < self.required_hours


@dataclass(slots=True)
class DayResult:
    date: dt.date
    pack_id: str
    pack_version: str
    currency: str
    worked_minutes: int
    elapsed_minutes: int
    minutes_by_tier: dict[str, int]
    lines: list[PayLine]
    fringes: list[PayLine]
    meal_penalty_units: int = 0
    rest: RestCheck | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def hours(self) -> dict[str, Decimal]:
        return {tier: minutes_to_hours(m) for tier, m in self.minutes_by_tier.items() if m}

    @property
    def worked_hours(self) -> Decimal:
        return minutes_to_hours(self.worked_minutes)

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def amount_by_kind(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for line in self.lines:
            totals[line.kind] += line.amount
        return dict(totals)

    def paid_worked_hours(self) -> Decimal:
        """Hours on the lines that pay for time actually worked (guarantee lines excluded)."""
        return sum((line.hours or Decimal(0) for line in self.lines if line.kind in WORKED_KINDS), Decimal(0))

    def explain(self) -> str:
        return "\n".join(f"{line.amount:>10} {line.rule_id}: {line.explanation}" for line in self.lines)


@dataclass(slots=True)
class WeekResult:
    pack_id: str
    currency: str
    days: list[DayResult]
    lines: list[PayLine]  # week-level lines: weekly salary, weekly overtime, weekly allowances, floor top-ups
    fringes: list[PayLine]
    notes: list[str] = field(default_factory=list)

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.all_lines()), Decimal("0.00"))

    def all_lines(self) -> list[PayLine]:
        return [line for day in self.days for line in day.lines if line.kind != "day_share"] + self.lines


def minutes_to_hours(minutes: int) -> Decimal:
    """Hours for display: exact when minutes are multiples of 6 (tenths), else to 4 places."""
    value = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.0001"))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
