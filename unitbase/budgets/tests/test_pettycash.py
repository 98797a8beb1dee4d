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
from unitbase.budgets.models import (
    CheckRequest,
    PettyCashCount,
    PettyCashEnvelope,
    PettyCashFloat,
    Receipt,
    Transaction,
)
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent
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


def test_envelope_goes_through_the_approval_chain_and_posts_actuals(staff, envelope):
    add(staff, envelope, SimpleUploadedFile("r1.png", PNG, content_type="image/png"))
    add(staff, envelope, SimpleUploadedFile("r2.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
        amount="7.50")
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    approval = approval_latest_for(obj=envelope, kind="petty_cash_envelope")
    assert (approval.amount, approval.currency) == (D("50.00"), "USD")
    # the chain: line producer or UPM, then the production accountant
    assert [sorted(step.roles) for step in approval.steps.order_by("order")] == [
        ["line_producer", "upm"], ["production_accountant"]]
    # receipts are locked while the envelope is pending
    with pytest.raises(ValidationError):
        add(staff, envelope, SimpleUploadedFile("r3.png", PNG, content_type="image/png"))
    # the holder (crew) cannot decide; the accountant cannot jump the UPM's step
    with pytest.raises(ActionDenied):
        approval_decide(access=staff.access("crew"), request_id=approval.pk, decision="approve")
    with pytest.raises(ActionDenied):
        approval_decide(access=staff.access("accountant"), request_id=approval.pk, decision="approve")
    assert PettyCashEnvelope.objects.get(pk=envelope.pk).status == "submitted" and not Transaction.objects.exists()
    approval_decide(access=staff.access("upm"), request_id=approval.pk, decision="approve")
    assert PettyCashEnvelope.objects.get(pk=envelope.pk).status == "submitted" and not Transaction.objects.exists()
    approval_decide(access=staff.access("accountant"), request_id=approval.pk, decision="approve")
    envelope.refresh_from_db()
    assert (envelope.status, envelope.total, envelope.decided_by) == ("approved", D("50.00"), staff.accountant)
    assert sorted(Transaction.objects.values_list("base_amount", "source")) == [
        (D("7.50"), "petty_cash"), (D("42.50"), "petty_cash")]
    assert spending.float_spent(envelope.cash_float) == D("50.00")
    # approved = reimbursed: the holder should again hold the whole float
    assert spending.float_expected_cash(envelope.cash_float) == D("500.00")
    assert AuditEvent.objects.filter(action="petty_cash_envelope.approve", object_id=str(envelope.pk)).exists()


def test_only_the_holder_submits(staff, envelope):
    add(staff, envelope, SimpleUploadedFile("r1.png", PNG, content_type="image/png"))
    with pytest.raises(ActionDenied):
        spending.petty_cash_envelope_submit(access=staff.access("accountant"), envelope_id=envelope.pk)
    assert PettyCashEnvelope.objects.get(pk=envelope.pk).status == "open"


def test_rejected_envelope_is_fixed_and_resubmitted(staff, envelope):
    add(staff, envelope, SimpleUploadedFile("r.png", PNG, content_type="image/png"))
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    first = approval_latest_for(obj=envelope, kind="petty_cash_envelope")
    with pytest.raises(ValidationError):
        approval_decide(access=staff.access("line_producer"), request_id=first.pk, decision="reject")
    approval_decide(access=staff.access("line_producer"), request_id=first.pk, decision="reject",
                    reason="Alcohol is not reimbursable")
    envelope.refresh_from_db()
    assert (envelope.status, envelope.note) == ("rejected", "Alcohol is not reimbursable")
    assert not Transaction.objects.exists()
    # rejected receipts are still money out of the float
    assert spending.float_expected_cash(envelope.cash_float) == D("457.50")
    add(staff, envelope, SimpleUploadedFile("r2.png", PNG, content_type="image/png"), amount="1.00")
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    second = approval_latest_for(obj=envelope, kind="petty_cash_envelope")
    assert second.previous_id == first.pk and second.amount == D("43.50")


def test_float_count_and_close(staff, envelope):
    acc = staff.access("accountant")
    cash = envelope.cash_float
    add(staff, envelope, SimpleUploadedFile("r.png", PNG, content_type="image/png"), amount="40.00")
    count = spending.petty_cash_float_count(access=acc, float_id=cash.pk, counted="455.00", date=DAY)
    assert (count.expected, count.counted, count.difference) == (D("460.00"), D("455.00"), D("-5.00"))
    # closing is refused while an envelope with receipts is open, and changes nothing
    with pytest.raises(ValidationError) as exc:
        spending.petty_cash_float_count(access=acc, float_id=cash.pk, counted="460", date=DAY, close=True)
    assert "Envelope 1 (open)" in exc.value.message_dict["close"][0]
    assert PettyCashFloat.objects.get(pk=cash.pk).status == "open" and cash.counts.count() == 1
    spending.petty_cash_envelope_submit(access=staff.access("crew"), envelope_id=envelope.pk)
    approval = approval_latest_for(obj=envelope, kind="petty_cash_envelope")
    approval_decide(access=staff.access("upm"), request_id=approval.pk, decision="approve")
    approval_decide(access=acc, request_id=approval.pk, decision="approve")
    closing = spending.petty_cash_float_count(access=acc, float_id=cash.pk, counted="500", date=DAY, close=True)
    assert closing.difference == D("0.00") and PettyCashFloat.objects.get(pk=cash.pk).status == "closed"
    with pytest.raises(ValidationError):
        spending.petty_cash_envelope_open(access=staff.access("crew"), float_id=cash.pk)


@pytest.mark.parametrize("who", ["crew", "camera_head", "pm"])
def test_float_count_needs_accounting_and_changes_nothing(staff, envelope, who):
    with pytest.raises((ActionDenied, PettyCashFloat.DoesNotExist)):
        spending.petty_cash_float_count(access=staff.access(who), float_id=envelope.cash_float_id, counted="1",
                                        date=DAY, close=True)
    assert not PettyCashCount.objects.exists()
    assert PettyCashFloat.objects.get().status == "open"


@pytest.mark.parametrize("counted, field", [("-1", "counted"), ("abc", "counted"), ("1.005", "counted")])
def test_float_count_bad_input(staff, envelope, counted, field):
    with pytest.raises(ValidationError) as exc:
        spending.petty_cash_float_count(access=staff.access("accountant"), float_id=envelope.cash_float_id,
                                        counted=counted, date=DAY)
    assert field in exc.value.message_dict and not PettyCashCount.objects.exists()


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
