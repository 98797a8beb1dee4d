"""Every API write refuses a body that is not JSON, and text carrying a NUL character, with 422 in
the documented shape ({"detail": [{"loc": [...], "msg": ...}]}), before anything is written.

The operations are enumerated from the OpenAPI schema, so a new endpoint cannot escape. NUL matters
on PostgreSQL, which refuses it in text columns: without the check such a write was a 500.
"""

import json
import re

import pytest
from django.apps import apps
from django.test import Client

from tests.factories import make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.productions.authority import Role
from unitbase.productions.models import Unit

pytestmark = pytest.mark.django_db

BAD_BODIES = {
    "truncated JSON": (b'{"name": ', "The body is not valid JSON"),
    "not UTF-8": (b"\xff\xfe{}", "The body is not UTF-8 text"),
    "NUL in a value": (json.dumps({"name": "a\x00b"}).encode(), "Null characters are not allowed."),
}


@pytest.fixture
def producer_client():
    production = make_production("Alpha")
    user = member(production, Role.PRODUCER).user
    _, raw = api_token_create(user=user, name="tests")
    return production, Client(headers={"authorization": f"Bearer {raw}"})


def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def json_write_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method in ("post", "put", "patch") and "application/json" in content:
                yield method, path


def test_every_json_write_refuses_a_bad_body_with_422_and_changes_nothing(producer_client):
    production, client = producer_client
    operations = list(json_write_operations(client))
    assert len(operations) > 20, operations
    before = _row_counts()
    failures = []
    for method, path in operations:
        url = re.sub(r"\{production_id\}", str(production.pk), path)
        url = re.sub(r"\{\w+\}", "1", url)
        for name, (body, message) in BAD_BODIES.items():
            response = getattr(client, method)(url, data=body, content_type="application/json")
            detail = response.json().get("detail") if response.status_code == 422 else None
            if not (isinstance(detail, list) and detail and detail[0]["loc"][0] == "body"
                    and detail[0]["msg"].startswith(message)):
                failures.append(f"{method.upper()} {url} ({name}) -> {response.status_code} {response.content[:120]!r}")
    assert failures == []
    assert _row_counts() == before


def test_nul_character_is_located_in_nested_bodies_and_the_query_string(producer_client):
    production, client = producer_client
    url = f"/api/v1/productions/{production.pk}/units"
    response = client.post(url, data={"name": "ok", "extra": [{"deep\x00": 1}, "x\x00"]},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": [
        {"loc": ["body", "extra", "0", "deep\x00"], "msg": "Null characters are not allowed."},
        {"loc": ["body", "extra", "1"], "msg": "Null characters are not allowed."},
    ]}
    assert not Unit.objects.filter(production=production, name="ok").exists()

    listing = client.get(f"/api/v1/productions/{production.pk}/crew", {"q": "a\x00"})
    assert listing.status_code == 422
    assert listing.json() == {"detail": [{"loc": ["q"], "msg": "Null characters are not allowed."}]}


def test_a_valid_body_still_writes(producer_client):
    production, client = producer_client
    response = client.post(f"/api/v1/productions/{production.pk}/units", data={"name": "Splinter", "kind": "splinter"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert Unit.objects.filter(production=production, name="Splinter").exists()
