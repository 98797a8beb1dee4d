# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""The optimiser in the product: instance from a hand-made schedule, result written back as a draft,
the task end to end (immediate backend, tiny solves), stopping, and the explanation's figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from unitbase.core.models import AuditEvent, JobProgress
from unitbase.scheduling import services
from unitbase.scheduling.models import Availability, OptimiserRun, ScheduleVersion, Strip
from unitbase.scheduling.optimise import Options, explain, instance_build, plan_days
from unitbase.scheduling.optimise_services import (
    CANCEL,
    RESULT,
    optimise_run,
    optimiser_run_cancel,
    optimiser_run_request,
)
from unitbase.scheduling.solver.model import DayNight, Status
from unitbase.scheduling.solver.production import solve
from unitbase.scheduling.solver.validate.cost import evaluate
from unitbase.scheduling.tests.test_services import (  # noqa: F401 - fixtures
    ad,
    calendar,
    cast,
    production,
    script,
    unit,
    upm,
    version,
)
from unitbase.scripts.models import Scene, SceneCharacter

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI = (date(2027, 3, d) for d in (1, 2, 3, 4, 5))
TINY = {"time_limit": 2, "workers": 1}


def opts(**kw) -> Options:
    return Options(**{**TINY, **kw})


@pytest.fixture
def board(ad, version, cast):
    """Scenes 1-2 on Mon, 3-4 on Tue, 5-6 on Wed (6 in the boneyard); MAREN paid 700/day,
    ELLIS 1000/week, TOBY unknown; ELLIS unavailable on Wed."""
    rev = version.revision
    services.day_break_add(access=ad, version_id=version.pk, revision=rev, index=2)
    services.day_break_add(access=ad, version_id=version.pk, revision=rev + 1, index=5)
    services.day_break_add(access=ad, version_id=version.pk, revision=rev + 2, index=8)
    six = Strip.objects.get(version=version, scene__number="6")
    services.strip_move(access=ad, version_id=version.pk, revision=rev + 3, strip_ids=[six.pk], to="boneyard")
    maren, ellis = cast["MAREN"], cast["ELLIS"]
    maren.rate_amount, maren.rate_unit = Decimal("700"), "day"
    maren.save()
    ellis.rate_amount, ellis.rate_unit = Decimal("1000"), "week"
    ellis.save()
    cast["TOBY"].rate_amount = None
    cast["TOBY"].save()
    services.availability_set(access=ad, date=WED, status=Availability.Status.UNAVAILABLE, cast_member_id=ellis.pk)
    return ScheduleVersion.objects.get(pk=version.pk)


def test_instance_from_a_hand_made_schedule(ad, board, cast):
    # a scene character that has no cast tag still counts (TOBY speaks in scene 3)
    SceneCharacter.objects.create(scene=Scene.objects.get(revision=board.script_revision, number="3"), name="TOBY")
    built = instance_build(access=ad, version=board, options=opts(scope="from_date", from_date=TUE))
    inst = built.instance
    by_label = {built.labels[s.id]: s for s in inst.scenes}
    # scenes 1 and 2 are on Monday, before the date: kept as they are, not in the instance
    assert set(by_label) == {"3", "4", "5", "6"}
    assert [Scene.objects.get(pk=k[0]).number for k in built.frozen[MON]] == ["1", "2"]
    assert inst.days[0] == TUE and MON not in inst.days
    assert by_label["3"].cast == frozenset({"2", "3"})  # ELLIS by tag, TOBY by character
    assert by_label["4"].cast == frozenset({"1", "3"}) and by_label["4"].day_night == DayNight.NIGHT
    assert by_label["5"].location == "PUB" and by_label["5"].pages == 10 and by_label["5"].minutes == 150
    assert by_label["6"].boneyard is True
    costs = {c.id: c.daily_cost for c in inst.cast}
    assert costs == {"1": 700, "2": 200, "3": 500}  # day rate, week / 5, default
    assert inst.cast_by_id()["2"].unavailable == frozenset({WED})
    assert dict(inst.current) == {next(s for s, lab in built.labels.items() if lab == n): d
                                  for n, d in (("3", TUE), ("4", TUE), ("5", WED))}
    assert any("TOBY" in n and "500" in n for n in built.notes)


def test_boneyard_scope_pins_the_board(ad, board):
    built = instance_build(access=ad, version=board, options=opts(scope="boneyard", include_boneyard=True))
    pins = {built.labels[s]: d for s, d in built.instance.pins}
    assert pins == {"1": MON, "2": MON, "3": TUE, "4": TUE, "5": WED}
    assert not any(s.boneyard for s in built.instance.scenes)


def test_bad_options_and_no_calendar(ad, unit, script):
    with pytest.raises(ValidationError) as err:
        Options(time_limit=0).check()
    assert "time_limit" in err.value.message_dict
    v = services.schedule_create(access=ad, unit_id=unit.pk, layout="board")
    with pytest.raises(ValidationError) as err:
        instance_build(access=ad, version=v, options=opts())
    assert "calendar" in str(err.value)


