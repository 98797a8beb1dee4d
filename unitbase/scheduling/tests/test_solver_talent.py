"""Talent scheduling: evaluator, readers, exact solver (no database)."""

import json

import pytest

from unitbase.scheduling.solver import cli
from unitbase.scheduling.solver.sequencing import SeqProblem, cpsat_solve, dp_solve, evaluate, local_search
from unitbase.scheduling.solver.talent import (
    FormatError,
    TalentInstance,
    evaluate_talent,
    expand,
    parse_dat,
    read_talent,
    reduce,
    solve_talent,
)

# Hand-made: 3 scenes, actors A (cost 10) in scenes 0 and 2, B (cost 1) in scene 1.
HAND = TalentInstance(
    name="hand", durations=(1, 3, 2), casts=(frozenset({0}), frozenset({1}), frozenset({0})), costs=(10, 1)
)


def test_evaluator_hand_computed():
    # order 0,1,2: A from day 0 to 6 (6 days x 10), B 3 days -> total 63, work 10*3 + 3 = 33
    cost = evaluate_talent(HAND, [0, 1, 2])
    assert (cost.total, cost.work, cost.waiting) == (63, 33, 30)
    # order 0,2,1: A from 0 to 3, B 3 days -> 33, no waiting
    cost = evaluate_talent(HAND, [0, 2, 1])
    assert (cost.total, cost.waiting) == (33, 0)


def test_evaluator_rejects_non_permutation():
    with pytest.raises(ValueError):
        evaluate_talent(HAND, [0, 0, 1])


def test_solver_on_hand_instance():
    res = solve_talent(HAND, time_limit=5)
    assert res.status == "optimal"
    assert res.objective == 33 == res.bound
    assert evaluate_talent(HAND, res.order).total == 33


def test_reduce_merges_identical_casts_and_drops_empty_scenes():
    inst = TalentInstance(
        name="m",
        durations=(1, 2, 1, 4),
        casts=(frozenset({0, 1}), frozenset(), frozenset({0, 1}), frozenset({1})),
        costs=(3, 2),
    )
    red = reduce(inst)
    assert red.problem.n == 2
    assert red.empty == (1,)
    assert sorted(red.problem.durations) == [2, 4]
    # actor 0 is in one merged scene only -> fixed cost 3 * 2
    assert red.fixed_cost == 6
    order = expand(red, [0, 1])
    assert order[-1] == 1 and sorted(order) == [0, 1, 2, 3]
    assert evaluate(red.problem, [0, 1]).present + red.fixed_cost == evaluate_talent(inst, order).total


def test_parse_dat_errors():
    with pytest.raises(FormatError):
        parse_dat("x 2 1 1 0")


OPTIMAL_ORDERS = {  # 1-based, from INSTANCES.md: (total, waiting)
    "tiny": ([4, 1, 2, 3], 29, 2),
    "tiny2": ([5, 3, 4, 2, 1], 9, 1),
    "small": ([6, 5, 3, 1, 2, 4], 54, 12),
    "rehearsal_choco": ([3, 5, 2, 4, 1], 53, 0),
    "concert": ([9, 4, 6, 5, 1, 7, 2, 8, 3], 111, 17),
    "rehearsal_smith": ([9, 4, 6, 5, 1, 7, 2, 8, 3], 109, 17),
    "film-12": ([9, 6, 8, 7, 5, 3, 2, 12, 11, 10, 1, 4], 401, 52),
    "film105": ([8, 5, 16, 15, 9, 6, 3, 13, 4, 18, 10, 12, 7, 14, 17, 11, 1, 2], 849, 110),
    "Film1": ([19, 18, 16, 17, 14, 15, 20, 5, 9, 7, 8, 6, 2, 12, 13, 3, 11, 10, 1, 4], 871, 146),
    "MobStory": (
        [25, 26, 27, 24, 22, 23, 19, 21, 20, 28, 5, 11, 8, 9, 10, 7, 6, 2, 16, 18, 17, 3, 15, 14, 13, 12, 1, 4],
        871,
        146,
    ),
}


