"""Approvals pages: inbox with htmx decisions (422/409), request detail, policies, delegations,
and authorisation (404 for outsiders, 403 when denied, a denied POST changes nothing)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import UserFactory, make_production
from unitbase.approvals.models import ApprovalPolicy, ApprovalRequest, Delegation
from unitbase.approvals.services import approval_decide
from unitbase.core.models import AuditEvent

from .conftest import KEY

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, production, *args):
    return reverse(f"approvals:{name}", args=[production.pk, *args])


def test_inbox_lists_what_waits_for_me_and_my_requests(client, crew, submit):
    req = submit("500", summary="Dolly rental")
    client.force_login(crew.camera_head)
    response = client.get(url("inbox", crew.production))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dolly rental" in body and f'id="request-{req.pk}"' in body
    assert f'for="id_r{req.pk}_reason"' in body
    client.force_login(crew.camera_crew)
    body = client.get(url("inbox", crew.production)).content.decode()
    assert "Nothing waits for you" in body and "Dolly rental" in body  # under "Your requests"


def test_empty_pages_say_how_to_fill_them(client, crew, calls):
    client.force_login(crew.upm)
    assert "Nothing waits for you" in client.get(url("inbox", crew.production)).content.decode()
    assert "No requests yet" in client.get(url("requests", crew.production)).content.decode()
    assert "No delegations" in client.get(url("delegations", crew.production)).content.decode()
    body = client.get(url("policies", crew.production)).content.decode()
    assert "Not customised yet" in body and "Test document" in body


def test_htmx_approve_returns_the_card(client, crew, submit):
    req = submit("500")
    client.force_login(crew.camera_head)
    response = client.post(url("decide", crew.production, req.pk), {"decision": "approve", "version": 1}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<article class="card approval-card" id="request-{req.pk}"')
    assert "waiting for the unit production manager or production manager" in body
    req.refresh_from_db()
    assert req.current_order == 2 and req.steps.get(order=1).approver == crew.camera_head


def test_reject_without_reason_is_422_and_changes_nothing(client, crew, submit):
    req = submit("500")
    client.force_login(crew.camera_head)
    response = client.post(url("decide", crew.production, req.pk), {"decision": "reject", "version": 1}, **HTMX)
    assert response.status_code == 422
    assert "Say why you reject it" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "pending" and req.version == 1
    response = client.post(url("decide", crew.production, req.pk),
                           {"decision": "reject", "reason": "No quote", "version": 1})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "rejected" and req.steps.get(order=1).reason == "No quote"


def test_someone_else_decided_first_is_409(client, crew, submit):
    req = submit("5000")
    approval_decide(access=crew.access(crew.camera_head), request_id=req.pk, decision="approve")
    approval_decide(access=crew.access(crew.pm), request_id=req.pk, decision="approve", version=2)
    client.force_login(crew.upm)
    response = client.post(url("decide", crew.production, req.pk), {"decision": "approve", "version": 2}, **HTMX)
    assert response.status_code == 409
    assert "decided this request first" in response.content.decode()
    req.refresh_from_db()
    assert req.version == 3 and req.steps.get(order=2).approver == crew.pm


def test_denied_decision_is_403_and_changes_nothing(client, crew, submit):
    req = submit("500")
    for user in (crew.sound_head, crew.camera_crew):
        client.force_login(user)
        response = client.post(url("decide", crew.production, req.pk), {"decision": "approve", "version": 1})
        assert response.status_code in (403, 404)
    req.refresh_from_db()
    assert req.version == 1 and not AuditEvent.objects.filter(action="approval.approve").exists()


def test_outsiders_get_404(client, crew, submit):
    req = submit("500")
    client.force_login(UserFactory())
    for name, args in [("inbox", []), ("request", [req.pk]), ("policies", []), ("delegations", [])]:
        assert client.get(url(name, crew.production, *args)).status_code == 404
    assert client.post(url("decide", crew.production, req.pk), {"decision": "approve", "version": 1}).status_code == 404
    other = make_production(title="Other")
    client.force_login(crew.camera_head)
    assert client.get(url("request", other, req.pk)).status_code == 404
    assert ApprovalRequest.objects.get().version == 1


def test_request_detail_shows_chain_and_history_to_those_involved(client, crew, submit):
    req = submit("500", summary="Lens kit")
    approval_decide(access=crew.access(crew.camera_head), request_id=req.pk, decision="approve")
    client.force_login(crew.camera_crew)
    body = client.get(url("request", crew.production, req.pk)).content.decode()
    assert "Lens kit" in body and "Department head" in body and "approval.approve" in body
    assert "Withdraw" in body and "Your decision" not in body
    client.force_login(crew.pm)
    assert "Your decision" in client.get(url("request", crew.production, req.pk)).content.decode()
    client.force_login(crew.sound_head)  # not involved, not a manager
    assert client.get(url("request", crew.production, req.pk)).status_code == 404


def test_withdraw_from_the_detail_page(client, crew, submit):
    req = submit("500")
    client.force_login(crew.upm)
    assert client.post(url("withdraw", crew.production, req.pk), {"version": 1}).status_code == 403
    client.force_login(crew.camera_crew)
    assert client.post(url("withdraw", crew.production, req.pk), {"version": 1}).status_code == 302
    req.refresh_from_db()
    assert req.status == "withdrawn"
    assert client.post(url("withdraw", crew.production, req.pk), {"version": 2}).status_code == 409


def test_policies_view_for_managers_edit_for_member_managers(client, crew, calls):
    client.force_login(crew.camera_crew)
    assert client.get(url("policies", crew.production)).status_code == 403
    client.force_login(crew.accountant)  # sees, cannot edit
    body = client.get(url("policies", crew.production)).content.decode()
    assert "Add a policy" not in body
    data = {"kind": KEY, "steps": "Unit production manager\nproducer", "min_amount": "", "max_amount": ""}
    assert client.post(url("policy_add", crew.production), data).status_code == 403
    assert not ApprovalPolicy.objects.exists()
    client.force_login(crew.upm)
    response = client.post(url("policy_add", crew.production), {**data, "steps": "wizard"})
    assert response.status_code == 422 and "unknown role" in response.content.decode()
    assert not ApprovalPolicy.objects.exists()
    response = client.post(url("policy_add", crew.production), {**data, "department": crew.camera.pk})
    assert response.status_code == 302
    added = ApprovalPolicy.objects.get(department=crew.camera)
    assert added.steps == [["upm"], ["producer"]]
    assert ApprovalPolicy.objects.filter(department__isnull=True).count() == 3  # defaults seeded first
    response = client.post(url("policy_edit", crew.production, added.pk),
                           {**data, "steps": "upm or production manager", "department": crew.camera.pk})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.steps == [["upm", "production_manager"]]
    assert client.post(url("policy_delete", crew.production, added.pk)).status_code == 302
    assert not ApprovalPolicy.objects.filter(pk=added.pk).exists()
    assert client.post(url("policies_reset", crew.production, "nope")).status_code == 404


def test_delegations_page(client, crew):
    client.force_login(crew.upm)
    today = dt.date.today()
    response = client.post(url("delegations", crew.production),
                           {"to_user": crew.pm.pk, "starts_on": today, "ends_on": today - dt.timedelta(days=1)})
    assert response.status_code == 422 and not Delegation.objects.exists()
    response = client.post(url("delegations", crew.production),
                           {"to_user": crew.pm.pk, "starts_on": today, "ends_on": today, "note": "Recce"})
    assert response.status_code == 302
    d = Delegation.objects.get()
    assert (d.from_user, d.to_user, d.note) == (crew.upm, crew.pm, "Recce")
    client.force_login(crew.camera_crew)  # not theirs, not a manager: 403, nothing changes
    assert client.post(url("delegation_end", crew.production, d.pk)).status_code == 403
    d.refresh_from_db()
    assert d.ended_at is None
    client.force_login(crew.pm)
    assert client.post(url("delegation_end", crew.production, d.pk)).status_code == 302
    d.refresh_from_db()
    assert d.ended_at is not None


def test_inbox_query_count_does_not_grow_with_requests(client, crew, submit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit("500")
    client.force_login(crew.camera_head)
    client.get(url("inbox", crew.production))  # the first visit records the current production
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("inbox", crew.production)).status_code == 200
    for _ in range(4):
        submit("500")
    with CaptureQueriesContext(connection) as five:
        assert client.get(url("inbox", crew.production)).status_code == 200
    assert len(five) == len(one)
