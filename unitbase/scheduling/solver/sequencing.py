"""Scene *sequencing*: the order-only core shared by talent scheduling and the simplified MSSP.

A `SeqProblem` is a set of scenes shot back to back (no gaps). Each scene has a duration, a
cast (bit mask over actors) and optionally a location; actors are paid from the start of their
first scene to the end of their last one; re-visiting a location costs `location_cost[l]` per
extra visit; precedences say "x before y".

    present cost  = sum_a cost[a] * (end of a's last scene - start of a's first scene)
    location cost = sum_l location_cost[l] * (visits(l) - 1)

Talent scheduling's *total cost* is the present cost; the MSSP cost is present cost - work cost
+ location cost. Three engines are here:

* `dp_solve`: exact dynamic programming over subsets of scheduled scenes (x last location when
  locations matter), vectorised with numpy layer by layer (subsets of equal size). Memory is
  2^n, so it is used up to `DP_MAX_SCENES` (after merging identical scenes for talent).
* `local_search`: greedy start + randomised block-insertion descent (anytime heuristic).
* `cpsat_solve`: OR-Tools CP-SAT circuit model (successor arcs + start times) warm-started with
  the best known order; gives a bound and, on small instances, proofs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

DP_MAX_SCENES = 22
CPSAT_MAX_SCENES = 120  # the circuit model has n^2 arcs; larger instances use local search only
INF = 1 << 60
BOUND_SHARE = 0.25  # share of the time limit for the decomposition lower bound (above the DP's size)


@dataclass(frozen=True)
class SeqProblem:
    durations: tuple[int, ...]
    casts: tuple[int, ...]  # bit mask of actors per scene
    actor_costs: tuple[int, ...]
    locations: tuple[int, ...] = ()  # location index per scene; () = all at one location
    location_costs: tuple[int, ...] = ()
    precedences: tuple[tuple[int, int], ...] = ()

    @property
    def n(self) -> int:
        return len(self.durations)

    @property
    def m(self) -> int:
        return len(self.actor_costs)

    @property
    def has_locations(self) -> bool:
        return bool(self.locations) and any(self.location_costs)

    def work_cost(self) -> int:
        return sum(
            self.actor_costs[a] * self.durations[s]
            for s in range(self.n)
            for a in range(self.m)
            if self.casts[s] >> a & 1
        )


@dataclass
class SeqCost:
    present: int
    work: int
    location: int

    @property
    def waiting(self) -> int:
        return self.present - self.work


@dataclass
class SeqResult:
    order: list[int]
    objective: int  # present cost + location cost (the quantity the engines minimise)
    bound: int
    optimal: bool
    seconds: float
    method: str
    log: list[str] = field(default_factory=list)


def check_order(problem: SeqProblem, order: Sequence[int]) -> list[str]:
    """Problems with an order: not a permutation, or a precedence broken."""
    errors = []
    if sorted(order) != list(range(problem.n)):
        errors.append("the order is not a permutation of all scenes")
        return errors
    pos = {s: i for i, s in enumerate(order)}
    for x, y in problem.precedences:
        if pos[x] > pos[y]:
            errors.append(f"scene {x} must be shot before scene {y}")
    return errors


def evaluate(problem: SeqProblem, order: Sequence[int]) -> SeqCost:
    """Independent cost evaluator (straight from the definition, day by day)."""
    t = 0
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for s in order:
        d = problem.durations[s]
        for a in range(problem.m):
            if problem.casts[s] >> a & 1:
                first.setdefault(a, t)
                last[a] = t + d
        t += d
    present = sum(problem.actor_costs[a] * (last[a] - first[a]) for a in first)
    location = 0
    if problem.locations:
        visits: dict[int, int] = {}
        prev = None
        for s in order:
            loc = problem.locations[s]
            if loc != prev:
                visits[loc] = visits.get(loc, 0) + 1
            prev = loc
        location = sum(problem.location_costs[loc] * (v - 1) for loc, v in visits.items())
    return SeqCost(present=present, work=problem.work_cost(), location=location)


def objective(problem: SeqProblem, order: Sequence[int]) -> int:
    c = evaluate(problem, order)
    return c.present + c.location


# --------------------------------------------------------------------------- lower bound


def simple_bound(problem: SeqProblem) -> int:
    """Valid lower bound: every actor is present at least during their own scenes, and an
    actor in two scenes whose casts are ... (kept simple: work cost)."""
    return problem.work_cost()


# --------------------------------------------------------------------------- exact DP


def dp_solve(problem: SeqProblem, deadline: float | None = None) -> SeqResult | None:
    """Exact DP over subsets (x last location). Returns None if the deadline passes."""
    import numpy as np

    started = time.monotonic()
    n, m = problem.n, problem.m
    if n == 0:
        return SeqResult([], 0, 0, True, 0.0, "dp")
    size = 1 << n
    full = size - 1
    casts = [int(c) for c in problem.casts]
    # Union of casts for every subset, built by doubling.
    union = np.zeros(size, dtype=np.int64)
    for s in range(n):
        half = 1 << s
        union[half : 2 * half] = union[:half] | casts[s]
    # popcount per subset and subsets grouped by size
    pop = np.zeros(size, dtype=np.int8)
    for s in range(n):
        half = 1 << s
        pop[half : 2 * half] = pop[:half] + 1
    by_size = np.argsort(pop, kind="stable").astype(np.int64)
    counts = np.bincount(pop, minlength=n + 1)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    # actor-set weight: table lookup when few actors, else per-actor sum
    costs = problem.actor_costs
    table = None
    if m <= 20:
        table = np.zeros(1 << m, dtype=np.int64)
        for a in range(m):
            half = 1 << a
            table[half : 2 * half] = table[:half] + costs[a]

    def weight(masks):
        if table is not None:
            return table[masks]
        w = np.zeros(masks.shape, dtype=np.int64)
        for a in range(m):
            if costs[a]:
                w += ((masks >> a) & 1) * costs[a]
        return w

    use_loc = problem.has_locations
    locs = problem.locations if use_loc else (0,) * n
    nloc = (max(locs) + 1) if use_loc else 1
    loc_cost = problem.location_costs if use_loc else (0,)
    loc_mask = [0] * nloc
    for s in range(n):
        loc_mask[locs[s]] |= 1 << s
    preds = [0] * n
    for x, y in problem.precedences:
        preds[y] |= 1 << x

    f = np.full((size, nloc), INF, dtype=np.int64)
    f[0, :] = 0
    for k in range(n):
        if deadline is not None and time.monotonic() > deadline:
            return None
        layer = by_size[offsets[k] : offsets[k + 1]]
        fl = f[layer]
        fmin_layer = fl.min(axis=1)
        ok_layer = fmin_layer < INF
        layer = layer[ok_layer]
        fl = fl[ok_layer]
        fmin_layer = fmin_layer[ok_layer]
        for s in range(n):
            bit = 1 << s
            sel_idx = ((layer & bit) == 0) & ((layer & preds[s]) == preds[s])
            sel = layer[sel_idx]
            if sel.size == 0:
                continue
            rest = full ^ sel ^ bit
            present = casts[s] | (union[sel] & union[rest])
            add = weight(present) * problem.durations[s]
            loc = locs[s]
            if use_loc:
                visited = (sel & loc_mask[loc]) != 0
                base = np.minimum(fl[sel_idx, loc], fmin_layer[sel_idx] + visited * loc_cost[loc])
            else:
                base = fl[sel_idx, 0]
            cand = base + add
            tgt = sel | bit
            f[tgt, loc] = np.minimum(f[tgt, loc], cand)
    best_loc = int(np.argmin(f[full]))
    best = int(f[full, best_loc])
    if best >= INF:
        return SeqResult([], INF, INF, True, time.monotonic() - started, "dp")  # infeasible

    # Reconstruct backwards.
    order: list[int] = []
    state, loc_now = full, best_loc
    union_py = lambda mask: int(union[mask])  # noqa: E731
    while state:
        found = False
        for s in range(n):
            bit = 1 << s
            if not state & bit or locs[s] != loc_now:
                continue
            prev = state ^ bit
            if (prev & preds[s]) != preds[s]:
                continue
            present = casts[s] | (union_py(prev) & union_py(full ^ state))
            add = sum(costs[a] for a in range(m) if present >> a & 1) * problem.durations[s]
            for p in range(nloc):
                fp = int(f[prev, p])
                if fp >= INF:
                    continue
                extra = 0
                if use_loc and p != loc_now and prev & loc_mask[loc_now]:
                    extra = loc_cost[loc_now]
                if prev == 0:
                    extra = 0
                if fp + extra + add == int(f[state, loc_now]):
                    order.append(s)
                    state, loc_now = prev, p
                    found = True
                    break
            if found:
                break
        if not found:  # pragma: no cover - would be a bug
            raise RuntimeError("DP reconstruction failed")
    order.reverse()
    return SeqResult(order, best, best, True, time.monotonic() - started, "dp")


# --------------------------------------------------------------------------- heuristics


def greedy_order(problem: SeqProblem) -> list[int]:
    """Build an order scene by scene, choosing the feasible scene with the cheapest increment
    (ties: same location as the previous scene, then fewer new actors)."""
    n = problem.n
    preds = [0] * n
    for x, y in problem.precedences:
        preds[y] |= 1 << x
    done = 0
    order: list[int] = []
    remaining = set(range(n))
    count = [0] * problem.m  # remaining scenes per actor
    for s in range(n):
        for a in range(problem.m):
            if problem.casts[s] >> a & 1:
                count[a] += 1
    weight = {}
    on_set = 0
    for _ in range(n):
        best = None
        best_key = None
        prev_loc = problem.locations[order[-1]] if order and problem.locations else None
        for s in remaining:
            if done & preds[s] != preds[s]:
                continue
            cast = problem.casts[s]
            others = 0
            for a in range(problem.m):
                if count[a] - (cast >> a & 1) > 0:
                    others |= 1 << a
            present = cast | (on_set & others)
            if present not in weight:
                weight[present] = sum(problem.actor_costs[a] for a in range(problem.m) if present >> a & 1)
            inc = weight[present] * problem.durations[s]
            new_actors = bin(cast & ~on_set).count("1")
            same_loc = 0 if (prev_loc is None or problem.locations[s] == prev_loc) else 1
            key = (same_loc, inc, new_actors, s)
            if best_key is None or key < best_key:
                best, best_key = s, key
        if best is None:
            raise ValueError("the precedences contain a cycle")
        order.append(best)
        remaining.discard(best)
        done |= 1 << best
        on_set |= problem.casts[best]
        for a in range(problem.m):
            if problem.casts[best] >> a & 1:
                count[a] -= 1
    return order


def _feasible(problem: SeqProblem, order: Sequence[int]) -> bool:
    if not problem.precedences:
        return True
    pos = [0] * problem.n
    for i, s in enumerate(order):
        pos[s] = i
    return all(pos[x] < pos[y] for x, y in problem.precedences)


def local_search(
    problem: SeqProblem,
    start: Sequence[int],
    deadline: float,
    seed: int = 0,
    on_improve: Callable[[list[int], int], None] | None = None,
) -> tuple[list[int], int]:
    """Randomised descent with block moves (move a run of 1..k consecutive scenes elsewhere,
    or reverse it), accepting equal-cost moves, with restarts from perturbed best orders."""
    rng = random.Random(seed)
    n = problem.n
    best = list(start)
    best_cost = objective(problem, best)
    if n < 3:
        return best, best_cost
    current, cur_cost = list(best), best_cost
    stale = 0
    while time.monotonic() < deadline:
        i = rng.randrange(n)
        length = min(n - i, rng.choice((1, 1, 1, 2, 2, 3, 4, 6)))
        block = current[i : i + length]
        rest = current[:i] + current[i + length :]
        if rng.random() < 0.15:
            cand = current[:i] + block[::-1] + current[i + length :]
        else:
            j = rng.randrange(len(rest) + 1)
            cand = rest[:j] + block + rest[j:]
        if cand == current or not _feasible(problem, cand):
            continue
        c = objective(problem, cand)
        if c <= cur_cost:
            stale = 0 if c < cur_cost else stale + 1
            current, cur_cost = cand, c
            if c < best_cost:
                best, best_cost = list(cand), c
                if on_improve:
                    on_improve(best, best_cost)
        else:
            stale += 1
        if stale > 40 * n:  # perturb the best solution and continue
            current = list(best)
            for _ in range(3):
                a, b = rng.randrange(n), rng.randrange(n)
                trial = list(current)
                trial[a], trial[b] = trial[b], trial[a]
                if _feasible(problem, trial):
                    current = trial
            cur_cost = objective(problem, current)
            stale = 0
    return best, best_cost


# --------------------------------------------------------------------------- CP-SAT


def cpsat_solve(
    problem: SeqProblem,
    time_limit: float,
    workers: int = 2,
    hint: Sequence[int] | None = None,
    on_solution: Callable[[list[int], int, int], None] | None = None,
) -> SeqResult:
    """Circuit model: successor literals over scenes + a depot node, start times chained along
    the arcs, actor span = max end - min start, location visit = an arc entering a location
    from another one. Reversal symmetry is broken when there are no precedences."""
    from ortools.sat.python import cp_model

    started = time.monotonic()
    n = problem.n
    horizon = sum(problem.durations)
    model = cp_model.CpModel()
    start = [model.NewIntVar(0, horizon - problem.durations[s], f"start{s}") for s in range(n)]
    intervals = [model.NewFixedSizeIntervalVar(start[s], problem.durations[s], f"iv{s}") for s in range(n)]
    model.AddNoOverlap(intervals)
    must_before = set(problem.precedences)
    arcs = []
    depot = n
    first_lit = {}
    last_lit = {}
    incoming: dict[int, list] = {s: [] for s in range(n)}
    arc_lit = {}
    for j in range(n):
        lit = model.NewBoolVar(f"first{j}")
        arcs.append((depot, j, lit))
        first_lit[j] = lit
        model.Add(start[j] == 0).OnlyEnforceIf(lit)
        incoming[j].append((depot, lit))
        lit2 = model.NewBoolVar(f"last{j}")
        arcs.append((j, depot, lit2))
        last_lit[j] = lit2
        model.Add(start[j] + problem.durations[j] == horizon).OnlyEnforceIf(lit2)
    for i in range(n):
        for j in range(n):
            if i == j or (j, i) in must_before:
                continue
            lit = model.NewBoolVar(f"a{i}_{j}")
            arcs.append((i, j, lit))
            arc_lit[i, j] = lit
            incoming[j].append((i, lit))
            model.Add(start[j] == start[i] + problem.durations[i]).OnlyEnforceIf(lit)
    model.AddCircuit(arcs)
    for x, y in problem.precedences:
        model.Add(start[x] + problem.durations[x] <= start[y])
    terms = []
    for a in range(problem.m):
        scenes = [s for s in range(n) if problem.casts[s] >> a & 1]
        if not scenes or not problem.actor_costs[a]:
            continue
        if len(scenes) == 1:
            terms.append(problem.actor_costs[a] * problem.durations[scenes[0]])
            continue
        lo = model.NewIntVar(0, horizon, f"lo{a}")
        hi = model.NewIntVar(0, horizon, f"hi{a}")
        model.AddMinEquality(lo, [start[s] for s in scenes])
        model.AddMaxEquality(hi, [start[s] + problem.durations[s] for s in scenes])
        work = sum(problem.durations[s] for s in scenes)
        model.Add(hi - lo >= work)
        terms.append(problem.actor_costs[a] * (hi - lo))
    if problem.has_locations:
        for loc, lc in enumerate(problem.location_costs):
            at = [s for s in range(n) if problem.locations[s] == loc]
            if not at or not lc:
                continue
            entries = [lit for j in at for (i, lit) in incoming[j] if i == depot or problem.locations[i] != loc]
            terms.append(lc * (sum(entries) - 1))
    if not problem.precedences and n >= 2:
        model.Add(sum(j * first_lit[j] for j in range(n)) < sum(j * last_lit[j] for j in range(n)))
    model.Minimize(sum(terms))
    if hint:
        t = 0
        pos_next = {hint[k]: hint[k + 1] for k in range(len(hint) - 1)}
        for s in hint:
            model.AddHint(start[s], t)
            t += problem.durations[s]
        for j in range(n):
            model.AddHint(first_lit[j], j == hint[0])
            model.AddHint(last_lit[j], j == hint[-1])
        for (i, j), lit in arc_lit.items():
            model.AddHint(lit, pos_next.get(i) == j)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = max(1, min(workers, 2))

    def order_from(get):
        return sorted(range(n), key=lambda s: get(start[s]))

    class CB(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self):
            if on_solution:
                on_solution(order_from(self.Value), int(self.ObjectiveValue()), int(self.BestObjectiveBound()))

    status = solver.Solve(model, CB())
    seconds = time.monotonic() - started
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        order = order_from(solver.Value)
        return SeqResult(
            order,
            int(solver.ObjectiveValue()),
            int(solver.BestObjectiveBound()),
            status == cp_model.OPTIMAL,
            seconds,
            "cpsat",
        )
    if status == cp_model.INFEASIBLE:
        return SeqResult([], INF, INF, True, seconds, "cpsat")
    return SeqResult([], INF, int(solver.BestObjectiveBound()) if n else 0, False, seconds, "cpsat")


# --------------------------------------------------------------------------- driver


def solve_sequence(
    problem: SeqProblem,
    time_limit: float = 20.0,
    workers: int = 2,
    method: str = "auto",
    on_improve: Callable[[list[int], int], None] | None = None,
) -> SeqResult:
    """auto: exact DP when the instance is small enough, otherwise heuristic + CP-SAT."""
    started = time.monotonic()
    deadline = started + time_limit
    if method in ("auto", "dp") and problem.n <= DP_MAX_SCENES:
        res = dp_solve(problem, deadline=deadline)
        if res is not None:
            res.seconds = time.monotonic() - started
            return res
        if method == "dp":
            return SeqResult([], INF, simple_bound(problem), False, time.monotonic() - started, "dp")
    order = greedy_order(problem)
    cost = objective(problem, order)
    if on_improve:
        on_improve(order, cost)
    ls_share = 0.3 if method != "heuristic" and problem.n <= CPSAT_MAX_SCENES else 1.0 - BOUND_SHARE
    order, cost = local_search(problem, order, started + time_limit * ls_share, on_improve=on_improve)
    bound = simple_bound(problem)
    if method != "heuristic":  # a proven bound from exact sub-problems (solver/bounds.py)
        from .bounds import decomposition_bound

        bound = max(bound, decomposition_bound(problem, time.monotonic() + time_limit * BOUND_SHARE))
    if method == "heuristic" or cost <= bound:
        label = "heuristic" if method == "heuristic" else "heuristic+bound"
        return SeqResult(order, cost, min(bound, cost), cost <= bound, time.monotonic() - started, label)
    remaining = deadline - time.monotonic()
    if remaining > 0.5 and problem.n <= CPSAT_MAX_SCENES:
        res = cpsat_solve(problem, remaining, workers=workers, hint=order)
        if res.order and res.objective <= cost:
            res.bound = min(res.objective, max(res.bound, bound))
            res.optimal = res.optimal or res.objective <= res.bound
            res.seconds = time.monotonic() - started
            res.method = "heuristic+cpsat"
            return res
        bound = max(bound, res.bound)
        return SeqResult(order, cost, bound, cost <= bound, time.monotonic() - started, "heuristic+cpsat")
    return SeqResult(order, cost, bound, cost <= bound, time.monotonic() - started, "heuristic")
