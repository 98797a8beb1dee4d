# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Hard constraints the product passes to the solver beyond the board: order rules ("12 before 40"),
weather-cover pairs (same day), split-scene parts in order, and the turnaround cap on day length."""

import pytest
from django.core.exceptions import ValidationError

from unitbase.scheduling import services
from unitbase.scheduling.models import ProductionCalendar, SchedulePreferences, ScheduleVersion
from unitbase.scheduling.optimise import instance_build
from unitbase.scheduling.optimise_services import optimise_run
from unitbase.scheduling.solver.model import Config, Precedence, Status
from unitbase.scheduling.solver.production import solve
from unitbase.scheduling.solver.validate import validate

from .test_optimise import board, opts  # noqa: F401 - fixture
from .test_services import ad, calendar, cast, production, script, unit, upm, version  # noqa: F401

pytestmark = pytest.mark.django_db


def _sid(built, label):
    return next(s for s, lab in built.labels.items() if lab == label)


def test_order_rules_and_weather_cover_reach_the_solver(ad, board):
    built = instance_build(access=ad, version=board, options=opts(precedences="3 before 1\n2 by 4", covers="1 / 5"))
    one, two, three, four, five = (_sid(built, n) for n in "12345")
    precedences = set(built.instance.precedences)
    assert {Precedence(three, one, True), Precedence(two, four, False),
            Precedence(one, five), Precedence(five, one)} <= precedences
    result = solve(built.instance, Config(time_limit=5, workers=1, weights=built.weights))
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE) and validate(built.instance, result.schedule) == []
    s = result.schedule
    assert s[three] < s[one] and s[two] <= s[four] and s[five] == s[one]


def test_bad_rules_are_field_errors(ad, board):
    with pytest.raises(ValidationError) as err:
        instance_build(access=ad, version=board, options=opts(precedences="5 after 1"))
    assert "12 before 40" in err.value.message_dict["precedences"][0]
    with pytest.raises(ValidationError) as err:
        instance_build(access=ad, version=board, options=opts(covers="99 / 1"))
    assert err.value.message_dict["covers"] == ["Scene 99 is not among the scenes this run may schedule."]
    with pytest.raises(ValidationError) as err:  # scene 6 is in the boneyard and not scheduled
        instance_build(access=ad, version=board, options=opts(precedences="6 before 1"))
    assert "Scene 6" in err.value.message_dict["precedences"][0]


def test_contradictory_pins_and_order_say_why_and_write_nothing(ad, board):
    count = ScheduleVersion.objects.count()
    outcome = optimise_run(access=ad, version_id=board.pk, options=opts(scope="boneyard", precedences="5 before 1"),
                           run_id="x")
    assert outcome.version is None and outcome.result.status == Status.INFEASIBLE
    assert ScheduleVersion.objects.count() == count
    # the minimal conflicting set, in the specific terms (a pin and the rule) rather than the general
    # ones: scene 1 is pinned to the first shoot day, so nothing can come on an earlier day (scene 5's
    # own pin is not needed for the conflict)
    assert sorted(outcome.explanation["conflicts"]) == [
        "Scene 1 is pinned to Mon 01 Mar.", "Scene 5 must be shot on an earlier day than scene 1."]


def test_split_scene_parts_stay_in_order(ad, board):
    strip = board.strips.get(scene__number="3")
    services.strip_split(access=ad, version_id=board.pk, revision=board.revision, strip_id=strip.pk, eighths=2)
    board.refresh_from_db()
    built = instance_build(access=ad, version=board, options=opts())
    parts = sorted(s for s, lab in built.labels.items() if lab.startswith("3 pt"))
    assert len(parts) == 2 and Precedence(parts[0], parts[1]) in built.instance.precedences


def test_turnaround_caps_the_day_when_the_call_is_known(ad, board, production):
    SchedulePreferences.objects.update_or_create(production=production, defaults={"turnaround_hours": 14})
    ProductionCalendar.objects.filter(unit=board.schedule.unit).update(default_call="07:00")
    built = instance_build(access=ad, version=board, options=opts())
    assert built.instance.max_minutes_per_day == 600 and built.instance.rest_after_night
    assert any("14 h rest" in n for n in built.notes)
