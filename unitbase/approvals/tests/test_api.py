"""Approvals API: pending, list, detail, decide (200/403/404/409/422), withdraw.

Until the router is mounted in unitbase/api.py these tests mount it on a private NinjaAPI with the
same authentication and error handlers; once mounted they go through /api/v1 itself.
"""

import pytest
from django.test import Client
from ninja import NinjaAPI
from ninja.testing import TestClient

from tests.factories import UserFactory
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.approvals.api import router
from unitbase.approvals.models import ApprovalRequest
from unitbase.approvals.services import approval_decide
from unitbase.core.models import AuditEvent

pytestmark = pytest.mark.django_db
_private = {}


def _client():
    if any(mounted is router for _, mounted in main_api._routers):
        return None
    if "client" not in _private:
        test_api = NinjaAPI(auth=TokenAuth(), urls_namespace="approvals-api-test")
        test_api._exception_handlers = dict(main_api._exception_handlers)
        test_api.add_router("/productions", router)
        _private["client"] = TestClient(test_api)
    return _private["client"]


def call(method, user, path, json=None):
    _, raw = api_token_create(user=user, name="tests")
    headers = {"Authorization": f"Bearer {raw}"}
    private = _client()
    if private is None:
        client = Client(headers=headers)
        kwargs = {"data": json, "content_type": "application/json"} if json is not None else {}
        return getattr(client, method)(f"/api/v1/productions{path}", **kwargs)
    return getattr(private, method)(f"/productions{path}", json=json, headers=headers)


def test_pending_and_detail(crew, submit):
    req = submit("500", summary="Jib arm")
    response = call("get", crew.camera_head, f"/{crew.production.pk}/approvals/pending")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == req.pk and item["amount"] == "500.00" and item["currency"] == "USD"
    assert item["summary"] == "Jib arm" and item["status"] == "pending" and item["current_step"] == 1
    assert item["object_type"] == "people.person" and item["version"] == 1
    assert call("get", crew.upm, f"/{crew.production.pk}/approvals/pending").json() == []
    detail = call("get", crew.camera_crew, f"/{crew.production.pk}/approvals/requests/{req.pk}").json()
    assert [s["roles"] for s in detail["steps"]] == [["department_head"], ["upm", "production_manager"],
                                                     ["production_accountant"]]
    listing = call("get", crew.upm, f"/{crew.production.pk}/approvals/requests?status=pending").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == req.pk


def test_decide_approve_then_409_for_the_second(crew, submit):
    req = submit("5000")
    approval_decide(access=crew.access(crew.camera_head), request_id=req.pk, decision="approve")
    path = f"/{crew.production.pk}/approvals/requests/{req.pk}/decide"
    response = call("post", crew.pm, path, {"decision": "approve", "version": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["current_step"] == 3 and body["version"] == 3
    assert body["steps"][1]["approver"]["id"] == crew.pm.pk
    response = call("post", crew.upm, path, {"decision": "approve", "version": 2})
    assert response.status_code == 409
    assert "decided this request first" in response.json()["detail"][0]["msg"]
    assert ApprovalRequest.objects.get().version == 3


def test_decide_422_and_403_change_nothing(crew, submit):
    req = submit("500")
    path = f"/{crew.production.pk}/approvals/requests/{req.pk}/decide"
    response = call("post", crew.camera_head, path, {"decision": "reject", "reason": "", "version": 1})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["reason"], "msg": "Say why you reject it, so the requester can fix it."}]
    response = call("post", crew.camera_head, path, {"decision": "maybe"})
    assert response.status_code == 422
    response = call("post", crew.camera_crew, path, {"decision": "approve"})  # the requester
    assert response.status_code == 403 and "someone else" in response.json()["detail"]
    response = call("post", crew.upm, path, {"decision": "approve"})  # not their step yet
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.version == 1 and req.status == "pending"
    assert not AuditEvent.objects.filter(action__in=["approval.approve", "approval.reject"]).exists()


def test_404_for_outsiders_and_unseen_requests(crew, submit):
    req = submit("500")
    outsider = UserFactory()
    assert call("get", outsider, f"/{crew.production.pk}/approvals/pending").status_code == 404
    path = f"/{crew.production.pk}/approvals/requests/{req.pk}/decide"
    assert call("post", outsider, path, {"decision": "approve"}).status_code == 404
    assert call("get", crew.sound_head, f"/{crew.production.pk}/approvals/requests/{req.pk}").status_code == 404
    assert call("get", crew.upm, f"/{crew.production.pk}/approvals/requests/999999").status_code == 404
    assert ApprovalRequest.objects.get().version == 1


def test_withdraw(crew, submit):
    req = submit("500")
    path = f"/{crew.production.pk}/approvals/requests/{req.pk}/withdraw"
    assert call("post", crew.upm, path, {"version": 1}).status_code == 403
    response = call("post", crew.camera_crew, path, {"version": 1})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert call("post", crew.camera_crew, path, {"version": 1}).status_code == 409
