from datetime import time

import pytest
from django.core.exceptions import ValidationError

from unitbase.callsheets import services
from unitbase.callsheets.models import CallSheet
from unitbase.callsheets.selectors import sheet_data

from .helpers import DAY1, DAY2, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_build_day_one(world):
    sheet = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    assert (sheet.day_number, sheet.total_days, sheet.day_label) == (1, 3, "Day 1 of 3")
    assert sheet.general_call == time(6, 30)
    assert sheet.estimated_wrap == time(18, 0)
    data = sheet_data(sheet)
    assert [(s["number"], s["ie"], s["dn"], s["set"], s["pages"], s["cast"]) for s in data["scenes"]] == [
        ("1", "EXT", "D", "HARBOUR", "1", "1"), ("2", "INT", "N", "COTTAGE", "1 4/8", "1, 2")]
    assert data["total_pages"] == "2 4/8"
    assert [(c["number"], c["character"], c["status"]) for c in data["cast"]] == [(1, "MAREN", "SW"), (2, "ELLIS", "SW")]
    assert data["special_requirements"] == ["Vehicles: POLICE CAR (sc 1)", "SFX: RAIN (sc 2)"]
    assert [b["description"] for b in data["background"]] == ["DOCK WORKERS"]
    assert [d["day"] for d in data["advance"]] == [2, 3]
    assert data["advance"][0]["scenes"][0]["number"] == "3"


def test_day_two_codes_hold_and_finish(world):
    sheet = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY2)
    codes = {c["character"]: c["status"] for c in sheet_data(sheet)["cast"]}
    assert codes == {"MAREN": "H", "ELLIS": "WF"}
    assert sheet.general_call == time(7, 0)  # the calendar's default call


def test_not_a_shoot_day(world):
    from datetime import timedelta

    with pytest.raises(ValidationError) as err:
        services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1 + timedelta(days=5))
    assert "not a shoot day" in str(err.value)
    assert not CallSheet.objects.exists()
