"""Cost evaluator for the weighted production objective (one entry per term, weighted)."""

from __future__ import annotations

from itertools import pairwise

from ..model import Instance, Schedule, Weights
from .capacity import load_by_day


def evaluate(instance: Instance, schedule: Schedule, weights: Weights) -> dict[str, int]:
    index = {d: i for i, d in enumerate(instance.days)}
    scheduled = [s for s in instance.scenes if s.id in schedule]
    # cast holding: working days between first and last shoot day that the member does not work
    holding = 0
    costs = {c.id: c.daily_cost for c in instance.cast}
    worked: dict[str, set[int]] = {}
    for scene in scheduled:
        for member in scene.cast:
            worked.setdefault(member, set()).add(index[schedule[scene.id]])
    for member, days in worked.items():
        holding += costs.get(member, 0) * (max(days) - min(days) + 1 - len(days))
    # company moves within a day; location re-visits across the calendar
    locs_by_day: dict[int, set[str]] = {}
    for scene in scheduled:
        if scene.location is not None:
            locs_by_day.setdefault(index[schedule[scene.id]], set()).add(scene.location)
    moves = sum(len(ls) - 1 for ls in locs_by_day.values())
    revisits = 0
    for loc in {loc for ls in locs_by_day.values() for loc in ls}:
        days = sorted(d for d, ls in locs_by_day.items() if loc in ls)
        runs = 1 + sum(1 for a, b in pairwise(days) if b != a + 1)
        revisits += runs - 1
    overtime = 0
    if instance.standard_minutes_per_day is not None:
        for _, minutes in load_by_day(instance, schedule).values():
            overtime += max(0, minutes - instance.standard_minutes_per_day)
    shoot_days = len({schedule[s.id] for s in scheduled})
    changes = sum(1 for scene_id, day in instance.current if schedule.get(scene_id) != day)
    return {
        "cast_holding": weights.cast_holding * holding,
        "company_moves": weights.company_move * moves,
        "location_revisits": weights.location_revisit * revisits,
        "overtime": weights.overtime_per_minute * overtime,
        "shoot_days": weights.shoot_day * shoot_days,
        "changes": weights.change * changes,
    }
