"""Production solver: drop/pick-up, date-range scope, greedy warm start and the minimal conflicting
set on infeasible instances — tiny instances with answers worked out by hand (no database)."""

import random
from datetime import date, timedelta

from unitbase.scheduling.solver.conflicts import explain_infeasible, words
from unitbase.scheduling.solver.greedy import greedy_schedule
from unitbase.scheduling.solver.model import CastMember, Config, Instance, Location, Precedence, Scene, Status, Weights
from unitbase.scheduling.solver.production import allowed_days, solve
from unitbase.scheduling.solver.validate import validate
from unitbase.scheduling.solver.validate.cost import evaluate, holds

D0 = date(2025, 3, 3)
DAYS = tuple(D0 + timedelta(days=i) for i in range(20))  # 20 consecutive shoot days
ONLY_HOLDING = Weights(cast_holding=1, company_move=0, location_revisit=0, overtime_per_minute=0, shoot_day=0,
                       change=0, drop_pickup=300)


def _drop_instance(gap: int | None, work_days=(0, 15)) -> Instance:
    scenes = tuple(Scene(str(i), cast=frozenset({"A"}), location="L") for i, _ in enumerate(work_days))
    return Instance(days=DAYS, scenes=scenes, cast=(CastMember("A", 100),), locations=(Location("L"),),
                    pins=tuple((str(i), DAYS[d]) for i, d in enumerate(work_days)), drop_gap_days=gap)


def test_drop_replaces_the_hold_days_of_a_long_gap():
    # A works day 0 and day 15: 14 unworked calendar days between; holding them costs 14 x 100
    schedule = {"0": DAYS[0], "1": DAYS[15]}
    assert evaluate(_drop_instance(None), schedule, ONLY_HOLDING)["cast_holding"] == 1400
    dropped = evaluate(_drop_instance(10), schedule, ONLY_HOLDING)
    assert (dropped["cast_holding"], dropped["drop_pickups"]) == (0, 300)
    assert holds(_drop_instance(10), schedule, ONLY_HOLDING)["A"] == (14, 14, (DAYS[0], DAYS[15]))
    # the gap must be longer than the rule: 14 days with a 14-day rule is held
    assert evaluate(_drop_instance(14), schedule, ONLY_HOLDING)["drop_pickups"] == 0
    # a drop dearer than the hold days it saves is not taken
    dear = Weights(**{**ONLY_HOLDING.__dict__, "drop_pickup": 2000})
    assert evaluate(_drop_instance(10), schedule, dear) == {**evaluate(_drop_instance(None), schedule, dear)}


def test_drop_takes_the_gap_that_saves_most_and_holds_the_rest():
    # work on days 0, 5, 15: gap 0->5 (4 days) too short for an 8-day rule, gap 5->15 (9 days) dropped
    inst = _drop_instance(8, work_days=(0, 5, 15))
    schedule = {"0": DAYS[0], "1": DAYS[5], "2": DAYS[15]}
    assert evaluate(inst, schedule, ONLY_HOLDING) | {} == {**evaluate(inst, schedule, ONLY_HOLDING),
                                                           "cast_holding": 400, "drop_pickups": 300}
    res = solve(inst, Config(time_limit=10, weights=ONLY_HOLDING))
    assert res.status == Status.OPTIMAL and res.objective == 700 and not res.violations


def test_model_uses_the_drop_when_placing_scenes():
    # A is pinned to day 0 and day 19 with a third scene free: the model may put it anywhere; with the
    # drop (gap rule 5 days) the cheapest is at or next to either end, paying one drop instead of 17 holds
    scenes = (Scene("a", cast=frozenset({"A"})), Scene("b", cast=frozenset({"A"})), Scene("c", cast=frozenset({"A"})))
    inst = Instance(days=DAYS, scenes=scenes, cast=(CastMember("A", 100),), pins=(("a", DAYS[0]), ("b", DAYS[19])),
                    drop_gap_days=5)
    res = solve(inst, Config(time_limit=10, weights=ONLY_HOLDING))
    assert res.status == Status.OPTIMAL and not res.violations
    assert res.breakdown["drop_pickups"] == 300 and res.breakdown["cast_holding"] == 0
    assert res.objective == 300 and res.schedule["c"] in (DAYS[0], DAYS[1], DAYS[18], DAYS[19])


