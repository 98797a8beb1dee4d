"""Warnings before the day: planned call times checked against each cast member's rest period
(the pack on their deal), on the stripboard and the call sheet, through unitbase.scheduling.rest_hooks
(payroll registers its checker in apps.ready(); scheduling and call sheets cannot import payroll)."""

from datetime import time
from decimal import Decimal

import pytest
from django.urls import reverse

from unitbase.callsheets import selectors as cs_selectors
from unitbase.callsheets import services as cs_services
from unitbase.callsheets.tests.helpers import DAY1, DAY2, build_world
from unitbase.payroll.models import PayrollDeal, PayrollPack
from unitbase.payroll.selectors import cast_rest_checker
from unitbase.payroll.services import shipped_pack_text
from unitbase.scheduling import rest_hooks
from unitbase.scheduling import selectors as sched_selectors
from unitbase.scheduling.models import Strip

pytestmark = pytest.mark.django_db
SAG = "sag-aftra-day-performer"


@pytest.fixture
def world():
    world = build_world()
    # Day 1 (MAREN, ELLIS) wraps at 23:00; day 2 (ELLIS) is called at the calendar's 07:00: 8 h rest.
    Strip.objects.filter(pk=world["break1"].pk).update(wrap_time=time(23, 0))
    # ELLIS has a deal on the production's copy of the SAG-AFTRA day performer pack (12 h rest, the
    # newest shipped version, in force from 1 July 2026); MAREN has no deal.
    text = shipped_pack_text(SAG).replace(f"id: {SAG}", "id: sag-our-show")
    PayrollPack.objects.create(production=world["production"], pack_id="sag-our-show", version="2026-07-01",
                               agreement="SAG-AFTRA copy", copied_from=SAG, yaml_text=text)
    PayrollDeal.objects.create(production=world["production"], cast_member=world["cast"]["ELLIS"],
                               pack_id="sag-our-show", rate=Decimal("1200.00"), rate_unit="day")
    return world


def test_payroll_registers_its_checker():
    assert cast_rest_checker in rest_hooks._checkers
    assert rest_hooks.has_rest_checkers()


def test_no_checker_or_one_day_gives_nothing(monkeypatch):
    monkeypatch.setattr(rest_hooks, "_checkers", [])
    assert rest_hooks.rest_warnings(None, 1, [(None, None), (None, None)]) == []
    monkeypatch.setattr(rest_hooks, "_checkers", [lambda access, schedules: {i: [f"checked {i}"] for i in schedules}])
    assert rest_hooks.rest_warnings(None, 7, [(1, 2)]) == []
    assert rest_hooks.rest_warnings(None, 7, [(3, 4), (1, 2)]) == ["checked 7"]


def test_stripboard_warns_for_cast_with_a_deal_only(world):
    board = sched_selectors.board_get(access=world["ad"], version=world["version"])
    rest = [w for w in board.days[0].warnings if w.startswith("Rest")]
    assert len(rest) == 1
    assert rest[0].startswith(f"Rest #2 ELLIS: turnaround 8.00 h between dismissal {DAY1:%a %d %b} 23:00 and call {DAY2:%a %d %b} 07:00; 12 h required")
    assert "sag-our-show" in rest[0]
    assert not any("MAREN" in w for d in board.days for w in d.warnings if w.startswith("Rest"))
    assert board.warning_count >= 1


def test_stripboard_page_shows_the_rest_warning(world, client):
    client.force_login(world["ad_user"])
    page = client.get(reverse("scheduling:board", args=[world["production"].pk, world["version"].pk]))
    assert page.status_code == 200
    assert "Rest #2 ELLIS: turnaround 8.00 h" in page.content.decode()


def test_stripboard_without_any_deal_has_no_rest_warning(world):
    PayrollDeal.objects.all().delete()
    board = sched_selectors.board_get(access=world["ad"], version=world["version"])
    assert not [w for d in board.days for w in d.warnings if w.startswith("Rest")]


def test_call_sheet_warns_against_the_previous_days_wrap(world, client):
    ad = world["ad"]
    cs_services.callsheet_build_from_schedule(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    sheet = cs_services.callsheet_build_from_schedule(access=ad, unit_id=world["unit"].pk, shoot_date=DAY2)
    warnings = cs_selectors.cast_rest_warnings(access=ad, call_sheet=sheet)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"#2 ELLIS: turnaround 8.00 h between dismissal {DAY1:%a %d %b} 23:00 and call {DAY2:%a %d %b} 07:00")
    assert cs_selectors.office_data(access=ad, call_sheet=sheet)["rest_warnings"] == warnings
    client.force_login(world["ad_user"])
    page = client.get(reverse("callsheets:detail", args=[world["production"].pk, sheet.pk]))
    assert page.status_code == 200
    assert "Rest: #2 ELLIS: turnaround 8.00 h" in page.content.decode()
    PayrollDeal.objects.all().delete()
    assert cs_selectors.cast_rest_warnings(access=ad, call_sheet=sheet) == []


def test_call_sheet_without_a_previous_day_has_no_rest_warning(world):
    sheet = cs_services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY2)
    assert cs_selectors.cast_rest_warnings(access=world["ad"], call_sheet=sheet) == []


def test_the_shipped_pack_checks_with_the_version_in_force(world):
    PayrollDeal.objects.filter(cast_member=world["cast"]["ELLIS"]).update(pack_id=SAG)
    board = sched_selectors.board_get(access=world["ad"], version=world["version"])
    rest = [w for d in board.days for w in d.warnings if w.startswith("Rest")]
    assert len(rest) == 1 and f"{SAG}@2026-07-01:rest:daily" in rest[0]  # DAY2 is after the 2023 version ended


def test_a_pack_out_of_force_is_said_not_silently_skipped(world):
    # A copy whose only version ended before the shoot.
    PayrollPack.objects.filter(pack_id="sag-our-show").update(
        yaml_text=PayrollPack.objects.get(pack_id="sag-our-show").yaml_text.replace(
            "effective: { from: 2026-07-01 }", "effective: { from: 2026-07-01, to: 2026-07-31 }"))
    board = sched_selectors.board_get(access=world["ad"], version=world["version"])
    rest = [w for d in board.days for w in d.warnings if w.startswith("Rest")]
    assert len(rest) == 1
    assert f"no version of rule pack sag-our-show is in force on {DAY2:%a %d %b %Y}: rest not checked" in rest[0]
