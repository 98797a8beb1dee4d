"""The cost report on a hand-made budget with transactions, commitments and an ETC (exact Decimals)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import costreport, spending
from unitbase.budgets.models import PurchaseOrder
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.productions.permissions import ActionDenied

D = Decimal
WEEK = dt.date(2025, 3, 16)
APPROVED_AT = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def report_data(staff):
    """2510 (budget 10,000): 3,000 last week, 1,500 this week, 2,000 after the period; an approved
    6,000 PO with a 1,000 invoice this week. 2810 (5,000): 100 GBP (= 125.00) this week, ETC 5,500.
    3301 (40,000): nothing."""
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Grip Co")
    po = spending.purchase_order_create(access=acc, vendor_id=vendor.pk, description="Grip package",
                                        lines=[{"account_code": "2510", "amount": "6000"}])
    spending.purchase_order_submit(access=acc, po_id=po.pk)
    approval_decide(access=staff.access("pm"), request_id=approval_latest_for(obj=po, kind="purchase_order").pk,
                    decision="approve")
    # Commitments are as of the report's week: date the approval inside the reported period.
    PurchaseOrder.objects.filter(pk=po.pk).update(approved_at=APPROVED_AT)
    post = lambda code, amount, day, currency="USD": spending.transaction_post(  # noqa: E731
        access=acc, account_code=code, amount=amount, currency=currency, date=day, source="manual")
    post("2510", "3000", dt.date(2025, 3, 5))
    post("2510", "1500", dt.date(2025, 3, 12))
    post("2510", "2000", dt.date(2025, 3, 20))
    post("2810", "100", dt.date(2025, 3, 14), "GBP")
    spending.invoice_record(access=acc, vendor_id=vendor.pk, number="G-1", date=dt.date(2025, 3, 13),
                            purchase_order_id=po.pk, lines=[{"amount": "1000"}])
    spending.cost_estimate_set(access=acc, budget_id=staff.budget.pk, account_code="2810", etc="5500")
    return staff


def figures(row):
    return (row.budget, row.period, row.atd, row.committed, row.total_cost, row.etc, row.efc, row.variance)


def test_cost_report_figures(report_data):
    staff = report_data
    report = costreport.cost_report(access=staff.access("producer"), budget=staff.budget, week_ending=WEEK)
    rows = {r.code: r for r in report.accounts}
    assert report.period_start == dt.date(2025, 3, 10)
    assert figures(rows["2510"]) == (D("10000.00"), D("2500.00"), D("5500.00"), D("5000.00"), D("10500.00"),
                                     D("0.00"), D("10500.00"), D("-500.00"))
    assert rows["2510"].etc_is_default
    assert figures(rows["2810"]) == (D("5000.00"), D("125.00"), D("125.00"), D("0.00"), D("125.00"),
                                     D("5500.00"), D("5625.00"), D("-625.00"))
    assert not rows["2810"].etc_is_default
    assert figures(rows["3301"]) == (D("40000.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00"),
                                     D("40000.00"), D("40000.00"), D("0.00"))
    production = next(lv for lv in report.levels if lv.level == "production")
    assert figures(production) == (D("55000.00"), D("2625.00"), D("5625.00"), D("5000.00"), D("10625.00"),
                                   D("45500.00"), D("56125.00"), D("-1125.00"))
    grip = next(c for c in production.categories if c.code == "2500")
    assert grip.budget == D("10000.00") and grip.efc == D("10500.00")
    assert figures(report.total) == (D("55000.00"), D("2625.00"), D("5625.00"), D("5000.00"), D("10625.00"),
                                     D("45500.00"), D("56125.00"), D("-1125.00"))
    assert [(r.code, r.variance) for r in report.overruns] == [("2810", D("-625.00")), ("2510", D("-500.00"))]


def test_later_week_includes_later_spend(report_data):
    staff = report_data
    report = costreport.cost_report(access=staff.access("upm"), budget=staff.budget, week_ending=dt.date(2025, 3, 23))
    row = next(r for r in report.accounts if r.code == "2510")
    assert (row.period, row.atd, row.efc) == (D("2000.00"), D("7500.00"), D("12500.00"))


def test_reset_estimate_returns_to_default(report_data):
    staff = report_data
    spending.cost_estimate_set(access=staff.access("accountant"), budget_id=staff.budget.pk, account_code="2810",
                               etc="")
    report = costreport.compute(staff.budget, WEEK)
    row = next(r for r in report.accounts if r.code == "2810")
    assert (row.etc, row.efc, row.variance, row.etc_is_default) == (D("4875.00"), D("5000.00"), D("0.00"), True)


def test_negative_estimate_refused(report_data):
    staff = report_data
    with pytest.raises(ValidationError):
        spending.cost_estimate_set(access=staff.access("accountant"), budget_id=staff.budget.pk,
                                   account_code="2810", etc="-1")
    with pytest.raises(ActionDenied):
        spending.cost_estimate_set(access=staff.access("pm"), budget_id=staff.budget.pk, account_code="2810", etc="1")
    assert costreport.estimates_by_account(staff.budget) == {"2810": D("5500.00")}


def test_fringes_post_to_the_fringe_account(staff):
    from unitbase.budgets import services
    from unitbase.budgets.models import BudgetAccount, DetailLine

    upm = staff.access("upm")
    revised = services.budget_revise(access=upm, budget_id=staff.budget.pk)
    fringe = services.fringe_create(access=upm, budget_id=revised.pk, code="PEN", name="Pension", kind="percent",
                                  rate=D("10"))
    line = DetailLine.objects.get(budget=revised, account=BudgetAccount.objects.get(budget=revised, code="3301"))
    line.fringes.add(fringe)
    budgets = costreport.budget_by_account(revised)
    assert budgets["3301"] == D("40000.00") and budgets["4999"] == D("4000.00")


def test_cost_report_needs_budget_access(staff):
    with pytest.raises(ActionDenied):
        costreport.cost_report(access=staff.access("camera_head"), budget=staff.budget, week_ending=WEEK)
