"""The rule-pack format: pydantic models for one YAML file (``rule_set:`` at the top).

Every rule block carries provenance: ``verified: true`` with a ``source``, or ``verified: false``
with a ``note`` saying what to check. Unknown keys are refused, so a typo fails loudly with its
field path instead of silently switching a rule off.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Basis = Literal["worked", "elapsed"]
Zone = str  # studio_premises, studio_zone, nearby, distant_location (free text; packs match on it)
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_hhmm(value: object) -> dt.time:
    """Wall-clock time written as 'HH:MM' (quoted in YAML: unquoted 13:00 is read as a number)."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValueError(f"expected a quoted 'HH:MM' time, got {value!r}")
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Strict):
    """Where a value comes from. Unverified values must say what to check; verified ones where."""

    verified: bool = False
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> Provenance:
        if not self.verified and not self.note:
            raise ValueError("an unverified rule needs a 'note' saying what to check")
        if self.verified and not self.source:
            raise ValueError("a verified rule needs a 'source'")
        return self


class MultiplierByDay(_Strict):
    """Multiplier per kind of day; a missing kind falls back to ``normal`` x that day's premium."""

    normal: Decimal
    sixth_day: Decimal | None = None
    seventh_day: Decimal | None = None
    holiday: Decimal | None = None


class When(_Strict):
    """Conditions on the day; an absent condition matches anything."""

    zone: list[Zone] | None = None
    production_type: list[str] | None = None
    on_production: bool | None = None

    def matches(self, *, zone: str | None, production_type: str | None, on_production: bool) -> bool:
        if self.zone is not None and zone not in self.zone:
            return False
        if self.production_type is not None and production_type not in self.production_type:
            return False
        return not (self.on_production is not None and on_production != self.on_production)


class Tier(Provenance):
    """Hours beyond ``after_hours`` (counted on ``basis``) are paid at ``multiplier`` x base."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    after_hours: Decimal = Field(ge=0)
    basis: Basis = "worked"
    multiplier: Decimal | MultiplierByDay
    when: When = When()


class Selectors(_Strict):
    union: str | None = None
    classification: list[str] | None = None
    employment_type: list[str] | None = None
    zone: list[Zone] | None = None
    production_type: list[str] | None = None
    jurisdiction: str | None = None


class Effective(_Strict):
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.to is not None and self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)


class TimeRules(Provenance):
    rounding_increment_minutes: int = Field(default=6, ge=1, le=60)
    rounding_direction: Literal["up", "down", "nearest"] = "up"
    workweek_start: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "sunday"
    travel_counts_as_worked: bool = True


class DayPremiums(Provenance):
    """Factor on the base rate for straight time on the 6th / 7th day worked and on holidays."""

    sixth_day: Decimal = Field(default=Decimal(1), ge=1)
    seventh_day: Decimal = Field(default=Decimal(1), ge=1)
    holiday: Decimal = Field(default=Decimal(1), ge=1)


class Holidays(Provenance):
    names: list[str] = []


class MealPenalty(Provenance):
    type: Literal["schedule", "one_hour_regular_pay"] = "schedule"
    unit_minutes: int = Field(default=30, ge=1)
    schedule: list[Decimal] = []  # per late unit: 1st, 2nd, ...; the last value repeats
    extra_from_unit: int | None = Field(default=None, ge=1)
    extra_amount: Decimal | None = None
    prevailing_rate_after_count_per_week: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _complete(self) -> MealPenalty:
        if self.type == "schedule" and not self.schedule:
            raise ValueError("a 'schedule' penalty needs at least one amount in 'schedule'")
        if (self.extra_from_unit is None) != (self.extra_amount is None):
            raise ValueError("'extra_from_unit' and 'extra_amount' go together")
        return self


class Meals(Provenance):
    first_due_after_hours: Decimal = Field(gt=0)
    first_due_from: Literal["call"] = "call"
    earliest_after_hours: Decimal | None = None
    subsequent_due_after_hours: Decimal | None = Field(default=None, gt=0)
    min_minutes: int = Field(default=30, ge=0)
    max_minutes: int = Field(default=60, ge=0)
    grace_minutes: int = Field(default=0, ge=0)
    deductible: bool = True
    penalty: MealPenalty


class InvasionPenalty(Provenance):
    """Invaded rest hours paid ``additional_multiplier`` x base on top; first matching row wins."""

    up_to_hours: Decimal | None = None
    zones: list[Zone] | None = None
    additional_multiplier: Decimal = Field(ge=0)


class ForcedCall(Provenance):
    """A flat penalty per rest violation: one day's pay, capped at ``cap`` when set."""

    basis: Literal["day_pay"] = "day_pay"
    cap: Decimal | None = Field(default=None, ge=0)


class RestReduction(Provenance):
    key: str
    to_hours: Decimal = Field(gt=0)


class WeeklyRest(Provenance):
    after_five_day_week: Decimal = Field(gt=0)
    after_six_day_week: Decimal | None = Field(default=None, gt=0)
    reduced_to_hours: Decimal | None = None
    reduced_if_call_not_before: str | None = None

    @field_validator("reduced_if_call_not_before")
    @classmethod
    def _time(cls, value: str | None) -> str | None:
        if value is not None:
            parse_hhmm(value)
        return value


class Rest(Provenance):
    daily_hours: Decimal = Field(gt=0)
    reductions: list[RestReduction] = []
    weekly: WeeklyRest | None = None
    invasion_penalties: list[InvasionPenalty] = []
    forced_call: ForcedCall | None = None

    @model_validator(mode="after")
    def _one_penalty(self) -> Rest:
        if self.forced_call and self.invasion_penalties:
            raise ValueError("give either 'forced_call' or 'invasion_penalties', not both")
        return self


