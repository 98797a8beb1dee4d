"""Each role does through the foundation's API exactly what the default authority matrix allows:
every operation of the foundation (productions, units, episodes, departments, contacts, crew, cast,
members, invitations, the matrix) is tried by every role; an allowed one succeeds, a denied one is
403 and changes nothing. The operations are checked against the OpenAPI schema, so a foundation
endpoint added without a row here fails the test."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import (
    CastMemberFactory,
    CrewMemberFactory,
    PersonFactory,
    database_state,
    department,
    make_production,
    member,
)
from unitbase.accounts.services import api_token_create
from unitbase.productions.authority import DEFAULT_MATRIX, Action, Role

pytestmark = pytest.mark.django_db

FOUNDATION_TAGS = {"productions", "units", "episodes", "departments", "people", "crew", "cast", "members",
                   "authority"}
SUCCESS = {"get": 200, "post": 201, "patch": 200, "put": 200, "delete": 204}


def operations(ids):
    """(method, path template, action guarding it, body) for every foundation operation."""
    return [
        ("get", "/productions/{production_id}", Action.VIEW_PRODUCTION, None),
        ("patch", "/productions/{production_id}", Action.EDIT_PRODUCTION, {"status": "prep"}),
        ("get", "/productions/{production_id}/units", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/units", Action.EDIT_PRODUCTION, {"name": "Splinter", "kind": "splinter"}),
        ("get", "/productions/{production_id}/episodes", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/episodes", Action.EDIT_PRODUCTION, {"number": "102"}),
        ("get", "/productions/{production_id}/departments", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/departments", Action.EDIT_PRODUCTION, {"name": "Drones"}),
        ("get", "/productions/{production_id}/people", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/people", Action.MANAGE_CONTACTS, {"name": "New Contact"}),
        ("get", "/productions/{production_id}/people/{person_id}", Action.VIEW_PRODUCTION, None),
        ("patch", "/productions/{production_id}/people/{person_id}", Action.MANAGE_CONTACTS, {"phone": "+44 20 7946 0001"}),
        ("get", "/productions/{production_id}/crew", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/crew", Action.HIRE_CREW,
         {"person_id": ids["free_person_id"], "department_id": ids["department_id"], "position": "Loader"}),
        ("get", "/productions/{production_id}/crew/{crew_id}", Action.VIEW_PRODUCTION, None),
        ("patch", "/productions/{production_id}/crew/{crew_id}", Action.HIRE_CREW, {"position": "Clapper Loader"}),
        ("delete", "/productions/{production_id}/crew/{crew_id}", Action.HIRE_CREW, None),
        ("get", "/productions/{production_id}/cast", Action.VIEW_PRODUCTION, None),
        ("post", "/productions/{production_id}/cast", Action.HIRE_CAST,
         {"person_id": ids["free_person_id"], "character": "NEW PART"}),
        ("get", "/productions/{production_id}/cast/{cast_id}", Action.VIEW_PRODUCTION, None),
        ("patch", "/productions/{production_id}/cast/{cast_id}", Action.HIRE_CAST, {"character": "RENAMED"}),
        ("delete", "/productions/{production_id}/cast/{cast_id}", Action.HIRE_CAST, None),
        ("get", "/productions/{production_id}/members", Action.VIEW_PRODUCTION, None),
        ("patch", "/productions/{production_id}/members/{membership_id}", Action.MANAGE_MEMBERS, {"role": "cast"}),
        ("post", "/productions/{production_id}/invitations", Action.MANAGE_MEMBERS,
         {"email": "invitee@example.test", "role": "crew"}),
        ("get", "/productions/{production_id}/authority", Action.VIEW_PRODUCTION, None),
        ("put", "/productions/{production_id}/authority/{action}/{role}", Action.MANAGE_AUTHORITY, {"allowed": True}),
    ]


@pytest.fixture
def world():
    production = make_production("Alpha")
    camera = department(production, "Camera")
    crew = CrewMemberFactory(production=production, department=camera, start_date=date(2027, 3, 1))
    cast = CastMemberFactory(production=production)
    target = member(production, Role.CREW)
    ids = {
        "production_id": production.pk,
        "person_id": crew.person.pk,
        "free_person_id": PersonFactory(production=production).pk,
        "crew_id": crew.pk,
        "cast_id": cast.pk,
        "membership_id": target.pk,
        "department_id": camera.pk,
        "action": Action.VIEW_AUDIT.value,
        "role": Role.CAST.value,
    }
    return production, ids


def test_every_foundation_operation_has_a_row():
    schema = Client().get("/api/v1/openapi.json").json()
    listed = {(method, path.removeprefix("/api/v1")) for path, ops in schema["paths"].items()
              for method, op in ops.items() if FOUNDATION_TAGS & set(op.get("tags", []))
              and path.startswith("/api/v1/productions/{production_id}")}
    covered = {(method, path) for method, path, _, _ in operations({"free_person_id": 0, "department_id": 0})}
    assert len(listed) >= 25, listed
    assert listed - covered == set()


@pytest.mark.parametrize("role", Role.values)
def test_each_role_does_exactly_what_the_default_matrix_allows_through_the_api(world, role):
    production, ids = world
    user = member(production, role, department_name="Camera").user
    _, raw = api_token_create(user=user, name="tests")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    failures = []
    for method, template, action, body in operations(ids):
        url = "/api/v1" + template.format(**ids)
        allowed = role in DEFAULT_MATRIX[action]
        before = None if allowed else database_state()
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, data=body, content_type="application/json")
        expected = SUCCESS[method] if allowed else 403
        if response.status_code != expected:
            failures.append(f"{role} {method.upper()} {template}: {response.status_code}, expected {expected} "
                            f"{response.content[:160]!r}")
        elif not allowed and database_state() != before:
            failures.append(f"{role} {method.upper()} {template}: refused but something changed")
    assert failures == []
