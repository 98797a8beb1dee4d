# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""Optimiser API (mounted here on a private NinjaAPI, as unitbase/api.py mounts it): 202 with the
run, 403/404 change nothing, 422 for bad input, explanation."""

import pytest
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from tests.factories import make_production, member
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.scheduling.models import OptimiserRun, ScheduleVersion
from unitbase.scheduling.optimise_api import router

from .test_services import ad, calendar, cast, production, script, unit, version  # noqa: F401

test_api = NinjaAPI(urls_namespace="optimiser-api-test", auth=TokenAuth(), docs_url=None)
for exc_class, handler in main_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/productions", router)
urlpatterns = [path("api/v1/", test_api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def client_for(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def counts():
    return (ScheduleVersion.objects.count(), OptimiserRun.objects.count(),
            AuditEvent.objects.filter(action__startswith="schedule.optimise").count())


def test_run_via_api_and_read_explanation(production, version):
    client = client_for(member(production, Role.FIRST_AD).user)
    base = f"/api/v1/productions/{production.pk}/schedule"
    response = post(client, f"{base}/optimise", {"version_id": version.pk, "time_limit": 2, "shoot_day": 100})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "finished" and body["version_id"] and body["error"] == ""
    assert client.get(f"{base}/optimise/{body['id']}").json()["version_id"] == body["version_id"]
    ex = client.get(f"{base}/versions/{body['version_id']}/explanation").json()
    assert ex["base_version"] == version.pk and ex["total_after"] == sum(t["after"] for t in ex["terms"])
    assert post(client, f"{base}/optimise/{body['id']}/stop", {}).status_code == 422  # already finished


def test_bad_input_422_and_denied_requests_change_nothing(production, version):
    base = f"/api/v1/productions/{production.pk}/schedule/optimise"
    before = counts()
    ad_client = client_for(member(production, Role.FIRST_AD).user)
    response = post(ad_client, base, {"version_id": version.pk, "time_limit": 0})
    assert response.status_code == 422 and response.json()["detail"]
    assert post(ad_client, base, {"version_id": 999999}).status_code == 422
    assert post(client_for(member(production, Role.CREW).user), base, {"version_id": version.pk}).status_code == 403
    outsider = client_for(member(make_production(title="Other"), Role.UPM).user)
    assert post(outsider, base, {"version_id": version.pk}).status_code == 404
    assert counts() == before


def test_infeasible_run_returns_the_minimal_conflict_and_writes_nothing(production, version):
    client = client_for(member(production, Role.FIRST_AD).user)
    base = f"/api/v1/productions/{production.pk}/schedule"
    versions = ScheduleVersion.objects.count()
    response = post(client, f"{base}/optimise", {"version_id": version.pk, "time_limit": 2,
                                                 "precedences": "1 before 2\n2 before 1\n3 by 4"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "failed" and body["version_id"] is None
    assert sorted(body["conflicts"]) == ["Scene 1 must be shot on an earlier day than scene 2.",
                                         "Scene 2 must be shot on an earlier day than scene 1."]
    assert "cannot all hold together" in body["error"]
    assert client.get(f"{base}/optimise/{body['id']}").json()["conflicts"] == body["conflicts"]
    assert ScheduleVersion.objects.count() == versions
