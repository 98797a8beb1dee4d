# ruff: noqa: F811  (fixtures imported from test_services / test_optimise are used as parameters)
"""Optimiser in the product: date-range scope, drop/pick-up rule, the minimal conflicting set on the
run page, the API and the CLI, and the CLI's rule/scope flags."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import member
from unitbase.productions.authority import Role
from unitbase.scheduling import services
from unitbase.scheduling.models import Availability, OptimiserRun, ScheduleVersion, Strip
from unitbase.scheduling.optimise import Options, instance_build
from unitbase.scheduling.optimise_services import optimise_run, optimiser_run_request
from unitbase.scheduling.tests.test_optimise import FRI, MON, THU, TUE, WED, _board_days, board, opts  # noqa: F401
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

pytestmark = pytest.mark.django_db


def test_range_options_are_checked():
    with pytest.raises(ValidationError) as err:
        Options(scope="range", from_date=TUE).check()
    assert "to_date" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        Options(scope="range", from_date=THU, to_date=TUE).check()
    assert "before the first" in err.value.message_dict["to_date"][0]


def test_range_keeps_days_outside_and_replans_inside(ad, board):
    # board: 1-2 Mon, 3-4 Tue, 5 Wed; ELLIS (scenes 2, 3) unavailable Wed. Re-plan Tue..Thu only.
    # Monday mixes day and night scenes: kept as it is, so split days must be allowed (else infeasible)
    options = opts(scope="range", from_date=TUE, to_date=THU, time_limit=3, mixed_day_night=True)
    built = instance_build(access=ad, version=board, options=options)
    assert built.instance.window == (TUE, THU) and not built.frozen
    outcome = optimise_run(access=ad, version_id=board.pk, options=options, run_id="range")
    assert outcome.version is not None and not outcome.result.violations
    days = _board_days(outcome.version)
    assert sorted(days[0]) == ["1", "2"]  # Monday untouched
    where = {n: i for i, d in enumerate(days) for n in d}
    assert all(1 <= where[n] <= 3 for n in ("3", "4", "5"))  # Tue..Thu
    assert where["3"] != 2  # not on Wednesday (ELLIS)
    assert any("Only Tue 02 Mar to Thu 04 Mar was re-planned: 2 scene(s)" in line
               for line in outcome.explanation["binding"])
    assert _board_days(board) == [["1", "2"], ["3", "4"], ["5"]]  # the starting version is untouched


def test_range_without_shoot_days_is_a_field_error(ad, board):
    with pytest.raises(ValidationError) as err:
        instance_build(access=ad, version=board, options=opts(scope="range", from_date=date(2027, 3, 6),
                                                              to_date=date(2027, 3, 7)))
    assert "No shoot day" in err.value.message_dict["to_date"][0]


def test_drop_rule_comes_from_the_production(ad, board, production):
    built = instance_build(access=ad, version=board, options=opts())
    assert built.instance.drop_gap_days == 10 and built.weights.drop_pickup == Options().drop_cost
    assert any("dropped and picked up across a gap of more than 10 days" in n for n in built.notes)
    assert instance_build(access=ad, version=board, options=opts(allow_drops=False)).instance.drop_gap_days is None
    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(), run_id="drops")
    terms = {t["key"]: t for t in outcome.explanation["terms"]}
    assert "drop_pickups" in terms and terms["drop_pickups"]["after"] == outcome.result.breakdown["drop_pickups"]
    assert all("drop_after" in c for c in outcome.explanation["cast"])


@pytest.fixture
def impossible(ad, board, cast):
    """Scene 1 pinned by the range scope to Monday (outside Tue..Fri), MAREN unavailable on Monday."""
    services.availability_set(access=ad, date=MON, status=Availability.Status.UNAVAILABLE,
                              cast_member_id=cast["MAREN"].pk)
    return board


def test_range_keeping_a_mixed_day_explains_the_day_night_conflict(ad, board):
    outcome = optimise_run(access=ad, version_id=board.pk, run_id="mixed",
                           options=opts(scope="range", from_date=TUE, to_date=THU))
    assert outcome.version is None and outcome.result.status == "infeasible"
    assert sorted(outcome.explanation["conflicts"]) == [
        "A shoot day holds either day or night scenes, not both.",
        "Scene 1 is outside the date range and stays on Mon 01 Mar.",
        "Scene 2 is outside the date range and stays on Mon 01 Mar."]


def test_infeasible_run_shows_the_minimal_conflict_on_the_page(client, production, impossible, ad):
    options = opts(scope="range", from_date=TUE, to_date=FRI, mixed_day_night=True)
    run_id = optimiser_run_request(access=ad, version_id=impossible.pk, options=options)
    run = OptimiserRun.objects.get(pk=run_id)
    assert run.state == "failed" and run.result_version is None
    conflicts = run.explanation["conflicts"]
    assert len(conflicts) == 2
    assert any(line.startswith("Scene 1 needs #1 MAREN, who is unavailable on Mon 01 Mar") for line in conflicts)
    assert "Scene 1 is outside the date range and stays on Mon 01 Mar." in conflicts
    client.force_login(member(production, Role.FIRST_AD).user)
    html = client.get(reverse("optimiser:run", args=[production.pk, run_id])).content.decode()
    assert "No schedule meets all the hard constraints" in html and "outside the date range" in html
    assert ScheduleVersion.objects.filter(schedule=impossible.schedule).count() == 1


def test_cli_flags_for_scope_rules_and_weights(ad, board, production, upm):
    out, err = StringIO(), StringIO()
    call_command("schedule", "optimise", "--production", str(production.pk), "--unit", board.schedule.unit.name,
                 "--as", upm.user.email, "--version", board.name, "--time-limit", "3", "--scope", "range",
                 "--from-date", "2027-03-02", "--to-date", "2027-03-05", "--rule", "5 before 4", "--no-drops", "--split-days",
                 "--drop-cost", "50", "--shoot-day", "10", stdout=out, stderr=err)
    run = OptimiserRun.objects.get(production=production)
    assert run.options["scope"] == "range" and run.options["to_date"] == "2027-03-05"
    assert run.options["precedences"] == "5 before 4" and run.options["allow_drops"] is False
    assert run.options["drop_cost"] == 50 and run.options["shoot_day"] == 10
    days = _board_days(run.result_version)
    where = {n: i for i, d in enumerate(days) for n in d}
    assert where["5"] < where["4"] and sorted(days[0]) == ["1", "2"]
    assert "Drops and pick-ups" in out.getvalue()


def test_cli_infeasible_prints_the_conflict_and_bad_dates_exit_2(impossible, production, upm):
    args = ("schedule", "optimise", "--production", str(production.pk), "--unit", impossible.schedule.unit.name,
            "--as", upm.user.email, "--version", impossible.name, "--time-limit", "2")
    with pytest.raises(CommandError) as exc:
        call_command(*args, "--scope", "range", "--from-date", "2027-03-02", "--to-date", "bad")
    assert exc.value.returncode == 2 and "--to-date" in str(exc.value)
    assert not OptimiserRun.objects.exists()
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, "--scope", "range", "--from-date", "2027-03-02", "--to-date", "2027-03-05",
                     "--split-days", stdout=out, stderr=StringIO())
    assert exc.value.returncode == 1
    assert "cannot all hold together" in out.getvalue() and "#1 MAREN" in out.getvalue()
    assert Strip.objects.filter(version__schedule=impossible.schedule).values("version").distinct().count() == 1
    assert OptimiserRun.objects.get().status == "failed"