def _board_days(version):
    days, day = [], []
    for kind, number in Strip.objects.filter(version=version, section="board").order_by("position").values_list(
            "kind", "scene__number"):
        if kind == "day":
            days.append(day)
            day = []
        else:
            day.append(number)
    return days


def test_result_written_as_a_new_draft_matching_the_solver(ad, board):
    applied_before = list(ScheduleVersion.objects.filter(is_applied=True).values_list("pk", "revision"))
    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(), run_id="r1")
    result, draft = outcome.result, outcome.version
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE) and not result.violations  # 2 s on a shared machine
    assert draft.status == "draft" and not draft.is_applied and draft.name.startswith("Optimised ")
    assert draft.based_on_id == board.pk
    built = instance_build(access=ad, version=board, options=opts())
    dates = built.dates
    # every scheduled scene is on the day whose date the solver chose
    expected = [[] for _ in range(1 + max(dates.index(d) for d in result.schedule.values()))]
    for sid, when in result.schedule.items():
        expected[dates.index(when)].append(built.labels[sid])
    assert [sorted(d) for d in _board_days(draft)] == [sorted(d) for d in expected]
    assert list(Strip.objects.filter(version=draft, section="boneyard").values_list("scene__number", flat=True)) == ["6"]
    # ELLIS (scenes 2, 3) not on Wednesday
    for number in ("2", "3"):
        assert next(i for i, d in enumerate(_board_days(draft)) if number in d) != dates.index(WED)
    # the starting version is untouched
    assert _board_days(board) == [["1", "2"], ["3", "4"], ["5"]]
    assert list(ScheduleVersion.objects.filter(is_applied=True).values_list("pk", "revision")) == applied_before
    event = AuditEvent.objects.get(action=RESULT, object_id=str(draft.pk))
    assert event.changes["run"] == "r1" and event.changes["objective"] == result.objective


def test_explanation_figures_equal_the_cost_breakdown(ad, board):
    built = instance_build(access=ad, version=board, options=opts(change=50))
    result = solve(built.instance, __import__("unitbase.scheduling.solver.model", fromlist=["Config"]).Config(
        time_limit=2, workers=1, weights=built.weights))
    ex = explain(built, result, solutions=1)
    assert {t["key"]: t["after"] for t in ex["terms"]} == result.breakdown
    before_schedule = {s: d for s, d in built.current.items()}
    assert {t["key"]: t["before"] for t in ex["terms"]} == evaluate(built.instance, before_schedule, built.weights)
    assert ex["total_after"] == sum(result.breakdown.values()) == result.objective
    assert sum(c["cost_after"] for c in ex["cast"]) == result.breakdown["cast_holding"]
    assert sum(c["cost_before"] for c in ex["cast"]) == ex["terms"][0]["before"]
    moved = {m["scene"] for m in ex["moved"]}
    assert ex["moved_count"] == len(moved) == sum(1 for s, d in built.current.items() if result.schedule.get(s) != d)
    assert result.breakdown["changes"] == 50 * ex["moved_count"]
    # the starting board has ELLIS on Wednesday? no: scene 5 (TOBY) is; nothing forced, but the limit is listed
    assert any("ELLIS" in line and "unavailable" in line for line in ex["binding"])


def test_minimal_change_after_an_availability_change(ad, board, cast):
    # MAREN becomes unavailable on Monday, where scenes 1 and 2 are: they must move. The starting
    # board also has night scene 4 on Tuesday before day scene 5 on Wednesday (no rest after a
    # night): one of those two moves too. With a high price per move, nothing else moves.
    services.availability_set(access=ad, date=MON, status=Availability.Status.UNAVAILABLE, cast_member_id=cast["MAREN"].pk)
    options = opts(change=100000, shoot_day=0, mixed_day_night=True)
    outcome = optimise_run(access=ad, version_id=board.pk, options=options, run_id="r2")
    ex = outcome.explanation
    moved = {m["scene"] for m in ex["moved"]}
    assert {"1", "2"} <= moved and len(moved & {"4", "5"}) == 1 and ex["moved_count"] == 3 == len(moved)
    assert outcome.result.breakdown["changes"] == 3 * 100000
    assert any("had to move" in line and "1" in line for line in ex["binding"])
    assert ex["before_problems"]  # the starting version broke the new availability


