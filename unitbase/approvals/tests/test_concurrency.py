"""Two approvers racing on the same step: exactly one wins. Needs real row locks, so it runs on
PostgreSQL only (set DATABASE_URL); SQLite serialises writers and is covered by the sequential tests."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from unitbase.approvals.models import ApprovalRequest
from unitbase.approvals.services import approval_decide
from unitbase.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock race needs PostgreSQL"),
]


def test_two_approvers_at_once_exactly_one_wins(crew, submit):
    req = submit("5000")
    approval_decide(access=crew.access(crew.camera_head), request_id=req.pk, decision="approve")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        from django.db import connection as thread_connection

        try:
            access = crew.access(user)
            barrier.wait(timeout=10)
            approval_decide(access=access, request_id=req.pk, decision="approve", version=2)
            outcomes.append("won")
        except (ValidationError, PermissionDenied) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (crew.upm, crew.pm)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ApprovalConflict", "won"]
    req.refresh_from_db()
    assert req.version == 3 and req.current_order == 3
    assert AuditEvent.objects.filter(action="approval.approve").count() == 2
    assert ApprovalRequest.objects.get().steps.filter(decision="approved").count() == 2
