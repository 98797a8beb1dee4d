"""API tests. The router is not mounted in unitbase/api.py by this app (another engineer owns it),
so the tests mount it on a NinjaAPI that shares the project API's auth and error handlers."""

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.api import api as project_api
from unitbase.callsheets.api import router
from unitbase.callsheets.models import CallSheet
from unitbase.productions.authority import Role

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client():
    if any(r is router for _, r in project_api._routers):
        return TestClient(project_api)
    local = NinjaAPI(auth=project_api.auth, urls_namespace="callsheets_api_test")
    local._exception_handlers = project_api._exception_handlers
    local.add_router("/productions", router)
    return TestClient(local)


def _auth(user):
    _, raw = api_token_create(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def test_build_publish_and_status(client):
    w = build_world()
    pid = w["production"].pk
    ad = _auth(w["ad_user"])
    crew = _auth(member(w["production"], Role.CREW).user)
    denied = client.post(f"/productions/{pid}/callsheets", json={"unit_id": w["unit"].pk, "shoot_date": DAY1.isoformat()}, headers=crew)
    assert denied.status_code == 403 and not CallSheet.objects.exists()
    bad = client.post(f"/productions/{pid}/callsheets", json={"unit_id": w["unit"].pk, "shoot_date": "2020-01-01"}, headers=ad)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "shoot_date"
    built = client.post(f"/productions/{pid}/callsheets", json={"unit_id": w["unit"].pk, "shoot_date": DAY1.isoformat()}, headers=ad)
    assert built.status_code == 200
    body = built.json()
    assert body["day_number"] == 1 and body["document"]["total_pages"] == "2 4/8"
    sid = body["id"]
    assert client.post(f"/productions/{pid}/callsheets/{sid}/publish", json={}, headers=crew).status_code == 403
    published = client.post(f"/productions/{pid}/callsheets/{sid}/publish", json={}, headers=ad)
    assert published.status_code == 200 and published.json()["status"] == "published"
    status = client.get(f"/productions/{pid}/callsheets/{sid}/recipients", headers=crew)
    assert status.status_code == 200 and len(status.json()) == 5
    assert client.get(f"/productions/{pid}/callsheets/999999", headers=ad).status_code == 404


def test_dpr_crud(client):
    w = build_world()
    pid = w["production"].pk
    ad = _auth(w["ad_user"])
    started = client.post(f"/productions/{pid}/production-reports", json={"unit_id": w["unit"].pk, "shoot_date": DAY1.isoformat()}, headers=ad)
    assert started.status_code == 200
    rid = started.json()["id"]
    r = client.post(f"/productions/{pid}/production-reports/{rid}/scenes", json={"number": "1", "status": "complete"}, headers=ad)
    assert r.json()["progress"]["eighths_shot_to_date"] == 8
    bad = client.patch(f"/productions/{pid}/production-reports/{rid}", json={"crew_call": "07:00", "first_shot": "06:00", "lunch_start": "05:00"}, headers=ad)
    assert bad.status_code == 422
