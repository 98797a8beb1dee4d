"""Simplified MSSP: reader, evaluator, exact solver (no database)."""

import json

import pytest

from unitbase.scheduling.solver import cli
from unitbase.scheduling.solver.mssp import evaluate_mssp, parse_mssp, read_mssp, solve_mssp

# 3 scenes, 1 actor (cost 2) in scenes 0 and 2; scene 1 at location 1 (cost 5), others at 0 (cost 7).
HAND = "1 3 2 1\n2\n7 5\n1 2 1\n0 1 0\n1 0 1\n1 0\n"


def test_evaluator_hand_computed():
    inst = parse_mssp(HAND)
    assert inst.precedences == ((1, 0),)
    # 1,0,2: locations 1,0,0 -> no re-visit; actor waits 0 -> cost 0
    assert evaluate_mssp(inst, [1, 0, 2]).total == 0
    # 0 is after 1 required; order 1,2,0 is valid too: cost 0 as well
    assert evaluate_mssp(inst, [1, 2, 0]).total == 0
    with pytest.raises(ValueError):
        evaluate_mssp(inst, [0, 1, 2])  # breaks the precedence


def test_evaluator_location_revisit_and_waiting():
    inst = parse_mssp("1 3 2 0\n2\n7 5\n1 2 1\n0 1 0\n1 0 1\n")
    cost = evaluate_mssp(inst, [0, 1, 2])  # location 0 visited twice (+7), actor waits 2 days (+4)
    assert (cost.location, cost.actor, cost.total) == (7, 4, 11)
    res = solve_mssp(inst, time_limit=5)
    assert res.status == "optimal" and res.objective == 0


def test_infeasible_precedence_cycle():
    inst = parse_mssp("1 2 1 2\n1\n1\n1 1\n0 0\n1 1\n0 1 1 0\n")
    res = solve_mssp(inst, time_limit=5)
    assert res.status == "infeasible" and res.order == []


OPTIMA = {
    "movie5": ([4, 2, 1, 3, 0], 9),
    "movie10": ([8, 0, 7, 6, 2, 5, 4, 3, 9, 1], 128),
    "movie12": ([1, 0, 10, 11, 2, 6, 4, 5, 7, 9, 8, 3], 43),
    "movie20": ([3, 8, 2, 19, 7, 18, 15, 10, 5, 17, 16, 1, 9, 11, 6, 14, 12, 4, 0, 13], 774),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_evaluator_reproduces_known_optima(shared_dir, name):
    order, cost = OPTIMA[name]
    inst = read_mssp(shared_dir / "bench" / "mssp" / f"{name}.txt")
    assert evaluate_mssp(inst, order).total == cost


@pytest.mark.shared
def test_reader_sizes(shared_dir):
    inst = read_mssp(shared_dir / "bench" / "mssp" / "movie10.txt")
    assert (inst.n, inst.m, len(inst.location_costs), len(inst.precedences)) == (10, 6, 5, 3)
    assert inst.precedences[0] == (8, 9) and inst.durations[0] == 5


@pytest.mark.shared
@pytest.mark.parametrize(("name", "cost"), [("movie5", 9), ("movie10", 128), ("movie12", 43)])
def test_solver_proves_known_optimum(shared_dir, name, cost):
    inst = read_mssp(shared_dir / "bench" / "mssp" / f"{name}.txt")
    res = solve_mssp(inst, time_limit=10)
    assert res.status == "optimal" and res.objective == res.bound == cost
    assert evaluate_mssp(inst, res.order).total == cost


@pytest.mark.shared
def test_cli_json(shared_dir, capsys):
    code = cli.main(["mssp", str(shared_dir / "bench" / "mssp" / "movie5.txt"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["objective"] == 9 and out["status"] == "optimal" and out["scenes"] == 5
