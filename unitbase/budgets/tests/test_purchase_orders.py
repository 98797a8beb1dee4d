"""Purchase orders through unitbase.approvals: chains by amount, separation of duties, double
approval refused, amounts locked, overage approval, rejection and close."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from unitbase.approvals.models import ApprovalRequest
from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import ApprovalConflict, approval_decide
from unitbase.budgets import spending
from unitbase.budgets.costreport import commitments_by_account
from unitbase.budgets.models import PurchaseOrder, PurchaseOrderLine, Vendor
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent
from unitbase.productions.permissions import ActionDenied

D = Decimal


@pytest.fixture
def staff(db):
    return make_staff()


def make_po(staff, who, amount, code="2810", **kwargs):
    access = staff.access(who)
    vendor = Vendor.objects.filter(production=staff.production).first() or spending.vendor_create(
        access=access, name="Keslow Camera")
    return spending.purchase_order_create(access=access, vendor_id=vendor.pk, description="Rental",
                                          lines=[{"account_code": code, "amount": str(amount)}], **kwargs)


def decide(staff, who, po, kind="purchase_order", decision="approve", **kwargs):
    req = approval_latest_for(obj=po, kind=kind)
    return approval_decide(access=staff.access(who), request_id=req.pk, decision=decision, **kwargs)


def status(po):
    return PurchaseOrder.objects.get(pk=po.pk).status


def test_numbering_and_department_default(staff):
    first = make_po(staff, "camera_head", 100)
    second = make_po(staff, "accountant", 100)
    assert (first.number, second.number) == (1, 2)
    assert first.department.name == "Camera" and second.department is None
    assert first.total == D("100.00") and first.status == "draft"


def test_small_po_chain_and_separation_of_duties(staff):
    po = spending.purchase_order_submit(access=staff.access("camera_head"), po_id=make_po(staff, "camera_head", 500).pk)
    assert po.status == "submitted" and po.overage == 0
    req = approval_latest_for(obj=po, kind="purchase_order")
    steps = [(s.roles, s.decision) for s in req.steps.order_by("order")]
    assert steps[0] == (["department_head"], "skipped")  # only the requester heads Camera
    assert [s[0] for s in steps[1:]] == [["upm", "production_manager"], ["production_accountant"]]
    with pytest.raises(ActionDenied):
        decide(staff, "camera_head", po)  # the requester never approves their own
    with pytest.raises(ActionDenied):
        decide(staff, "sound_head", po)  # not their department, not their step
    decide(staff, "pm", po)
    assert status(po) == "submitted"
    decide(staff, "accountant", po)
    assert status(po) == "approved"
    assert commitments_by_account(staff.production) == {"2810": D("500.00")}
    assert AuditEvent.objects.filter(action="purchase_order.approve", object_id=str(po.pk)).count() == 1


def test_amount_above_pm_limit_needs_upm_and_line_producer(staff):
    po = make_po(staff, "accountant", 20000, code="3301")
    spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    with pytest.raises(ActionDenied):
        decide(staff, "pm", po)  # PM's limit is 10,000
    decide(staff, "upm", po)
    with pytest.raises(ActionDenied):
        decide(staff, "accountant", po)  # requester: their own step was skipped
    decide(staff, "line_producer", po)
    assert status(po) == "approved"
    assert approval_latest_for(obj=po, kind="budget_overage") is None


def test_concurrent_double_approve_refused(staff):
    po = make_po(staff, "accountant", 800, code="2810")
    spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    req = approval_latest_for(obj=po, kind="purchase_order")
    seen = req.version
    approval_decide(access=staff.access("pm"), request_id=req.pk, decision="approve", version=seen)
    with pytest.raises(ApprovalConflict):
        approval_decide(access=staff.access("upm"), request_id=req.pk, decision="approve", version=seen)
    req.refresh_from_db()
    assert req.status == "approved"
    assert [s.approver_id for s in req.steps.exclude(decision="skipped")] == [staff.pm.pk]


def test_amounts_locked_while_under_approval(staff):
    po = make_po(staff, "camera_head", 500)
    spending.purchase_order_submit(access=staff.access("camera_head"), po_id=po.pk)
    with pytest.raises(spending.PurchaseOrderLocked):
        spending.purchase_order_update_lines(access=staff.access("camera_head"), po_id=po.pk,
                                             lines=[{"account_code": "2810", "amount": "5"}])
    assert list(PurchaseOrderLine.objects.filter(purchase_order=po).values_list("amount", flat=True)) == [D("500.00")]
    with pytest.raises(spending.PurchaseOrderLocked):
        spending.purchase_order_submit(access=staff.access("camera_head"), po_id=po.pk)


def test_overage_asks_for_overage_approval(staff):
    # 2810 has a budget of 5,000 and nothing spent: a 7,000 PO is a 2,000 overage
    po = make_po(staff, "accountant", 7000)
    po = spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    assert po.overage == D("2000.00")
    overage = approval_latest_for(obj=po, kind="budget_overage")
    assert (overage.amount, overage.currency) == (D("2000.00"), "USD")
    assert [s.roles for s in overage.steps.order_by("order")] == [["upm", "production_manager"]]
    decide(staff, "pm", po)  # the accountant's own step is skipped: PO chain done
    assert approval_latest_for(obj=po, kind="purchase_order").status == "approved"
    assert status(po) == "submitted"  # still waiting for the overage
    decide(staff, "upm", po, kind="budget_overage")
    assert status(po) == "approved"


def test_large_overage_needs_producer(staff):
    po = make_po(staff, "accountant", 55000, code="3301")  # budget 40,000 -> 15,000 over
    po = spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    overage = approval_latest_for(obj=po, kind="budget_overage")
    assert overage.amount == D("15000.00")
    assert [s.roles for s in overage.steps.order_by("order")] == [["upm", "production_manager"], ["producer"]]


def test_overage_counts_existing_spend(staff):
    spending.transaction_post(access=staff.access("accountant"), account_code="2810", amount="4000",
                              currency="USD", date=staff.budget.created_at.date(), source="manual")
    po = spending.purchase_order_submit(access=staff.access("camera_head"),
                                        po_id=make_po(staff, "camera_head", 1500).pk)
    assert po.overage == D("500.00")


def test_rejection_then_resubmission(staff):
    po = make_po(staff, "camera_head", 500)
    spending.purchase_order_submit(access=staff.access("camera_head"), po_id=po.pk)
    with pytest.raises(ValidationError):
        decide(staff, "pm", po, decision="reject")  # a reason is required
    decide(staff, "pm", po, decision="reject", reason="Get a second quote")
    assert status(po) == "rejected"
    spending.purchase_order_update_lines(access=staff.access("camera_head"), po_id=po.pk,
                                         lines=[{"account_code": "2810", "amount": "450"}])
    spending.purchase_order_submit(access=staff.access("camera_head"), po_id=po.pk)
    latest = approval_latest_for(obj=po, kind="purchase_order")
    assert latest.previous.status == ApprovalRequest.Status.REJECTED and latest.amount == D("450.00")


def test_close_releases_commitment(staff):
    po = make_po(staff, "accountant", 800)
    spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    decide(staff, "pm", po)
    assert commitments_by_account(staff.production) == {"2810": D("800.00")}
    with pytest.raises(ActionDenied):
        spending.purchase_order_close(access=staff.access("camera_head"), po_id=po.pk)
    spending.purchase_order_close(access=staff.access("accountant"), po_id=po.pk)
    assert status(po) == "closed" and commitments_by_account(staff.production) == {}


@pytest.mark.parametrize("who", ["crew", "coordinator"])
def test_who_may_not_raise_pos(staff, who):
    vendor = spending.vendor_create(access=staff.access("upm"), name="Panavision")
    with pytest.raises(ActionDenied):
        spending.purchase_order_create(access=staff.access(who), vendor_id=vendor.pk, description="x",
                                       lines=[{"account_code": "2810", "amount": "5"}])
    assert not PurchaseOrder.objects.exists()


def test_department_head_only_for_own_department(staff):
    sound = staff.access("sound_head").membership.department
    with pytest.raises(ActionDenied):
        make_po(staff, "camera_head", 100, department_id=sound.pk)
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("lines, key", [
    ([], "lines"),
    ([{"account_code": "9999", "amount": "5"}], "lines.0.account_code"),
    ([{"account_code": "2810", "amount": "-5"}], "lines.0.amount"),
    ([{"account_code": "2810", "amount": "five"}], "lines.0.amount"),
])
def test_bad_po_lines_refused(staff, lines, key):
    vendor = spending.vendor_create(access=staff.access("upm"), name="Panavision")
    with pytest.raises(ValidationError) as exc:
        spending.purchase_order_create(access=staff.access("upm"), vendor_id=vendor.pk, description="x", lines=lines)
    assert key in exc.value.message_dict
    assert not PurchaseOrder.objects.exists()


def test_rejecting_the_overage_ends_the_po_request_too_and_resubmission_starts_fresh(client, staff):
    po = spending.purchase_order_submit(access=staff.access("camera_head"),
                                        po_id=make_po(staff, "camera_head", 7000).pk)
    main = approval_latest_for(obj=po, kind="purchase_order")
    overage = approval_latest_for(obj=po, kind="budget_overage")
    decide(staff, "pm", po, kind="purchase_order")  # one step of the PO's own chain is done
    main.refresh_from_db()
    assert main.status == "pending" and main.current_step.roles == ["production_accountant"]
    client.force_login(staff.upm)
    page = client.post(reverse("approvals:decide", args=[staff.production.pk, overage.pk]),
                       {"decision": "reject", "reason": "Find savings first", "version": overage.version})
    assert page.status_code == 302
    main.refresh_from_db()
    assert status(po) == "rejected" and main.status == ApprovalRequest.Status.CANCELLED
    assert main.cancelled_by_id == overage.pk and main.current_order is None
    assert AuditEvent.objects.filter(action="approval.cancel", object_id=str(main.pk)).count() == 1
    # The accountant's inbox no longer offers the PO's remaining step; the PO page shows both ends.
    client.force_login(staff.accountant)
    assert f"#{main.pk}:" not in client.get(reverse("approvals:inbox", args=[staff.production.pk])).content.decode()
    body = client.get(reverse("budgets:po", args=[staff.production.pk, po.pk])).content.decode()
    assert "Rejected" in body and "Cancelled" in body and "approved separately" not in body
    with pytest.raises(ApprovalConflict):
        approval_decide(access=staff.access("accountant"), request_id=main.pk, decision="approve")
    # Resubmission asks afresh for both, linked to the old ones.
    spending.purchase_order_update_lines(access=staff.access("camera_head"), po_id=po.pk,
                                         lines=[{"account_code": "2810", "amount": "6000"}])
    spending.purchase_order_submit(access=staff.access("camera_head"), po_id=po.pk)
    again, again_overage = (approval_latest_for(obj=po, kind=k) for k in ("purchase_order", "budget_overage"))
    assert (again.status, again.previous_id) == ("pending", main.pk)
    assert not again.steps.filter(decision__in=["approved", "rejected"]).exists()  # nothing carried over
    assert again.current_step.roles == ["upm", "production_manager"]
    assert (again_overage.status, again_overage.previous_id, again_overage.amount) == ("pending", overage.pk,
                                                                                       D("1000.00"))


def test_rejecting_the_po_cancels_its_pending_overage(staff):
    po = spending.purchase_order_submit(access=staff.access("accountant"), po_id=make_po(staff, "accountant", 7000).pk)
    decide(staff, "pm", po, decision="reject", reason="Wrong vendor")
    overage = approval_latest_for(obj=po, kind="budget_overage")
    assert status(po) == "rejected" and overage.status == ApprovalRequest.Status.CANCELLED
    assert "Purchase order" in overage.closed_reason and "Wrong vendor" in overage.closed_reason


def test_overage_summary_and_approval_pages_write_money_formatted(client, staff):
    # 2810: budget 5,000; a GBP 4,000 PO at 1.25 = USD 5,000 fits, GBP 7,840.50 (USD 9,800.625) does not
    po = make_po(staff, "accountant", "7840.50", currency="GBP")
    po = spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    overage = approval_latest_for(obj=po, kind="budget_overage")
    assert po.overage == D("4800.63") and overage.amount == D("4800.63")
    assert overage.summary == f"Overage USD 4,800.63 from {po}"
    client.force_login(staff.upm)
    inbox = client.get(reverse("approvals:inbox", args=[staff.production.pk])).content.decode()
    assert "USD 4,800.63" in inbox and "GBP 7,840.50" in inbox and "4800.6" not in inbox
    detail = client.get(reverse("approvals:request", args=[staff.production.pk, overage.pk])).content.decode()
    assert "USD 4,800.63" in detail and "4800.63 USD" not in detail
    mine = client.get(reverse("approvals:requests", args=[staff.production.pk])).content.decode()
    assert "GBP 7,840.50" in mine


def test_the_purchase_order_list_names_the_overage_currency(staff):
    from django.test import Client
    from django.urls import reverse

    po = make_po(staff, "accountant", 7000)
    spending.purchase_order_submit(access=staff.access("accountant"), po_id=po.pk)
    client = Client()
    client.force_login(staff.access("upm").user)
    html = client.get(reverse("budgets:spending", args=[staff.production.pk])).content.decode()
    assert "overage USD 2,000.00" in html
