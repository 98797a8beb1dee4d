"""Petty cash: floats, envelopes, receipts (size cap, content type), approval posting actuals;
check requests through approvals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import spending
from unitbase.budgets.models import CheckRequest, PettyCashEnvelope, PettyCashFloat, Receipt, Transaction
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.productions.permissions import ActionDenied

D = Decimal
DAY = dt.date(2025, 3, 13)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def envelope(staff):
    cash = spending.petty_cash_float_issue(access=staff.access("accountant"), holder_id=staff.crew.pk, amount="500",
                                           issued_on=DAY)
    return spending.petty_cash_envelope_open(access=staff.access("crew"), float_id=cash.pk)


def add(staff, envelope, upload, who="crew", amount="42.50"):
    return spending.receipt_add(access=staff.access(who), envelope_id=envelope.pk, date=DAY, account_code="2810",
                                description="Gaffer tape", amount=amount, file=upload)


def test_envelope_flow_posts_actuals(staff, envelope):
    add(staff, envelope, SimpleUploadedFile("r1.png", PNG, content_type="image/png"))
    add(staff, envelope, SimpleUploadedFile("r2.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
        amount="7.50")
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    with pytest.raises(ActionDenied):
        spending.petty_cash_envelope_decide(access=staff.access("crew"), envelope_id=envelope.pk, approve=True)
    spending.petty_cash_envelope_decide(access=staff.access("accountant"), envelope_id=envelope.pk, approve=True)
    envelope.refresh_from_db()
    assert (envelope.status, envelope.total) == ("approved", D("50.00"))
    assert sorted(Transaction.objects.values_list("base_amount", "source")) == [
        (D("7.50"), "petty_cash"), (D("42.50"), "petty_cash")]
    assert spending.float_spent(envelope.cash_float) == D("50.00")


def test_receipt_over_cap_refused_nothing_saved(staff, envelope, settings):
    settings.UNITBASE_MAX_RECEIPT_BYTES = 64
    with pytest.raises(ValidationError) as exc:
        add(staff, envelope, SimpleUploadedFile("big.png", PNG, content_type="image/png"))
    assert "file" in exc.value.message_dict and "limit is 64 bytes" in exc.value.message_dict["file"][0]
    assert not Receipt.objects.exists()
    assert PettyCashEnvelope.objects.get(pk=envelope.pk).total == 0


def test_receipt_cap_never_above_upload_cap(settings):
    settings.UNITBASE_MAX_RECEIPT_BYTES = 10_000
    settings.UNITBASE_MAX_UPLOAD_BYTES = 1_000
    assert spending.receipt_max_bytes() == 1_000


@pytest.mark.parametrize("name, content, content_type", [
    ("r.txt", b"hello", "text/plain"),
    ("r.png", b"<html>not a png</html>", "image/png"),  # claims PNG, isn't
    ("r.exe", b"MZ\x90\x00", "application/octet-stream"),
])
def test_receipt_bad_type_refused_nothing_saved(staff, envelope, name, content, content_type):
    with pytest.raises(ValidationError) as exc:
        add(staff, envelope, SimpleUploadedFile(name, content, content_type=content_type))
    assert "file" in exc.value.message_dict
    assert not Receipt.objects.exists()


def test_other_crew_cannot_use_someone_elses_envelope(staff, envelope):
    with pytest.raises(PettyCashEnvelope.DoesNotExist):
        add(staff, envelope, SimpleUploadedFile("r.png", PNG, content_type="image/png"), who="coordinator")
    assert not Receipt.objects.exists()


def test_float_issue_needs_accounting(staff):
    with pytest.raises(ActionDenied):
        spending.petty_cash_float_issue(access=staff.access("camera_head"), holder_id=staff.crew.pk, amount="5",
                                        issued_on=DAY)
    assert not PettyCashFloat.objects.exists()


def test_reject_needs_note(staff, envelope):
    add(staff, envelope, SimpleUploadedFile("r.png", PNG, content_type="image/png"))
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    with pytest.raises(ValidationError):
        spending.petty_cash_envelope_decide(access=staff.access("accountant"), envelope_id=envelope.pk, approve=False)
    spending.petty_cash_envelope_decide(access=staff.access("accountant"), envelope_id=envelope.pk, approve=False,
                                        note="Alcohol is not reimbursable")
    assert PettyCashEnvelope.objects.get(pk=envelope.pk).status == "rejected"
    assert not Transaction.objects.exists()


def test_check_request_through_approvals_posts_actual(staff):
    req = spending.check_request_create(access=staff.access("camera_head"), payee="Location owner",
                                        account_code="2810", description="Deposit", amount="800", date=DAY)
    spending.check_request_submit(access=staff.access("camera_head"), check_request_id=req.pk)
    approval = approval_latest_for(obj=req, kind="check_request")
    with pytest.raises(ActionDenied):
        approval_decide(access=staff.access("camera_head"), request_id=approval.pk, decision="approve")
    approval_decide(access=staff.access("pm"), request_id=approval.pk, decision="approve")
    assert CheckRequest.objects.get(pk=req.pk).status == "submitted"
    approval_decide(access=staff.access("accountant"), request_id=approval.pk, decision="approve")
    assert CheckRequest.objects.get(pk=req.pk).status == "approved"
    assert list(Transaction.objects.values_list("account_code", "base_amount", "source")) == [
        ("2810", D("800.00"), "check_request")]
