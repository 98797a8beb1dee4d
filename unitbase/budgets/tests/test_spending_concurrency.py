"""Two approvers deciding the last step of an invoice without a PO at the same moment: exactly one
wins and the invoice posts its lines once. Real row locks, so PostgreSQL only (set DATABASE_URL):
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/ub_test pytest unitbase/budgets/tests/test_spending_concurrency.py`."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.budgets import spending
from unitbase.budgets.models import Invoice, Transaction
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock race needs PostgreSQL"),
]


def test_two_approvers_race_on_a_direct_invoice_it_posts_once():
    staff = make_staff()
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Caterer")
    invoice = spending.invoice_record(access=acc, vendor_id=vendor.pk, number="C-1", date=dt.date(2025, 3, 10),
                                      lines=[{"account_code": "2510", "amount": "400"},
                                             {"account_code": "2810", "amount": "100"}])
    request = approval_latest_for(obj=invoice, kind="invoice")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(who):
        from django.db import connection as thread_connection

        try:
            access = staff.access(who)
            barrier.wait(timeout=10)
            approval_decide(access=access, request_id=request.pk, decision="approve", version=request.version)
            outcomes.append("won")
        except (ValidationError, PermissionDenied) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in ("upm", "pm")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["ApprovalConflict", "won"]
    assert Invoice.objects.get().status == "approved"
    assert sorted(Transaction.objects.values_list("account_code", "base_amount")) == [
        ("2510", Decimal("400.00")), ("2810", Decimal("100.00"))]
    assert AuditEvent.objects.filter(action="invoice.approve").count() == 1
