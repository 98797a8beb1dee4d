"""Cost evaluator for the weighted production objective (one entry per term, weighted)."""

from __future__ import annotations

from itertools import pairwise

from ..model import Instance, Schedule, Weights
from .capacity import load_by_day


def evaluate(instance: Instance, schedule: Schedule, weights: Weights) -> dict[str, int]:
    index = {d: i for i, d in enumerate(instance.days)}
    scheduled = [s for s in instance.scenes if s.id in schedule]
    # cast holding: working days between first and last shoot day that the member does not work,
    # less the days of a drop (see `holds`), which costs `weights.drop_pickup` instead
    holding = 0
    drops = 0
    costs = {c.id: c.daily_cost for c in instance.cast}
    for member, (hold, dropped, _drop) in holds(instance, schedule, weights).items():
        holding += costs.get(member, 0) * (hold - dropped)
        drops += 1 if _drop else 0
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
        "drop_pickups": weights.drop_pickup * drops,
        "company_moves": weights.company_move * moves,
        "location_revisits": weights.location_revisit * revisits,
        "overtime": weights.overtime_per_minute * overtime,
        "shoot_days": weights.shoot_day * shoot_days,
        "changes": weights.change * changes,
    }


def holds(instance: Instance, schedule: Schedule, weights: Weights) -> dict[str, tuple[int, int, tuple | None]]:
    """Per cast member with work: (hold days in the span, hold days saved by a drop, the drop as
    (last work date before, pick-up date) or None). With `Instance.drop_gap_days` = N, a gap
    between two consecutive work days of more than N unworked calendar days may be dropped (one per
    member); the evaluator takes the gap saving the most hold days, when that saving (x day rate x
    holding weight) exceeds the drop's cost — the cheapest legal choice, which is what the model
    minimises too."""
    index = {d: i for i, d in enumerate(instance.days)}
    costs = {c.id: c.daily_cost for c in instance.cast}
    worked: dict[str, set[int]] = {}
    for scene in instance.scenes:
        if scene.id in schedule and schedule[scene.id] in index:
            for member in scene.cast:
                worked.setdefault(member, set()).add(index[schedule[scene.id]])
    out: dict[str, tuple[int, int, tuple | None]] = {}
    for member, days in worked.items():
        hold = max(days) - min(days) + 1 - len(days)
        saved, drop = 0, None
        if instance.drop_gap_days is not None and hold:
            for a, b in pairwise(sorted(days)):
                gap = (instance.days[b] - instance.days[a]).days - 1
                if gap > instance.drop_gap_days and b - a - 1 > saved:
                    saved, drop = b - a - 1, (instance.days[a], instance.days[b])
            if drop is not None and weights.cast_holding * costs.get(member, 0) * saved <= weights.drop_pickup:
                saved, drop = 0, None
        out[member] = (hold, saved, drop)
    return out
