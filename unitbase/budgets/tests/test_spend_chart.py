"""The spend-over-time chart: cumulative actuals per week against the plan (the budget spread evenly
over the crew list's dates), hand-computed."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from tests.factories import CrewMemberFactory
from unitbase.budgets import costreport, svgcharts
from unitbase.budgets.tests import test_costreport
from unitbase.budgets.tests.test_costreport import WEEK

staff = test_costreport.staff
report_data = test_costreport.report_data


def test_planned_to_date():
    window = (dt.date(2025, 3, 1), dt.date(2025, 3, 10))  # ten days
    assert svgcharts.planned_to_date(D("1000"), window, dt.date(2025, 2, 28)) == 0
    assert svgcharts.planned_to_date(D("1000"), window, dt.date(2025, 3, 1)) == D("100")
    assert svgcharts.planned_to_date(D("1000"), window, dt.date(2025, 3, 4)) == D("400")
    assert svgcharts.planned_to_date(D("1000"), window, dt.date(2025, 3, 10)) == D("1000")
    assert svgcharts.planned_to_date(D("1000"), window, dt.date(2025, 6, 1)) == D("1000")


@pytest.mark.django_db
def test_the_chart_draws_the_plan_from_the_crew_dates(report_data):
    staff = report_data
    report = costreport.cost_report(access=staff.access("producer"), budget=staff.budget, week_ending=WEEK)
    # No crew dates: actuals against the budget level only, no plan curve.
    assert "plan-curve" not in svgcharts.spend_over_time_svg(report)
    CrewMemberFactory(production=staff.production, start_date=dt.date(2025, 3, 3),
                      end_date=dt.date(2025, 3, 30))
    CrewMemberFactory(production=staff.production, start_date=dt.date(2025, 3, 10), end_date=None)
    assert svgcharts.plan_window(staff.production) == (dt.date(2025, 3, 3), dt.date(2025, 3, 30))
    svg = str(svgcharts.spend_over_time_svg(report))
    plan = re.search(r'<polyline points="([^"]+)" class="plan-curve"/>', svg).group(1).split()
    # Weeks ending 9 Mar (first spend) and 16 Mar (the report's week): 7 and 14 of the plan's 28 days.
    assert len(plan) == 2
    budget = report.total.budget
    expected = [budget * 7 / 28, budget * 14 / 28]
    assert f"Plan to date {expected[1]:,.0f} (03 Mar to 30 Mar 2025)" in svg
    ys = [int(point.split(",")[1]) for point in plan]
    assert ys[0] > ys[1]  # rising: higher figures are drawn higher up
