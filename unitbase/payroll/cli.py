"""`unitbase payroll calc --rules PACK.yaml --timecard CARD.json [--json]`: a week's pay without a database.

Pure Python (no Django): reads a rule pack and a timecard file, runs the calculator and prints each
day's hours by tier, penalties and pay lines with their rules, and the week's totals. The timecard
format (documented in docs/payroll-rules.md, "Timecard JSON"):

    {"deal": {"rate": "50.00", "rate_unit": "hour", "guarantee_hours": null, "jurisdiction": "US-CA",
              "allowances": {"KIT": "25.00"}},
     "days": [{"date": "2025-03-04", "call": "07:00", "meals": [["13:42", "14:12"]], "wrap": "19:00",
               "zone": "studio_zone", "previous_dismissal": "20:00", "travel": [], "holiday": false}]}

Times are local "HH:MM"; a time earlier than the one before it is on the next day. A
`previous_dismissal` of "HH:MM" is on the day before the work date; "YYYY-MM-DD HH:MM" is explicit.
Floor packs for the deal's jurisdiction are the shipped ones (plus the --rules pack if it is a floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from unitbase.payroll.calc import (
    Deal,
    Interval,
    MealPeriod,
    PackError,
    PackRegistry,
    WeekResult,
    WorkDay,
    default_registry,
    evaluate_week,
    load_pack,
)


class CardError(ValueError):
    """A timecard file that cannot be used; the message names the field path."""


def _time(value: Any, where: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise CardError(f"{where}: expected a time as HH:MM, got {value!r}") from None


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise CardError(f"{where}: expected a number, got {value!r}") from None


def deal_from_json(data: Any, pack_id: str) -> Deal:
    if not isinstance(data, dict):
        raise CardError("deal: expected an object with rate and rate_unit")
    rate = _decimal(data.get("rate"), "deal.rate")
    if rate is None:
        raise CardError("deal.rate: required")
    unit = data.get("rate_unit")
    if unit not in ("hour", "day", "week"):
        raise CardError(f"deal.rate_unit: expected hour, day or week, got {unit!r}")
    allowances = {}
    for code, amount in (data.get("allowances") or {}).items():
        allowances[str(code)] = _decimal(amount, f"deal.allowances.{code}")
    changes = []
    raw_changes = data.get("rate_changes") or []
    if not isinstance(raw_changes, list):
        raise CardError("deal.rate_changes: expected a list of {\"from\": \"YYYY-MM-DD\", \"rate\": \"55.00\"}")
    for index, change in enumerate(raw_changes):
        where = f"deal.rate_changes.{index}"
        if not isinstance(change, dict):
            raise CardError(f"{where}: expected an object with from and rate")
        try:
            start = dt.date.fromisoformat(str(change.get("from")))
        except ValueError:
            raise CardError(f"{where}.from: expected a date as YYYY-MM-DD, got {change.get('from')!r}") from None
        new_rate = _decimal(change.get("rate"), f"{where}.rate")
        if new_rate is None or new_rate < 0:
            raise CardError(f"{where}.rate: expected a rate of 0 or more")
        changes.append((start, new_rate))
    try:
        return Deal(rate=rate, rate_unit=unit, pack_id=data.get("pack_id") or pack_id,
                    employment_type=data.get("employment_type"),
                    guarantee_hours=_decimal(data.get("guarantee_hours"), "deal.guarantee_hours"),
                    jurisdiction=data.get("jurisdiction") or None, allowances=allowances,
                    rate_changes=tuple(changes))
    except ValueError as exc:
        raise CardError(f"deal.rate: {exc}") from None


def day_from_json(data: Any, index: int) -> WorkDay:
    where = f"days.{index}"
    if not isinstance(data, dict):
        raise CardError(f"{where}: expected an object")
    try:
        date = dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        raise CardError(f"{where}.date: expected YYYY-MM-DD, got {data.get('date')!r}") from None
    current = dt.datetime.combine(date, _time(data.get("call"), f"{where}.call"))
    call = current

    def place(value: Any, field: str) -> dt.datetime:
        nonlocal current
        moment = dt.datetime.combine(current.date(), _time(value, f"{where}.{field}"))
        if moment < current:
            moment += dt.timedelta(days=1)
        current = moment
        return moment

    meals = []
    for m, pair in enumerate(data.get("meals") or []):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise CardError(f"{where}.meals.{m}: expected [out, in]")
        out = place(pair[0], f"meals.{m}.0")
        back = place(pair[1], f"meals.{m}.1")
        meals.append(MealPeriod(out, back))
    wrap = place(data.get("wrap"), "wrap")
    if wrap == call:
        wrap += dt.timedelta(days=1)
    if (wrap - call) > dt.timedelta(hours=22):
        raise CardError(f"{where}.wrap: {wrap - call} after call; check the times (a time before call is the next day)")
    travel = []
    for t, pair in enumerate(data.get("travel") or []):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise CardError(f"{where}.travel.{t}: expected [start, end]")
        start = dt.datetime.combine(date, _time(pair[0], f"{where}.travel.{t}.0"))
        end = dt.datetime.combine(date, _time(pair[1], f"{where}.travel.{t}.1"))
        if start < call:  # travel to work, on the work date
            if end > call or end <= start:
                raise CardError(f"{where}.travel.{t}: travel to work must end by the call")
        else:  # travel home, from wrap onwards
            if start < wrap:
                start += dt.timedelta(days=1)
            end = dt.datetime.combine(start.date(), end.time())
            if end <= start:
                end += dt.timedelta(days=1)
        travel.append(Interval(start, end))
    previous = data.get("previous_dismissal")
    previous_dt = None
    if previous:
        text = str(previous)
        try:
            if len(text) <= 5:
                previous_dt = dt.datetime.combine(date - dt.timedelta(days=1), dt.time.fromisoformat(text))
            else:
                previous_dt = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CardError(f"{where}.previous_dismissal: expected HH:MM or YYYY-MM-DD HH:MM, got {previous!r}") from None
        if previous_dt >= call:
            raise CardError(f"{where}.previous_dismissal: must be before the call")
    return WorkDay(
        date=date, call=call, wrap=wrap, meals=tuple(meals), travel=tuple(travel), zone=data.get("zone") or None,
        production_type=data.get("production_type"), holiday=bool(data.get("holiday")), previous_dismissal=previous_dt,
        previous_week_days_worked=data.get("previous_week_days_worked"), rest_reduction=data.get("rest_reduction"),
    )


def card_from_json(data: Any, pack_id: str) -> tuple[Deal, list[WorkDay]]:
    if not isinstance(data, dict):
        raise CardError("(top): expected an object with 'deal' and 'days'")
    days = data.get("days")
    if not isinstance(days, list) or not days:
        raise CardError("days: expected a non-empty list of days")
    worked = [day_from_json(d, i) for i, d in enumerate(days)]
    dates = [d.date for d in worked]
    if len(set(dates)) != len(dates):
        raise CardError("days: a date appears twice")
    return deal_from_json(data.get("deal"), pack_id), worked


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _line(line: Any) -> dict[str, Any]:
    return {"rule_id": line.rule_id, "kind": line.kind, "explanation": line.explanation, "hours": _s(line.hours),
            "rate": _s(line.rate), "multiplier": _s(line.multiplier), "amount": str(line.amount)}


def week_to_json(week: WeekResult) -> dict[str, Any]:
    return {
        "pack_id": week.pack_id, "currency": week.currency, "gross": str(week.gross),
        "fringes_total": str(sum((f.amount for f in week.fringes), Decimal("0.00"))),
        "days": [{
            "date": r.date.isoformat(), "pack": f"{r.pack_id}@{r.pack_version}", "worked_hours": str(r.worked_hours),
            "hours": {k: str(v) for k, v in r.hours.items()}, "meal_penalty_units": r.meal_penalty_units,
            "rest": None if r.rest is None else {"required_hours": str(r.rest.required_hours), "actual_hours": str(r.rest.actual_hours),
                                                 "violated": r.rest.violated, "rule_id": r.rest.rule_id},
            "lines": [_line(line) for line in r.lines], "gross": str(r.gross), "notes": list(r.notes),
        } for r in week.days],
        "week_lines": [_line(line) for line in week.lines],
        "fringes": [_line(line) for line in week.fringes],
        "notes": list(week.notes),
    }


def _text(week: WeekResult) -> str:
    out = []
    for r in week.days:
        tiers = ", ".join(f"{k} {v} h" for k, v in r.hours.items())
        flags = []
        if r.meal_penalty_units:
            flags.append(f"{r.meal_penalty_units} meal penalt{'y' if r.meal_penalty_units == 1 else 'ies'}")
        if r.rest is not None and r.rest.violated:
            flags.append(f"rest {r.rest.actual_hours} h of {r.rest.required_hours} h")
        out.append(f"{r.date:%a %d %b %Y}  worked {r.worked_hours} h  ({tiers}){'  ' + '; '.join(flags) if flags else ''}")
        for line in r.lines:
            out.append(f"  {line.amount:>10}  {line.rule_id}: {line.explanation}")
        out.append(f"  {r.gross:>10}  day gross")
    for line in week.lines:
        out.append(f"  {line.amount:>10}  {line.rule_id}: {line.explanation}")
    out.append(f"Week gross: {week.currency} {week.gross}")
    for line in week.fringes:
        out.append(f"  fringe {line.amount:>10}  {line.rule_id}: {line.explanation}")
    for note in week.notes:
        out.append(f"Note: {note}")
    return "\n".join(out)


def calc(rules: str | list[str], timecard: str, as_json: bool) -> tuple[int, str]:
    """`rules` is one pack file or several (e.g. two versions of one pack, for a week across the
    date a new agreement starts); the deal is priced under the first file's pack id."""
    files = [rules] if isinstance(rules, str) else list(rules)
    try:
        packs = [load_pack(path) for path in files]
    except (OSError, PackError) as exc:
        return 2, f"unitbase payroll calc: {exc}"
    pack = packs[0]
    try:
        with open(timecard, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        return 2, f"unitbase payroll calc: {exc}"
    except json.JSONDecodeError as exc:
        return 2, f"unitbase payroll calc: {timecard}: not valid JSON: {exc}"
    try:
        deal, days = card_from_json(data, pack.id)
    except CardError as exc:
        return 2, f"unitbase payroll calc: {timecard}: {exc}"
    given = {p.id for p in packs}
    shipped = [p for p in default_registry().all() if p.id not in given]
    try:
        week = evaluate_week(days, deal, registry=PackRegistry([*shipped, *packs]))
    except (LookupError, ValueError) as exc:
        return 2, f"unitbase payroll calc: {exc}"
    if as_json:
        return 0, json.dumps(week_to_json(week), indent=2)
    return 0, _text(week)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unitbase payroll", description="Payroll tools that need no database.")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("calc", help="calculate a week's pay from a rule pack and a timecard file")
    c.add_argument("--rules", required=True, action="append",
                   help="rule pack YAML; repeat it to give several versions of the pack (each day uses the one in force)")
    c.add_argument("--timecard", required=True, help="timecard JSON (deal and days)")
    c.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    code, output = calc(args.rules, args.timecard, args.json)
    print(output, file=sys.stdout if code == 0 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
