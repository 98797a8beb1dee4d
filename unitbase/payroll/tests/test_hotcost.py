"""The hot cost filled from timecards: payroll's provider (unitbase/payroll/hotcost.py, registered with
unitbase.budgets.hotcost_sources), budgets' hot_cost_day_fill and the hot cost page."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from unitbase.budgets import spending
from unitbase.budgets.hotcost_sources import day_figures
from unitbase.budgets.models import HotCostDay
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent
from unitbase.payroll.hotcost import timecard_day_figures
from unitbase.payroll.models import Timecard, TimecardDay, TimecardStatus
from unitbase.payroll.tests.test_commitments import hire

DAY = dt.date(2025, 3, 4)


@pytest.fixture
def staff(db):
    staff = make_staff()
    ada = hire(staff, "Ada", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "5000", "week")
    bo = hire(staff, "Bo", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "50", "hour")
    gbp = hire(staff, "Cy", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "400", "day")
    draft = hire(staff, "Di", dt.date(2025, 3, 3), dt.date(2025, 3, 28), "400", "day")
    for deal, status, currency, hours, tiers, meals, gross in (
        (ada, TimecardStatus.APPROVED, "USD", "12", {"straight": "10", "ot_1_5": "2"}, 1, "1150.00"),
        (bo, TimecardStatus.SUBMITTED, "USD", "11.5", {"straight": "8", "ot_1_5": "3", "ot_2": "0.5"}, 0, "675.00"),
        (gbp, TimecardStatus.APPROVED, "GBP", "10", {"straight": "10"}, 2, "400.00"),
        (draft, TimecardStatus.DRAFT, "USD", "14", {"straight": "8", "ot_2": "6"}, 3, "999.00"),
    ):
        card = Timecard.objects.create(production=staff.production, deal=deal, week_ending=dt.date(2025, 3, 9),
                                       status=status, currency=currency)
        TimecardDay.objects.create(timecard=card, date=DAY, call=dt.time(7), wrap=dt.time(19),
                                   worked_hours=D(hours), hours_by_tier=tiers,
                                   meal_penalty_units=meals, gross=D(gross))
    return staff


def test_provider_adds_up_submitted_and_approved_days(staff):
    figures = sorted(timecard_day_figures(staff.production, DAY, DAY), key=lambda f: f.currency)
    assert [(f.currency, f.hours, f.overtime_hours, f.meal_penalties, f.cost, f.people) for f in figures] == [
        ("GBP", D("10"), D("0"), 2, D("400.00"), 1),
        ("USD", D("12"), D("5.5"), 1, D("1825.00"), 2),  # the longest day; the draft card is left out
    ]
    total = day_figures(staff.production, DAY, DAY)[DAY]  # GBP at 1.25 in the reporting budget
    assert (total.hours, total.overtime_hours, total.meal_penalties, total.cost, total.people) == (
        D("12"), D("5.5"), 3, D("2325.00"), 3)
    assert day_figures(staff.production, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1)) == {}


def test_fill_keeps_the_plan_and_is_audited(staff):
    acc = staff.access("accountant")
    spending.hot_cost_day_save(access=acc, date=DAY, planned_hours=D("11"), planned_cost=D("2000"), notes="Boat day")
    day = spending.hot_cost_day_fill(access=acc, date=DAY)
    assert (day.planned_hours, day.planned_cost, day.notes) == (D("11"), D("2000"), "Boat day")
    assert (day.actual_hours, day.overtime_hours, day.meal_penalties, day.actual_cost) == (
        D("12.00"), D("5.50"), 3, D("2325.00"))
    assert day.over_under == D("-325.00")
    event = AuditEvent.objects.get(action="hot_cost.fill")
    assert event.changes["people"] == 3 and event.changes["sources"] == ["Timecards"]
    with pytest.raises(ValidationError, match="No submitted or approved timecard"):
        spending.hot_cost_day_fill(access=acc, date=dt.date(2025, 3, 20))
    assert not HotCostDay.objects.filter(date=dt.date(2025, 3, 20)).exists()


def test_hot_cost_page_offers_and_fills_from_timecards(client, staff):
    url = reverse("budgets:hot_cost", args=[staff.production.pk])
    client.force_login(staff.accountant)
    page = client.get(url).content.decode()
    assert "3 cards: longest day 12.00 h, 5.50 h crew overtime, 3 meal penalties, USD 2,325.00" in page
    assert "Fill actuals from timecards" in page and "Not entered yet." in page
    fill = reverse("budgets:hot_cost_fill", args=[staff.production.pk])
    assert client.post(fill, {"date": "2025-03-04"}).status_code == 302
    assert HotCostDay.objects.get(date=DAY).actual_cost == D("2325.00")
    for bad in ("2025-03-20", "yesterday", ""):
        response = client.post(fill, {"date": bad})
        assert response.status_code == 422, bad
    assert HotCostDay.objects.count() == 1
    # Readers see the figures but may not fill; crew may not see the page.
    client.force_login(staff.pm)
    assert "Fill actuals from timecards" not in client.get(url).content.decode()
    assert client.post(fill, {"date": "2025-03-04"}).status_code == 403
    client.force_login(staff.crew)
    assert client.get(url).status_code == 403


def test_timecards_win_over_the_production_report(staff):
    """With timecards and a DPR on the same day, overtime, meal penalties and cost come from the
    timecards and the day's length from the DPR's call to wrap (no applied schedule: no extra-day mark)."""
    from unitbase.callsheets.models import DailyReport
    from unitbase.productions.models import Unit

    unit = Unit.objects.get(production=staff.production, kind=Unit.Kind.MAIN)
    DailyReport.objects.create(production=staff.production, unit=unit, shoot_date=DAY, day_number=2, total_days=20,
                               crew_call=dt.time(7), camera_wrap=dt.time(19, 30))
    total = day_figures(staff.production, DAY, DAY)[DAY]
    assert sorted(total.sources) == ["Production report", "Timecards"] and total.from_pay and not total.extra_day
    assert (total.hours, total.report_hours, total.cost) == (D("12"), D("12.50"), D("2325.00"))
    day = spending.hot_cost_day_fill(access=staff.access("accountant"), date=DAY)
    assert (day.actual_hours, day.overtime_hours, day.meal_penalties, day.actual_cost, day.extra_day) == (
        D("12.50"), D("5.50"), 3, D("2325.00"), False)  # the report's call to wrap is the day's length
