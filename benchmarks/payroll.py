"""Payroll benchmark: calculate 500 crew x 5 days (issue 8 target: under 2 s).

Pure calculator (`unitbase.payroll.calc.evaluate_week`), no database. Each person has a different
rate and different times (late meals, long days into golden hours, a night crossing midnight, a
short turnaround), under the IATSE crew pack with the California floor, so every rule family runs.
The baseline, measured in the same run, is the naive sum a spreadsheet does (hours worked x rate,
1.5x after 8) over the same 2,500 days: the ratio says what the rules, explanations and floors cost.

With --rate-unit day every person is on a day rate under the UK crew pack instead (day rate covers
10 h, overtime on day rate / 10, late tier after 14 h, 11 h rest), the per-day path of issue 8.

Run: .venv/bin/python benchmarks/payroll.py [--people 500] [--days 5] [--repeat 3] [--rate-unit hour|day]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unitbase.payroll.calc import Deal, MealPeriod, WorkDay, default_registry, evaluate_week

TARGET_SECONDS = 2.0
MONDAY = dt.date(2025, 3, 3)


def person_week(index: int, days: int, rate_unit: str = "hour") -> tuple[Deal, list[WorkDay]]:
    if rate_unit == "day":
        deal = Deal(rate=Decimal(300 + 10 * (index % 25)), rate_unit="day", pack_id="uk-crew-bectu-pact-style")
    else:
        deal = Deal(rate=Decimal(40 + index % 25) + Decimal("0.50"), rate_unit="hour", pack_id="iatse-crew-daily-hourly",
                    jurisdiction="US-CA", allowances={"KIT": Decimal("25.00")})
    week = []
    for n in range(days):
        date = MONDAY + dt.timedelta(days=n)
        variant = (index + n) % 5
        call_hour = 18 if variant == 4 else 6 + (index % 3)
        call = dt.datetime.combine(date, dt.time(call_hour, (index * 7) % 60))
        length = dt.timedelta(hours=(10, 12, 14.5, 11, 10)[variant])
        meal_at = call + dt.timedelta(hours=6, minutes=(0, 42, 95, 10, 30)[variant])
        week.append(WorkDay(date=date, call=call, wrap=call + length, meals=(MealPeriod(meal_at, meal_at + dt.timedelta(minutes=30)),),
                            zone="studio_zone", production_type="feature"))
    return deal, week


def naive(deal: Deal, week: list[WorkDay]) -> Decimal:
    total = Decimal(0)
    for day in week:
        hours = Decimal((day.wrap - day.call).total_seconds() - 1800) / 3600
        if deal.rate_unit == "day":
            total += deal.rate + max(hours - 10, Decimal(0)) * deal.rate / 10 * Decimal("1.5")
            continue
        total += min(hours, Decimal(8)) * deal.rate + max(hours - 8, Decimal(0)) * deal.rate * Decimal("1.5")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rate-unit", choices=("hour", "day"), default="hour")
    args = parser.parse_args(argv)
    registry = default_registry()
    weeks = [person_week(i, args.days, args.rate_unit) for i in range(args.people)]
    evaluate_week(weeks[0][1], weeks[0][0], registry=registry)  # warm the pack cache

    calc_times, naive_times, gross, lines = [], [], Decimal(0), 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = [evaluate_week(days, deal, registry=registry) for deal, days in weeks]
        calc_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for deal, days in weeks:
            naive(deal, days)
        naive_times.append(time.perf_counter() - start)
    gross = sum((r.gross for r in results), Decimal(0))
    lines = sum(len(r.all_lines()) for r in results)
    penalties = sum(1 for r in results for line in r.all_lines() if line.kind in ("meal_penalty", "rest", "forced_call"))
    calc, base = statistics.median(calc_times), statistics.median(naive_times)
    day_count = args.people * args.days
    pack = "UK crew pack, day rates" if args.rate_unit == "day" else "IATSE pack + California floor, hourly"
    print(f"payroll: {args.people} people x {args.days} days = {day_count} days ({pack}), median of {args.repeat};"
          f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (shared machine: pessimistic)")
    print(f"  rules calculation : {calc:8.3f} s  ({calc / day_count * 1e6:7.0f} us/day)  {lines} pay lines, "
          f"{penalties} penalty lines, gross {gross:,.2f}")
    naive_rule = "day rate + 1.5x after 10 h" if args.rate_unit == "day" else "hours x rate, 1.5x after 8"
    print(f"  naive baseline    : {base:8.3f} s  ({base / day_count * 1e6:7.0f} us/day)  {naive_rule}")
    print(f"  ratio             : {calc / base if base else float('inf'):8.1f} x the baseline")
    print(f"  target            : {TARGET_SECONDS:8.3f} s  -> {'MET' if calc < TARGET_SECONDS else 'MISSED'}"
          f" ({calc / TARGET_SECONDS:.0%} of the budget)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
