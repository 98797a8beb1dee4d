# ruff: noqa: F811  (fixtures imported from test_services are used as parameters)
"""API: board JSON, move with 409 on a stale revision, 403/404, DOOD JSON. Served by a URLconf of
its own so the tests do not depend on unitbase/api.py mounting the router."""

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from tests.factories import member
from unitbase import api as main
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.productions.authority import Role
from unitbase.scheduling.api import router
from unitbase.scheduling.models import ScheduleVersion, Strip

from .test_services import ad, calendar, cast, production, script, unit, version  # noqa: F401

test_api = NinjaAPI(auth=TokenAuth(), urls_namespace="scheduling_test_api")
for exc, handler in [(Http404, main.not_found), (ObjectDoesNotExist, main.does_not_exist),
                     (PermissionDenied, main.forbidden), (ValidationError, main.invalid),
                     (NinjaValidationError, main.schema_invalid)]:
    test_api.add_exception_handler(exc, handler)
test_api.add_router("/productions", router)
urlpatterns = [path("api/v1/", test_api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def auth(production, role):
    _, raw = api_token_create(user=member(production, role).user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_board_json_and_move_and_stale_409(client, production, version):
    h = auth(production, Role.FIRST_AD)
    base = f"/api/v1/productions/{production.pk}/schedule/versions/{version.pk}"
    board = client.get(f"{base}/board", **h).json()
    assert board["version"]["revision"] == 1 and [s["scene"] for s in board["strips"]] == ["1", "2", "3", "4", "5", "6"]
    s1 = board["strips"][0]["id"]
    moved = client.post(f"{base}/move", {"revision": 1, "strip_ids": [s1], "to": "boneyard"}, content_type="application/json", **h)
    assert moved.status_code == 200 and moved.json()["version"]["revision"] == 2
    assert moved.json()["strips"][-1] == {**moved.json()["strips"][-1], "id": s1, "section": "boneyard"}
    stale = client.post(f"{base}/move", {"revision": 1, "strip_ids": [s1], "to": "board"}, content_type="application/json", **h)
    assert stale.status_code == 409 and "Someone else changed" in stale.json()["detail"]
    assert Strip.objects.get(pk=s1).section == "boneyard"
    bad = client.post(f"{base}/move", {"revision": 2, "strip_ids": [s1], "date": "2027-03-06"}, content_type="application/json", **h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["date"]
    brk = client.post(f"{base}/breaks", {"revision": 2, "index": 2}, content_type="application/json", **h)
    assert brk.status_code == 200 and brk.json()["days"][0]["scenes"] == 2


def test_crew_403_and_outsider_404(client, production, version):
    base = f"/api/v1/productions/{production.pk}/schedule/versions/{version.pk}"
    s1 = Strip.objects.get(version=version, scene__number="1").pk
    crew = client.post(f"{base}/move", {"revision": 1, "strip_ids": [s1], "to": "boneyard"},
                       content_type="application/json", **auth(production, Role.CREW))
    assert crew.status_code == 403
    from tests.factories import make_production

    other = make_production(title="Other")
    outsider = client.get(f"{base}/board", **auth(other, Role.UPM))
    assert outsider.status_code == 404
    assert ScheduleVersion.objects.get(pk=version.pk).revision == 1 and Strip.objects.get(pk=s1).section == "board"


def test_dood_json(client, production, version, ad):
    from unitbase.scheduling import services

    services.auto_day_breaks(access=ad, version_id=version.pk, revision=1, by="pages", limit=16)
    data = client.get(f"/api/v1/productions/{production.pk}/schedule/versions/{version.pk}/dood",
                      **auth(production, Role.CREW)).json()
    assert [c["day"] for c in data["columns"]] == [1, 2, 3, 4]
    assert data["rows"][0]["codes"] == ["SW", "W", "WF", ""] and data["rows"][0]["paid"] == 3
