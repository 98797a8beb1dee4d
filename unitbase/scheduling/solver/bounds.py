"""Lower bounds for scene sequencing that is too big for the exact DP (decomposition bound).

The sequencing cost is a sum of separate terms, one per actor (waiting = days on set between the
first and last scene that are not the actor's own) and one per location (cost x extra visits):

    objective(order) = work + sum_a waiting_a(order) + sum_l revisit_l(order)

Two facts make small exact sub-problems give a valid bound for the whole instance:

1. *Separability*: for any partition of the actors and locations into groups g,
   min_order sum_g cost_g(order) >= sum_g min_order cost_g(order).
2. *Deletion is a relaxation*: removing scenes from an order (keeping the rest in their order)
   never increases an actor's waiting (fewer foreign scenes inside the span) nor a location's
   visit count (runs can only merge or vanish); precedences restricted to the kept scenes (via the
   transitive closure) still hold. So the optimum of the group's terms on a scene subset S is at
   most the group's cost in the optimal order of the full instance.

`decomposition_bound` partitions actors (and locations) into groups that share many scenes,
picks for each group a few subsets of at most `max_scenes` of its scenes, solves each sub-problem
exactly with `sequencing.dp_solve` and keeps, per group, the best value found; the sum over
groups plus the work cost is the bound. Different partitions are tried while time remains and
the largest sum is returned. Every figure is a proven bound whatever the choices.
"""

from __future__ import annotations

import random
import time

from .sequencing import INF, SeqProblem, dp_solve


def precedence_closure(n: int, precedences) -> list[int]:
    """preds[y] = bit mask of every scene that must come before y (transitively)."""
    preds = [0] * n
    for x, y in precedences:
        preds[y] |= 1 << x
    changed = True
    while changed:
        changed = False
        for y in range(n):
            acc = preds[y]
            mask = acc
            while mask:
                low = mask & -mask
                x = low.bit_length() - 1
                acc |= preds[x]
                mask ^= low
            if acc != preds[y]:
                preds[y] = acc
                changed = True
    return preds


def sub_problem(problem: SeqProblem, scenes: list[int], actors: int, locations: set[int], preds: list[int]) -> SeqProblem:
    """The instance restricted to `scenes`, costing only the actors in the mask `actors` and the
    `locations` given (others cost 0); precedences from the transitive closure."""
    index = {s: i for i, s in enumerate(scenes)}
    pairs = tuple((index[x], index[y]) for y in scenes for x in scenes if preds[y] >> x & 1)
    costs = tuple(c if actors >> a & 1 else 0 for a, c in enumerate(problem.actor_costs))
    has_loc = bool(problem.locations) and bool(locations)
    # locations renumbered 0..k-1 over the kept scenes (the DP's state has one slot per location)
    present = sorted({problem.locations[s] for s in scenes}) if has_loc else []
    renumber = {loc: i for i, loc in enumerate(present)}
    return SeqProblem(
        durations=tuple(problem.durations[s] for s in scenes),
        casts=tuple(problem.casts[s] & actors for s in scenes),
        actor_costs=costs,
        locations=tuple(renumber[problem.locations[s]] for s in scenes) if has_loc else (),
        location_costs=tuple(problem.location_costs[loc] if loc in locations else 0 for loc in present),
        precedences=pairs,
    )


def sub_bound(problem: SeqProblem, scenes: list[int], actors: int, locations: set[int], preds: list[int],
              deadline: float | None) -> int | None:
    """Exact minimum of the group's waiting + location terms over the scene subset (None: out of
    time, or a precedence cycle)."""
    sub = sub_problem(problem, scenes, actors, locations, preds)
    res = dp_solve(sub, deadline=deadline)
    if res is None or res.objective >= INF:
        return None
    return res.objective - sub.work_cost()


