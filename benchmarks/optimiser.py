"""Optimiser benchmark: a generated, realistic 60-scene production solved by the product's solver
against a greedy baseline measured in the same run (no database; the demo production through the
web app is exercised by the tests instead).

    .venv/bin/python benchmarks/optimiser.py [--scenes 60] [--time-limit 30] [--workers 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from unitbase.scheduling.solver.model import CastMember, Config, DayNight, Instance, Location, Scene, Weights
from unitbase.scheduling.solver.production import allowed_days, solve
from unitbase.scheduling.solver.validate import validate
from unitbase.scheduling.solver.validate.cost import evaluate

WEIGHTS = Weights(cast_holding=1, company_move=1500, location_revisit=500, overtime_per_minute=20, shoot_day=5000)


def generate(n: int, seed: int) -> Instance:
    """n scenes over ~n/4 sets, 12 cast (3 leads in most scenes, day players in few), 10 % nights,
    a few unavailable days, Mon-Fri calendar with 30 % slack."""
    rng = random.Random(seed)
    sets = [f"SET{i}" for i in range(max(4, n // 4))]
    leads, support = ["1", "2", "3"], [str(i) for i in range(4, 13)]
    scenes = []
    for i in range(n):
        cast = {c for c in leads if rng.random() < 0.55} | {c for c in support if rng.random() < 0.12}
        eighths = rng.choice([2, 3, 4, 6, 8, 10, 12, 16, 20])
        scenes.append(Scene(str(i + 1), frozenset(cast), rng.choice(sets), eighths, eighths * 15,
                            DayNight.NIGHT if rng.random() < 0.1 else DayNight.DAY))
    total = sum(s.pages for s in scenes)
    start = date(2027, 3, 1)
    days = []
    d = start
    while len(days) < int(total / 40 * 1.3) + 2:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    rates = {"1": 5000, "2": 4000, "3": 3000} | {c: rng.choice([800, 1000, 1500]) for c in support}
    cast = tuple(CastMember(c, rates[c], frozenset(rng.sample(days, 2) if rng.random() < 0.4 else []))
                 for c in leads + support)
    return Instance(days=tuple(days), scenes=tuple(scenes), cast=cast,
                    locations=tuple(Location(s) for s in sets), max_pages_per_day=48,
                    max_minutes_per_day=720, standard_minutes_per_day=600)


def greedy(inst: Instance) -> dict:
    """Baseline a 1st AD might start from: scenes grouped by set, then by cast; each into the first
    day with room, its cast/set available and no day/night clash."""
    allowed = allowed_days(inst)
    load = {i: 0 for i in range(len(inst.days))}
    kind: dict[int, DayNight] = {}
    schedule = {}
    for s in sorted(inst.scenes, key=lambda s: (s.location, sorted(s.cast), s.id)):
        for i in allowed[s.id]:
            if load[i] + s.pages > inst.max_pages_per_day or kind.get(i, s.day_night) != s.day_night:
                continue
            prev, nxt = kind.get(i - 1), kind.get(i + 1)
            if s.day_night == DayNight.DAY and prev == DayNight.NIGHT and inst.days[i] - inst.days[i - 1] == timedelta(1):
                continue
            if s.day_night == DayNight.NIGHT and nxt == DayNight.DAY and i + 1 < len(inst.days) and \
                    inst.days[i + 1] - inst.days[i] == timedelta(1):
                continue
            load[i] += s.pages
            kind[i] = s.day_night
            schedule[s.id] = inst.days[i]
            break
    return schedule


def _at(seen: list[dict], t: float) -> str:
    """Best cost found by t seconds (from the progress callback)."""
    best = [p["objective"] for p in seen if p["seconds"] <= t]
    return f"{min(best):,}" if best else "none"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=60)
    parser.add_argument("--time-limit", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--drop-gap", type=int, default=None, help="drop/pick-up rule in days (default: no drops)")
    args = parser.parse_args()
    inst = generate(args.scenes, args.seed)
    if args.drop_gap is not None:
        inst = replace(inst, drop_gap_days=args.drop_gap)
    weights = replace(WEIGHTS, drop_pickup=2000)
    t0 = time.monotonic()
    base = greedy(inst)
    greedy_s = time.monotonic() - t0
    problems = validate(inst, base)
    base_cost = sum(evaluate(inst, base, weights).values())
    print(f"instance: {len(inst.scenes)} scenes, {len(inst.cast)} cast, {len(inst.locations)} sets, {len(inst.days)} days"
          f", drop rule {args.drop_gap}")
    print(f"baseline greedy (1st AD order): cost {base_cost:,} in {greedy_s:.3f} s, {len(problems)} hard-constraint "
          f"problem(s){' (e.g. ' + problems[0] + ')' if problems else ''}")
    checkpoints = [t for t in (1, 2, 5, 10, 30, 60) if t < args.time_limit] + [args.time_limit]
    from ortools.sat.python import cp_model  # noqa: F401 - imported once here, so neither run pays for it

    results = {}
    for warm in (False, True):
        seen: list[dict] = []
        config = Config(time_limit=args.time_limit, workers=args.workers, weights=weights, warm_start=warm)
        result = solve(inst, config, progress=seen.append)
        results[warm] = result
        first = next((p for p in seen), None)
        label = "cp-sat + greedy warm start" if warm else "cp-sat, no warm start    "
        print(f"{label}: {result.status}, cost {result.objective:,}, bound {result.best_bound:,}, gap "
              f"{(result.gap or 0) * 100:.1f}%, {result.seconds:.1f} s, {len(seen)} solutions"
              + (f"; first at {first['seconds']:.2f} s cost {first['objective']:,}" if first else "")
              + (f"; hint cost {result.hint_cost:,}" if result.hint_cost is not None else ""))
        print("    best cost by " + ", ".join(f"{t:g} s: {_at(seen, t)}" for t in checkpoints))
        print("    breakdown:", result.breakdown, "violations:", result.violations or "none")
    cold, warm = results[False].objective, results[True].objective
    print(f"warm start vs none (same run): final cost {warm:,} vs {cold:,} ({(warm - cold) / cold * 100:+.1f}%)")
    if not problems:
        print(f"improvement over the baseline greedy: {(base_cost - warm) / base_cost * 100:.1f}%")
    print("Timings on a shared 2-core machine with other jobs running: pessimistic and noisy.")


if __name__ == "__main__":
    main()
