"""Check requests end to end: the page (list, create, submit, 422 on bad input, 403 when denied), the
API (list, create, submit, 409/422/403), approval through the chain posting the cost; and payments
through the API."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from unitbase.accounts.services import api_token_create
from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import spending
from unitbase.budgets.models import CheckRequest, Payment, Transaction
from unitbase.budgets.tests.test_spending import make_staff


@pytest.fixture
def staff(db):
    return make_staff()


def form(**kw):
    data = {"payee": "City permits office", "account_code": "2810", "description": "Street permit deposit",
            "amount": "1200", "currency": "", "date": "2025-03-10", "department": ""}
    data.update(kw)
    return data


def test_page_creates_submits_and_approval_posts(client, staff):
    url = reverse("budgets:check_requests", args=[staff.production.pk])
    client.force_login(staff.camera_head)
    page = client.get(url)
    assert page.status_code == 200 and "No check requests yet" in page.content.decode()
    made = client.post(url, form())
    assert made.status_code == 302
    req = CheckRequest.objects.get()
    assert (req.status, req.amount, req.currency, req.requested_by) == ("draft", D("1200.00"), "USD",
                                                                        staff.camera_head)
    assert req.department.name == "Camera"  # a department head's request is for their department
    body = client.get(url).content.decode()
    assert "Street permit deposit" in body and "USD 1,200.00" in body and "Submit for approval" in body
    submitted = client.post(reverse("budgets:check_request_submit", args=[staff.production.pk, req.pk]))
    assert submitted.status_code == 302
    req.refresh_from_db()
    assert req.status == "submitted"
    again = client.post(reverse("budgets:check_request_submit", args=[staff.production.pk, req.pk]), follow=True)
    assert "already pending approval" in again.content.decode()
    approval = approval_latest_for(obj=req, kind="check_request")
    # The department head asked, so their own step is skipped: UPM or PM, then the accountant.
    for who in ("pm", "accountant"):
        approval_decide(access=staff.access(who), request_id=approval.pk, decision="approve")
    approval.refresh_from_db()
    req.refresh_from_db()
    assert approval.status == "approved" and req.status == "approved"
    txn = Transaction.objects.get(source="check_request")
    assert (txn.account_code, txn.base_amount) == ("2810", D("1200.00"))
    # The inbox links back to the page.
    assert f"#cr-{req.pk}" in spending.check_url(req)


def test_bad_input_is_422_and_saves_nothing(client, staff):
    url = reverse("budgets:check_requests", args=[staff.production.pk])
    client.force_login(staff.accountant)
    for bad, message in ((form(account_code="9999"), "9999"), (form(amount="-5"), "greater than or equal to 0.01"),
                         (form(amount="lots"), "Enter a number"), (form(currency="JPY"), "JPY"),
                         (form(payee=""), "This field is required")):
        response = client.post(url, bad)
        assert response.status_code == 422, bad
        assert message in response.content.decode(), (bad, message)
    assert not CheckRequest.objects.exists()


def test_who_may_not_raise_or_submit(client, staff):
    url = reverse("budgets:check_requests", args=[staff.production.pk])
    req = spending.check_request_create(access=staff.access("accountant"), payee="Vendor", account_code="2810",
                                        description="Deposit", amount="100", date=dt.date(2025, 3, 10))
    for who in (staff.crew, staff.coordinator):
        client.force_login(who)
        assert client.post(url, form()).status_code == 403
        assert client.post(reverse("budgets:check_request_submit", args=[staff.production.pk, req.pk])
                           ).status_code in (403, 404)
    client.force_login(staff.sound_head)  # may raise their own, but not see or submit the accountant's
    assert client.post(reverse("budgets:check_request_submit", args=[staff.production.pk, req.pk])).status_code == 404
    assert "Deposit" not in client.get(url).content.decode()
    assert CheckRequest.objects.get().status == "draft" and CheckRequest.objects.count() == 1


def api(staff, who):
    _, raw = api_token_create(user=getattr(staff, who), name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_check_request_api(staff):
    base = f"/api/v1/productions/{staff.production.pk}/check-requests"
    client = api(staff, "camera_head")
    made = client.post(base, {"payee": "Rigging Co", "account_code": "2510", "description": "Deposit",
                              "amount": "500.00", "date": "2025-03-11"}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert (body["status"], body["amount"], body["currency"], body["approval_id"]) == ("draft", "500.00", "USD", None)
    for bad in ({"account_code": "9999"}, {"amount": "-1"}, {"amount": "abc"}, {"currency": "JPY"}):
        payload = {"payee": "X", "account_code": "2510", "description": "D", "amount": "5", "date": "2025-03-11",
                   **bad}
        response = client.post(base, payload, content_type="application/json")
        assert response.status_code == 422, bad
    assert CheckRequest.objects.count() == 1
    assert api(staff, "crew").post(base, {"payee": "X", "account_code": "2510", "description": "D", "amount": "5",
                                          "date": "2025-03-11"}, content_type="application/json").status_code == 403
    submitted = client.post(f"{base}/{body['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["approval_id"] is not None
    assert client.post(f"{base}/{body['id']}/submit").status_code == 409
    listed = api(staff, "accountant").get(base).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert api(staff, "sound_head").get(base).json() == []


def test_payments_api(staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Props Ltd")
    invoice = spending.invoice_record(access=acc, vendor_id=vendor.pk, number="P-1", date=dt.date(2025, 3, 12),
                                      lines=[{"account_code": "2810", "amount": "1000"}])
    base = f"/api/v1/productions/{staff.production.pk}/invoices/{invoice.pk}/payments"
    client = api(staff, "accountant")
    assert client.post(base, {"date": "2025-03-13", "amount": "100"}, content_type="application/json"
                       ).status_code == 422  # still pending approval: nothing to pay
    approval_decide(access=staff.access("pm"), request_id=approval_latest_for(obj=invoice, kind="invoice").pk,
                    decision="approve")
    paid = client.post(base, {"date": "2025-03-13", "amount": "400", "method": "wire", "reference": "TX-9"},
                       content_type="application/json")
    assert paid.status_code == 201
    assert (paid.json()["amount"], paid.json()["invoice_balance"], paid.json()["method"]) == ("400.00", "600.00",
                                                                                             "wire")
    for bad in ({"amount": "601"}, {"amount": "-4"}, {"amount": "x"}, {"method": "barter", "amount": "1"}):
        response = client.post(base, {"date": "2025-03-13", **bad}, content_type="application/json")
        assert response.status_code == 422, bad
    assert api(staff, "pm").post(base, {"date": "2025-03-13", "amount": "1"},
                                 content_type="application/json").status_code == 403
    assert Payment.objects.count() == 1
    assert [p["amount"] for p in client.get(base).json()] == ["400.00"]
