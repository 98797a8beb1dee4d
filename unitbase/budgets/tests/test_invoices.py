"""Invoices matched to POs (relieving commitments, over-invoicing flagged) and payments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import spending
from unitbase.budgets.costreport import commitments_by_account
from unitbase.budgets.models import Invoice, Payment, Transaction
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.productions.permissions import ActionDenied

D = Decimal
DAY = dt.date(2025, 3, 13)


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def po(staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Grip Co")
    po = spending.purchase_order_create(access=acc, vendor_id=vendor.pk, description="Grip package", lines=[
        {"account_code": "2510", "amount": "3000"}, {"account_code": "2810", "amount": "1000"}])
    spending.purchase_order_submit(access=acc, po_id=po.pk)
    approval_decide(access=staff.access("pm"), request_id=approval_latest_for(obj=po, kind="purchase_order").pk,
                    decision="approve")
    po.refresh_from_db()
    return po


def record(staff, po, lines, number="G-1", **kwargs):
    return spending.invoice_record(access=staff.access("accountant"), vendor_id=po.vendor_id, number=number,
                                   date=DAY, purchase_order_id=po.pk, lines=lines, **kwargs)


def test_invoice_relieves_po_and_posts_actuals(staff, po):
    invoice = record(staff, po, [{"account_code": "2510", "amount": "1200"}])
    assert (invoice.total, invoice.over_po) == (D("1200.00"), D("0.00"))
    assert commitments_by_account(staff.production) == {"2510": D("1800.00"), "2810": D("1000.00")}
    txn = Transaction.objects.get()
    assert (txn.account_code, txn.base_amount, txn.source, txn.reference) == ("2510", D("1200.00"), "invoice",
                                                                              "INV G-1 / PO 1")


def test_over_invoicing_is_flagged_and_commitment_floors_at_zero(staff, po):
    record(staff, po, [{"account_code": "2510", "amount": "3500"}])
    second = record(staff, po, [{"account_code": "2810", "amount": "900"}], number="G-2")
    assert Invoice.objects.get(number="G-1").over_po == D("0.00")  # 3,500 of a 4,000 PO
    assert second.over_po == D("400.00")  # 4,400 invoiced against 4,000
    assert commitments_by_account(staff.production) == {"2510": D("0.00"), "2810": D("100.00")}


@pytest.mark.parametrize("change, key", [
    ({"currency": "GBP"}, "currency"),
    ({"lines": [{"account_code": "9999", "amount": "5"}]}, "lines.0.account_code"),
    ({"lines": [{"account_code": "2510", "amount": "-5"}]}, "lines.0.amount"),
])
def test_bad_invoices_refused(staff, po, change, key):
    data = {"lines": [{"account_code": "2510", "amount": "5"}]} | change
    with pytest.raises(ValidationError) as exc:
        record(staff, po, **data)
    assert key in exc.value.message_dict
    assert not Invoice.objects.exists() and not Transaction.objects.exists()


def test_invoice_against_unapproved_po_or_other_vendor_refused(staff, po):
    acc = staff.access("accountant")
    other = spending.vendor_create(access=acc, name="Lights Ltd")
    with pytest.raises(ValidationError) as exc:
        spending.invoice_record(access=acc, vendor_id=other.pk, number="L-1", date=DAY, purchase_order_id=po.pk,
                                lines=[{"amount": "5"}])
    assert "vendor" in exc.value.message_dict
    draft = spending.purchase_order_create(access=acc, vendor_id=other.pk, description="x",
                                           lines=[{"account_code": "2510", "amount": "5"}])
    with pytest.raises(ValidationError) as exc:
        spending.invoice_record(access=acc, vendor_id=other.pk, number="L-1", date=DAY, purchase_order_id=draft.pk,
                                lines=[{"amount": "5"}])
    assert "purchase_order" in exc.value.message_dict
    assert not Invoice.objects.exists()


def test_invoice_needs_accounting(staff, po):
    with pytest.raises(ActionDenied):
        record_as = spending.invoice_record
        record_as(access=staff.access("camera_head"), vendor_id=po.vendor_id, number="G-1", date=DAY,
                  purchase_order_id=po.pk, lines=[{"amount": "5"}])
    assert not Invoice.objects.exists()


def test_payments(staff, po):
    invoice = record(staff, po, [{"account_code": "2510", "amount": "1000"}])
    acc = staff.access("accountant")
    spending.payment_record(access=acc, invoice_id=invoice.pk, date=DAY, amount="400", reference="CHK 101")
    with pytest.raises(ValidationError) as exc:
        spending.payment_record(access=acc, invoice_id=invoice.pk, date=DAY, amount="600.01")
    assert "amount" in exc.value.message_dict
    invoice.refresh_from_db()
    assert (invoice.paid, invoice.balance) == (D("400.00"), D("600.00"))
    assert Payment.objects.count() == 1
    assert Transaction.objects.count() == 1  # paying does not post actuals twice


# --- invoices without a PO ---------------------------------------------------------------------------


def direct(staff, lines, number="D-1", who="accountant", **kwargs):
    vendor = spending.vendor_create(access=staff.access("accountant"), name=f"Vendor {number}")
    return spending.invoice_record(access=staff.access(who), vendor_id=vendor.pk, number=number, date=DAY,
                                   lines=lines, **kwargs)


def test_direct_invoice_waits_for_approval_then_posts(staff):
    invoice = direct(staff, [{"account_code": "2510", "amount": "700", "description": "Sandbags"},
                             {"account_code": "2810", "amount": "300"}])
    assert (invoice.status, invoice.total, invoice.purchase_order) == ("submitted", D("1000.00"), None)
    assert not Transaction.objects.exists()
    approval = approval_latest_for(obj=invoice, kind="invoice")
    assert (approval.amount, approval.currency, approval.status) == (D("1000.00"), "USD", "pending")
    # the accountant who recorded it never approves it; payments wait for approval
    with pytest.raises(ActionDenied):
        approval_decide(access=staff.access("accountant"), request_id=approval.pk, decision="approve")
    with pytest.raises(ValidationError):
        spending.payment_record(access=staff.access("accountant"), invoice_id=invoice.pk, date=DAY, amount="10")
    assert Invoice.objects.get().status == "submitted" and not Payment.objects.exists()
    approval_decide(access=staff.access("pm"), request_id=approval.pk, decision="approve")
    invoice.refresh_from_db()
    assert invoice.status == "approved"
    assert sorted(Transaction.objects.values_list("account_code", "base_amount", "source", "reference")) == [
        ("2510", D("700.00"), "invoice", "INV D-1"), ("2810", D("300.00"), "invoice", "INV D-1")]
    spending.payment_record(access=staff.access("accountant"), invoice_id=invoice.pk, date=DAY, amount="1000")
    assert Invoice.objects.get().balance == 0


def test_direct_invoice_rejected_then_resubmitted(staff):
    invoice = direct(staff, [{"account_code": "2510", "amount": "50"}])
    first = approval_latest_for(obj=invoice, kind="invoice")
    approval_decide(access=staff.access("upm"), request_id=first.pk, decision="reject", reason="Wrong vendor")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.note) == ("rejected", "Wrong vendor") and not Transaction.objects.exists()
    with pytest.raises(ActionDenied):  # a department head may not resubmit (accounting only)
        spending.invoice_resubmit(access=staff.access("camera_head"), invoice_id=invoice.pk)
    assert Invoice.objects.get().status == "rejected"
    spending.invoice_resubmit(access=staff.access("accountant"), invoice_id=invoice.pk)
    second = approval_latest_for(obj=invoice, kind="invoice")
    assert second.previous_id == first.pk and Invoice.objects.get().status == "submitted"
    with pytest.raises(spending.PurchaseOrderLocked):
        spending.invoice_resubmit(access=staff.access("accountant"), invoice_id=invoice.pk)


def test_direct_invoice_above_a_limit_needs_a_higher_approver(staff):
    invoice = direct(staff, [{"account_code": "3301", "amount": "30000"}])
    approval = approval_latest_for(obj=invoice, kind="invoice")
    # the PM's limit (10,000) does not cover 30,000, nor the line producer's (25,000)
    with pytest.raises(ActionDenied):
        approval_decide(access=staff.access("pm"), request_id=approval.pk, decision="approve")
    approval_decide(access=staff.access("upm"), request_id=approval.pk, decision="approve")
    approval.refresh_from_db()
    while approval.status == "pending":  # the remaining steps (line producer above 10,000 in the defaults)
        step = approval.steps.get(order=approval.current_order)
        who = {"line_producer": "line_producer", "producer": "producer"}[step.roles[0]]
        approval_decide(access=staff.access(who), request_id=approval.pk, decision="approve")
        approval.refresh_from_db()
    assert Invoice.objects.get(pk=invoice.pk).status == "approved"
    assert Transaction.objects.get().base_amount == D("30000.00")


@pytest.mark.parametrize("change, key", [
    ({"lines": [{"account_code": "", "amount": "5"}]}, "lines.0.account_code"),
    ({"lines": [{"account_code": "9999", "amount": "5"}]}, "lines.0.account_code"),
    ({"lines": [{"account_code": "2510", "amount": "-5"}]}, "lines.0.amount"),
    ({"lines": [{"account_code": "2510", "amount": "5"}], "currency": "EUR"}, "currency"),
    ({"lines": [{"account_code": "2510", "amount": "5"}], "department_id": 999999}, "department"),
])
def test_bad_direct_invoices_refused_and_save_nothing(staff, change, key):
    with pytest.raises(ValidationError) as exc:
        direct(staff, **change)
    assert key in exc.value.message_dict
    assert not Invoice.objects.exists() and not Transaction.objects.exists()


def test_duplicate_invoice_number_is_named(staff):
    invoice = direct(staff, [{"account_code": "2510", "amount": "5"}])
    with pytest.raises(ValidationError) as exc:
        spending.invoice_record(access=staff.access("accountant"), vendor_id=invoice.vendor_id, number="D-1",
                                date=DAY, lines=[{"account_code": "2510", "amount": "5"}])
    assert "already has an invoice D-1" in exc.value.message_dict["number"][0]
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize("who", ["camera_head", "crew", "pm"])
def test_direct_invoice_needs_accounting(staff, who):
    with pytest.raises(ActionDenied):
        direct(staff, [{"account_code": "2510", "amount": "5"}], who=who)
    assert not Invoice.objects.exists()
