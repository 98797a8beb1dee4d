"""Why an instance has no schedule: a minimal set of conflicting constraints, in words.

Every relaxable hard constraint gets an assumption literal in a feasibility model (one per cast
member's unavailable date, set's unavailable date, pin, scene kept by the date-range scope,
precedence; one each for the page limit, the hours limit, the DAY/NIGHT separation and the rest
after night work). Coverage (every scene on one day of the calendar) stays hard. CP-SAT's
`sufficient_assumptions_for_infeasibility` gives a conflicting subset; a deletion filter then drops
each member whose removal leaves the rest still infeasible, so the set returned is irreducible
(every constraint in it is needed for the conflict) unless a check ran out of time (`minimal` is
then False).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .model import DayNight, Instance
from .validate.window import fixed as window_fixed

GENERAL = ("pages", "minutes", "day_night", "rest", "window")


@dataclass(frozen=True)
class Conflict:
    kind: str  # cast_unavailable | set_unavailable | pin | kept | window | precedence | pages | minutes | day_night | rest
    scenes: tuple[str, ...] = ()
    member: str | None = None
    location: str | None = None
    days: tuple[date, ...] = ()
    strict: bool = False
    limit: int | None = None


@dataclass
class Explanation:
    conflicts: list[Conflict] = field(default_factory=list)
    minimal: bool = True
    seconds: float = 0.0


def _day(d: date) -> str:
    return f"{d:%a %d %b}"


def words(c: Conflict, label=lambda sid: sid, name=lambda mid: mid, shoot_days: int | None = None) -> str:
    """One conflict in plain words; `label`/`name` map scene and cast ids to what people call them;
    `shoot_days` (the calendar's length) lets "unavailable on all 10 shoot days" be said."""
    scenes = [label(s) for s in c.scenes]
    if len(scenes) > 6:
        scenes = [*scenes[:5], f"{len(scenes) - 5} more"]
    listed = (", ".join(scenes[:-1]) + " and " + scenes[-1]) if len(scenes) > 1 else (scenes[0] if scenes else "")
    plural = "Scenes" if len(scenes) > 1 else "Scene"
    days = ", ".join(_day(d) for d in c.days[:6]) + (" …" if len(c.days) > 6 else "")
    if c.kind in ("cast_unavailable", "set_unavailable") and len(c.days) > 3:
        every = shoot_days is not None and len(c.days) >= shoot_days
        days = f"{'all ' if every else ''}{len(c.days)} {'shoot ' if every else ''}days ({days})"
    if c.kind == "cast_unavailable":
        who = name(c.member)
        return f"{plural} {listed} need{'' if len(scenes) > 1 else 's'} {who}, who is unavailable on {days}."
    if c.kind == "set_unavailable":
        return f"{plural} {listed} {'are' if len(scenes) > 1 else 'is'} at set {c.location}, unavailable on {days}."
    if c.kind == "pin":
        return f"Scene {listed} is pinned to {days}."
    if c.kind == "kept":
        return f"Scene {listed} is outside the date range and stays on {days}."
    if c.kind == "window":
        return f"The scenes that may move must stay within {days}."
    if c.kind == "precedence":
        a, b = scenes
        return f"Scene {a} must be shot {'on an earlier day than' if c.strict else 'no later than'} scene {b}."
    if c.kind == "pages":
        return f"A day holds at most {c.limit}/8 pages."
    if c.kind == "minutes":
        return f"A day holds at most {c.limit} minutes of work (overtime included)."
    if c.kind == "day_night":
        return "A shoot day holds either day or night scenes, not both."
    if c.kind == "rest":
        return "No day scenes on the day right after night work (rest)."
    return c.kind


def explain_infeasible(instance: Instance, time_limit: float = 10.0) -> Explanation:
    from ortools.sat.python import cp_model

    started = time.monotonic()
    deadline = started + max(0.5, time_limit)
    scenes = [s for s in instance.scenes if not s.boneyard]
    days = instance.days
    n = len(days)
    if not scenes:
        return Explanation([], True, 0.0)
    model = cp_model.CpModel()
    x = {(s.id, d): model.NewBoolVar(f"x[{s.id},{d}]") for s in scenes for d in range(n)}
    for s in scenes:
        model.AddExactlyOne(x[s.id, d] for d in range(n))
    day_of = {s.id: sum(d * x[s.id, d] for d in range(n)) for s in scenes}
    index = {d: i for i, d in enumerate(days)}
    groups: list[tuple[cp_model.IntVar, Conflict]] = []

    def guard(conflict: Conflict) -> cp_model.IntVar:
        lit = model.NewBoolVar(f"a{len(groups)}")
        groups.append((lit, conflict))
        return lit

    for member in instance.cast:
        theirs = [s.id for s in scenes if member.id in s.cast]
        for day in sorted(member.unavailable):
            if day in index and theirs:
                lit = guard(Conflict("cast_unavailable", tuple(theirs), member=member.id, days=(day,)))
                for sid in theirs:
                    model.Add(x[sid, index[day]] == 0).OnlyEnforceIf(lit)
    for loc in instance.locations:
        theirs = [s.id for s in scenes if s.location == loc.id]
        for day in sorted(loc.unavailable):
            if day in index and theirs:
                lit = guard(Conflict("set_unavailable", tuple(theirs), location=loc.id, days=(day,)))
                for sid in theirs:
                    model.Add(x[sid, index[day]] == 0).OnlyEnforceIf(lit)
    known = {s.id for s in scenes}
    kept = window_fixed(instance)
    for kind, pairs in (("pin", instance.pins), ("kept", tuple(kept.items()))):
        for sid, day in pairs:
            if sid not in known:
                continue
            lit = guard(Conflict(kind, (sid,), days=(day,)))
            if day in index:
                model.Add(x[sid, index[day]] == 1).OnlyEnforceIf(lit)
            else:  # pinned to a date that is not a shoot day: the pin alone is the conflict
                model.AddBoolOr([lit.Not()])
    if instance.window is not None:
        start, end = instance.window
        outside = [i for i, d in enumerate(days) if not start <= d <= end]
        movable = [s.id for s in scenes if s.id not in kept]
        if outside and movable:
            lit = guard(Conflict("window", tuple(movable), days=(start, end)))
            for sid in movable:
                for i in outside:
                    model.Add(x[sid, i] == 0).OnlyEnforceIf(lit)
    for p in instance.precedences:
        if p.before in known and p.after in known:
            lit = guard(Conflict("precedence", (p.before, p.after), strict=p.strict))
            model.Add(day_of[p.before] + (1 if p.strict else 0) <= day_of[p.after]).OnlyEnforceIf(lit)
    by_id = {s.id: s for s in scenes}
    if instance.max_pages_per_day is not None:
        lit = guard(Conflict("pages", limit=instance.max_pages_per_day))
        for d in range(n):
            model.Add(sum(by_id[s].pages * x[s, d] for s in known) <= instance.max_pages_per_day).OnlyEnforceIf(lit)
    if instance.max_minutes_per_day is not None:
        lit = guard(Conflict("minutes", limit=instance.max_minutes_per_day))
        for d in range(n):
            model.Add(sum((by_id[s].minutes or 0) * x[s, d] for s in known) <= instance.max_minutes_per_day).OnlyEnforceIf(lit)
    night = [model.NewBoolVar(f"n{d}") for d in range(n)]
    light = [model.NewBoolVar(f"l{d}") for d in range(n)]
    for s in scenes:
        for d in range(n):
            model.AddImplication(x[s.id, d], night[d] if s.day_night == DayNight.NIGHT else light[d])
    if not instance.mixed_day_night:
        lit = guard(Conflict("day_night"))
        for d in range(n):
            model.Add(night[d] + light[d] <= 1).OnlyEnforceIf(lit)
    if instance.rest_after_night:
        lit = guard(Conflict("rest"))
        for d in range(n - 1):
            if days[d + 1] - days[d] == timedelta(days=1):
                model.Add(night[d] + light[d + 1] <= 1).OnlyEnforceIf(lit)

    lit_of = {lit.Index(): (lit, c) for lit, c in groups}

    def infeasible(active: list[int], budget: float) -> tuple[bool | None, list[int]]:
        model.ClearAssumptions()
        model.AddAssumptions([lit_of[i][0] for i in active])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, budget)
        solver.parameters.num_workers = 1
        status = solver.Solve(model)
        if status == cp_model.INFEASIBLE:
            core = [i for i in solver.SufficientAssumptionsForInfeasibility() if i in lit_of]
            return True, core or list(active)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, []
        return None, []

    # Prefer explanations in terms of specific constraints (dates, pins, order rules): first try
    # with the general rules (limits, day/night, rest, the range) left out; they join only if needed.
    specific = [i for i, (_, c) in lit_of.items() if c.kind not in GENERAL]
    answer, core = (infeasible(specific, (deadline - time.monotonic()) / 2) if specific else (False, []))
    if not answer:
        answer, core = infeasible(list(lit_of), deadline - time.monotonic())
    if not answer:
        return Explanation([], answer is False, time.monotonic() - started)
    minimal = True
    i = 0
    core = sorted(set(core), key=list(lit_of).index)
    while i < len(core):  # deletion filter
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            minimal = False
            break
        trial = core[:i] + core[i + 1:]
        answer, smaller = infeasible(trial, min(remaining, 2.0))
        if answer:
            keep = set(smaller)
            core = [c for c in trial if c in keep] if keep else trial
        else:
            if answer is None:
                minimal = False
            i += 1
    return Explanation(_merge([lit_of[i][1] for i in core]), minimal, time.monotonic() - started)


def _merge(conflicts: list[Conflict]) -> list[Conflict]:
    """One line per cast member / set: their unavailable dates in the set together."""
    out: list[Conflict] = []
    merged: dict[tuple, int] = {}
    for c in conflicts:
        key = (c.kind, c.member, c.location) if c.kind in ("cast_unavailable", "set_unavailable") else None
        if key is not None and key in merged:
            prev = out[merged[key]]
            out[merged[key]] = Conflict(c.kind, prev.scenes, prev.member, prev.location, tuple(sorted({*prev.days, *c.days})))
        else:
            if key is not None:
                merged[key] = len(out)
            out.append(c)
    # name only the member's scenes that the other conflicts involve, when there are such
    involved = {s for c in out if c.kind in ("pin", "kept", "precedence") for s in c.scenes}
    return [replace(c, scenes=tuple(s for s in c.scenes if s in involved))
            if c.kind in ("cast_unavailable", "set_unavailable") and involved & set(c.scenes) else c for c in out]
