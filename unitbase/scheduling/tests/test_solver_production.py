"""Production solve: validator, cost evaluator and CP-SAT model on small instances (no database)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unitbase.scheduling.solver.model import (
    CastMember,
    Config,
    DayNight,
    Instance,
    Location,
    Precedence,
    Scene,
    Status,
    Weights,
)
from unitbase.scheduling.solver.production import solve
from unitbase.scheduling.solver.validate import availability, capacity, daynight, pins, precedence, validate
from unitbase.scheduling.solver.validate.cost import evaluate

MON = date(2025, 3, 3)
DAYS = tuple(MON + timedelta(days=i) for i in range(5))
W = Weights(cast_holding=1, company_move=200, location_revisit=100, overtime_per_minute=1, shoot_day=10, change=20)


def _small():
    return Instance(
        days=DAYS,
        scenes=(
            Scene("1", cast=frozenset({"A"}), location="L1", pages=8, minutes=300),
            Scene("2", cast=frozenset({"B"}), location="L2", pages=16, minutes=300),
            Scene("3", cast=frozenset({"A"}), location="L1", pages=8, minutes=300),
        ),
        cast=(CastMember("A", 100), CastMember("B", 50)),
        locations=(Location("L1"), Location("L2")),
        standard_minutes_per_day=480,
    )


def test_cost_evaluator_hand_computed():
    inst = _small()
    # A works Mon and Wed (1 hold day x 100); L1 visited twice (1 re-visit); no moves; 3 days
    schedule = {"1": DAYS[0], "2": DAYS[1], "3": DAYS[2]}
    assert evaluate(inst, schedule, W) == {
        "cast_holding": 100,
        "drop_pickups": 0,
        "company_moves": 0,
        "location_revisits": 100,
        "overtime": 0,
        "shoot_days": 30,
        "changes": 0,
    }
    # all on Monday: 900 minutes -> 420 overtime, 1 company move, 1 day
    together = dict.fromkeys(("1", "2", "3"), DAYS[0])
    assert evaluate(inst, together, W) == {
        "cast_holding": 0,
        "drop_pickups": 0,
        "company_moves": 200,
        "location_revisits": 0,
        "overtime": 420,
        "shoot_days": 10,
        "changes": 0,
    }


def test_validator_families():
    inst = Instance(
        days=DAYS,
        scenes=(
            Scene("1", cast=frozenset({"A"}), location="L1", pages=40, minutes=600, day_night=DayNight.NIGHT),
            Scene("2", cast=frozenset({"A"}), pages=8, day_night=DayNight.DAY),
            Scene("3", boneyard=True),
        ),
        cast=(CastMember("A", 1, frozenset({DAYS[1]})),),
        locations=(Location("L1", frozenset({DAYS[0]})),),
        pins=(("2", DAYS[3]),),
        precedences=(Precedence("2", "1"),),
        max_pages_per_day=32,
        max_minutes_per_day=540,
    )
    bad = {"1": DAYS[0], "2": DAYS[1]}
    assert len(availability.check(inst, bad)) == 2  # location on Mon, cast on Tue
    assert len(pins.check(inst, bad)) == 1
    assert precedence.check(inst, bad)  # 2 must not be after 1
    assert daynight.check(inst, bad)  # DAY on Tue after NIGHT on Mon
    assert len(capacity.check(inst, bad)) == 2  # pages and minutes on Mon
    assert validate(inst, {**bad, "3": DAYS[4]})[0].startswith("boneyard scene")
    assert validate(inst, {"1": DAYS[0]}) == ["scene '2' is not scheduled"]


def test_solve_small_optimal_and_breakdown():
    inst = _small()
    progress = []
    res = solve(inst, Config(time_limit=10, workers=1, weights=W), progress=progress.append)
    assert res.status == Status.OPTIMAL
    assert res.violations == []
    assert res.objective == sum(res.breakdown.values()) == res.best_bound
    assert res.gap == 0.0
    assert progress and progress[-1]["objective"] == res.objective
    # optimum: three days, scenes 1 and 3 on consecutive days (no hold, no re-visit): 3 x 10 = 30;
    # 1+3 on one day would cost 120 minutes of overtime
    assert res.objective == 30
    assert res.breakdown["shoot_days"] == 30
    day1, day3 = res.schedule["1"], res.schedule["3"]
    assert abs((day1 - day3).days) == 1


def test_infeasible_reported():
    inst = Instance(
        days=DAYS[:2],
        scenes=(Scene("1", pages=32), Scene("2", pages=32), Scene("3", pages=32)),
        max_pages_per_day=40,
    )
    res = solve(inst, Config(time_limit=5, workers=1))
    assert res.status == Status.INFEASIBLE and res.schedule == {}


def test_unavailable_everywhere_is_infeasible_with_reason():
    inst = Instance(
        days=DAYS[:1], scenes=(Scene("1", cast=frozenset({"A"})),), cast=(CastMember("A", 1, frozenset({DAYS[0]})),)
    )
    res = solve(inst, Config(time_limit=5, workers=1))
    assert res.status == Status.INFEASIBLE and "scene '1'" in res.violations[0]


@st.composite
def instances(draw):
    n_days = draw(st.integers(3, 6))
    days = tuple(MON + timedelta(days=i) for i in range(n_days))
    cast_ids = ["A", "B", "C"]
    cast = tuple(
        CastMember(c, draw(st.integers(0, 50)), frozenset(draw(st.sets(st.sampled_from(days), max_size=1))))
        for c in cast_ids
    )
    locs = (Location("L1", frozenset(draw(st.sets(st.sampled_from(days), max_size=1)))), Location("L2"))
    n = draw(st.integers(2, 6))
    scenes = tuple(
        Scene(
            str(i),
            cast=frozenset(draw(st.sets(st.sampled_from(cast_ids), max_size=2))),
            location=draw(st.sampled_from(["L1", "L2"])),
            pages=draw(st.integers(1, 24)),
            minutes=draw(st.integers(30, 240)),
            day_night=draw(st.sampled_from(list(DayNight))),
            boneyard=draw(st.booleans()) and i == n - 1,
        )
        for i in range(n)
    )
    pins = (("0", draw(st.sampled_from(days))),) if draw(st.booleans()) else ()
    precs = (Precedence("1", "0", strict=draw(st.booleans())),) if draw(st.booleans()) else ()
    current = (("1", days[0]),) if draw(st.booleans()) else ()
    return Instance(
        days=days,
        scenes=scenes,
        cast=cast,
        locations=locs,
        pins=pins,
        precedences=precs,
        max_pages_per_day=40,
        max_minutes_per_day=480,
        standard_minutes_per_day=360,
        current=current,
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solve_respects_every_hard_constraint(inst):
    res = solve(inst, Config(time_limit=5, workers=1))
    assert res.status in (Status.OPTIMAL, Status.INFEASIBLE)
    if res.status == Status.OPTIMAL:
        assert validate(inst, res.schedule) == []
        assert res.violations == []
        assert res.objective == sum(evaluate(inst, res.schedule, Weights()).values())
