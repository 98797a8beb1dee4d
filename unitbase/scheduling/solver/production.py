"""The production scheduler: assign every scene to a shoot day (CP-SAT), weighted objective.

Decision: x[s, d] = scene s is shot on working day d (only created where the scene's cast and
location are available and the pin allows it). Hard constraints mirror the validator modules;
objective terms mirror `validate.cost.evaluate` exactly, and the result's breakdown is
computed by that evaluator (never taken from the solver).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from .conflicts import explain_infeasible
from .greedy import greedy_schedule
from .model import Config, DayNight, Instance, Result, Schedule, Status
from .validate import validate
from .validate.cost import evaluate
from .validate.window import fixed as window_fixed

ProgressCallback = Callable[[dict], None]
StopCheck = Callable[[], bool]


def allowed_days(instance: Instance) -> dict[str, list[int]]:
    cast = instance.cast_by_id()
    locations = instance.locations_by_id()
    pins = dict(instance.pins)
    kept = window_fixed(instance)
    out: dict[str, list[int]] = {}
    for scene in instance.scenes:
        if scene.boneyard:
            continue
        days = []
        for i, day in enumerate(instance.days):
            if scene.id in pins and pins[scene.id] != day:
                continue
            if scene.id in kept and kept[scene.id] != day:
                continue
            if instance.window is not None and scene.id not in kept and not instance.window[0] <= day <= instance.window[1]:
                continue
            if any(m in cast and day in cast[m].unavailable for m in scene.cast):
                continue
            if scene.location in locations and day in locations[scene.location].unavailable:
                continue
            days.append(i)
        out[scene.id] = days
    return out


def solve(
    instance: Instance,
    config: Config | None = None,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
) -> Result:
    """Solve; `should_stop()` (optional) is polled after every solution and about every 0.25 s from
    a watcher thread: when it answers True the search stops and the best schedule so far (if any)
    is returned (status feasible, or timed out when there is none)."""
    from ortools.sat.python import cp_model

    config = config or Config()
    if config.window is not None:
        instance = replace(instance, window=config.window)
    w = config.weights
    started = time.monotonic()
    scenes = [s for s in instance.scenes if not s.boneyard]
    allowed = allowed_days(instance)
    impossible = [s.id for s in scenes if not allowed[s.id]]
    if impossible:
        result = Result(
            Status.INFEASIBLE,
            None,
            None,
            None,
            {},
            time.monotonic() - started,
            {},
            [
                f"scene {sid!r} has no working day with its cast and location available (and its pin)"
                for sid in impossible
            ],
        )
        return _with_conflicts(result, instance, config)
    n_days = len(instance.days)
    model = cp_model.CpModel()
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    by_day: dict[int, list[str]] = {d: [] for d in range(n_days)}
    for s in scenes:
        for d in allowed[s.id]:
            x[s.id, d] = model.NewBoolVar(f"x[{s.id},{d}]")
            by_day[d].append(s.id)
        model.AddExactlyOne(x[s.id, d] for d in allowed[s.id])
    day_of = {s.id: sum(d * x[s.id, d] for d in allowed[s.id]) for s in scenes}
    scene_by_id = {s.id: s for s in scenes}

    for p in instance.precedences:
        if p.before in day_of and p.after in day_of:
            model.Add(day_of[p.before] + (1 if p.strict else 0) <= day_of[p.after])

    used, has_day, has_night, overtime = [], [], [], []
    for d in range(n_days):
        here = by_day[d]
        u = model.NewBoolVar(f"used{d}")
        for sid in here:
            model.AddImplication(x[sid, d], u)
        model.Add(u <= sum(x[sid, d] for sid in here))
        used.append(u)
        if instance.max_pages_per_day is not None:
            model.Add(sum(scene_by_id[sid].pages * x[sid, d] for sid in here) <= instance.max_pages_per_day)
        minutes = sum((scene_by_id[sid].minutes or 0) * x[sid, d] for sid in here)
        if instance.max_minutes_per_day is not None:
            model.Add(minutes <= instance.max_minutes_per_day)
        if instance.standard_minutes_per_day is not None:
            ot = model.NewIntVar(0, sum(scene_by_id[sid].minutes or 0 for sid in here), f"ot{d}")
            model.Add(ot >= minutes - instance.standard_minutes_per_day)
            overtime.append(ot)
        hd, hn = model.NewBoolVar(f"hasday{d}"), model.NewBoolVar(f"hasnight{d}")
        for sid in here:
            model.AddImplication(x[sid, d], hn if scene_by_id[sid].day_night == DayNight.NIGHT else hd)
        if not instance.mixed_day_night:
            model.Add(hd + hn <= 1)
        has_day.append(hd)
        has_night.append(hn)
    if instance.rest_after_night:
        for d in range(n_days - 1):
            if instance.days[d + 1] - instance.days[d] == timedelta(days=1):
                model.Add(has_night[d] + has_day[d + 1] <= 1)

    # cast holding
    terms: dict[str, list] = {
        k: [] for k in ("cast_holding", "drop_pickups", "company_moves", "location_revisits", "overtime", "shoot_days", "changes")
    }
    costs = {c.id: c.daily_cost for c in instance.cast}
    members = sorted({m for s in scenes for m in s.cast})
    for m in members:
        if not costs.get(m):
            continue
        theirs = [s.id for s in scenes if m in s.cast]
        first = model.NewIntVar(0, n_days - 1, f"first[{m}]")
        last = model.NewIntVar(0, n_days - 1, f"last[{m}]")
        for sid in theirs:
            model.Add(first <= day_of[sid])
            model.Add(last >= day_of[sid])
        worked = []
        for d in range(n_days):
            here = [sid for sid in theirs if (sid, d) in x]
            if not here:
                continue
            wd = model.NewBoolVar(f"works[{m},{d}]")
            model.Add(wd <= sum(x[sid, d] for sid in here))
            worked.append(wd)
        dropped, drop = _drop_model(model, instance, x, theirs, first, last, m)
        hold = model.NewIntVar(0, n_days, f"hold[{m}]")  # redundant (>= 0): tightens the bound
        model.Add(hold == last - first + 1 - sum(worked) - sum(dropped))
        terms["cast_holding"].append(w.cast_holding * costs[m] * hold)
        if drop is not None:
            terms["drop_pickups"].append(w.drop_pickup * drop)

    # locations: company moves within a day, re-visits across days
    loc_ids = sorted({s.location for s in scenes if s.location is not None})
    y: dict[tuple[str, int], cp_model.IntVar] = {}
    for d in range(n_days):
        present = []
        for loc in loc_ids:
            here = [sid for sid in by_day[d] if scene_by_id[sid].location == loc]
            if not here:
                continue
            v = model.NewBoolVar(f"at[{loc},{d}]")
            for sid in here:
                model.AddImplication(x[sid, d], v)
            model.Add(v <= sum(x[sid, d] for sid in here))  # else a phantom visit could hide a re-visit
            y[loc, d] = v
            present.append(v)
        if len(present) > 1:
            moves = model.NewIntVar(0, len(present) - 1, f"moves{d}")
            model.Add(moves >= sum(present) - 1)
            terms["company_moves"].append(w.company_move * moves)
    for loc in loc_ids:
        starts = []
        for d in range(n_days):
            if (loc, d) not in y:
                continue
            if d > 0 and (loc, d - 1) in y:
                st = model.NewBoolVar(f"visit[{loc},{d}]")
                model.Add(st >= y[loc, d] - y[loc, d - 1])
                starts.append(st)
            else:
                starts.append(y[loc, d])
        model.Add(sum(starts) >= 1)  # redundant: every set with scenes is visited (tightens the bound)
        terms["location_revisits"].append(w.location_revisit * (sum(starts) - 1))
    terms["overtime"] = [w.overtime_per_minute * ot for ot in overtime]
    terms["shoot_days"] = [w.shoot_day * u for u in used]
    if instance.max_pages_per_day:  # redundant: at least total pages / daily limit days (tightens the bound)
        total = sum(s.pages for s in scenes)
        model.Add(sum(used) >= -(-total // instance.max_pages_per_day))
    index = {day: i for i, day in enumerate(instance.days)}
    for sid, day in instance.current:
        if (sid, index.get(day, -1)) in x:
            terms["changes"].append(w.change * (1 - x[sid, index[day]]))
        else:
            terms["changes"].append(w.change)
    model.Minimize(sum(sum(t) for t in terms.values()))
    hint, hint_cost = _warm_start(instance, allowed, w, config.warm_start)
    for (sid, d), var in x.items():
        if hint:
            model.AddHint(var, hint.get(sid) == instance.days[d])

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, config.time_limit)
    solver.parameters.num_workers = max(1, config.workers)

    if progress is not None and hint_cost is not None:
        progress({"solutions": 1, "objective": hint_cost, "bound": None, "seconds": time.monotonic() - started})

    class Progress(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.count = 1 if hint_cost is not None else 0  # the warm start counts as the first schedule

        def on_solution_callback(self):
            self.count += 1
            if should_stop is not None and _stop_requested():
                self.StopSearch()
            if progress is not None:
                value = int(self.ObjectiveValue())
                progress(
                    {
                        "solutions": self.count,
                        # the best schedule the run would keep (the warm start's, while CP-SAT's is dearer)
                        "objective": value if hint_cost is None else min(value, hint_cost),
                        "bound": int(self.BestObjectiveBound()),
                        "seconds": time.monotonic() - started,
                    }
                )

    stopped = threading.Event()

    def _stop_requested() -> bool:
        if not stopped.is_set():
            try:
                if should_stop():
                    stopped.set()
            except Exception:
                return False
        return stopped.is_set()

    done = threading.Event()
    watcher = None
    if should_stop is not None:
        if _stop_requested():
            return Result(Status.TIMED_OUT, None, None, None, {}, time.monotonic() - started, {},
                          ["stopped before the search started"])

        def watch() -> None:
            while not done.wait(0.25):
                if _stop_requested():
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, name="cp-sat-stop-watcher", daemon=True)
        watcher.start()
    try:
        status = solver.Solve(model, Progress())
    finally:
        done.set()
        if watcher is not None:
            watcher.join(timeout=1)
    seconds = time.monotonic() - started
    if status == cp_model.INFEASIBLE:
        result = Result(Status.INFEASIBLE, None, None, None, {}, seconds, {}, ["the hard constraints cannot all be met"])
        return _with_conflicts(result, instance, config)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if hint_cost is not None:  # CP-SAT found nothing in time: the valid warm-start schedule stands
            return _from_hint(instance, hint, hint_cost, int(solver.BestObjectiveBound()), w, seconds)
        return Result(Status.TIMED_OUT, None, int(solver.BestObjectiveBound()), None, {}, seconds, {},
                      hint_cost=hint_cost)
    if status == cp_model.FEASIBLE and hint_cost is not None and hint_cost < solver.ObjectiveValue():
        return _from_hint(instance, hint, hint_cost, int(solver.BestObjectiveBound()), w, seconds)
    schedule: Schedule = {}
    for (sid, d), var in x.items():
        if solver.Value(var):
            schedule[sid] = instance.days[d]
    breakdown = evaluate(instance, schedule, w)
    objective = sum(breakdown.values())
    violations = validate(instance, schedule)
    # A solution found before optimality may leave slack in the model's span variables (first/last
    # day, holding), so the solver can over-count; the evaluator's figure is the schedule's true cost.
    # The model must never under-count, which would mean a cost term is missing from it.
    if objective > round(solver.ObjectiveValue()) or (
        status == cp_model.OPTIMAL and objective != round(solver.ObjectiveValue())
    ):
        violations.append(f"internal: evaluator cost {objective} != solver cost {solver.ObjectiveValue()}")
    bound = min(objective, int(solver.BestObjectiveBound()))
    gap = 0.0 if objective == bound else (objective - bound) / max(1, abs(objective))
    return Result(
        Status.OPTIMAL if status == cp_model.OPTIMAL else Status.FEASIBLE,
        objective,
        bound,
        gap,
        breakdown,
        seconds,
        schedule,
        violations,
        hint_cost=hint_cost,
    )


def _from_hint(instance: Instance, hint: Schedule, hint_cost: int, bound: int, weights, seconds: float) -> Result:
    """The warm-start schedule as the result (CP-SAT found nothing better within the time limit)."""
    breakdown = evaluate(instance, hint, weights)
    bound = min(hint_cost, bound)
    gap = 0.0 if hint_cost == bound else (hint_cost - bound) / max(1, abs(hint_cost))
    return Result(Status.FEASIBLE, hint_cost, bound, gap, breakdown, seconds, dict(hint), validate(instance, hint),
                  hint_cost=hint_cost)


def _with_conflicts(result: Result, instance: Instance, config: Config) -> Result:
    if config.explain_infeasible:
        found = explain_infeasible(instance, time_limit=min(10.0, max(1.0, config.time_limit / 2)))
        result.conflicts = found.conflicts
        if not found.minimal and found.conflicts:
            result.violations.append("the conflicting set may not be minimal (time ran out while shrinking it)")
    return result


def _warm_start(instance: Instance, allowed: dict[str, list[int]], weights, enabled: bool) -> tuple[Schedule, int | None]:
    """The hint: the cheaper valid one of the current schedule and the greedy schedule."""
    options: list[Schedule] = []
    current = {sid: day for sid, day in instance.current if sid in allowed}
    if current and len(current) == len(allowed) and not validate(instance, current):
        options.append(current)
    if enabled:
        greedy = greedy_schedule(instance, allowed)
        if greedy:
            options.append(greedy)
    if not options:
        return dict(current), None  # a partial current schedule still guides the search
    costs = [sum(evaluate(instance, o, weights).values()) for o in options]
    best = min(range(len(options)), key=costs.__getitem__)
    return options[best], costs[best]


def _drop_model(model, instance: Instance, x: dict, theirs: list[str], first, last, member: str):
    """Drop/pick-up for one cast member: at most one run of working days [p, q] inside their span,
    none of them worked, whose surrounding work days are more than `drop_gap_days` calendar days
    apart; its days are not paid. Returns (in-drop literals per day, the drop literal or None)."""
    n = len(instance.days)
    gap = instance.drop_gap_days
    if gap is None or n < 3 or len(theirs) < 2 or (instance.days[-1] - instance.days[0]).days - 1 <= gap:
        return [], None
    drop = model.NewBoolVar(f"drop[{member}]")
    p = model.NewIntVar(1, n - 2, f"drop_from[{member}]")
    q = model.NewIntVar(1, n - 2, f"drop_to[{member}]")
    before = model.NewIntVar(0, n - 3, f"drop_before[{member}]")
    after = model.NewIntVar(2, n - 1, f"drop_after[{member}]")
    model.Add(before == p - 1)
    model.Add(after == q + 1)
    ordinals = [d.toordinal() for d in instance.days]
    cal_before = model.NewIntVar(min(ordinals), max(ordinals), f"drop_cal_before[{member}]")
    cal_after = model.NewIntVar(min(ordinals), max(ordinals), f"drop_cal_after[{member}]")
    model.AddElement(before, ordinals, cal_before)
    model.AddElement(after, ordinals, cal_after)
    model.Add(p <= q).OnlyEnforceIf(drop)
    model.Add(first <= before).OnlyEnforceIf(drop)
    model.Add(after <= last).OnlyEnforceIf(drop)
    model.Add(cal_after - cal_before - 1 > gap).OnlyEnforceIf(drop)
    inside = []
    for d in range(1, n - 1):
        ge, le, inn = (model.NewBoolVar(f"drop_{k}[{member},{d}]") for k in ("ge", "le", "in"))
        model.Add(p <= d).OnlyEnforceIf(ge)
        model.Add(p > d).OnlyEnforceIf(ge.Not())
        model.Add(q >= d).OnlyEnforceIf(le)
        model.Add(q < d).OnlyEnforceIf(le.Not())
        model.AddBoolAnd([drop, ge, le]).OnlyEnforceIf(inn)
        model.AddBoolOr([drop.Not(), ge.Not(), le.Not(), inn])
        for sid in theirs:
            if (sid, d) in x:
                model.AddBoolOr([inn.Not(), x[sid, d].Not()])
        inside.append(inn)
    return inside, drop
