"""Solver-independent validator: the executable specification of the hard constraints.

One module per constraint family; each exposes `check(instance, schedule) -> list[str]`
(human-readable violations, empty when the family is satisfied). `cost.evaluate` is the
matching cost evaluator for the weighted objective.
"""

from __future__ import annotations

from ..model import Instance, Schedule
from . import availability, capacity, coverage, daynight, pins, precedence, window

FAMILIES = {
    "coverage": coverage.check,
    "availability": availability.check,
    "pins": pins.check,
    "precedence": precedence.check,
    "day_night": daynight.check,
    "capacity": capacity.check,
    "window": window.check,
}


def validate(instance: Instance, schedule: Schedule) -> list[str]:
    """All hard-constraint violations of `schedule` (empty list = feasible)."""
    problems = coverage.check(instance, schedule)
    if problems:  # the other checks assume scenes and dates are known
        return problems
    for name, check in FAMILIES.items():
        if name != "coverage":
            problems.extend(check(instance, schedule))
    return problems


def day_index(instance: Instance) -> dict:
    return {d: i for i, d in enumerate(instance.days)}
