"""The API's front door: bearer tokens, the public OpenAPI schema and the self-contained docs page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import UserFactory, make_production
from unitbase.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/productions": {"get", "post"},
    "/api/v1/productions/{production_id}": {"get", "patch"},
    "/api/v1/productions/{production_id}/units": {"get", "post"},
    "/api/v1/productions/{production_id}/episodes": {"get", "post"},
    "/api/v1/productions/{production_id}/departments": {"get", "post"},
    "/api/v1/productions/{production_id}/people": {"get", "post"},
    "/api/v1/productions/{production_id}/people/{person_id}": {"get", "patch"},
    "/api/v1/productions/{production_id}/crew": {"get", "post"},
    "/api/v1/productions/{production_id}/crew/{crew_id}": {"get", "patch", "delete"},
    "/api/v1/productions/{production_id}/cast": {"get", "post"},
    "/api/v1/productions/{production_id}/cast/{cast_id}": {"get", "patch", "delete"},
    "/api/v1/productions/{production_id}/members": {"get"},
    "/api/v1/productions/{production_id}/members/{membership_id}": {"patch"},
    "/api/v1/productions/{production_id}/invitations": {"post"},
    "/api/v1/productions/{production_id}/authority": {"get"},
    "/api/v1/productions/{production_id}/authority/{action}/{role}": {"put"},
}


@pytest.fixture
def schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_is_public_and_lists_every_path(schema):
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    # The foundation's endpoints, exactly; later features add their own paths beside them.
    assert {path: paths.get(path) for path in EXPECTED_PATHS} == EXPECTED_PATHS
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            assert op.get("tags"), f"{method} {path} has no tag"
            assert op.get("security") == [{"TokenAuth": []}], f"{method} {path} is not behind the token"


def test_money_is_never_a_number_in_the_schema(schema):
    crew_out = schema["components"]["schemas"]["CrewOut"]["properties"]
    assert crew_out["rate_amount"]["anyOf"] == [{"type": "string"}, {"type": "null"}]


def test_every_endpoint_answers_401_without_a_token():
    client = Client()
    for path, methods in EXPECTED_PATHS.items():
        url = re.sub(r"\{action\}", "view_pay", re.sub(r"\{role\}", "crew", re.sub(r"\{\w+_id\}", "1", path)))
        for method in methods:
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 401, f"{method} {url}"
            assert response.json() == {"detail": "Unauthorized"}


def test_docs_page_renders_without_any_network_asset():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the docs page should load Swagger UI"
    assert all(u.startswith("/static/") for u in urls), urls
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    assert '"validatorUrl": null' in html
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"


def _bearer(raw):
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_valid_token_identifies_the_user():
    user = UserFactory(full_name="Ada Lovelace")
    _, raw = api_token_create(user=user, name="laptop")
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "email": user.email, "full_name": "Ada Lovelace"}


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer ubt_not-a-real-token", "Token abc", "Basic Zm9vOmJhcg=="])
def test_missing_or_wrong_token_is_401(header):
    make_production()
    client = Client(headers={"authorization": header}) if header else Client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/productions").status_code == 401


def test_revoked_token_is_401():
    user = UserFactory()
    token, raw = api_token_create(user=user, name="old")
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    api_token_revoke(user=user, token_id=token.pk)
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_token_of_a_deactivated_user_is_401():
    user = UserFactory()
    _, raw = api_token_create(user=user, name="t")
    user.is_active = False
    user.save()
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_session_login_does_not_open_the_api():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/productions").status_code == 401