def _path(shared_dir, name):
    folder = shared_dir / "bench" / "talent"
    for ext in (".dat", ".dzn"):
        if (folder / f"{name}{ext}").exists():
            return folder / f"{name}{ext}"
    raise AssertionError(name)


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(OPTIMAL_ORDERS))
def test_evaluator_reproduces_published_optima(shared_dir, name):
    order, total, waiting = OPTIMAL_ORDERS[name]
    inst = read_talent(_path(shared_dir, name))
    cost = evaluate_talent(inst, [s - 1 for s in order])
    assert (cost.total, cost.waiting) == (total, waiting)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["tiny", "small", "concert", "film103", "MobStory"])
def test_dat_and_dzn_hold_the_same_data(shared_dir, name):
    folder = shared_dir / "bench" / "talent"
    a, b = read_talent(folder / f"{name}.dat"), read_talent(folder / f"{name}.dzn")
    assert (a.durations, a.casts, a.costs) == (b.durations, b.casts, b.costs)


@pytest.mark.shared
def test_reader_details(shared_dir):
    folder = shared_dir / "bench" / "talent"
    tiny = read_talent(folder / "tiny.dzn")  # the `s = [...]` line is ignored
    assert tiny.durations == (1, 2, 3, 1) and tiny.costs == (1, 2, 3)
    assert tiny.casts[0] == frozenset({0, 1})
    smith = read_talent(folder / "rehearsal_smith.dzn")
    assert smith.n == 9 and smith.m == 5 and set(smith.costs) == {1} and smith.durations[8] == 6
    assert read_talent(folder / "concert.dzn").durations[8] == 7


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "total"), [("tiny", 29), ("tiny2", 9), ("small", 54), ("concert", 111), ("film-10", 352), ("film-12", 401)]
)
def test_solver_proves_known_optimum(shared_dir, name, total):
    inst = read_talent(_path(shared_dir, name))
    res = solve_talent(inst, time_limit=10)
    assert res.status == "optimal"
    assert res.objective == res.bound == total
    assert evaluate_talent(inst, res.order).total == total


@pytest.mark.shared
def test_cpsat_and_local_search_agree_with_dp_on_small(shared_dir):
    inst = read_talent(_path(shared_dir, "concert"))
    problem = reduce(inst).problem
    dp = dp_solve(problem)
    cp = cpsat_solve(problem, time_limit=10, workers=1)
    assert cp.optimal and cp.objective == dp.objective
    import time

    order, cost = local_search(problem, list(range(problem.n)), time.monotonic() + 0.3)
    assert cost >= dp.objective and cost == evaluate(problem, order).present


def test_dp_matches_brute_force_on_random_small():
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(5):
        n, m = 6, 4
        problem = SeqProblem(
            durations=tuple(rng.randint(1, 3) for _ in range(n)),
            casts=tuple(rng.randint(1, (1 << m) - 1) for _ in range(n)),
            actor_costs=tuple(rng.randint(1, 9) for _ in range(m)),
            locations=tuple(rng.randrange(2) for _ in range(n)),
            location_costs=(5, 7),
            precedences=((0, 3),),
        )
        brute = min(
            evaluate(problem, p).present + evaluate(problem, p).location
            for p in itertools.permutations(range(n))
            if p.index(0) < p.index(3)
        )
        res = dp_solve(problem)
        assert res.objective == brute
        assert evaluate(problem, res.order).present + evaluate(problem, res.order).location == brute


@pytest.mark.shared
def test_cli_json(shared_dir, capsys):
    code = cli.main(["talent", str(shared_dir / "bench" / "talent" / "small.dzn"), "--time-limit", "5", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["instance"] == "small" and out["status"] == "optimal" and out["objective"] == 54
    assert {"instance", "scenes", "actors", "status", "objective", "bound", "seconds", "order"} <= set(out)
    assert sorted(out["order"]) == list(range(6))


def test_cli_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.dat"
    bad.write_text("nonsense 1 x")
    assert cli.main(["talent", str(bad), "--json"]) == 2
    assert "unitbase bench" in capsys.readouterr().err
