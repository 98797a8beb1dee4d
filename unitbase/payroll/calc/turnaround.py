"""Turnaround (rest period) checks for schedules and call sheets, before anyone has worked."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from unitbase.payroll.calc.engine import rest_requirement
from unitbase.payroll.calc.model import RestCheck
from unitbase.payroll.calc.schema import RuleSet


@dataclass(frozen=True, slots=True)
class RestViolation:
    dismissal: dt.datetime
    next_call: dt.datetime
    check: RestCheck

    @property
    def message(self) -> str:
        c = self.check
        kind = "weekly rest" if c.kind == "weekly" else "turnaround"
        return (
            f"{kind} {c.actual_hours} h between dismissal {self.dismissal:%a %d %b %H:%M} and call"
            f" {self.next_call:%a %d %b %H:%M}; {c.required_hours} h required ({c.shortfall_hours} h short, {c.rule_id})"
        )


def check_turnaround(
    pack: RuleSet,
    *,
    wrap: dt.datetime,
    next_call: dt.datetime,
    reduction: str | None = None,
    previous_week_days_worked: int | None = None,
) -> RestViolation | None:
    """The violation, if the gap from ``wrap`` (dismissal) to ``next_call`` is shorter than the pack
    requires. Give ``previous_week_days_worked`` when ``next_call`` starts a new workweek."""
    check = rest_requirement(
        pack, dismissal=wrap, call=next_call, reduction=reduction, previous_week_days_worked=previous_week_days_worked
    )
    return RestViolation(wrap, next_call, check) if check.violated else None


def check_schedule(pack: RuleSet, days: Sequence[tuple[dt.datetime, dt.datetime]]) -> list[RestViolation]:
    """Every daily-rest violation in a run of (call, dismissal) pairs for one person, in time order."""
    ordered = sorted(days)
    found = []
    for (_, wrap), (call, _) in itertools.pairwise(ordered):
        violation = check_turnaround(pack, wrap=wrap, next_call=call)
        if violation is not None:
            found.append(violation)
    return found
