"""Running the test cases embedded in a rule pack (used by the pack tests and by `explain`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from unitbase.payroll.calc.engine import evaluate_day
from unitbase.payroll.calc.model import DayResult, Deal, Interval, MealPeriod, WorkDay
from unitbase.payroll.calc.packs import PackRegistry
from unitbase.payroll.calc.schema import CaseDay, RuleSet, TestCase, parse_hhmm


def _timeline(date: dt.date, times: list[str]) -> list[dt.datetime]:
    """'HH:MM' strings in order; a time earlier than the one before it is on the next day."""
    found: list[dt.datetime] = []
    day = date
    for text in times:
        value = dt.datetime.combine(day, parse_hhmm(text))
        if found and value < found[-1]:
            day += dt.timedelta(days=1)
            value += dt.timedelta(days=1)
        found.append(value)
    return found


def build_day(case: CaseDay) -> WorkDay:
    texts = [case.call] + [t for meal in case.meals for t in meal] + [case.wrap]
    stamps = _timeline(case.date, texts)
    call, wrap = stamps[0], stamps[-1]
    meals = tuple(MealPeriod(stamps[1 + 2 * i], stamps[2 + 2 * i]) for i in range(len(case.meals)))
    travel = []
    for start, end in case.travel:
        # A leg starting more than 4 h before the call is taken to be after midnight, after wrap.
        begin = dt.datetime.combine(case.date, parse_hhmm(start))
        if begin < call - dt.timedelta(hours=4):
            begin += dt.timedelta(days=1)
        finish = dt.datetime.combine(begin.date(), parse_hhmm(end))
        if finish <= begin:
            finish += dt.timedelta(days=1)
        travel.append(Interval(begin, finish))
    previous = None
    if case.previous_dismissal:
        text = case.previous_dismissal
        if len(text) == 5:
            previous = dt.datetime.combine(case.date - dt.timedelta(days=1), parse_hhmm(text))
        else:
            previous = dt.datetime.fromisoformat(text)
    return WorkDay(
        date=case.date, call=call, wrap=wrap, meals=meals, travel=tuple(travel), zone=case.zone,
        production_type=case.production_type, on_production=case.on_production, day_in_week=case.day_in_week,
        holiday=case.holiday, shooting=case.shooting, mileage=case.mileage, previous_dismissal=previous,
        previous_week_days_worked=case.previous_week_days_worked, rest_reduction=case.rest_reduction,
        meal_penalties_earlier_in_week=case.meal_penalties_earlier_in_week,
    )


def run_case(pack: RuleSet, case: TestCase, registry: PackRegistry) -> tuple[DayResult, list[str]]:
    """Evaluate one embedded case; return the result and a list of mismatches (empty when it passes)."""
    deal = Deal(
        rate=case.deal.rate, rate_unit=case.deal.rate_unit, pack_id=pack.id,
        employment_type=case.deal.employment_type, guarantee_hours=case.deal.guarantee_hours,
        jurisdiction=case.deal.jurisdiction, allowances=dict(case.deal.allowances),
    )
    result = evaluate_day(build_day(case.day), deal, registry=registry, pack=pack)
    problems: list[str] = []
    expect = case.expect
    if expect.hours is not None:
        got = result.hours
        for tier in sorted(set(got) | set(expect.hours)):
            want = expect.hours.get(tier, Decimal(0))
            if got.get(tier, Decimal(0)) != want:
                problems.append(f"hours[{tier}]: expected {want}, got {got.get(tier, Decimal(0))}")
    if expect.meal_penalty_units is not None and result.meal_penalty_units != expect.meal_penalty_units:
        problems.append(f"meal_penalty_units: expected {expect.meal_penalty_units}, got {result.meal_penalty_units}")
    amounts = result.amount_by_kind()
    for kind, want in expect.amounts.items():
        if amounts.get(kind, Decimal(0)) != want:
            problems.append(f"amounts[{kind}]: expected {want}, got {amounts.get(kind, Decimal(0))}")
    if expect.gross is not None and result.gross != expect.gross:
        problems.append(f"gross: expected {expect.gross}, got {result.gross}")
    if expect.rest_violation is not None:
        got_violation = bool(result.rest and result.rest.violated)
        if got_violation != expect.rest_violation:
            problems.append(f"rest_violation: expected {expect.rest_violation}, got {got_violation}")
    fringes = {line.rule_id.rsplit(":", 1)[-1]: line.amount for line in result.fringes}
    for code, want in expect.fringes.items():
        if fringes.get(code) != want:
            problems.append(f"fringes[{code}]: expected {want}, got {fringes.get(code)}")
    if problems:
        problems.append("lines:\n" + result.explain())
    return result, problems
