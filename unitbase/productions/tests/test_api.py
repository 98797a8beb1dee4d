"""API tests for productions, units, episodes, departments, members, invitations and the matrix."""

from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import UserFactory, department, make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Action, Role, Scope
from unitbase.productions.models import AuthorityRule, Department, Episode, Invitation, Membership, Production, Unit

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def production(owner):
    return make_production("Alpha", owner=owner)


@pytest.fixture
def other():
    """Another production, with objects whose ids the first production's users must not reach."""
    production = make_production("Beta")
    Episode.objects.create(production=production, number="101")
    return production


def url(production, tail=""):
    return f"/api/v1/productions/{production.pk}{tail}"


def loc(response):
    assert response.status_code == 422, response.content
    return [e["loc"] for e in response.json()["detail"]]


# --- productions ---------------------------------------------------------------------------------


def test_production_list_is_only_mine(owner, production, other):
    make_production("Gamma", owner=owner)
    body = api(owner).get("/api/v1/productions").json()
    assert body["count"] == 2
    assert [p["title"] for p in body["items"]] == ["Alpha", "Gamma"]


def test_production_list_paginates(owner, production):
    make_production("Gamma", owner=owner)
    body = api(owner).get("/api/v1/productions?limit=1&offset=1").json()
    assert body == {"count": 2, "items": [pytest.approx(body["items"][0])]}
    assert body["items"][0]["title"] == "Gamma"
    assert loc(api(owner).get("/api/v1/productions?limit=0")) == [["query", "limit"]]


def test_production_create_makes_caller_producer():
    user = UserFactory()
    response = send(api(user), "post", "/api/v1/productions",
                    {"title": "Night Shift", "kind": "series", "base_currency": "gbp", "time_zone": "Europe/London"})
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Night Shift" and body["base_currency"] == "GBP" and body["kind"] == "series"
    created = Production.objects.get(pk=body["id"])
    assert Membership.objects.get(production=created, user=user).role == Role.PRODUCER
    assert created.units.get().name == "Main unit"


@pytest.mark.parametrize("payload, expected", [
    ({}, [["body", "title"]]),
    ({"title": "X", "kind": "opera"}, [["body", "kind"]]),
    ({"title": "X", "time_zone": "Mars/Olympus"}, [["time_zone"]]),
    ({"title": "X", "base_currency": "US1"}, [["base_currency"]]),
])
def test_production_create_rejects_bad_input(payload, expected):
    user = UserFactory()
    before = Production.objects.count()
    assert loc(send(api(user), "post", "/api/v1/productions", payload)) == expected
    assert Production.objects.count() == before


def test_production_detail_and_patch(owner, production):
    client = api(owner)
    assert client.get(url(production)).json()["title"] == "Alpha"
    response = send(client, "patch", url(production), {"status": "prep"})
    assert response.status_code == 200
    production.refresh_from_db()
    assert (production.title, production.status) == ("Alpha", "prep")
    assert AuditEvent.objects.filter(production_id=production.pk, action="production.update").exists()
    assert loc(send(client, "patch", url(production), {"time_zone": "Nowhere"})) == [["time_zone"]]


def test_production_patch_denied_changes_nothing(production):
    crew = member(production, Role.CREW).user
    response = send(api(crew), "patch", url(production), {"title": "Hijacked"})
    assert response.status_code == 403
    assert "edit production" in response.json()["detail"]
    production.refresh_from_db()
    assert production.title == "Alpha"


# --- units, episodes, departments (table-driven) -------------------------------------------------

CATALOGUES = [
    # (path, model, payload, duplicate field)
    ("/units", Unit, {"name": "Second unit", "kind": "second"}, "name"),
    ("/episodes", Episode, {"number": "102", "title": "The Return"}, "number"),
    ("/departments", Department, {"name": "Drones"}, "name"),
]


@pytest.mark.parametrize("path, model, payload, field", CATALOGUES)
def test_catalogue_create_and_list(owner, production, path, model, payload, field):
    client = api(owner)
    response = send(client, "post", url(production, path), payload)
    assert response.status_code == 201, response.content
    created = model.objects.get(pk=response.json()["id"])
    assert created.production_id == production.pk
    listed = client.get(url(production, path) + "?limit=500").json()
    assert response.json() in listed["items"]
    assert listed["count"] == model.objects.filter(production=production).count()


