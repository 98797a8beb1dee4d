from datetime import time

import pytest
from django.core.exceptions import ValidationError

from tests.factories import member
from unitbase.callsheets import services
from unitbase.callsheets.exports import dpr_pdf
from unitbase.callsheets.models import DailyReport
from unitbase.callsheets.selectors import dpr_progress
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production

from .helpers import DAY1, DAY2, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


def test_dpr_prefilled_and_progress(world):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    assert [(s.number, s.eighths_planned) for s in report.scenes.all()] == [("1", 8), ("2", 12)]
    assert [c.character for c in report.cast_times.all()] == ["MAREN", "ELLIS"]
    assert report.crew_times.count() == 3 and report.crew_call == time(6, 30)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="1", status="complete", minutes_shot=55, setups=9)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="2", status="part", eighths_shot=6, minutes_shot=30, setups=5)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="3", status="added", eighths_shot=4, minutes_shot=20, setups=2)
    services.dpr_update(access=ad, report_id=report.pk, setups=16, first_shot=time(7, 40), lunch_start=time(12, 30),
                        lunch_end=time(13, 30), camera_wrap=time(18, 10))
    p = dpr_progress(access=ad, report=report)
    assert (p.eighths_planned_today, p.eighths_shot_today) == (20, 18)  # planned 1 + 1 4/8; shot 1 + 6/8 + 4/8 (added)
    assert (p.eighths_planned_to_date, p.eighths_shot_to_date) == (20, 18)
    assert p.pages_shot_today == "2 2/8" and p.pages_ahead == "−2/8"
    assert (p.scenes_planned_to_date, p.scenes_completed_to_date) == (2, 1)
    assert p.minutes_shot_today == 105 and p.setups_to_date == 16
    assert p.days_ahead == -0.1  # 2/8 behind at 20 eighths a day
    assert p.total_eighths == 30 and p.percent_shot == 60
    assert dpr_pdf({"report": report, "progress": p, "scenes": report.scenes.all(), "cast_times": report.cast_times.all(),
                    "crew_times": report.crew_times.all(), "delays": [], "production": world["production"]}).startswith(b"%PDF")


def test_times_out_of_order_and_across_midnight(world):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    with pytest.raises(ValidationError) as err:
        services.dpr_update(access=ad, report_id=report.pk, first_shot=time(9, 0), lunch_start=time(8, 0), lunch_end=time(9, 0))
    assert "lunch_start" in err.value.error_dict
    assert DailyReport.objects.get(pk=report.pk).first_shot is None
    # A night shoot: call 16:00, wrap 03:30 the next morning is fine.
    services.dpr_update(access=ad, report_id=report.pk, crew_call=time(16, 0), shooting_call=time(17, 0), first_shot=time(17, 30), camera_wrap=time(3, 30))
    assert DailyReport.objects.get(pk=report.pk).camera_wrap == time(3, 30)


def test_approval_by_upm_only_then_frozen(world):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    services.dpr_update(access=ad, report_id=report.pk, camera_wrap=time(18, 0))
    with pytest.raises(ActionDenied):
        services.dpr_approve(access=ad, report_id=report.pk)
    assert DailyReport.objects.get(pk=report.pk).status == "draft"
    upm = access_production(member(world["production"], Role.UPM).user, world["production"].pk)
    services.dpr_approve(access=upm, report_id=report.pk)
    with pytest.raises(ValidationError):
        services.dpr_update(access=ad, report_id=report.pk, notes="late change")
    assert DailyReport.objects.get(pk=report.pk).notes == ""


def test_dpr_without_call_sheet_uses_schedule(world):
    report = services.dpr_start(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY2)
    assert report.day_number == 2 and [s.number for s in report.scenes.all()] == ["3"]
    assert report.cast_times.count() == 0
