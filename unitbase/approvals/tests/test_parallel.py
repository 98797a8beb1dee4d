"""A rejection ends the object's approval: other requests pending for the same object (a parallel
kind) are cancelled, audited, shown as such, and a resubmission starts fresh."""

import pytest
from django.test import Client
from django.urls import reverse

from unitbase.accounts.services import api_token_create
from unitbase.approvals import registry
from unitbase.approvals.models import ApprovalRequest
from unitbase.approvals.services import ApprovalConflict, approval_decide, approval_request_submit
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Action
from unitbase.productions.permissions import ActionDenied

from .conftest import KEY

EXTRA = "test_doc_extra"


@pytest.fixture
def extra_kind():
    recorded = {"approved": [], "rejected": [], "withdrawn": []}
    registry.register(registry.ApprovalKind(
        key=EXTRA, label="Extra check", action=Action.APPROVE_PURCHASE, defaults=registry.OVERAGE_DEFAULTS,
        describe=lambda person: f"Extra on {person.name}",
        on_approved=lambda obj, req, actor: recorded["approved"].append(req.pk),
        on_rejected=lambda obj, req, actor, reason: recorded["rejected"].append(req.pk),
        on_withdrawn=lambda obj, req, actor: recorded["withdrawn"].append(req.pk),
    ))
    yield recorded
    registry.unregister(EXTRA)


def both(crew, submit):
    main = submit("500")
    extra = approval_request_submit(access=crew.access(crew.camera_crew), kind=EXTRA, obj=main.target,
                                    amount=main.amount, currency="USD", department=crew.camera)
    return main, extra


def test_rejecting_one_cancels_the_parallel_request(crew, submit, calls, extra_kind):
    main, extra = both(crew, submit)
    approval_decide(access=crew.access(crew.camera_head), request_id=main.pk, decision="reject",
                    reason="Wrong vendor")
    main.refresh_from_db()
    extra.refresh_from_db()
    assert main.status == ApprovalRequest.Status.REJECTED
    assert extra.status == ApprovalRequest.Status.CANCELLED
    assert (extra.cancelled_by_id, extra.current_order, extra.version) == (main.pk, None, 2)
    assert extra.decided_at is not None
    assert extra.closed_reason == f"Cancelled: Test document #{main.pk} was rejected (Wrong vendor)"
    event = AuditEvent.objects.get(action="approval.cancel")
    assert event.object_id == str(extra.pk) and event.actor_id == crew.camera_head.pk
    assert event.changes["rejected_request"] == main.pk
    # Only the rejected kind's callback ran; the cancelled one is not "withdrawn" or "rejected".
    assert len(calls.rejected) == 1 and extra_kind == {"approved": [], "rejected": [], "withdrawn": []}
    # Nobody can decide the cancelled request any more.
    with pytest.raises(ApprovalConflict, match="cancelled"):
        approval_decide(access=crew.access(crew.upm), request_id=extra.pk, decision="approve")
    assert ApprovalRequest.objects.get(pk=extra.pk).status == ApprovalRequest.Status.CANCELLED


def test_rejecting_the_parallel_one_cancels_the_main_and_resubmission_starts_fresh(crew, submit, calls, extra_kind):
    main, extra = both(crew, submit)
    approval_decide(access=crew.access(crew.upm), request_id=extra.pk, decision="reject", reason="Over budget")
    main.refresh_from_db()
    assert main.status == ApprovalRequest.Status.CANCELLED and main.cancelled_by_id == extra.pk
    assert extra_kind["rejected"] == [extra.pk] and calls.rejected == []
    again = approval_request_submit(access=crew.access(crew.camera_crew), kind=KEY, obj=main.target,
                                    amount=main.amount, currency="USD", department=crew.camera)
    again_extra = approval_request_submit(access=crew.access(crew.camera_crew), kind=EXTRA, obj=main.target,
                                          amount=main.amount, currency="USD", department=crew.camera)
    assert (again.previous_id, again_extra.previous_id) == (main.pk, extra.pk)
    assert again.status == again_extra.status == ApprovalRequest.Status.PENDING
    assert again.current_order == 1 and again.steps.filter(decision="pending").count() == again.steps.count()


def test_approving_one_leaves_the_parallel_request_pending(crew, submit, calls, extra_kind):
    main, extra = both(crew, submit)
    approval_decide(access=crew.access(crew.camera_head), request_id=main.pk, decision="approve")
    extra.refresh_from_db()
    assert extra.status == ApprovalRequest.Status.PENDING
    assert not AuditEvent.objects.filter(action="approval.cancel").exists()


def test_a_denied_rejection_cancels_nothing(crew, submit, calls, extra_kind):
    main, _extra = both(crew, submit)
    with pytest.raises(ActionDenied):  # the sound head is not the camera department's head
        approval_decide(access=crew.access(crew.sound_head), request_id=main.pk, decision="reject", reason="No")
    assert set(ApprovalRequest.objects.values_list("status", flat=True)) == {"pending"}
    assert not AuditEvent.objects.filter(action__in=["approval.cancel", "approval.reject"]).exists()


def test_pages_and_api_show_the_cancellation(client, crew, submit, calls, extra_kind):
    main, extra = both(crew, submit)
    client.force_login(crew.camera_head)
    card = client.post(reverse("approvals:decide", args=[crew.production.pk, main.pk]),
                       {"decision": "reject", "reason": "Wrong vendor", "version": 1}, HTTP_HX_REQUEST="true")
    assert card.status_code == 200
    assert f"Also cancelled: #{extra.pk}" in card.content.decode()
    client.force_login(crew.upm)
    detail = client.get(reverse("approvals:request", args=[crew.production.pk, extra.pk])).content.decode()
    assert "Cancelled" in detail and "Why cancelled" in detail and "Wrong vendor" in detail
    assert f"see #{main.pk}" in detail
    inbox = client.get(reverse("approvals:inbox", args=[crew.production.pk])).content.decode()
    assert f"#{extra.pk}:" not in inbox
    client.force_login(crew.camera_crew)
    rejected = client.get(reverse("approvals:request", args=[crew.production.pk, main.pk])).content.decode()
    assert "Cancelled with this rejection" in rejected
    listed = client.get(reverse("approvals:requests", args=[crew.production.pk]) + "?status=cancelled&mine=1")
    assert listed.status_code == 200
    _, token = api_token_create(user=crew.upm, name="tests")
    api = Client(headers={"authorization": f"Bearer {token}"}).get(
        f"/api/v1/productions/{crew.production.pk}/approvals/requests/{extra.pk}")
    assert api.status_code == 200
    assert (api.json()["status"], api.json()["cancelled_by_id"]) == ("cancelled", main.pk)
