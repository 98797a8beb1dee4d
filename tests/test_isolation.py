"""No user sees or changes another production's data.

The URLs are enumerated from the URLconf (web and API), so a new endpoint cannot escape: a member
of production B asking for anything under production A gets 404 and changes nothing.
"""

import re
from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import CastMemberFactory, CrewMemberFactory, UserFactory, make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.productions.authority import Role
from unitbase.productions.models import Episode, Invitation

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def iter_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.lstrip("^").rstrip("$"), entry


def production_routes():
    return sorted({route for route, _ in iter_routes() if "production_id" in route})


def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in {
        "productions", "people", "accounts", "scripts", "scheduling", "bundles", "core"}}


@pytest.fixture
def two_productions(db):
    owner_a = UserFactory()
    a = make_production(title="Production A", owner=owner_a)
    crew = CrewMemberFactory(production=a, start_date=date(2027, 3, 1))
    cast = CastMemberFactory(production=a)
    episode = Episode.objects.create(production=a, number="101")
    invitation = Invitation.objects.create(production=a, email="x@example.test", role=Role.CREW)
    b = make_production(title="Production B")
    intruder = member(b, Role.PRODUCER).user
    ids = {
        "production_id": a.pk,
        "membership_id": a.memberships.first().pk,
        "invitation_id": invitation.pk,
        "person_id": crew.person.pk,
        "crew_id": crew.pk,
        "crew_member_id": crew.pk,
        "cast_id": cast.pk,
        "cast_member_id": cast.pk,
        "unit_id": a.units.first().pk,
        "department_id": crew.department.pk,
        "episode_id": episode.pk,
    }
    return a, intruder, ids


def _enum_path_values(client):
    """A valid value for each path parameter that the OpenAPI schema restricts to a list."""
    values = {}
    for operations in client.get("/api/v1/openapi.json").json()["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                enum = schema.get("enum") or next((s["enum"] for s in schema.get("anyOf", []) if "enum" in s), None)
                if param.get("in") == "path" and enum:
                    values[param["name"]] = enum[0]
    return values


def fill(route, ids):
    def sub(match):
        name = match.group("name")
        if name in ids:
            return str(ids[name])
        if match.group("conv") in ("str", "slug", "path"):
            return "x"
        return "1"

    url = "/" + PARAM.sub(sub, route)
    # Ninja registers paths with `{name}` placeholders converted by Django; treat both forms.
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), url)


def test_every_production_url_is_enumerated():
    routes = production_routes()
    assert any(r.startswith("api/v1/") for r in routes), routes
    assert any(r.startswith("p/") for r in routes), routes


@pytest.mark.django_db
def test_member_of_another_production_gets_404_on_every_web_url(two_productions):
    _a, intruder, ids = two_productions
    client = Client()
    client.force_login(intruder)
    before = _row_counts()
    failures = []
    for route in production_routes():
        if route.startswith("api/"):
            continue
        url = fill(route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 405 answers a method the URL never takes, before any lookup; it reveals nothing.
            if response.status_code not in (404, 405):
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert failures == []
    assert _row_counts() == before


@pytest.mark.django_db
def test_member_of_another_production_gets_404_on_every_api_url(two_productions):
    _a, intruder, ids = two_productions
    _, raw = api_token_create(user=intruder, name="probe")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    ids = {**ids, **_enum_path_values(client)}
    before = _row_counts()
    failures = []
    for route in production_routes():
        if not route.startswith("api/"):
            continue
        url = fill(route, ids)
        for method in ("get", "delete", "post", "patch", "put"):
            if method in ("get", "delete"):
                response = getattr(client, method)(url)
            else:
                response = getattr(client, method)(url, data="{}", content_type="application/json")
            # A request missing a required parameter is refused (422) before any lookup, leaking nothing.
            allowed = {404, 405} if method == "get" else {404, 405, 422}
            if response.status_code not in allowed:
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert failures == []
    assert _row_counts() == before


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_sign_in_or_refused(two_productions):
    _a, _, ids = two_productions
    client = Client()
    for route in production_routes():
        url = fill(route, ids)
        response = client.get(url)
        if route.startswith("api/"):
            assert response.status_code in (401, 405), url
        else:
            # POST-only actions refuse the GET method itself; secret-link feeds (calendars) answer
            # 404 to a wrong link; everything else sends the visitor to sign in.
            assert response.status_code in (404, 405) or (
                response.status_code == 302 and "/accounts/login/" in response["Location"]
            ), url
