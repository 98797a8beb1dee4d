"""The production report as a hot cost source (unitbase/callsheets/hotcost.py, registered with
unitbase.budgets.hotcost_sources): the day's hours from crew call to wrap, extra days against the applied
schedule, the fill and the hot cost page."""

from datetime import time, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import member
from unitbase.budgets import spending
from unitbase.budgets.hotcost_sources import day_figures
from unitbase.budgets.models import HotCostDay
from unitbase.callsheets import services
from unitbase.callsheets.hotcost import dpr_day_figures, report_day_hours, scheduled_shoot_days
from unitbase.callsheets.models import DailyReport
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.permissions import access_production

from .helpers import DAY1, DAY2, DAY3, build_world

pytestmark = pytest.mark.django_db
THURSDAY = DAY3 + timedelta(days=1)


@pytest.fixture
def world():
    w = build_world()
    w["accountant_user"] = member(w["production"], Role.PRODUCTION_ACCOUNTANT).user
    w["acc"] = access_production(w["accountant_user"], w["production"].pk)
    report = services.dpr_start(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    services.dpr_update(access=w["ad"], report_id=report.pk, camera_wrap=time(18, 0))  # crew call 06:30
    # A report kept for a day the applied schedule no longer has (it was cut to three days after
    # the fourth day's report was started): an extra day.
    w["extra"] = DailyReport.objects.create(production=w["production"], unit=w["unit"], shoot_date=THURSDAY,
                                            day_number=4, total_days=4, crew_call=time(7, 0),
                                            camera_wrap=time(20, 15))
    return w


def test_schedule_days_match_the_stripboard(world):
    assert scheduled_shoot_days(world["version"]) == {1: DAY1, 2: DAY2, 3: DAY3}


def test_report_hours_call_to_wrap_across_midnight_and_missing(world):
    report = world["extra"]
    assert report_day_hours(report) == D("13.25")
    report.crew_call, report.camera_wrap, report.last_out = time(16, 0), None, time(2, 30)
    assert report_day_hours(report) == D("10.50")  # last out after midnight when no camera wrap
    report.crew_call = None
    assert report_day_hours(report) is None


def test_provider_gives_hours_and_extra_days(world):
    figures = {f.date: f for f in dpr_day_figures(world["production"], DAY1, THURSDAY)}
    assert set(figures) == {DAY1, THURSDAY}
    day1, extra = figures[DAY1], figures[THURSDAY]
    assert (day1.hours, day1.extra_day, day1.cost, day1.meal_penalties) == (D("11.50"), False, D("0.00"), 0)
    assert (extra.hours, extra.extra_day) == (D("13.25"), True)
    assert "day 4 is beyond the applied schedule's 3 shoot days" in extra.extra_reason
    world["extra"].day_number = 3
    world["extra"].save()
    extra = {f.date: f for f in dpr_day_figures(world["production"], THURSDAY, THURSDAY)}[THURSDAY]
    assert extra.extra_day and "is not a shoot day of the applied schedule" in extra.extra_reason
    total = day_figures(world["production"], DAY1, THURSDAY)
    assert total[DAY1].sources == ["Production report"] and not total[DAY1].from_pay
    assert (total[DAY1].hours, total[DAY1].report_hours, total[THURSDAY].extra_day) == (D("11.50"), D("11.50"), True)


def test_fill_from_the_report_keeps_cost_and_marks_the_extra_day(world):
    acc = world["acc"]
    spending.hot_cost_day_save(access=acc, date=THURSDAY, planned_hours=D("11"), actual_cost=D("9000"),
                               meal_penalties=2, notes="Pick-ups")
    day = spending.hot_cost_day_fill(access=acc, date=THURSDAY)
    assert (day.actual_hours, day.overtime_hours, day.extra_day) == (D("13.25"), D("2.25"), True)
    assert (day.actual_cost, day.meal_penalties, day.planned_hours, day.notes) == (D("9000.00"), 2, D("11.00"), "Pick-ups")
    event = AuditEvent.objects.filter(action="hot_cost.fill").latest("pk")
    assert event.changes["sources"] == ["Production report"] and event.changes["extra_day"] is True
    day1 = spending.hot_cost_day_fill(access=acc, date=DAY1)  # no planned hours: overtime left at 0
    assert (day1.actual_hours, day1.overtime_hours, day1.extra_day) == (D("11.50"), D("0.00"), False)


def test_fill_refuses_a_report_without_times_and_changes_nothing(world):
    world["extra"].camera_wrap = None
    world["extra"].day_number = 3
    world["extra"].save()
    DailyReport.objects.filter(shoot_date=DAY1).update(crew_call=None)
    with pytest.raises(ValidationError, match="has no crew call or wrap time"):
        spending.hot_cost_day_fill(access=world["acc"], date=DAY1)
    assert not HotCostDay.objects.exists()
    # Without times but an extra day: the mark is still filled in.
    assert spending.hot_cost_day_fill(access=world["acc"], date=THURSDAY).extra_day is True


def test_fill_denied_to_the_first_ad(world):
    from unitbase.productions.permissions import ActionDenied

    with pytest.raises(ActionDenied):
        spending.hot_cost_day_fill(access=world["ad"], date=THURSDAY)
    assert not HotCostDay.objects.exists()


def test_page_marks_and_counts_extra_days(client, world):
    acc = world["acc"]
    spending.hot_cost_day_save(access=acc, date=THURSDAY, planned_cost=D("0"), actual_cost=D("12500"), extra_day=True)
    url = reverse("budgets:hot_cost", args=[world["production"].pk])
    client.force_login(world["accountant_user"])
    page = client.get(url).content.decode()
    assert "1 extra day</strong>" in page and "12,500.00 actual cost" in page
    assert page.count(">Extra day</span>") == 1
    assert "Production report: 11.50 h crew call to wrap." in page
    assert "Fill actuals from the production report" in page
    assert "day 4 is beyond the applied schedule" in page
    fill = reverse("budgets:hot_cost_fill", args=[world["production"].pk])
    assert client.post(fill, {"date": DAY1.isoformat()}).status_code == 302
    assert HotCostDay.objects.get(date=DAY1).actual_hours == D("11.50")
    client.force_login(world["ad_user"])  # the first AD may not see the budget
    assert client.get(url).status_code == 403
    assert client.post(fill, {"date": THURSDAY.isoformat()}).status_code == 403
    assert HotCostDay.objects.count() == 2
