"""Simplified movie shoot scheduling (MSSP; shared/bench/mssp/INSTANCES.md).

cost = sum_l locationCost[l] * (visits(l) - 1) + sum_a actorCost[a] * (paid days - worked days)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .sequencing import INF, SeqProblem, check_order, solve_sequence
from .talent import FormatError


@dataclass(frozen=True)
class MsspInstance:
    name: str
    actor_costs: tuple[int, ...]
    location_costs: tuple[int, ...]
    durations: tuple[int, ...]
    locations: tuple[int, ...]
    casts: tuple[frozenset[int], ...]
    precedences: tuple[tuple[int, int], ...]

    @property
    def n(self) -> int:
        return len(self.durations)

    @property
    def m(self) -> int:
        return len(self.actor_costs)

    def to_problem(self) -> SeqProblem:
        return SeqProblem(
            durations=self.durations,
            casts=tuple(sum(1 << a for a in cast) for cast in self.casts),
            actor_costs=self.actor_costs,
            locations=self.locations,
            location_costs=self.location_costs,
            precedences=self.precedences,
        )


@dataclass(frozen=True)
class MsspCost:
    total: int
    location: int
    actor: int


def parse_mssp(text: str, name: str = "") -> MsspInstance:
    try:
        nums = [int(t) for t in text.split()]
    except ValueError as exc:
        raise FormatError(f"expected integers: {exc}") from exc
    if len(nums) < 4:
        raise FormatError("missing header (nbActors nbScenes nbLocations nbPrecedences)")
    m, n, nl, np_ = nums[:4]
    expected = 4 + m + nl + 2 * n + m * n + 2 * np_
    if len(nums) != expected:
        raise FormatError(f"expected {expected} numbers, found {len(nums)}")
    pos = 4

    def take(k: int) -> list[int]:
        nonlocal pos
        out = nums[pos : pos + k]
        pos += k
        return out

    actor_costs, location_costs = take(m), take(nl)
    durations, locations = take(n), take(n)
    rows = [take(n) for _ in range(m)]
    flat = take(2 * np_)
    precedences = tuple((flat[2 * i], flat[2 * i + 1]) for i in range(np_))
    if any(not 0 <= loc < nl for loc in locations):
        raise FormatError("scene location out of range")
    if any(not (0 <= x < n and 0 <= y < n) or x == y for x, y in precedences):
        raise FormatError("precedence refers to an unknown scene")
    casts = tuple(frozenset(a for a in range(m) if rows[a][s]) for s in range(n))
    return MsspInstance(
        name=name,
        actor_costs=tuple(actor_costs),
        location_costs=tuple(location_costs),
        durations=tuple(durations),
        locations=tuple(locations),
        casts=casts,
        precedences=precedences,
    )


def read_mssp(path: str | Path) -> MsspInstance:
    path = Path(path)
    return parse_mssp(path.read_text(), name=path.stem)


def evaluate_mssp(instance: MsspInstance, order: Sequence[int]) -> MsspCost:
    """Cost of an order (0-based scenes) from the definition; raises on an invalid order."""
    errors = check_order(instance.to_problem(), order)
    if errors:
        raise ValueError("; ".join(errors))
    visits: dict[int, int] = {}
    prev = None
    for s in order:
        if instance.locations[s] != prev:
            visits[instance.locations[s]] = visits.get(instance.locations[s], 0) + 1
        prev = instance.locations[s]
    location = sum(instance.location_costs[loc] * (v - 1) for loc, v in visits.items())
    actor = 0
    for a in range(instance.m):
        t, first, last, worked = 0, None, None, 0
        for s in order:
            if a in instance.casts[s]:
                if first is None:
                    first = t
                last = t + instance.durations[s]
                worked += instance.durations[s]
            t += instance.durations[s]
        if first is not None:
            actor += instance.actor_costs[a] * (last - first - worked)
    return MsspCost(total=location + actor, location=location, actor=actor)


@dataclass
class MsspResult:
    status: str  # optimal | feasible | infeasible | timed_out
    order: list[int]
    objective: int
    bound: int
    seconds: float
    method: str


def solve_mssp(
    instance: MsspInstance,
    time_limit: float = 20.0,
    workers: int = 2,
    method: str = "auto",
    on_improve: Callable[[list[int], int], None] | None = None,
) -> MsspResult:
    started = time.monotonic()
    problem = instance.to_problem()
    work = problem.work_cost()
    res = solve_sequence(problem, time_limit=time_limit, workers=workers, method=method, on_improve=on_improve)
    seconds = time.monotonic() - started
    if res.objective >= INF and res.optimal:
        return MsspResult("infeasible", [], INF, INF, seconds, res.method)
    if not res.order:
        return MsspResult("timed_out", [], INF, max(0, res.bound - work), seconds, res.method)
    cost = evaluate_mssp(instance, res.order)
    if cost.total != res.objective - work:  # pragma: no cover - consistency guard
        raise AssertionError(f"evaluator {cost.total} != solver {res.objective - work}")
    bound = max(0, min(cost.total, res.bound - work))
    status = "optimal" if res.optimal else "feasible"
    return MsspResult(status, res.order, cost.total, bound, seconds, res.method)
