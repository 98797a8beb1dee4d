"""Costs dated inside a closed cost-report period are posted to the first open period
(`Transaction.posted_period_ending`): the closed snapshot never moves, the next report shows them in
"this period", and the page or API that entered them says so. Through services, pages and the API."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from unitbase.accounts.services import api_token_create
from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import closings, costreport, spending
from unitbase.budgets.models import CostReportSnapshotLine, Invoice, Transaction
from unitbase.budgets.tests.test_costreport import WEEK, report_data  # noqa: F401  (fixture)
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent

D = Decimal
NEXT = WEEK + dt.timedelta(days=7)  # 23 Mar 2025
IN_CLOSED = dt.date(2025, 3, 14)
NOTICE = "Week ending 16 Mar 2025 is closed; this cost is reported in week ending 23 Mar 2025."


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def closed(report_data):  # noqa: F811
    staff = report_data
    closing = closings.cost_report_close(access=staff.access("accountant"), budget_id=staff.budget.pk,
                                         week_ending=WEEK)
    staff.closing = closing
    staff.snapshot = snapshot(closing)
    return staff


def snapshot(closing):
    return list(CostReportSnapshotLine.objects.filter(closing=closing).order_by("order").values_list(
        "code", "budget", "period", "atd", "committed", "etc"))


def row(report, code):
    return next(r for r in report.accounts if r.code == code)


def test_posting_period_rules(closed):
    production = closed.production
    assert closings.posting_period(production, NEXT) == (None, None)  # open week: by its date
    assert closings.posting_period(production, WEEK + dt.timedelta(days=1)) == (None, None)
    assert closings.posting_period(production, WEEK) == (closed.closing, NEXT)
    assert closings.posting_period(production, dt.date(2024, 1, 1)) == (closed.closing, NEXT)
    assert closings.late_posting_notice(production, IN_CLOSED) == NOTICE
    assert closings.late_posting_notice(production, NEXT) == ""
    assert "when approved" in closings.late_posting_notice(production, IN_CLOSED, pending=True)


def test_late_transaction_goes_to_the_first_open_period(closed):
    acc = closed.access("accountant")
    before_next = row(costreport.cost_report(access=acc, budget=closed.budget, week_ending=NEXT), "2510")
    txn = spending.transaction_post(access=acc, account_code="2510", amount="700", currency="USD", date=IN_CLOSED)
    assert (txn.date, txn.posted_period_ending) == (IN_CLOSED, NEXT)
    on_time = spending.transaction_post(access=acc, account_code="2510", amount="5", currency="USD", date=NEXT)
    assert on_time.posted_period_ending is None
    event = AuditEvent.objects.get(action="transaction.post", object_id=str(txn.pk))
    assert event.changes["posted_period_ending"] == NEXT.isoformat()
    # The closed week: snapshot untouched, and even its live figures leave the late cost out.
    assert snapshot(closed.closing) == closed.snapshot
    live_closed = row(costreport.cost_report(access=acc, budget=closed.budget, week_ending=WEEK, live=True), "2510")
    assert (live_closed.period, live_closed.atd) == (D("2500.00"), D("5500.00"))  # 1,500 + the 1,000 invoice
    # The next report: the late cost is in "this period" and in ATD, so ATD = prior ATD + this period.
    after = row(costreport.cost_report(access=acc, budget=closed.budget, week_ending=NEXT), "2510")
    assert after.period == before_next.period + D("705.00")
    assert after.atd == before_next.atd + D("705.00")
    frozen = row(closings.closing_report(closed.closing), "2510")
    assert after.atd == frozen.atd + after.period


def test_late_po_invoice_and_approved_direct_invoice_post_to_the_open_period(closed):
    acc = closed.access("accountant")
    po_invoice = spending.invoice_record(access=acc, vendor_id=Invoice.objects.get().vendor_id, number="G-2",
                                         date=IN_CLOSED, purchase_order_id=Invoice.objects.get().purchase_order_id,
                                         lines=[{"amount": "100"}])
    assert list(Transaction.objects.filter(reference__startswith="INV G-2").values_list(
        "posted_period_ending", flat=True)) == [NEXT]
    direct = spending.invoice_record(access=acc, vendor_id=po_invoice.vendor_id, number="D-1", date=IN_CLOSED,
                                     lines=[{"account_code": "3301", "amount": "50"}])
    approval_decide(access=closed.access("pm"), request_id=approval_latest_for(obj=direct, kind="invoice").pk,
                    decision="approve")
    direct.refresh_from_db()
    assert direct.status == "approved"
    assert Transaction.objects.get(reference="INV D-1").posted_period_ending == NEXT
    assert snapshot(closed.closing) == closed.snapshot


def test_transactions_page_says_where_the_cost_is_reported(client, closed):
    client.force_login(closed.accountant)
    target = reverse("budgets:transactions", args=[closed.production.pk])
    data = {"date": "2025-03-14", "account_code": "2810", "amount": "40", "currency": "USD", "source": "manual",
            "reference": "JE 9", "description": "Late props"}
    response = client.post(target, data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and NOTICE in html
    assert "reported w/e 23 Mar 2025" in html
    assert Transaction.objects.get(reference="JE 9").posted_period_ending == NEXT
    # Someone who may read but not post is refused and nothing is posted.
    client.force_login(closed.pm)
    count = Transaction.objects.count()
    assert client.post(target, data | {"reference": "JE 10"}).status_code == 403
    assert Transaction.objects.count() == count and snapshot(closed.closing) == closed.snapshot


def test_po_invoice_page_says_so(client, closed):
    client.force_login(closed.accountant)
    po_id = Invoice.objects.get().purchase_order_id
    response = client.post(reverse("budgets:invoice_create", args=[closed.production.pk, po_id]),
                           {"number": "G-3", "date": "2025-03-15", "account_code": "2510", "amount": "10"},
                           follow=True)
    assert response.status_code == 200 and "Week ending 16 Mar 2025 is closed" in response.content.decode()


def api(user):
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_reports_the_period(closed):
    base = f"/api/v1/productions/{closed.production.pk}"
    body = {"date": "2025-03-14", "account_code": "2510", "amount": "12.00", "currency": "USD",
            "reference": "JE 11"}
    created = api(closed.accountant).post(f"{base}/transactions", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    out = created.json()
    assert (out["posted_period_ending"], out["notice"]) == ("2025-03-23", NOTICE)
    on_time = api(closed.accountant).post(f"{base}/transactions", json.dumps(body | {"date": "2025-03-18"}),
                                          content_type="application/json").json()
    assert (on_time["posted_period_ending"], on_time["notice"]) == (None, "")
    denied = api(closed.pm).post(f"{base}/transactions", json.dumps(body | {"reference": "JE 12"}),
                                 content_type="application/json")
    assert denied.status_code == 403 and not Transaction.objects.filter(reference="JE 12").exists()
    invoice = api(closed.accountant).post(f"{base}/invoices", json.dumps({
        "vendor_id": Invoice.objects.get().vendor_id, "number": "D-2", "date": "2025-03-11",
        "lines": [{"account_code": "3301", "amount": "20"}]}), content_type="application/json")
    assert invoice.status_code == 201 and "when approved" in invoice.json()["notice"]
    report = api(closed.accountant).get(f"{base}/budgets/{closed.budget.pk}/cost-report?week=2025-03-16").json()
    assert report["closed"] is True
    assert snapshot(closed.closing) == closed.snapshot
