"""Part-shot scenes on the DPR: the strip is split through the scheduling services (the part shot stays
on the reported day, the remainder goes to the boneyard or a later day)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from unitbase.callsheets import services
from unitbase.callsheets.models import DailyReportScene
from unitbase.scheduling.models import Strip
from unitbase.scheduling.selectors import version_applied

from .helpers import DAY1, DAY2, build_world
from .test_api import _auth, client  # noqa: F401  (the module-scoped API client fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _report(world, *, shot: int):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="1", status="complete")
    services.dpr_scene_set(access=ad, report_id=report.pk, number="2", status="part", eighths_shot=shot)
    return report


def _parts(world, number):
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    return [(s.section, s.part, s.eighths) for s in Strip.objects.filter(version=version, scene__number=number)
            .select_related("scene").order_by("section", "part")]


def test_part_shot_remainder_goes_to_the_boneyard(world):
    report = _report(world, shot=5)
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    revision = version.revision
    assert services.dpr_unshot_move(access=world["ad"], report_id=report.pk, to="boneyard") == 1
    assert _parts(world, "2") == [("board", 1, 5), ("boneyard", 2, 7)]
    row = report.scenes.get(number="2")
    assert (row.status, row.eighths_shot, row.moved_to) == ("part", 5, "rest to boneyard")
    version.refresh_from_db()
    assert version.revision == revision + 2  # one split, one move: both through the schedule services
    # the day's call sheet rebuilt from the schedule now carries only the part shot
    sheet = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    assert [s.number for s in sheet.scenes.all()] == ["1", "2 pt 1"]
    with pytest.raises(ValidationError, match="No unshot scenes"):
        services.dpr_unshot_move(access=world["ad"], report_id=report.pk, to="boneyard")


def test_part_shot_remainder_and_unshot_scene_to_a_later_day_through_the_page(world):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY2 + (DAY2 - DAY1))  # day 3: scene 4 (6/8)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="4", status="part", eighths_shot=2)
    day1 = _report(world, shot=4)
    services.dpr_scene_set(access=ad, report_id=day1.pk, number="1", status="not_shot")
    c = Client()
    c.force_login(world["ad_user"])
    page = c.get(reverse("callsheets:dpr", args=[world["production"].pk, day1.pk])).content.decode()
    assert "part shot, 4/8 of 12/8: the rest" in page
    response = c.post(reverse("callsheets:dpr_unshot", args=[world["production"].pk, day1.pk]), {"to": "day", "day": "2"})
    assert response.status_code == 302
    assert _parts(world, "2") == [("board", 1, 4), ("board", 2, 8)]
    assert [(s.number, s.moved_to) for s in day1.scenes.all()] == [("1", "day 2"), ("2", "rest to day 2")]
    day2 = services.callsheet_build_from_schedule(access=ad, unit_id=world["unit"].pk, shoot_date=DAY2)
    assert [s.number for s in day2.scenes.all()] == ["3", "1", "2 pt 2"]


@pytest.mark.parametrize(("shot", "message"), [(0, "record the pages shot"), (12, "leaves nothing to move")])
def test_part_shot_without_a_remainder_is_refused_and_changes_nothing(world, shot, message):
    report = _report(world, shot=shot)
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    revision = version.revision
    with pytest.raises(ValidationError, match=message):
        services.dpr_unshot_move(access=world["ad"], report_id=report.pk, to="boneyard")
    version.refresh_from_db()
    assert version.revision == revision and _parts(world, "2") == [("board", 0, 12)]
    assert DailyReportScene.objects.get(report=report, number="2").moved_to == ""


def test_part_shot_through_the_api(world, client):  # noqa: F811
    report = _report(world, shot=3)
    pid = world["production"].pk
    r = client.post(f"/productions/{pid}/production-reports/{report.pk}/unshot", json={"to": "boneyard", "scene_numbers": ["2"]},
                    headers=_auth(world["ad_user"]))
    assert r.status_code == 200
    assert _parts(world, "2") == [("board", 1, 3), ("boneyard", 2, 9)]
    assert [s["moved_to"] for s in r.json()["scenes"] if s["number"] == "2"] == ["rest to boneyard"]
