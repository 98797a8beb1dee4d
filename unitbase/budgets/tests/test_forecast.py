"""Forecast of accounts trending over budget (burn rate against schedule progress, else EFC), and
the production dashboard's cost panel: flagged accounts with amounts, the two SVG charts, who sees it."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse

from unitbase.budgets import forecast, spending
from unitbase.budgets.costreport import AccountRow
from unitbase.budgets.tests.test_spending import make_staff


def report_of(*rows):
    return SimpleNamespace(accounts=list(rows))


def row(code, budget, atd, committed="0", etc=None):
    budget, atd, committed = D(budget), D(atd), D(committed)
    etc = D(etc) if etc is not None else max(budget - atd - committed, D(0))
    return AccountRow(code=code, name=f"Account {code}", budget=budget, atd=atd, committed=committed, etc=etc)


def test_burn_rate_projection_by_hand():
    # 10 of 40 shoot days done (25%).
    progress = forecast.Progress(days_done=10, days_total=40)
    rows = forecast.forecast(report_of(
        row("2001", "10000", "3000"),  # burns 3,000 in 25%: 12,000 projected, 2,000 over
        row("2101", "10000", "2000"),  # 8,000 projected: within budget (EFC 10,000)
        row("2201", "5000", "1000", etc="6000"),  # EFC 7,000 > projection 4,000: flagged 2,000 from EFC
        row("2301", "1000", "333.33"),  # 333.33 / 0.25 = 1,333.32: 333.32 over
        row("2401", "0", "0"),  # nothing spent, no budget: never flagged
    ), progress)
    assert [(r.code, r.forecast, r.over, r.basis) for r in rows] == [
        ("2001", D("12000.00"), D("2000.00"), "burn rate"),
        ("2201", D("7000"), D("2000"), "EFC"),
        ("2301", D("1333.32"), D("333.32"), "burn rate"),
    ]
    assert rows[0].projected == D("12000.00") and rows[1].projected == D("4000.00")


@pytest.mark.parametrize("progress", [None, forecast.Progress(0, 40), forecast.Progress(40, 40),
                                      forecast.Progress(0, 0)])
def test_without_a_shoot_under_way_only_the_efc_counts(progress):
    rows = forecast.forecast(report_of(row("2001", "10000", "3000"), row("2201", "5000", "1000", etc="6000")),
                             progress)
    assert [(r.code, r.over, r.projected) for r in rows] == [("2201", D("2000"), None)]


@pytest.mark.django_db
def test_dashboard_cost_panel_flags_overruns_with_amounts_and_draws_the_charts(client):
    staff = make_staff()  # 2810 props: budget 5,000
    acc = staff.access("accountant")
    spending.transaction_post(access=acc, account_code="2810", amount="6500", currency="USD",
                              date=dt.date(2027, 3, 10), source="manual")
    spending.transaction_post(access=acc, account_code="2510", amount="1200", currency="USD",
                              date=dt.date(2027, 3, 3), source="manual")
    url = reverse("productions:dashboard", args=[staff.production.pk])
    client.force_login(staff.producer)
    html = client.get(url).content.decode()
    assert 'id="cost-panel"' in html
    assert "1 account trending over budget" in html and "USD 1,500.00" in html and "2810" in html
    assert 'aria-labelledby="chart-efc-title"' in html and 'aria-labelledby="chart-spend-title"' in html
    assert "week ending 14 Mar 2027" in html
    # Department heads and crew do not read the budget: no cost panel, and the dashboard still loads.
    for who in (staff.camera_head, staff.crew):
        client.force_login(who)
        page = client.get(url)
        assert page.status_code == 200 and 'id="cost-panel"' not in page.content.decode()


@pytest.mark.django_db
def test_no_budget_no_panel(client):
    from tests.factories import make_production

    production = make_production(title="Empty")
    client.force_login(production.memberships.get().user)
    page = client.get(reverse("productions:dashboard", args=[production.pk]))
    assert page.status_code == 200 and 'id="cost-panel"' not in page.content.decode()