def test_infeasible_writes_nothing_and_says_why(ad, board, cast):
    for d in (MON, TUE, WED, THU, FRI, date(2027, 3, 8), date(2027, 3, 9), date(2027, 3, 10), date(2027, 3, 11),
              date(2027, 3, 12)):
        services.availability_set(access=ad, date=d, status=Availability.Status.UNAVAILABLE, cast_member_id=cast["TOBY"].pk)
    count = ScheduleVersion.objects.count()
    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(), run_id="r3")
    assert outcome.version is None and outcome.result.status == Status.INFEASIBLE
    assert ScheduleVersion.objects.count() == count
    # the minimal conflicting set: TOBY's ten unavailable days against her scenes, nothing else
    assert outcome.explanation["conflicts"] == [
        "Scenes 4 and 5 need #3 TOBY, who is unavailable on all 10 shoot days (Mon 01 Mar, Tue 02 Mar, Wed 03 Mar, "
        "Thu 04 Mar, Fri 05 Mar, Mon 08 Mar …)."]
    assert outcome.reasons[0].startswith("These constraints cannot all hold together")


def test_plan_keeps_empty_days(ad, board):
    built = instance_build(access=ad, version=board, options=opts())
    sid = next(s for s, lab in built.labels.items() if lab == "5")
    plan = plan_days(built, {sid: THU})
    assert plan == [[], [], [], [built.keys[sid]]]


def test_task_end_to_end_with_progress(ad, board):
    run_id = optimiser_run_request(access=ad, version_id=board.pk, options=opts())
    run = OptimiserRun.objects.get(pk=run_id)
    progress = JobProgress.objects.get(task_result_id=run.task_id)
    assert progress.fraction == 1 and progress.error == "" and progress.production_id == board.schedule.production_id
    assert run.status == "finished" and run.state == "finished" and run.error == ""
    assert run.unit_id == board.schedule.unit_id and run.source_version_id == board.pk
    assert run.options["time_limit"] == 2 and run.requested_by == ad.user
    assert run.started_at and run.finished_at and run.solutions >= 1
    draft = run.result_version
    assert draft.status == "draft" and run.explanation["total_after"] == run.objective
    assert draft.name in progress.message and "scene(s) moved" in run.message
    event = AuditEvent.objects.get(action=RESULT, changes__run=run_id)
    assert event.object_id == str(draft.pk) and "explanation" not in event.changes  # audit trail only
    assert AuditEvent.objects.filter(action="schedule.optimise_request", changes__run=run_id).exists()


def test_stop_requested_before_a_solution_writes_nothing(ad, board):
    count = ScheduleVersion.objects.count()
    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(), run_id="r4", cancel_check=lambda: True)
    assert outcome.version is None and outcome.stopped
    assert "Stopped" in outcome.reasons[0] and ScheduleVersion.objects.count() == count


def test_stop_mid_solve_keeps_the_best_schedule(ad, board):
    seen = []

    def check():  # asked before the solve, then after each poll: stop once a solution is reported
        return bool(seen)

    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(time_limit=30), run_id="r5",
                           on_progress=lambda s: seen.append(s) if s["solutions"] else None, cancel_check=check,
                           poll_seconds=0.01)
    assert outcome.version is not None
    assert outcome.result.status in (Status.OPTIMAL, Status.FEASIBLE)


def test_cancel_service(ad, board, production):
    with pytest.raises(ValidationError):
        optimiser_run_cancel(access=ad, run_id="nope")
    run_id = optimiser_run_request(access=ad, version_id=board.pk, options=opts())
    with pytest.raises(ValidationError) as err:
        optimiser_run_cancel(access=ad, run_id=run_id)  # the immediate backend has already finished it
    assert "already finished" in str(err.value)
    OptimiserRun.objects.filter(pk=run_id).update(status=OptimiserRun.Status.RUNNING)
    optimiser_run_cancel(access=ad, run_id=run_id)
    optimiser_run_cancel(access=ad, run_id=run_id)  # twice: one stop, one audit event
    assert OptimiserRun.objects.get(pk=run_id).stop_requested
    assert AuditEvent.objects.filter(action=CANCEL, changes__run=run_id, production_id=production.pk).count() == 1


def test_a_dead_worker_reads_as_failed(ad, board):
    from datetime import timedelta

    from django.utils import timezone

    run = OptimiserRun.objects.create(production=board.schedule.production, unit=board.schedule.unit,
                                      source_version=board, status=OptimiserRun.Status.RUNNING, time_limit=5)
    assert run.state == "running" and run.active
    OptimiserRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    run.refresh_from_db()
    assert run.state == "failed" and not run.active and "stopped reporting" in run.error_text
    with pytest.raises(ValidationError):
        optimiser_run_cancel(access=ad, run_id=str(run.pk))


def test_solver_stop_check():
    from datetime import timedelta

    from unitbase.scheduling.solver.model import Config, Instance
    from unitbase.scheduling.solver.model import Scene as S

    inst = Instance(days=tuple(MON + timedelta(days=i) for i in range(4)), scenes=(S("a"), S("b")))
    stopped = solve(inst, Config(time_limit=2, workers=1), should_stop=lambda: True)
    assert stopped.status == Status.TIMED_OUT and stopped.schedule == {}
    calls = []
    result = solve(inst, Config(time_limit=2, workers=1), should_stop=lambda: calls.append(1) and False)
    assert result.status == Status.OPTIMAL and calls  # asked at least once, never stopped