def _groups(problem: SeqProblem, rng: random.Random, group_size: int) -> list[tuple[int, set[int]]]:
    """Actors grouped by shared scenes (heaviest co-occurrence first, with random tie-breaks);
    each location joins the group holding most of its scenes."""
    m, n = problem.m, problem.n
    scenes_of = [[s for s in range(n) if problem.casts[s] >> a & 1] for a in range(m)]
    active = [a for a in range(m) if problem.actor_costs[a] and len(scenes_of[a]) > 1]
    together = {}
    for a in active:
        for b in active:
            if a < b:
                shared = sum(1 for s in scenes_of[a] if problem.casts[s] >> b & 1)
                together[a, b] = together[b, a] = shared * (problem.actor_costs[a] + problem.actor_costs[b])
    left = set(active)
    groups: list[list[int]] = []
    while left:
        seed = max(left, key=lambda a: (len(scenes_of[a]) * problem.actor_costs[a]) * (0.5 + rng.random()))
        group = [seed]
        left.discard(seed)
        while len(group) < group_size and left:
            best = max(left, key=lambda b: sum(together.get((a, b), 0) for a in group) * (0.7 + 0.6 * rng.random()))
            if sum(together.get((a, best), 0) for a in group) == 0 and len(group) > 1:
                break
            group.append(best)
            left.discard(best)
        groups.append(group)
    masks = [sum(1 << a for a in g) for g in groups] or [0]
    locs: list[set[int]] = [set() for _ in masks]
    if problem.has_locations:
        for loc, cost in enumerate(problem.location_costs):
            if not cost:
                continue
            at = [s for s in range(n) if problem.locations[s] == loc]
            best = max(range(len(masks)), key=lambda g: (sum(1 for s in at if problem.casts[s] & masks[g]), rng.random()))
            locs[best].add(loc)
    return list(zip(masks, locs, strict=True))


def _subsets(problem: SeqProblem, mask: int, locs: set[int], rng: random.Random, max_scenes: int, tries: int):
    """Scene subsets of the group's scenes: all of them when they fit, else samples weighted by
    how many of the group's actors a scene holds (scenes shared by several actors make the cost)."""
    cand = _candidates(problem, mask, locs)
    if len(cand) <= max_scenes:
        yield cand
        return
    weight = {s: 1 + 2 * (problem.casts[s] & mask).bit_count() + (1 if problem.locations and problem.locations[s] in locs else 0)
              for s in cand}
    for _ in range(tries):
        pool = list(cand)
        chosen = []
        while len(chosen) < max_scenes:
            total = sum(weight[s] for s in pool)
            r = rng.random() * total
            for i, s in enumerate(pool):
                r -= weight[s]
                if r <= 0:
                    chosen.append(pool.pop(i))
                    break
            else:
                chosen.append(pool.pop())
        yield sorted(chosen)


def decomposition_bound(problem: SeqProblem, deadline: float, max_scenes: int = 20, group_size: int = 64,
                        tries: int = 4, seed: int = 0) -> int:
    """A proven lower bound on `objective` (present + location cost) for any problem size; at
    least the work cost. Stops at `deadline`. With the default `group_size` every actor is in one
    group (measured best on movie50/100: a few large sub-problems beat many small ones); the time
    left after the first sampled subsets goes to a swap search on the subset (replace one or two
    scenes, keep the subset when its exact value does not drop). Every value kept is a proven bound."""
    rng = random.Random(seed)
    work = problem.work_cost()
    if problem.n == 0:
        return 0
    preds = precedence_closure(problem.n, problem.precedences)
    groups = _groups(problem, rng, group_size)
    # sub-problem size: start small and grow while one exact solve takes under a tenth of the budget
    size, budget = min(12, max_scenes), deadline - time.monotonic()
    while size < max_scenes:
        t0 = time.monotonic()
        probe = next(iter(_subsets(problem, groups[0][0], groups[0][1], rng, size, 1)))
        if len(probe) < size or sub_bound(problem, probe, *groups[0], preds, deadline) is None:
            break
        if time.monotonic() - t0 > budget / 40:
            break
        size += 2
    found: list[tuple[int, list[int]]] = []
    for mask, locs in groups:
        group_best, best_set = 0, []
        for scenes in _subsets(problem, mask, locs, rng, size, tries):
            if time.monotonic() > deadline:
                break
            value = sub_bound(problem, scenes, mask, locs, preds, deadline)
            if value is not None and value >= group_best:
                group_best, best_set = value, scenes
        found.append((group_best, best_set))
    # swap search on the subsets that do not hold all of their group's scenes
    open_groups = [g for g, (mask, locs) in enumerate(groups)
                   if found[g][1] and len(_candidates(problem, mask, locs)) > len(found[g][1])]
    while open_groups and time.monotonic() < deadline:
        g = rng.choice(open_groups)
        mask, locs = groups[g]
        value, current = found[g]
        outside = [s for s in _candidates(problem, mask, locs) if s not in set(current)]
        trial = list(current)
        for _ in range(rng.choice((1, 1, 2))):
            trial[rng.randrange(len(trial))] = outside.pop(rng.randrange(len(outside))) if outside else trial[0]
        trial = sorted(set(trial))
        new = sub_bound(problem, trial, mask, locs, preds, deadline)
        if new is not None and new >= value:
            found[g] = (new, trial)
    return work + sum(v for v, _ in found)


def _candidates(problem: SeqProblem, mask: int, locs: set[int]) -> list[int]:
    return [s for s in range(problem.n) if problem.casts[s] & mask or (problem.locations and problem.locations[s] in locs)]
