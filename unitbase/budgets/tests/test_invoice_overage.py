"""A direct invoice (no PO) that pushes an account's EFC over budget asks, like a PO, for the
"budget_overage" approval the matrix names, and posts only when both approvals are given. Through the
services, the pages (invoice form, approvals decide) and the API."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from unitbase.accounts.services import api_token_create
from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import spending
from unitbase.budgets.models import Invoice, Transaction
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent
from unitbase.productions.permissions import ActionDenied

D = Decimal
DAY = dt.date(2025, 3, 13)


@pytest.fixture
def staff(db):
    return make_staff()


def direct(staff, amount, code="2810", number="D-1"):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name=f"Vendor {number}")
    return spending.invoice_record(access=acc, vendor_id=vendor.pk, number=number, date=DAY,
                                   lines=[{"account_code": code, "amount": str(amount)}])


def decide(staff, who, invoice, kind, decision="approve", reason=""):
    req = approval_latest_for(obj=invoice, kind=kind)
    approval_decide(access=staff.access(who), request_id=req.pk, decision=decision, reason=reason)


def status(invoice):
    return Invoice.objects.get(pk=invoice.pk).status


def test_within_budget_no_overage(staff):
    invoice = direct(staff, 4000)  # 2810's budget is 5,000
    assert invoice.overage == 0 and approval_latest_for(obj=invoice, kind="budget_overage") is None
    decide(staff, "pm", invoice, "invoice")
    assert status(invoice) == "approved" and Transaction.objects.get().base_amount == D("4000.00")


def test_overage_needs_its_own_approval_before_posting(staff):
    invoice = direct(staff, 7000)  # 2,000 over 2810's 5,000
    assert invoice.overage == D("2000.00")
    overage = approval_latest_for(obj=invoice, kind="budget_overage")
    assert (overage.amount, overage.currency, overage.status) == (D("2000.00"), "USD", "pending")
    assert [s.roles for s in overage.steps.order_by("order")] == [["upm", "production_manager"]]
    assert "Overage USD 2,000.00 from Invoice D-1" in overage.summary
    decide(staff, "pm", invoice, "invoice")
    assert approval_latest_for(obj=invoice, kind="invoice").status == "approved"
    assert status(invoice) == "submitted" and not Transaction.objects.exists()  # waits for the overage
    decide(staff, "upm", invoice, "budget_overage")
    assert status(invoice) == "approved"
    assert Transaction.objects.get().base_amount == D("7000.00")
    event = AuditEvent.objects.get(action="invoice.approve", object_id=str(invoice.pk))
    assert event.changes["overage"] == "2000.00"


def test_large_overage_needs_the_producer(staff):
    invoice = direct(staff, 55000, code="3301")  # 3301's budget is 40,000: 15,000 over
    overage = approval_latest_for(obj=invoice, kind="budget_overage")
    assert overage.amount == D("15000.00")
    assert [s.roles for s in overage.steps.order_by("order")] == [["upm", "production_manager"], ["producer"]]


def test_overage_counts_existing_spend(staff):
    spending.transaction_post(access=staff.access("accountant"), account_code="2810", amount="4000",
                              currency="USD", date=DAY, source="manual")
    assert direct(staff, 1500).overage == D("500.00")


def test_unauthorised_overage_decision_changes_nothing(staff):
    invoice = direct(staff, 7000)
    decide(staff, "pm", invoice, "invoice")
    overage = approval_latest_for(obj=invoice, kind="budget_overage")
    steps, version = list(overage.steps.values_list("decision", "approver_id")), overage.version
    for who in ("camera_head", "crew", "coordinator", "accountant"):  # accountant: the recorder
        with pytest.raises(ActionDenied):
            decide(staff, who, invoice, "budget_overage")
    overage.refresh_from_db()
    assert (overage.status, overage.version) == ("pending", version)
    assert list(overage.steps.values_list("decision", "approver_id")) == steps == [("pending", None)]
    assert status(invoice) == "submitted" and not Transaction.objects.exists()
    assert not AuditEvent.objects.filter(action="invoice.approve").exists()


def test_overage_rejected_then_resubmitted(staff):
    invoice = direct(staff, 7000)
    decide(staff, "upm", invoice, "budget_overage", decision="reject", reason="Find savings first")
    assert status(invoice) == "rejected" and not Transaction.objects.exists()
    first = approval_latest_for(obj=invoice, kind="invoice")  # the rejection ended it too
    assert first.status == "cancelled" and AuditEvent.objects.filter(action="approval.cancel").count() == 1
    spending.invoice_resubmit(access=staff.access("accountant"), invoice_id=invoice.pk)
    assert status(invoice) == "submitted"
    again = approval_latest_for(obj=invoice, kind="invoice")
    assert again.status == "pending" and again.previous_id == first.pk  # a fresh request
    assert approval_latest_for(obj=invoice, kind="budget_overage").status == "pending"
    decide(staff, "pm", invoice, "invoice")
    decide(staff, "upm", invoice, "budget_overage")
    assert status(invoice) == "approved" and Transaction.objects.count() == 1


def _form(vendor, amount):
    return {"vendor": vendor.pk, "number": "W-1", "date": "2025-03-10", "currency": "", "department": "",
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "100", "lines-0-account_code": "2810", "lines-0-description": "Props",
            "lines-0-amount": str(amount)}


def test_pages_show_the_overage_and_deny_outsiders(client, staff):
    vendor = spending.vendor_create(access=staff.access("accountant"), name="Props Ltd")
    client.force_login(staff.accountant)
    response = client.post(reverse("budgets:invoice_new", args=[staff.production.pk]), _form(vendor, 7000),
                           follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "it also needs overage approval" in html and "2,000.00 USD" in html
    invoice = Invoice.objects.get()
    overage = approval_latest_for(obj=invoice, kind="budget_overage")
    target = reverse("approvals:decide", args=[staff.production.pk, overage.pk])
    client.force_login(staff.camera_head)
    denied = client.post(target, {"decision": "approve", "reason": "", "version": overage.version})
    assert denied.status_code in (403, 404, 422)
    overage.refresh_from_db()
    assert overage.status == "pending" and status(invoice) == "submitted" and not Transaction.objects.exists()
    decide(staff, "pm", invoice, "invoice")
    client.force_login(staff.upm)
    assert client.post(target, {"decision": "approve", "reason": "", "version": overage.version}).status_code == 302
    assert status(invoice) == "approved" and Transaction.objects.get().base_amount == D("7000.00")


@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_answers_the_overage(staff):
    vendor = spending.vendor_create(access=staff.access("accountant"), name="Props Ltd")
    _, raw = api_token_create(user=staff.accountant, name="tests")
    api = Client(headers={"authorization": f"Bearer {raw}"})
    base = f"/api/v1/productions/{staff.production.pk}"
    created = api.post(f"{base}/invoices", json.dumps({"vendor_id": vendor.pk, "number": "A-1", "date": "2025-03-10",
                                                       "lines": [{"account_code": "2810", "amount": "6000"}]}),
                       content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["overage"], created.json()["status"]) == ("1000.00", "submitted")
    detail = api.get(f"{base}/invoices/{created.json()['id']}").json()
    assert sorted(a["kind"] for a in detail["approvals"]) == ["budget_overage", "invoice"]
