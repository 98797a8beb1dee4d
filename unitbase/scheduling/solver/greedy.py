"""Greedy day assignment: a quick valid schedule to warm-start CP-SAT (`Config.warm_start`).

Scenes are taken set by set (sets with the most pages first; within a set, scenes with the same
cast together), in an order that respects the precedences, and each goes on the earliest allowed
day (availability, pin, date-range scope, after its predecessors) that still has room for its
pages and minutes and suits its DAY/NIGHT kind. The result is checked by the validator; None when
the greedy cannot place every scene (CP-SAT then starts without it).
"""

from __future__ import annotations

from datetime import timedelta

from .model import DayNight, Instance, Schedule
from .validate import validate


def greedy_schedule(instance: Instance, allowed: dict[str, list[int]]) -> Schedule | None:
    scenes = [s for s in instance.scenes if not s.boneyard]
    if not scenes:
        return {}
    pages_by_loc: dict[str | None, int] = {}
    for s in scenes:
        pages_by_loc[s.location] = pages_by_loc.get(s.location, 0) + s.pages
    rank = {s.id: (-pages_by_loc[s.location], str(s.location), sorted(s.cast), s.id) for s in scenes}
    preds: dict[str, list[tuple[str, bool]]] = {s.id: [] for s in scenes}
    succ_count = {s.id: 0 for s in scenes}
    for p in instance.precedences:
        if p.before in preds and p.after in preds:
            preds[p.after].append((p.before, p.strict))
            succ_count[p.before] += 1
    # Kahn's order, cheapest rank first among the scenes whose predecessors are placed
    waiting = {s.id: len(preds[s.id]) for s in scenes}
    after: dict[str, list[str]] = {s.id: [] for s in scenes}
    for sid, ps in preds.items():
        for before, _ in ps:
            after[before].append(sid)
    ready = sorted((sid for sid, k in waiting.items() if k == 0), key=rank.__getitem__)
    order: list[str] = []
    while ready:
        sid = ready.pop(0)
        order.append(sid)
        for nxt in after[sid]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
                ready.sort(key=rank.__getitem__)
    if len(order) != len(scenes):
        return None  # a precedence cycle
    by_id = {s.id: s for s in scenes}
    n = len(instance.days)
    pages, minutes = [0] * n, [0] * n
    kinds: list[set] = [set() for _ in range(n)]
    day_of: dict[str, int] = {}
    for sid in order:
        scene = by_id[sid]
        earliest = max((day_of[b] + (1 if strict else 0) for b, strict in preds[sid]), default=0)
        placed = False
        for d in allowed.get(sid, []):
            if d < earliest or not _fits(instance, scene, d, pages, minutes, kinds):
                continue
            day_of[sid] = d
            pages[d] += scene.pages
            minutes[d] += scene.minutes or 0
            kinds[d].add(scene.day_night)
            placed = True
            break
        if not placed:
            return None
    schedule = {sid: instance.days[d] for sid, d in day_of.items()}
    return schedule if not validate(instance, schedule) else None


def _fits(instance: Instance, scene, d: int, pages: list[int], minutes: list[int], kinds: list[set]) -> bool:
    if instance.max_pages_per_day is not None and pages[d] + scene.pages > instance.max_pages_per_day:
        return False
    if instance.max_minutes_per_day is not None and minutes[d] + (scene.minutes or 0) > instance.max_minutes_per_day:
        return False
    if not instance.mixed_day_night and kinds[d] and scene.day_night not in kinds[d]:
        return False
    if instance.rest_after_night:
        day = instance.days[d]
        one = timedelta(days=1)
        if scene.day_night == DayNight.DAY and d > 0 and instance.days[d - 1] == day - one \
                and DayNight.NIGHT in kinds[d - 1]:
            return False
        if scene.day_night == DayNight.NIGHT and d + 1 < len(instance.days) and instance.days[d + 1] == day + one \
                and DayNight.DAY in kinds[d + 1]:
            return False
    return True