class NightRule(_Strict):
    """If the call falls in ``called_between`` (or always, when absent), time worked inside
    ``window`` (or all time, when absent) earns ``percent`` of base on top."""

    called_between: tuple[str, str] | None = None
    window: tuple[str, str] | None = None
    percent: Decimal = Field(gt=0)

    @field_validator("called_between", "window")
    @classmethod
    def _times(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        if value is not None:
            for item in value:
                parse_hhmm(item)
        return value


class NightPremium(Provenance):
    when: When = When()
    rules: list[NightRule] = Field(min_length=1)


class MinimumCall(Provenance):
    hours: Decimal = Field(gt=0)


class Allowance(Provenance):
    code: str
    name: str
    per: Literal["day", "shooting_day", "week", "mile"]
    amount: Decimal | None = None  # None: the deal supplies it


class Fringe(Provenance):
    code: str
    name: str
    type: Literal["percent", "flat_per_hour"]
    rate: Decimal | None = None  # percent (e.g. 4 for 4 %) or amount per hour; None: fill from rate sheet
    basis: Literal["gross", "time_pay", "hours_worked_or_guaranteed"] = "gross"


class DayRate(Provenance):
    """A day rate buys ``covers_hours`` of straight time; overtime uses rate / ``hourly_divisor``."""

    covers_hours: Decimal = Field(gt=0)
    hourly_divisor: Decimal = Field(gt=0)


class Weekly(Provenance):
    workweek_days: int = Field(default=5, ge=1, le=7)
    workweek_days_by_zone: dict[Zone, int] = {}
    hourly_divisor: Decimal = Field(gt=0)
    day_divisor: Decimal | None = None  # one day's pay = weekly rate / this (default workweek_days)

    def days_for(self, zone: str | None) -> int:
        return self.workweek_days_by_zone.get(zone or "", self.workweek_days)


class Overscale(Provenance):
    """Above ``money_break_day`` a day rate's overtime uses the money break and these tiers."""

    money_break_day: Decimal = Field(gt=0)
    overtime: list[Tier] = Field(min_length=1)


# --- embedded test cases --------------------------------------------------------------------


class CaseDeal(_Strict):
    rate: Decimal = Field(ge=0)
    rate_unit: Literal["hour", "day", "week"]
    guarantee_hours: Decimal | None = None
    employment_type: str | None = None
    jurisdiction: str | None = None
    allowances: dict[str, Decimal] = {}


class CaseDay(_Strict):
    date: dt.date
    call: str
    meals: list[tuple[str, str]] = []
    wrap: str
    travel: list[tuple[str, str]] = []
    zone: Zone | None = None
    production_type: str | None = None
    on_production: bool = True
    day_in_week: int = Field(default=1, ge=1, le=7)
    holiday: bool = False
    shooting: bool = True
    mileage: Decimal = Decimal(0)
    previous_dismissal: str | None = None  # 'HH:MM' (the day before) or 'YYYY-MM-DD HH:MM'
    previous_week_days_worked: int | None = None
    rest_reduction: str | None = None
    meal_penalties_earlier_in_week: int = 0

    @field_validator("call", "wrap", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        parse_hhmm(value)
        return value

    @field_validator("meals", "travel", mode="before")
    @classmethod
    def _pairs(cls, value: object) -> object:
        for pair in value if isinstance(value, list) else []:
            for item in pair if isinstance(pair, list | tuple) else []:
                parse_hhmm(item)
        return value


class CaseExpect(_Strict):
    hours: dict[str, Decimal] | None = None  # every tier with hours; tiers not listed must be 0
    meal_penalty_units: int | None = None
    amounts: dict[str, Decimal] = {}  # pay-line kind -> total
    gross: Decimal | None = None
    rest_violation: bool | None = None
    fringes: dict[str, Decimal] = {}


class TestCase(_Strict):
    __test__ = False  # not a pytest class

    name: str
    deal: CaseDeal
    day: CaseDay
    expect: CaseExpect


class RuleSet(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["agreement", "floor"] = "agreement"
    agreement: str
    version: str
    effective: Effective
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    status: Provenance
    selectors: Selectors = Selectors()
    time: TimeRules
    day_premiums: DayPremiums | None = None
    holidays: Holidays | None = None
    overtime: list[Tier] = []
    weekly_overtime: list[Tier] = []
    golden_hours: list[Tier] = []
    meals: Meals | None = None
    rest: Rest | None = None
    night_premium: NightPremium | None = None
    minimum_call: MinimumCall | None = None
    day_rate: DayRate | None = None
    weekly: Weekly | None = None
    overscale: Overscale | None = None
    allowances: list[Allowance] = []
    fringes: list[Fringe] = []
    exempt_from_floors: list[str] = []
    tests: list[TestCase] = []

    @model_validator(mode="after")
    def _unique_tiers(self) -> RuleSet:
        ids = [t.id for t in [*self.overtime, *self.golden_hours]]
        if "straight" in ids:
            raise ValueError("'straight' is reserved for straight time")
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"tier ids must be unique: {sorted(dupes)}")
        for tier in self.weekly_overtime:
            if tier.basis != "worked":
                raise ValueError(f"weekly tier {tier.id!r} must count worked hours")
        return self

    def unverified(self) -> list[str]:
        """Dotted paths of every block marked ``verified: false``, with its note."""
        found: list[str] = []

        def walk(node: object, path: str) -> None:
            if isinstance(node, Provenance) and not node.verified:
                found.append(f"{path}: {node.note}")
            if isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    if name != "tests":
                        walk(getattr(node, name), f"{path}.{name}" if path else name)
            elif isinstance(node, list | tuple):
                for index, item in enumerate(node):
                    walk(item, f"{path}.{index}")

        walk(self, "")
        return found


class PackFile(_Strict):
    rule_set: RuleSet
