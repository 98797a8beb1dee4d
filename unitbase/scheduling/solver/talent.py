"""Talent scheduling (Cheng, Diamond & Lin 1993): readers, evaluator, exact solver.

Objective (shared/bench/talent/INSTANCES.md): total cost = sum_a c[a] * (end of a's last scene -
start of a's first scene) in days; waiting cost = total - work cost.

Solving goes through preprocessing (Garcia de la Banda, Stuckey & Chu 2011):
  * scenes with identical casts are merged (they are consecutive in some optimal order);
  * scenes without actors are taken out and shot last (they then cost nothing);
  * actors appearing in a single (merged) scene are a fixed cost and dropped;
then the reduced problem is solved by the exact subset DP in `sequencing` (or by the heuristic
+ CP-SAT when it is too large), and the order is expanded back and re-evaluated on the original
data.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .sequencing import INF, SeqProblem, SeqResult, cpsat_solve, evaluate, solve_sequence


@dataclass(frozen=True)
class TalentInstance:
    name: str
    durations: tuple[int, ...]
    casts: tuple[frozenset[int], ...]  # actors (0-based) per scene
    costs: tuple[int, ...]  # daily cost per actor

    @property
    def n(self) -> int:
        return len(self.durations)

    @property
    def m(self) -> int:
        return len(self.costs)

    def to_problem(self) -> SeqProblem:
        return SeqProblem(
            durations=self.durations,
            casts=tuple(sum(1 << a for a in cast) for cast in self.casts),
            actor_costs=self.costs,
        )


@dataclass(frozen=True)
class TalentCost:
    total: int
    work: int
    waiting: int


class FormatError(ValueError):
    pass


# --------------------------------------------------------------------------- readers


def _ints(tokens: Sequence[str]) -> list[int]:
    try:
        return [int(t) for t in tokens]
    except ValueError as exc:
        raise FormatError(f"expected integers: {exc}") from exc


def parse_dat(text: str, name: str = "") -> TalentInstance:
    """Stuckey format: name, n, m, per actor n 0/1 values + cost, then n durations."""
    tokens = text.split()
    if len(tokens) < 3:
        raise FormatError("too short for the Stuckey talent format")
    label, rest = tokens[0], _ints(tokens[1:])
    n, m = rest[0], rest[1]
    expected = 2 + m * (n + 1) + n
    if len(rest) != expected:
        raise FormatError(f"expected {expected} numbers after the name, found {len(rest)}")
    pos = 2
    matrix, costs = [], []
    for _ in range(m):
        matrix.append(rest[pos : pos + n])
        costs.append(rest[pos + n])
        pos += n + 1
    durations = rest[pos : pos + n]
    return _build(name or label, matrix, costs, durations)


_ASSIGN = re.compile(r"(\w+)\s*=\s*(.*?);", re.S)


def parse_dzn(text: str, name: str = "") -> TalentInstance:
    """MiniZinc talent format (numScenes/numActors/ia/c/d) or CSPLib rehearsal format
    (num_pieces/num_players/duration/rehearsal, all costs 1)."""
    text = re.sub(r"%[^\n]*", "", text)
    values: dict[str, str] = {k: v for k, v in _ASSIGN.findall(text)}

    def numbers(key: str) -> list[int]:
        if key not in values:
            raise FormatError(f"missing '{key}'")
        body = values[key]
        body = re.sub(r"array2d\s*\([^\[]*", "", body)
        return _ints(re.findall(r"-?\d+", body))

    if "numScenes" in values:
        n, m = numbers("numScenes")[0], numbers("numActors")[0]
        flat, costs, durations = numbers("ia"), numbers("c"), numbers("d")
    elif "num_pieces" in values:
        n, m = numbers("num_pieces")[0], numbers("num_players")[0]
        flat, durations = numbers("rehearsal"), numbers("duration")
        costs = [1] * m
    else:
        raise FormatError("neither a talent (numScenes) nor a rehearsal (num_pieces) .dzn file")
    if len(flat) != n * m or len(costs) != m or len(durations) != n:
        raise FormatError("array sizes do not match numScenes/numActors")
    matrix = [flat[a * n : (a + 1) * n] for a in range(m)]
    return _build(name, matrix, costs, durations)


def _build(name: str, matrix: list[list[int]], costs: list[int], durations: list[int]) -> TalentInstance:
    n = len(durations)
    if any(v not in (0, 1) for row in matrix for v in row):
        raise FormatError("the cast matrix must hold 0/1 values")
    if any(d < 0 for d in durations) or any(c < 0 for c in costs):
        raise FormatError("durations and costs must not be negative")
    casts = tuple(frozenset(a for a, row in enumerate(matrix) if row[s]) for s in range(n))
    return TalentInstance(name=name, durations=tuple(durations), casts=casts, costs=tuple(costs))


def read_talent(path: str | Path) -> TalentInstance:
    path = Path(path)
    text = path.read_text()
    if path.suffix == ".dzn":
        return parse_dzn(text, name=path.stem)
    return parse_dat(text, name=path.stem)


# --------------------------------------------------------------------------- evaluator


def evaluate_talent(instance: TalentInstance, order: Sequence[int]) -> TalentCost:
    """Cost of a shooting order (0-based scene indices), computed from the definition."""
    if sorted(order) != list(range(instance.n)):
        raise ValueError("the order must contain every scene exactly once")
    t = 0
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for s in order:
        for a in instance.casts[s]:
            first.setdefault(a, t)
            last[a] = t + instance.durations[s]
        t += instance.durations[s]
    total = sum(instance.costs[a] * (last[a] - first[a]) for a in first)
    work = sum(instance.costs[a] * instance.durations[s] for s in range(instance.n) for a in instance.casts[s])
    return TalentCost(total=total, work=work, waiting=total - work)


# --------------------------------------------------------------------------- preprocessing


@dataclass(frozen=True)
class Reduced:
    problem: SeqProblem
    groups: tuple[tuple[int, ...], ...]  # original scenes per reduced scene
    empty: tuple[int, ...]  # scenes without actors (shot last)
    fixed_cost: int  # cost of the actors dropped as single-scene


def reduce(instance: TalentInstance) -> Reduced:
    groups: dict[frozenset[int], list[int]] = {}
    empty = []
    for s, cast in enumerate(instance.casts):
        cast = frozenset(a for a in cast if instance.costs[a] > 0) or cast
        if not instance.casts[s]:
            empty.append(s)
            continue
        groups.setdefault(cast, []).append(s)
    group_list = list(groups.items())
    durations = [sum(instance.durations[s] for s in scenes) for _, scenes in group_list]
    scene_count: dict[int, int] = {}
    for cast, _ in group_list:
        for a in cast:
            scene_count[a] = scene_count.get(a, 0) + 1
    fixed = 0
    kept_actors = sorted(a for a, k in scene_count.items() if k > 1 and instance.costs[a] > 0)
    for a, k in scene_count.items():
        if k == 1:
            g = next(i for i, (cast, _) in enumerate(group_list) if a in cast)
            fixed += instance.costs[a] * durations[g]
    index = {a: i for i, a in enumerate(kept_actors)}
    casts = tuple(sum(1 << index[a] for a in cast if a in index) for cast, _ in group_list)
    problem = SeqProblem(
        durations=tuple(durations),
        casts=casts,
        actor_costs=tuple(instance.costs[a] for a in kept_actors),
    )
    return Reduced(problem, tuple(tuple(s) for _, s in group_list), tuple(empty), fixed)


def expand(reduced: Reduced, order: Sequence[int]) -> list[int]:
    return [s for g in order for s in reduced.groups[g]] + list(reduced.empty)


# --------------------------------------------------------------------------- solving


@dataclass
class TalentResult:
    status: str  # optimal | feasible | timed_out
    order: list[int]
    objective: int  # total cost
    waiting: int
    bound: int  # lower bound on the total cost
    seconds: float
    method: str


def solve_talent(
    instance: TalentInstance,
    time_limit: float = 20.0,
    workers: int = 2,
    method: str = "auto",
    on_improve: Callable[[list[int], int], None] | None = None,
) -> TalentResult:
    """method: auto (DP if small enough, else heuristic+CP-SAT), dp, cpsat (plain CP-SAT on the
    reduced problem, DP-free), heuristic."""
    started = time.monotonic()
    red = reduce(instance)
    if red.problem.n == 0:
        order = list(range(instance.n))
        cost = evaluate_talent(instance, order)
        return TalentResult("optimal", order, cost.total, cost.waiting, cost.total, 0.0, "trivial")
    if method == "cpsat":
        res: SeqResult = cpsat_solve(red.problem, time_limit, workers=workers)
    else:
        res = solve_sequence(red.problem, time_limit=time_limit, workers=workers, method=method)
    seconds = time.monotonic() - started
    if not res.order:
        return TalentResult("timed_out", [], INF, INF, red.fixed_cost + res.bound, seconds, res.method)
    order = expand(red, res.order)
    cost = evaluate_talent(instance, order)
    if cost.total != res.objective + red.fixed_cost:  # pragma: no cover - consistency guard
        raise AssertionError(f"evaluator {cost.total} != solver {res.objective} + {red.fixed_cost}")
    bound = min(cost.total, res.bound + red.fixed_cost)
    status = "optimal" if res.optimal else "feasible"
    return TalentResult(status, order, cost.total, cost.waiting, bound, seconds, res.method)


def check_reduced_consistency(instance: TalentInstance, reduced: Reduced, order: Sequence[int]) -> bool:
    """The reduced problem's cost + fixed cost equals the original cost of the expanded order."""
    c = evaluate(reduced.problem, order)
    return c.present + reduced.fixed_cost == evaluate_talent(instance, expand(reduced, order)).total