@pytest.mark.parametrize("path, model, payload, field", CATALOGUES)
def test_catalogue_duplicate_is_422_on_the_field(owner, production, path, model, payload, field):
    client = api(owner)
    assert send(client, "post", url(production, path), payload).status_code == 201
    before = model.objects.count()
    response = send(client, "post", url(production, path), payload)
    assert loc(response) == [[field]]
    assert "already has this" in response.json()["detail"][0]["msg"]
    assert model.objects.count() == before


@pytest.mark.parametrize("path, model, payload, field", CATALOGUES)
def test_catalogue_create_denied_changes_nothing(production, path, model, payload, field):
    client = api(member(production, Role.FIRST_AD).user)
    assert client.get(url(production, path)).status_code == 200
    before = model.objects.count()
    assert send(client, "post", url(production, path), payload).status_code == 403
    assert model.objects.count() == before


# --- isolation: a member of one production cannot reach another's ids ---------------------------


@pytest.mark.parametrize("method, tail", [
    ("get", ""), ("patch", ""), ("get", "/units"), ("post", "/units"), ("get", "/episodes"),
    ("get", "/departments"), ("get", "/members"), ("post", "/invitations"), ("get", "/authority"),
    ("put", "/authority/view_pay/crew"), ("get", "/people"), ("get", "/crew"), ("get", "/cast"),
])
def test_other_productions_are_not_found(owner, production, other, method, tail):
    # A valid body, so that the answer is about the production (schema errors come first and
    # say nothing about whether it exists).
    body = {"name": "X", "allowed": True, "email": "x@example.test", "role": "crew"}
    response = send(api(owner), method, url(other, tail), body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_membership_of_another_production_is_not_found(owner, production, other):
    theirs = Membership.objects.filter(production=other).first()
    response = send(api(owner), "patch", url(production, f"/members/{theirs.pk}"), {"role": "crew"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.PRODUCER


def test_inactive_member_is_not_found(production):
    membership = member(production, Role.UPM)
    membership.is_active = False
    membership.save()
    assert api(membership.user).get(url(production)).status_code == 404


# --- members -------------------------------------------------------------------------------------


def test_member_list(owner, production):
    member(production, Role.CREW, department_name="Camera")
    body = api(owner).get(url(production, "/members")).json()
    assert body["count"] == 2
    crew = next(m for m in body["items"] if m["role"] == "crew")
    assert crew["department"]["name"] == "Camera"
    assert set(crew["user"]) == {"id", "email", "full_name"}


def test_member_update(owner, production):
    target = member(production, Role.CREW)
    camera = department(production, "Camera")
    response = send(api(owner), "patch", url(production, f"/members/{target.pk}"),
                    {"role": "department_head", "department_id": camera.pk})
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "department_head"
    assert response.json()["department"] == {"id": camera.pk, "name": "Camera"}
    target.refresh_from_db()
    assert (target.role, target.department_id, target.is_active) == (Role.DEPARTMENT_HEAD, camera.pk, True)


def test_member_update_rejects_another_productions_department(owner, production, other):
    target = member(production, Role.CREW)
    theirs = Department.objects.filter(production=other).first()
    response = send(api(owner), "patch", url(production, f"/members/{target.pk}"), {"department_id": theirs.pk})
    assert loc(response) == [["department_id"]]
    target.refresh_from_db()
    assert target.department_id is None


def test_member_update_keeps_a_producer(owner, production):
    mine = Membership.objects.get(production=production, user=owner)
    response = send(api(owner), "patch", url(production, f"/members/{mine.pk}"), {"role": "crew"})
    assert loc(response) == [[]]
    mine.refresh_from_db()
    assert mine.role == Role.PRODUCER


def test_member_update_denied_changes_nothing(production):
    coordinator = member(production, Role.PRODUCTION_COORDINATOR)
    target = member(production, Role.CREW)
    response = send(api(coordinator.user), "patch", url(production, f"/members/{target.pk}"), {"role": "producer"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.CREW


# --- invitations ---------------------------------------------------------------------------------


def test_invitation_create(owner, production):
    camera = department(production, "Camera")
    response = send(api(owner), "post", url(production, "/invitations"),
                    {"email": "New.Person@Example.test", "role": "crew", "department_id": camera.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.person@example.test"
    assert "token" not in body
    invitation = Invitation.objects.get(pk=body["id"])
    assert (invitation.role, invitation.department_id, invitation.invited_by_id) == ("crew", camera.pk, owner.pk)


@pytest.mark.parametrize("payload, expected", [
    ({"email": "not-an-address", "role": "crew"}, [["email"]]),
    ({"email": "a@example.test", "role": "tea_boy"}, [["body", "role"]]),
    ({"email": "a@example.test", "role": "crew", "unit_id": 999999}, [["unit_id"]]),
])
def test_invitation_bad_input(owner, production, payload, expected):
    assert loc(send(api(owner), "post", url(production, "/invitations"), payload)) == expected
    assert not Invitation.objects.exists()


def test_invitation_for_existing_member_is_422(owner, production):
    response = send(api(owner), "post", url(production, "/invitations"), {"email": owner.email, "role": "crew"})
    assert loc(response) == [["email"]]


def test_invitation_denied_creates_nothing(production):
    crew = member(production, Role.CREW).user
    response = send(api(crew), "post", url(production, "/invitations"), {"email": "x@example.test", "role": "upm"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- authority matrix ----------------------------------------------------------------------------


def test_authority_list_is_the_matrix(production):
    body = api(member(production, Role.CREW).user).get(url(production, "/authority")).json()
    assert len(body) == AuthorityRule.objects.filter(production=production).count()
    assert {"action": "view_pay", "role": "crew", "scope": "own", "limit_amount": None} in body
    assert {"action": "approve_purchase", "role": "upm", "scope": "all", "limit_amount": "50000.00"} in body


def test_authority_set_allow_and_deny(owner, production):
    client = api(owner)
    response = send(client, "put", url(production, "/authority/approve_purchase/department_head"),
                    {"allowed": True, "scope": "department", "limit_amount": "2500.50"})
    assert response.status_code == 200, response.content
    assert response.json() == {"action": "approve_purchase", "role": "department_head", "allowed": True,
                               "scope": "department", "limit_amount": "2500.50"}
    rule = AuthorityRule.objects.get(production=production, action=Action.APPROVE_PURCHASE, role=Role.DEPARTMENT_HEAD)
    assert (rule.scope, rule.limit_amount) == (Scope.DEPARTMENT, Decimal("2500.50"))

    response = send(client, "put", url(production, "/authority/view_pay/crew"), {"allowed": False})
    assert response.json() == {"action": "view_pay", "role": "crew", "allowed": False, "scope": None,
                               "limit_amount": None}
    assert not AuthorityRule.objects.filter(production=production, action="view_pay", role="crew").exists()


@pytest.mark.parametrize("tail, payload, expected", [
    ("/authority/fly/crew", {"allowed": True}, [["action"]]),
    ("/authority/view_pay/pilot", {"allowed": True}, [["role"]]),
    ("/authority/view_pay/crew", {"allowed": True, "scope": "galaxy"}, [["body", "scope"]]),
    ("/authority/approve_purchase/crew", {"allowed": True, "limit_amount": "-1"}, [["body", "limit_amount"]]),
    ("/authority/manage_members/producer", {"allowed": False}, [[]]),
])
def test_authority_set_bad_input_changes_nothing(owner, production, tail, payload, expected):
    before = list(AuthorityRule.objects.values_list("action", "role", "scope", "limit_amount").order_by("pk"))
    assert loc(send(api(owner), "put", url(production, tail), payload)) == expected
    assert list(AuthorityRule.objects.values_list("action", "role", "scope", "limit_amount").order_by("pk")) == before


def test_authority_set_denied_changes_nothing(production):
    accountant = member(production, Role.PRODUCTION_ACCOUNTANT).user
    before = AuthorityRule.objects.count()
    response = send(api(accountant), "put", url(production, "/authority/manage_members/production_accountant"),
                    {"allowed": True})
    assert response.status_code == 403
    assert AuthorityRule.objects.count() == before
    assert not AuthorityRule.objects.filter(action="manage_members", role="production_accountant").exists()


@pytest.mark.parametrize("path, expected", [
    ("/api/v1/productions/99999999999999999999", [["path", "production_id"]]),
    ("/api/v1/productions?offset=99999999999999999999", [["query", "offset"]]),
    ("/api/v1/productions?limit=abc", [["query", "limit"]]),
])
def test_out_of_range_numbers_are_422_not_500(owner, production, path, expected):
    assert loc(api(owner).get(path)) == expected


def test_page_size_is_capped(owner, production):
    for i in range(3):
        make_production(f"Extra {i}", owner=owner)
    body = api(owner).get("/api/v1/productions?limit=100000000000000000000").json()
    assert body["count"] == 4 and len(body["items"]) == 4
