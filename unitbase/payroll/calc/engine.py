"""The timecard calculator: one WorkDay + Deal + rule pack -> DayResult with explained pay lines.

Method (domain spec 3.8): punches are placed on a minute timeline from the call, rounded to the
pack's increment; every worked minute is paid at the highest multiplier any applicable tier gives
it (straight, overtime tiers, golden hours; no pyramiding); then meals, rest, night premium,
guarantees, allowances, floors and fringes. Money is Decimal at full precision until each pay line
is rounded once, half-up to the cent; gross is the sum of the rounded lines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections import Counter
from decimal import Decimal

from unitbase.core.money import round_money
from unitbase.payroll.calc.model import (
    TIME_KINDS,
    DayResult,
    Deal,
    PayLine,
    RestCheck,
    WeekResult,
    WorkDay,
)
from unitbase.payroll.calc.packs import PackRegistry, default_registry
from unitbase.payroll.calc.schema import MultiplierByDay, RuleSet, Tier, parse_hhmm

ZERO = Decimal(0)
SIXTY = Decimal(60)
_UTC = dt.UTC
_ORDINAL = ["first", "second", "third", "fourth", "fifth", "sixth"]


# --- small helpers -----------------------------------------------------------------------------


def _fmt_hours(minutes: int | Decimal) -> str:
    value = (Decimal(minutes) / SIXTY).quantize(Decimal("0.01"))
    text = f"{value:f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _fmt_money(amount: Decimal) -> str:
    return f"{round_money(amount):,.2f}"


def _check_times(day: WorkDay) -> None:
    kinds = {value.tzinfo is not None and value.utcoffset() is not None for value in day.all_datetimes()}
    if len(kinds) > 1:
        raise ValueError("a WorkDay mixes naive and aware datetimes; use one kind throughout")


def _minutes_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    if start.tzinfo is not None:
        start, end = start.astimezone(_UTC), end.astimezone(_UTC)
    return Decimal((end - start).total_seconds()) / SIXTY


def _round_minutes(minutes: Decimal, increment: int, direction: str) -> int:
    units = minutes / increment
    if direction == "up":
        whole = math.ceil(units)
    elif direction == "down":
        whole = math.floor(units)
    else:
        whole = math.floor(units + Decimal("0.5"))
    return int(whole) * increment


def _clock_minutes(value: dt.time | str) -> int:
    if isinstance(value, str):
        value = parse_hhmm(value)
    return value.hour * 60 + value.minute


def _in_window(minute_of_day: int, start: int, end: int) -> bool:
    if start <= end:
        return start <= minute_of_day < end
    return minute_of_day >= start or minute_of_day < end


class _Clock:
    """Maps minute offsets from the call back to wall-clock datetimes."""

    def __init__(self, call: dt.datetime) -> None:
        self.call = call

    def at(self, offset: int) -> dt.datetime:
        if self.call.tzinfo is None:
            return self.call + dt.timedelta(minutes=offset)
        return (self.call.astimezone(_UTC) + dt.timedelta(minutes=offset)).astimezone(self.call.tzinfo)

    def hhmm(self, offset: int) -> str:
        at = self.at(offset)
        return f"{at.hour:02d}:{at.minute:02d}"  # as strftime("%H:%M"), without its cost per pay line


def multiplier_for(tier: Tier, day_kind: str, day_factor: Decimal) -> Decimal:
    spec = tier.multiplier
    if isinstance(spec, MultiplierByDay):
        explicit = getattr(spec, day_kind, None) if day_kind != "normal" else spec.normal
        if explicit is not None:
            return explicit
        return spec.normal * day_factor
    return spec * day_factor


def day_factor_for(pack: RuleSet, day_kind: str) -> Decimal:
    if pack.day_premiums is None or day_kind == "normal":
        return Decimal(1)
    return getattr(pack.day_premiums, day_kind)


# --- the calculation ---------------------------------------------------------------------------


@dataclasses.dataclass
class _Rates:
    hourly: Decimal  # the base hourly rate overtime and penalties are computed from
    tiers: list[Tier]
    day_pay: Decimal  # "one day's pay" for forced calls
    note: str | None = None


def _rates(pack: RuleSet, deal: Deal, day: WorkDay) -> _Rates:
    if deal.rate_unit == "hour":
        hours = max(
            deal.guarantee_hours or ZERO, pack.minimum_call.hours if pack.minimum_call else ZERO
        ) or Decimal(8)
        return _Rates(deal.rate, list(pack.overtime), deal.rate * hours)
    if deal.rate_unit == "day":
        if pack.day_rate is None:
            raise ValueError(f"rule pack {pack.id} has no 'day_rate' section, so it cannot pay day-rate deals")
        if pack.overscale and deal.rate > pack.overscale.money_break_day:
            hourly = pack.overscale.money_break_day / pack.day_rate.hourly_divisor
            note = (
                f"over scale: overtime on the money break {_fmt_money(pack.overscale.money_break_day)}"
                f" / {pack.day_rate.hourly_divisor}"
            )
            return _Rates(hourly, list(pack.overscale.overtime), deal.rate, note)
        return _Rates(deal.rate / pack.day_rate.hourly_divisor, list(pack.overtime), deal.rate)
    if pack.weekly is None:
        raise ValueError(f"rule pack {pack.id} has no 'weekly' section, so it cannot pay weekly deals")
    divisor = pack.weekly.day_divisor or Decimal(pack.weekly.days_for(day.zone))
    return _Rates(deal.rate / pack.weekly.hourly_divisor, list(pack.overtime), deal.rate / divisor)


def _effective_day_kind(pack: RuleSet, deal: Deal, day: WorkDay) -> str:
    kind = day.day_kind
    if (
        deal.rate_unit == "week"
        and pack.weekly
        and kind in ("sixth_day", "seventh_day")
        and day.day_in_week <= pack.weekly.days_for(day.zone)
        and not (day.sixth_day or day.seventh_day)
    ):
        return "normal"
    return kind


def evaluate_day(
    day: WorkDay,
    deal: Deal,
    *,
    registry: PackRegistry | None = None,
    pack: RuleSet | None = None,
    apply_floors: bool = True,
) -> DayResult:
    registry = registry or default_registry()
    deal = deal.on(day.date)
    pack = pack or registry.get(deal.pack_id, on=day.date)
    _check_times(day)
    allowed = pack.selectors.employment_type
    if allowed and deal.employment_type and deal.employment_type not in allowed:
        raise ValueError(f"rule pack {pack.id} is for {allowed}, not employment type {deal.employment_type!r}")
    calc = _DayCalc(pack, deal, day)
    result = calc.run()
    if apply_floors and pack.kind == "agreement" and deal.jurisdiction:
        floors = registry.floors_for(deal.jurisdiction, on=day.date, exempt=pack.exempt_from_floors)
        if floors and deal.rate_unit == "week":
            result.notes.append("floor packs are not applied to weekly deals")
        elif floors:
            for floor in floors:
                _apply_floor(result, day, deal, floor, calc.rates.hourly)
    result.fringes = fringe_lines(pack, result.lines, calc.fringe_hours, result.notes)
    return result


class _DayCalc:
    def __init__(self, pack: RuleSet, deal: Deal, day: WorkDay) -> None:
        self.pack, self.deal, self.day = pack, deal, day
        self.rates = _rates(pack, deal, day)
        self.clock = _Clock(day.call)
        self.day_kind = _effective_day_kind(pack, deal, day)
        self.day_factor = day_factor_for(pack, self.day_kind)
        self.lines: list[PayLine] = []
        self.notes: list[str] = [self.rates.note] if self.rates.note else []
        self.fringe_hours = ZERO

    def rid(self, suffix: str) -> str:
        return f"{self.pack.id}@{self.pack.version}:{suffix}"

    def off(self, value: dt.datetime) -> int:
        rules = self.pack.time
        return _round_minutes(
            _minutes_between(self.day.call, value), rules.rounding_increment_minutes, rules.rounding_direction
        )

    def add(self, line: PayLine) -> None:
        self.lines.append(line)

    # timeline ----------------------------------------------------------------------------------

    def timeline(self) -> tuple[int, int, list[bool], list[tuple[int, int]]]:
        day = self.day
        wrap = self.off(day.wrap)
        if wrap <= 0:
            raise ValueError(f"wrap {day.wrap} is not after call {day.call}")
        meals = []
        for index, meal in enumerate(day.meals, start=1):
            out, back = self.off(meal.out), self.off(meal.back)
            if not (0 <= out < back <= wrap):
                raise ValueError(f"meal {index} ({meal.out}-{meal.back}) must lie between call and wrap, out before in")
            if meals and out < meals[-1][1]:
                raise ValueError(f"meal {index} overlaps the previous meal")
            meals.append((out, back))
        travel = []
        if self.pack.time.travel_counts_as_worked:
            for leg in day.travel:
                start, end = self.off(leg.start), self.off(leg.end)
                if end <= start:
                    raise ValueError(f"travel leg {leg.start}-{leg.end} ends before it starts")
                travel.append((start, end))
        start = min([0, *(s for s, _ in travel)])
        end = max([wrap, *(e for _, e in travel)])
        worked = [False] * (end - start)
        worked[-start:wrap - start] = [True] * wrap  # slice writes: this runs for every day of every card
        qualifying = []
        meal_rules = self.pack.meals
        for out, back in meals:
            long_enough = meal_rules is None or back - out >= meal_rules.min_minutes
            deductible = meal_rules is None or meal_rules.deductible
            if long_enough and deductible:
                worked[out - start:back - start] = [False] * (back - out)
            if long_enough:
                qualifying.append((out, back))
            else:
                self.notes.append(
                    f"meal {self.clock.hhmm(out)}-{self.clock.hhmm(back)} is shorter than"
                    f" {meal_rules.min_minutes} min: counted as work and not as a meal"
                )
        for s, e in travel:
            worked[s - start:e - start] = [True] * (e - s)
        return start, wrap, worked, qualifying

    # tiers -------------------------------------------------------------------------------------

    def _candidates(self) -> list[tuple[str, str, Tier]]:
        day = self.day
        found = []
        for kind, tiers in (("overtime", self.rates.tiers), ("golden", self.pack.golden_hours)):
            for tier in tiers:
                if tier.when.matches(zone=day.zone, production_type=day.production_type, on_production=day.on_production):
                    found.append((kind, tier.id, tier))
        return found

    def classify(self, start: int, worked: list[bool]) -> tuple[dict[str, int], dict[str, tuple[str, Decimal, Tier | None]]]:
        candidates = self._candidates()
        info: dict[str, tuple[str, Decimal, Tier | None]] = {"straight": ("base", self.day_factor, None)}
        for kind, tid, tier in candidates:
            info[tid] = (kind, multiplier_for(tier, self.day_kind, self.day_factor), tier)
        # Thresholds in whole minutes (a minute index m passes "after h hours" when m >= ceil(h x 60)),
        # worked basis first flag, computed once: the per-minute loop only compares integers.
        checks = [
            (tier.basis == "worked", math.ceil(tier.after_hours * SIXTY), tid, info[tid][1]) for _, tid, tier in candidates
        ]
        minutes: Counter[str] = Counter()
        straight_mult = self.day_factor

        def best_at(index: int, count: int) -> str:
            # `index`: minutes since the first worked minute (report), meals included
            best, best_mult = "straight", straight_mult
            for on_worked, threshold, tid, mult in checks:
                if (count if on_worked else index) >= threshold and mult > best_mult:
                    best, best_mult = tid, mult
            return best

        # Walk runs of worked minutes; inside a run both clocks advance together, so the best tier
        # can change only where a threshold is crossed: evaluate once per piece, not per minute.
        count, index, total = 0, 0, len(worked)
        while index < total:
            if not worked[index]:
                try:  # list.index scans in C; a per-minute Python loop dominated the week's time
                    index = worked.index(True, index)
                except ValueError:
                    break
                continue
            try:
                end = worked.index(False, index)
            except ValueError:
                end = total
            cuts = {index, end}
            for on_worked, threshold, _, _ in checks:
                at = index + (threshold - count) if on_worked else threshold
                if index < at < end:
                    cuts.add(at)
            points = sorted(cuts)
            for a, b in itertools.pairwise(points):
                minutes[best_at(a, count + (a - index))] += b - a
            count += end - index
            index = end
        return dict(minutes), info

    def time_lines(self, minutes: dict[str, int], info: dict) -> None:
        deal, rates = self.deal, self.rates
        straight = minutes.get("straight", 0)
        kind_note = "" if self.day_kind == "normal" else f" ({self.day_kind.replace('_', ' ')} x{self.day_factor})"
        if deal.rate_unit == "hour":
            if straight:
                amount = Decimal(straight) / SIXTY * rates.hourly * self.day_factor
                self.add(PayLine(
                    self.rid("straight"), "base", round_money(amount),
                    f"Straight time {_fmt_hours(straight)} h x {_fmt_money(rates.hourly)}{kind_note}",
                    hours=Decimal(straight) / SIXTY, rate=rates.hourly, multiplier=self.day_factor,
                    inputs={"minutes": str(straight), "day_kind": self.day_kind},
                ))
        elif deal.rate_unit == "day":
            covers = self.pack.day_rate.covers_hours
            self.add(PayLine(
                self.rid("day_rate"), "base", round_money(deal.rate * self.day_factor),
                f"Day rate {_fmt_money(deal.rate)} covers {covers} h straight time"
                f" ({_fmt_hours(straight)} h worked at straight time){kind_note}",
                hours=Decimal(straight) / SIXTY, rate=deal.rate, multiplier=self.day_factor,
                inputs={"minutes": str(straight), "day_kind": self.day_kind},
            ))
        else:
            share = rates.day_pay
            days = self.pack.weekly.days_for(self.day.zone)
            if self.day_kind == "normal":
                self.add(PayLine(
                    self.rid("weekly_day_share"), "day_share", round_money(share),
                    f"Day {self.day.day_in_week} of a {days}-day workweek: weekly {_fmt_money(deal.rate)} / "
                    f"{self.pack.weekly.day_divisor or days} (paid once per week as the weekly salary)",
                    hours=Decimal(straight) / SIXTY, rate=share, multiplier=Decimal(1),
                    inputs={"minutes": str(straight), "day_in_week": str(self.day.day_in_week)},
                ))
            else:
                self.add(PayLine(
                    self.rid(self.day_kind), "base", round_money(share * self.day_factor),
                    f"{self.day_kind.replace('_', ' ').capitalize()} beyond the {days}-day workweek: "
                    f"{_fmt_money(share)} x {self.day_factor}",
                    hours=Decimal(straight) / SIXTY, rate=share, multiplier=self.day_factor,
                    inputs={"minutes": str(straight), "day_kind": self.day_kind},
                ))
        for tid, count in minutes.items():
            if tid == "straight" or not count:
                continue
            kind, mult, tier = info[tid]
            basis = "worked" if tier.basis == "worked" else "elapsed from call, meals included"
            amount = Decimal(count) / SIXTY * rates.hourly * mult
            label = "Golden hours" if kind == "golden" else "Overtime"
            self.add(PayLine(
                self.rid(tid), kind, round_money(amount),
                f"{label} {_fmt_hours(count)} h x {_fmt_money(rates.hourly)} x {mult}"
                f" (after {tier.after_hours} h {basis})",
                hours=Decimal(count) / SIXTY, rate=rates.hourly, multiplier=mult,
                inputs={"minutes": str(count), "after_hours": str(tier.after_hours), "basis": tier.basis},
            ))

    def guarantee_lines(self, worked_minutes: int) -> None:
        deal, pack = self.deal, self.pack
        if deal.rate_unit == "week":
            return
        hours = max(deal.guarantee_hours or ZERO, pack.minimum_call.hours if pack.minimum_call else ZERO)
        target = int(hours * SIXTY)
        self.fringe_hours = max(Decimal(worked_minutes), Decimal(target)) / SIXTY
        if worked_minutes >= target:
            return
        tiers = [
            t for t in self.rates.tiers
            if t.basis == "worked"
            and t.when.matches(zone=self.day.zone, production_type=self.day.production_type, on_production=self.day.on_production)
        ]
        buckets: Counter[tuple[str, Decimal]] = Counter()
        for count in range(worked_minutes, target):
            best, mult = "straight", self.day_factor
            for tier in tiers:
                m = multiplier_for(tier, self.day_kind, self.day_factor)
                if count >= tier.after_hours * SIXTY and m > mult:
                    best, mult = tier.id, m
            buckets[(best, mult)] += 1
        source = "deal guarantee" if deal.guarantee_hours and deal.guarantee_hours >= hours else "minimum call"
        for (tid, mult), count in buckets.items():
            if tid == "straight" and deal.rate_unit == "day":
                continue  # the day rate already pays the straight part of the guarantee
            amount = Decimal(count) / SIXTY * self.rates.hourly * mult
            self.add(PayLine(
                self.rid(f"guarantee:{tid}"), "guarantee", round_money(amount),
                f"{source.capitalize()} {hours} h, worked {_fmt_hours(worked_minutes)} h:"
                f" {_fmt_hours(count)} h unworked paid x {mult}",
                hours=Decimal(count) / SIXTY, rate=self.rates.hourly, multiplier=mult,
                inputs={"guarantee_hours": str(hours), "worked_minutes": str(worked_minutes)},
            ))

    # meals -------------------------------------------------------------------------------------

    def meal_lines(self, wrap: int, meals: list[tuple[int, int]]) -> int:
        rules = self.pack.meals
        if rules is None:
            return 0
        penalty = rules.penalty
        due = int(rules.first_due_after_hours * SIXTY)
        week_count = self.day.meal_penalties_earlier_in_week
        units_today = 0
        one_hour_paid = False
        remaining = list(meals)
        period = 0
        while due < wrap:
            period += 1
            meal = next((m for m in remaining if m[0] >= 0), None)
            taken = meal[0] if meal else wrap
            ordinal = _ORDINAL[min(period, len(_ORDINAL)) - 1] if period <= len(_ORDINAL) else f"meal {period}"
            if taken > due + rules.grace_minutes:
                due_at, taken_at = self.clock.hhmm(due), self.clock.hhmm(taken)  # once, not per unit
                what = f"taken {taken_at}" if meal else f"not taken before wrap {taken_at}"
                delay = taken - due
                units = math.ceil(delay / penalty.unit_minutes)
                if penalty.type == "one_hour_regular_pay":
                    if not one_hour_paid:
                        one_hour_paid = True
                        units_today += 1
                        self.add(PayLine(
                            self.rid("meal_penalty"), "meal_penalty", round_money(self.rates.hourly),
                            f"Meal premium: {ordinal} meal due {due_at}, {what};"
                            f" one hour at the regular rate {_fmt_money(self.rates.hourly)}",
                            hours=Decimal(1), rate=self.rates.hourly,
                            inputs={"due": due_at, "taken": taken_at},
                        ))
                else:
                    for unit in range(1, units + 1):
                        week_count += 1
                        units_today += 1
                        amount = penalty.schedule[min(unit, len(penalty.schedule)) - 1]
                        extra = ""
                        if penalty.extra_from_unit and unit >= penalty.extra_from_unit:
                            amount += penalty.extra_amount
                            extra = f" + {_fmt_money(penalty.extra_amount)} from unit {penalty.extra_from_unit}"
                        limit = penalty.prevailing_rate_after_count_per_week
                        if limit is not None and week_count > limit and self.rates.hourly > amount:
                            amount = self.rates.hourly
                            extra += f"; penalty {week_count} this week, paid at the hourly rate"
                        self.add(PayLine(
                            self.rid("meal_penalty"), "meal_penalty", round_money(amount),
                            f"Meal penalty {unit}: {ordinal} meal due {due_at}, {what}{extra}",
                            inputs={
                                "due": due_at, "taken": taken_at,
                                "unit": str(unit), "unit_minutes": str(penalty.unit_minutes),
                                "grace_minutes": str(rules.grace_minutes),
                            },
                        ))
            if meal is None or rules.subsequent_due_after_hours is None:
                break
            remaining.remove(meal)
            due = meal[1] + int(rules.subsequent_due_after_hours * SIXTY)
        return units_today

    # rest --------------------------------------------------------------------------------------

    def rest_lines(self) -> RestCheck | None:
        day, rest = self.day, self.pack.rest
        if rest is None or day.previous_dismissal is None:
            return None
        check = rest_requirement(
            self.pack, dismissal=day.previous_dismissal, call=day.call,
            reduction=day.rest_reduction, previous_week_days_worked=day.previous_week_days_worked,
        )
        if not check.violated:
            return check
        gap = f"dismissed {day.previous_dismissal:%Y-%m-%d %H:%M}, called {day.call:%Y-%m-%d %H:%M}"
        short = check.shortfall_hours
        if rest.forced_call:
            amount = self.rates.day_pay
            detail = f"one day's pay {_fmt_money(amount)}"
            if rest.forced_call.cap is not None and rest.forced_call.cap < amount:
                detail = f"lesser of one day's pay {_fmt_money(amount)} and {_fmt_money(rest.forced_call.cap)}"
                amount = rest.forced_call.cap
            self.add(PayLine(
                self.rid(f"rest:{check.kind}:forced_call"), "rest", round_money(amount),
                f"Forced call: {gap} = {_fmt_hours(check.actual_hours * SIXTY)} h rest,"
                f" {check.required_hours} h required; {detail}",
                inputs={"required_hours": str(check.required_hours), "actual_hours": str(check.actual_hours)},
            ))
            return check
        increment = self.pack.time.rounding_increment_minutes
        invaded = _round_minutes(short * SIXTY, increment, "up")
        for index, row in enumerate(rest.invasion_penalties):
            if row.up_to_hours is not None and invaded > row.up_to_hours * SIXTY:
                continue
            if row.zones is not None and day.zone not in row.zones:
                continue
            amount = Decimal(invaded) / SIXTY * self.rates.hourly * row.additional_multiplier
            self.add(PayLine(
                self.rid(f"rest:{check.kind}:invasion:{index}"), "rest", round_money(amount),
                f"Rest invasion: {gap} = {_fmt_hours(check.actual_hours * SIXTY)} h rest,"
                f" {check.required_hours} h required; {_fmt_hours(invaded)} h invaded paid an additional"
                f" {row.additional_multiplier} x {_fmt_money(self.rates.hourly)}",
                hours=Decimal(invaded) / SIXTY, rate=self.rates.hourly, multiplier=row.additional_multiplier,
                inputs={"required_hours": str(check.required_hours), "actual_hours": str(check.actual_hours)},
            ))
            return check
        self.notes.append(f"rest violated ({check.kind}) but the pack has no penalty that fits")
        return check

    # night premium -----------------------------------------------------------------------------

    def night_lines(self, start: int, worked: list[bool]) -> None:
        night = self.pack.night_premium
        day = self.day
        if night is None or not night.when.matches(
            zone=day.zone, production_type=day.production_type, on_production=day.on_production
        ):
            return
        call_minute = day.call.hour * 60 + day.call.minute
        for index, rule in enumerate(night.rules):
            if rule.called_between and not _in_window(
                call_minute, _clock_minutes(rule.called_between[0]), _clock_minutes(rule.called_between[1])
            ):
                continue
            count = 0
            for offset, is_worked in enumerate(worked):
                if not is_worked:
                    continue
                if rule.window is None:
                    count += 1
                    continue
                wall = self.clock.at(offset + start)
                if _in_window(wall.hour * 60 + wall.minute, _clock_minutes(rule.window[0]), _clock_minutes(rule.window[1])):
                    count += 1
            if count:
                where = "all time" if rule.window is None else f"time between {rule.window[0]} and {rule.window[1]}"
                amount = Decimal(count) / SIXTY * self.rates.hourly * rule.percent / 100
                self.add(PayLine(
                    self.rid(f"night:{index}"), "night", round_money(amount),
                    f"Night premium {rule.percent}% on {where}: {_fmt_hours(count)} h x {_fmt_money(self.rates.hourly)}"
                    f" (called {day.call:%H:%M})",
                    hours=Decimal(count) / SIXTY, rate=self.rates.hourly, multiplier=rule.percent / 100,
                    inputs={"call": f"{day.call:%H:%M}", "minutes": str(count)},
                ))
            return

    # allowances --------------------------------------------------------------------------------

    def allowance_lines(self) -> None:
        for allowance in self.pack.allowances:
            if allowance.per == "week":
                continue
            amount = self.deal.allowances.get(allowance.code, allowance.amount)
            if amount is None:
                continue  # the pack leaves the amount to the deal, and this deal has none
            if allowance.per == "shooting_day" and not self.day.shooting:
                continue
            quantity, what = Decimal(1), "per day"
            if allowance.per == "mile":
                if not self.day.mileage:
                    continue
                quantity, what = self.day.mileage, f"{self.day.mileage} miles x {_fmt_money(amount)}"
            elif allowance.per == "shooting_day":
                what = "per shooting day"
            self.add(PayLine(
                self.rid(f"allowance:{allowance.code}"), "allowance", round_money(amount * quantity),
                f"{allowance.name}: {what}", rate=amount, inputs={"code": allowance.code},
            ))

    def run(self) -> DayResult:
        start, wrap, worked, meals = self.timeline()
        minutes, info = self.classify(start, worked)
        worked_minutes = sum(minutes.values())
        self.fringe_hours = Decimal(worked_minutes) / SIXTY
        self.time_lines(minutes, info)
        self.guarantee_lines(worked_minutes)
        units = self.meal_lines(wrap, meals)
        rest = self.rest_lines()
        self.night_lines(start, worked)
        self.allowance_lines()
        return DayResult(
            date=self.day.date, pack_id=self.pack.id, pack_version=self.pack.version, currency=self.pack.currency,
            worked_minutes=worked_minutes, elapsed_minutes=len(worked), minutes_by_tier=minutes,
            lines=self.lines, fringes=[], meal_penalty_units=units, rest=rest, notes=self.notes,
        )


def rest_requirement(
    pack: RuleSet,
    *,
    dismissal: dt.datetime,
    call: dt.datetime,
    reduction: str | None = None,
    previous_week_days_worked: int | None = None,
) -> RestCheck:
    """The strictest rest the pack requires between a dismissal and the next call, and the actual gap."""
    rest = pack.rest
    if rest is None:
        raise ValueError(f"rule pack {pack.id} has no rest rules")
    if (dismissal.tzinfo is None) != (call.tzinfo is None):
        raise ValueError("dismissal and call must both be naive or both be aware")
    actual = _minutes_between(dismissal, call) / SIXTY
    required, rule_id, kind = rest.daily_hours, f"{pack.id}@{pack.version}:rest:daily", "daily"
    if reduction is not None:
        found = next((r for r in rest.reductions if r.key == reduction), None)
        if found is None:
            raise ValueError(f"rule pack {pack.id} has no rest reduction {reduction!r}")
        required, rule_id = found.to_hours, f"{pack.id}@{pack.version}:rest:reduction:{reduction}"
    if previous_week_days_worked is not None and rest.weekly is not None:
        weekly = rest.weekly
        hours = weekly.after_five_day_week
        if previous_week_days_worked >= 6 and weekly.after_six_day_week is not None:
            hours = weekly.after_six_day_week
        elif (
            weekly.reduced_to_hours is not None
            and weekly.reduced_if_call_not_before is not None
            and call.hour * 60 + call.minute >= _clock_minutes(weekly.reduced_if_call_not_before)
        ):
            hours = weekly.reduced_to_hours
        if hours > required:
            required, rule_id, kind = hours, f"{pack.id}@{pack.version}:rest:weekly", "weekly"
    return RestCheck(required_hours=required, actual_hours=actual.quantize(Decimal("0.01")), rule_id=rule_id, kind=kind)


def _group_total(lines: list[PayLine], kinds: frozenset[str]) -> Decimal:
    return sum((line.amount for line in lines if line.kind in kinds), Decimal("0.00"))


_FLOOR_GROUPS = {"time": TIME_KINDS, "meal_penalty": frozenset({"meal_penalty"})}


def _apply_floor(result: DayResult, day: WorkDay, deal: Deal, floor: RuleSet, hourly: Decimal) -> None:
    floor_deal = Deal(rate=hourly, rate_unit="hour", pack_id=floor.id)
    floor_day = _DayCalc(floor, floor_deal, day).run()
    for group, kinds in _FLOOR_GROUPS.items():
        ours = _group_total(result.lines, kinds)
        theirs = _group_total(floor_day.lines, kinds)
        if theirs > ours:
            detail = "; ".join(line.explanation for line in floor_day.lines if line.kind in kinds)
            result.lines.append(PayLine(
                f"{floor.id}@{floor.version}:floor:{group}", "floor", round_money(theirs - ours),
                f"{floor.agreement} floor on {group.replace('_', ' ')}: floor pays {_fmt_money(theirs)},"
                f" agreement pays {_fmt_money(ours)} ({detail})",
                inputs={"floor": _fmt_money(theirs), "agreement": _fmt_money(ours), "hourly": str(hourly)},
            ))


def fringe_lines(pack: RuleSet, lines: list[PayLine], hours: Decimal, notes: list[str]) -> list[PayLine]:
    found = []
    for fringe in pack.fringes:
        if fringe.rate is None:
            notes.append(f"fringe {fringe.code} has no rate in pack {pack.id}: fill it from the current rate sheet")
            continue
        if fringe.type == "percent":
            kinds = TIME_KINDS | {"weekly_salary", "weekly_overtime"} if fringe.basis == "time_pay" else None
            base = sum(
                (line.amount for line in lines if kinds is None or line.kind in kinds), Decimal("0.00")
            )
            amount = base * fringe.rate / 100
            what = f"{fringe.rate}% of {_fmt_money(base)}"
        else:
            amount = hours * fringe.rate
            what = f"{_fmt_hours(hours * SIXTY)} h x {_fmt_money(fringe.rate)}"
        found.append(PayLine(
            f"{pack.id}@{pack.version}:fringe:{fringe.code}", "fringe", round_money(amount),
            f"{fringe.name}: {what}", rate=fringe.rate, inputs={"basis": fringe.basis},
        ))
    return found


# --- a week ------------------------------------------------------------------------------------


def evaluate_week(
    days: list[WorkDay], deal: Deal, *, registry: PackRegistry | None = None
) -> WeekResult:
    """One person's worked days of one workweek, in any order. Days are numbered 1.. in call order,
    previous dismissals and the weekly meal-penalty count are carried from day to day."""
    if not days:
        raise ValueError("a week needs at least one worked day")
    registry = registry or default_registry()
    ordered = sorted(days, key=lambda d: d.call)
    results: list[DayResult] = []
    previous: WorkDay | None = None
    meal_count = ordered[0].meal_penalties_earlier_in_week
    for index, day in enumerate(ordered, start=1):
        changes: dict = {"day_in_week": index, "meal_penalties_earlier_in_week": meal_count}
        if previous is not None and day.previous_dismissal is None:
            changes["previous_dismissal"] = previous.wrap
        day = dataclasses.replace(day, **changes)
        result = evaluate_day(day, deal.on(day.date), registry=registry)
        meal_count += result.meal_penalty_units
        results.append(result)
        previous = day
    pack = registry.get(deal.pack_id, on=ordered[0].date)
    lines: list[PayLine] = []
    notes: list[str] = []
    rid = f"{pack.id}@{pack.version}"
    if deal.rate_changes:
        rates = sorted({deal.rate_on(d.date) for d in ordered})
        if len(rates) > 1:
            notes.append(
                "rate changed during the week (" + ", ".join(_fmt_money(r) for r in rates) + "): each day is paid at "
                "the rate in force on it; weekly overtime uses the week's average hourly rate, weighted by straight time"
                + ("; the weekly salary is the rate in force on the first day worked" if deal.rate_unit == "week" else "")
            )
        deal_first = deal.on(ordered[0].date)
    else:
        deal_first = deal
    if deal.rate_unit == "week":
        share_hours = sum(
            (line.hours or ZERO for r in results for line in r.lines if line.kind == "day_share"), ZERO
        )
        lines.append(PayLine(
            f"{rid}:weekly_salary", "weekly_salary", round_money(deal_first.rate),
            f"Weekly salary {_fmt_money(deal_first.rate)} ({len(results)} day(s) worked; paid in full as the weekly guarantee)",
            hours=share_hours, rate=deal_first.rate,
        ))
    for allowance in pack.allowances:
        if allowance.per != "week":
            continue
        amount = deal.allowances.get(allowance.code, allowance.amount)
        if amount is None:
            notes.append(f"allowance {allowance.code} has no amount in the pack or the deal")
            continue
        lines.append(PayLine(
            f"{rid}:allowance:{allowance.code}", "allowance", round_money(amount),
            f"{allowance.name}: per week", rate=amount, inputs={"code": allowance.code},
        ))
    straight_minutes = sum(r.minutes_by_tier.get("straight", 0) for r in results)
    hourly = _rates(pack, deal_first, ordered[0]).hourly
    day_hourly = {d.date: _rates(pack, deal.on(d.date), d).hourly for d in ordered} if deal.rate_changes else {}
    if len(set(day_hourly.values())) > 1:
        # The regular rate of a week with two rates: hourly rates weighted by straight minutes.
        weights = {r.date: r.minutes_by_tier.get("straight", 0) for r in results}
        total = sum(weights.values())
        if total:
            hourly = sum((day_hourly[d] * w for d, w in weights.items()), ZERO) / total
    weekly_ot = _weekly_overtime(pack, straight_minutes, hourly, premium_only=deal.rate_unit != "week")
    lines += weekly_ot
    if deal.jurisdiction and deal.rate_unit != "week":
        # Greater-of at week level on the whole of time pay (days' time lines, their daily floor
        # top-ups and weekly overtime), so a 6th-day premium the agreement pays counts against
        # the floor's weekly overtime instead of being paid twice.
        daily_floor = sum(
            (line.amount for r in results for line in r.lines if line.kind == "floor" and line.rule_id.endswith(":time")),
            Decimal("0.00"),
        )
        ours = sum((_group_total(r.lines, TIME_KINDS) for r in results), Decimal("0.00")) + daily_floor
        ours += _group_total(weekly_ot, frozenset({"weekly_overtime"}))
        for floor in registry.floors_for(deal.jurisdiction, on=ordered[0].date, exempt=pack.exempt_from_floors):
            floor_days = [
                _DayCalc(floor, Deal(rate=day_hourly.get(day.date, hourly), rate_unit="hour", pack_id=floor.id), day).run()
                for day in ordered
            ]
            floor_straight = sum(r.minutes_by_tier.get("straight", 0) for r in floor_days)
            theirs_lines = _weekly_overtime(floor, floor_straight, hourly, premium_only=True)
            theirs = sum((_group_total(r.lines, TIME_KINDS) for r in floor_days), Decimal("0.00"))
            theirs += _group_total(theirs_lines, frozenset({"weekly_overtime"}))
            if theirs > ours:
                lines.append(PayLine(
                    f"{floor.id}@{floor.version}:floor:weekly_time", "floor", round_money(theirs - ours),
                    f"{floor.agreement} floor on the week's time pay: floor pays {_fmt_money(theirs)},"
                    f" agreement pays {_fmt_money(ours)} ("
                    + ("; ".join(line.explanation for line in theirs_lines) or "no weekly overtime") + ")",
                    inputs={"floor": _fmt_money(theirs), "agreement": _fmt_money(ours)},
                ))
    week = WeekResult(pack_id=pack.id, currency=pack.currency, days=results, lines=lines, fringes=[], notes=notes)
    fringe_hours = sum((_fringe_hours(r) for r in results), ZERO)
    week.fringes = fringe_lines(pack, week.all_lines(), fringe_hours, week.notes)
    return week


def _fringe_hours(result: DayResult) -> Decimal:
    guaranteed = sum((line.hours or ZERO for line in result.lines if line.kind == "guarantee"), ZERO)
    return result.worked_hours + guaranteed


def _weekly_overtime(pack: RuleSet, straight_minutes: int, hourly: Decimal, *, premium_only: bool) -> list[PayLine]:
    lines = []
    tiers = sorted(pack.weekly_overtime, key=lambda t: t.after_hours)
    for index, tier in enumerate(tiers):
        low = int(tier.after_hours * SIXTY)
        high = int(tiers[index + 1].after_hours * SIXTY) if index + 1 < len(tiers) else None
        over = max(0, (straight_minutes if high is None else min(straight_minutes, high)) - low)
        if not over:
            continue
        mult = tier.multiplier.normal if isinstance(tier.multiplier, MultiplierByDay) else tier.multiplier
        paid = mult - 1 if premium_only else mult
        how = f"premium {paid} (straight time already paid)" if premium_only else f"x {mult}"
        lines.append(PayLine(
            f"{pack.id}@{pack.version}:{tier.id}", "weekly_overtime",
            round_money(Decimal(over) / SIXTY * hourly * paid),
            f"Weekly overtime: {_fmt_hours(straight_minutes)} h straight time this week, {_fmt_hours(over)} h"
            f" after {tier.after_hours} h, {_fmt_money(hourly)} {how}",
            hours=Decimal(over) / SIXTY, rate=hourly, multiplier=paid,
            inputs={"straight_minutes": str(straight_minutes), "after_hours": str(tier.after_hours)},
        ))
    return lines