def test_date_range_scope_keeps_everything_outside_and_places_the_rest_inside():
    days = DAYS[:6]
    scenes = tuple(Scene(s, cast=frozenset({"A"}), location=s) for s in "wxyz")
    current = (("w", days[0]), ("x", days[2]), ("y", days[5]))  # z has no date yet
    inst = Instance(days=days, scenes=scenes, cast=(CastMember("A", 100),), current=current)
    res = solve(inst, Config(time_limit=10, weights=ONLY_HOLDING, window=(days[1], days[3])))
    assert res.status == Status.OPTIMAL and not res.violations
    assert res.schedule["w"] == days[0] and res.schedule["y"] == days[5]
    assert days[1] <= res.schedule["x"] <= days[3] and days[1] <= res.schedule["z"] <= days[3]
    # the validator enforces the scope
    windowed = Instance(**{**inst.__dict__, "window": (days[1], days[3])})
    problems = validate(windowed, {"w": days[1], "x": days[2], "y": days[5], "z": days[4]})
    assert any("'w'" in p and "must stay" in p for p in problems) and any("'z'" in p for p in problems)


def _random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    cast = tuple(CastMember(f"c{i}", rng.randint(1, 9) * 100) for i in range(6))
    scenes = tuple(Scene(str(i), cast=frozenset(rng.sample([c.id for c in cast], rng.randint(1, 3))),
                         location=f"L{rng.randrange(5)}", pages=rng.randint(2, 16), minutes=rng.randint(30, 200))
                   for i in range(30))
    return Instance(days=DAYS, scenes=scenes, cast=cast, locations=tuple(Location(f"L{i}") for i in range(5)),
                    max_pages_per_day=48, max_minutes_per_day=600, standard_minutes_per_day=480,
                    precedences=(Precedence("3", "7", True), Precedence("8", "2")))


def test_greedy_warm_start_is_valid_and_the_solver_never_returns_worse():
    for seed in range(3):
        inst = _random_instance(seed)
        greedy = greedy_schedule(inst, allowed_days(inst))
        assert greedy is not None and validate(inst, greedy) == []
        res = solve(inst, Config(time_limit=3))
        assert res.schedule and not res.violations
        assert res.hint_cost == sum(evaluate(inst, greedy, Weights()).values())
        assert res.objective <= res.hint_cost
        no_hint = solve(inst, Config(time_limit=1, warm_start=False))
        assert no_hint.hint_cost is None
    # the warm start is reported at once, and a solve cut short still keeps a schedule no worse than it
    inst = _random_instance(5)
    seen: list[dict] = []
    res = solve(inst, Config(time_limit=0.1, workers=1), progress=seen.append)
    assert seen[0]["solutions"] == 1 and seen[0]["objective"] == res.hint_cost
    assert res.schedule and not res.violations and res.objective <= res.hint_cost


def test_conflict_is_the_pin_and_the_unavailable_day_only():
    days = DAYS[:5]
    inst = Instance(
        days=days,
        scenes=(Scene("12", cast=frozenset({"ANNA"}), pages=8), Scene("40", cast=frozenset({"ANNA", "BO"}), pages=8),
                Scene("7", cast=frozenset({"BO"}), pages=8)),
        cast=(CastMember("ANNA", 100, frozenset({days[2], days[4]})), CastMember("BO", 50, frozenset({days[0]}))),
        pins=(("12", days[2]),),
        precedences=(Precedence("40", "7"),),
        max_pages_per_day=16,
    )
    res = solve(inst, Config(time_limit=5))
    assert res.status == Status.INFEASIBLE and res.schedule == {}
    assert [(c.kind, c.scenes, c.member, c.days) for c in res.conflicts] == [
        ("cast_unavailable", ("12",), "ANNA", (days[2],)), ("pin", ("12",), None, (days[2],))]
    text = [words(c, label=lambda s: f"Scene#{s}".replace("Scene#", ""), name={"ANNA": "#1 ANNA"}.get) for c in res.conflicts]
    assert text == ["Scene 12 needs #1 ANNA, who is unavailable on Wed 05 Mar.", "Scene 12 is pinned to Wed 05 Mar."]


def test_conflict_of_contradictory_precedences_and_of_capacity():
    days = DAYS[:3]
    scenes = tuple(Scene(s, pages=8) for s in "abc")
    cyc = Instance(days=days, scenes=scenes, precedences=(Precedence("a", "b", True), Precedence("b", "a", True),
                                                         Precedence("a", "c")), max_pages_per_day=24)
    found = explain_infeasible(cyc)
    assert found.minimal and [(c.kind, c.scenes) for c in found.conflicts] == [("precedence", ("a", "b")),
                                                                           ("precedence", ("b", "a"))]
    full = Instance(days=days[:2], scenes=scenes, max_pages_per_day=8)
    found = explain_infeasible(full)
    assert [c.kind for c in found.conflicts] == ["pages"]
    assert words(found.conflicts[0]) == "A day holds at most 8/8 pages."


def test_a_feasible_instance_has_no_conflicts():
    assert explain_infeasible(_random_instance(1)).conflicts == []
