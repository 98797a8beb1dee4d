"""`before` is shot no later than `after` (strictly earlier day when `strict`)."""

from __future__ import annotations

from ..model import Instance, Schedule


def check(instance: Instance, schedule: Schedule) -> list[str]:
    problems = []
    for p in instance.precedences:
        a, b = schedule.get(p.before), schedule.get(p.after)
        if a is None or b is None:
            continue
        if a > b or (p.strict and a == b):
            word = "before" if p.strict else "no later than"
            problems.append(f"scene {p.before!r} ({a}) must be shot {word} scene {p.after!r} ({b})")
    return problems
