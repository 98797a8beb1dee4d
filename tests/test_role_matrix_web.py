"""Each role does through the foundation's web pages exactly what the default authority matrix
allows: every write (contacts, crew, cast, invitations, members, the matrix, production settings)
is posted by every role with valid data; an allowed one goes through (a redirect), a denied one is
403 and changes nothing. Every foundation URL under a production must have a row here."""

import re
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
from tests.test_isolation import production_routes
from unitbase.productions.authority import DEFAULT_MATRIX, Action, Role
from unitbase.productions.models import Invitation

pytestmark = pytest.mark.django_db

# Read-only pages, exports and the matrix (posted below) are checked elsewhere or here by GET.
FOUNDATION_PREFIXES = ("p/<int:production_id>/people/", "p/<int:production_id>/crew/", "p/<int:production_id>/cast/",
                       "p/<int:production_id>/members/", "p/<int:production_id>/invitations/",
                       "p/<int:production_id>/settings/", "p/<int:production_id>/authority/")


def writes(ids):
    """(url template, action guarding it, valid form data) for every foundation write."""
    m = ids["membership_id"]
    return [
        ("/p/{production_id}/people/new/", Action.MANAGE_CONTACTS, {"name": "New Contact"}),
        ("/p/{production_id}/people/{person_id}/edit/", Action.MANAGE_CONTACTS, {"name": "Renamed Contact"}),
        ("/p/{production_id}/crew/hire/", Action.HIRE_CREW,
         {"person": ids["free_person_id"], "department": ids["department_id"], "position": "Loader", "rate_unit": "week",
          "rate_currency": "USD"}),
        ("/p/{production_id}/crew/{crew_member_id}/edit/", Action.HIRE_CREW,
         {"department": ids["department_id"], "position": "Clapper Loader", "rate_unit": "week", "rate_currency": "USD"}),
        ("/p/{production_id}/crew/{crew_member_id}/release/", Action.HIRE_CREW, {}),
        ("/p/{production_id}/cast/add/", Action.HIRE_CAST,
         {"person": ids["free_person_id"], "character": "NEW PART", "rate_unit": "day", "rate_currency": "USD"}),
        ("/p/{production_id}/cast/{cast_member_id}/edit/", Action.HIRE_CAST, {"character": "RENAMED", "cast_number": 99, "rate_unit": "day",
                                                                     "rate_currency": "USD"}),
        ("/p/{production_id}/cast/{cast_member_id}/remove/", Action.HIRE_CAST, {}),
        ("/p/{production_id}/members/invite/", Action.MANAGE_MEMBERS, {"email": "invitee@example.test", "role": "crew"}),
        ("/p/{production_id}/members/{membership_id}/", Action.MANAGE_MEMBERS, {f"m{m}-role": "cast", f"m{m}-is_active": "on"}),
        ("/p/{production_id}/invitations/{invitation_id}/revoke/", Action.MANAGE_MEMBERS, {}),
        ("/p/{production_id}/authority/", Action.MANAGE_AUTHORITY,
         {"action": Action.VIEW_AUDIT.value, "role": Role.CAST.value, "allowed": "on", "scope": "all"}),
        ("/p/{production_id}/settings/", Action.EDIT_PRODUCTION,
         {"form": "production", "title": "Alpha Renamed", "kind": "feature", "status": "prep", "base_currency": "EUR",
          "time_zone": "Europe/Berlin"}),
        ("/p/{production_id}/settings/", Action.EDIT_PRODUCTION, {"form": "unit", "unit-name": "Splinter",
                                                                   "unit-kind": "splinter"}),
    ]


@pytest.fixture
def world():
    production = make_production("Alpha")
    camera = department(production, "Camera")
    crew = CrewMemberFactory(production=production, department=camera, start_date=date(2027, 3, 1))
    cast = CastMemberFactory(production=production)
    invitation = Invitation.objects.create(production=production, email="pending@example.test", role=Role.CREW)
    ids = {
        "production_id": production.pk,
        "person_id": crew.person.pk,
        "free_person_id": PersonFactory(production=production).pk,
        "crew_member_id": crew.pk,
        "cast_member_id": cast.pk,
        "membership_id": member(production, Role.CREW).pk,
        "invitation_id": invitation.pk,
        "department_id": camera.pk,
    }
    return production, ids


def test_every_foundation_write_url_has_a_row():
    fake = {"membership_id": 0, "free_person_id": 0, "department_id": 0}
    covered = {re.sub(r"\{\w+\}", "*", template.split("{production_id}/")[1]) for template, _, _ in writes(fake)}
    routes = [r for r in production_routes() if r.startswith(FOUNDATION_PREFIXES)]
    assert len(routes) >= 15, routes
    missing = []
    for route in routes:
        tail = route.split("<int:production_id>/")[1]
        # Pages and exports that only read are not writes; every other route must be posted below.
        if tail in ("people/", "crew/", "cast/", "members/", "crew/export.csv", "crew/export.xlsx",
                    "cast/export.csv", "cast/export.xlsx", "people/<int:person_id>/"):
            continue
        if re.sub(r"<[^>]+>", "*", tail) not in covered:
            missing.append(route)
    assert missing == []


@pytest.mark.parametrize("role", Role.values)
def test_each_role_writes_exactly_what_the_default_matrix_allows_on_the_web(world, role):
    production, ids = world
    client = Client()
    client.force_login(member(production, role, department_name="Camera").user)
    failures = []
    for template, action, data in writes(ids):
        url = template.format(**ids)
        allowed = role in DEFAULT_MATRIX[action]
        # Every member sees the matrix (test_role_matrix.py); only editing it is guarded here.
        # A POST-only action answers 405 to GET; the invitation form lives on the members page.
        form = client.get(url)
        if template == "/p/{production_id}/authority/":
            pass
        elif form.status_code not in (405, 200 if allowed else 403) and not (allowed and form.status_code == 302):
            failures.append(f"{role} GET {url}: {form.status_code}")
        before = None if allowed else database_state()
        response = client.post(url, data)
        expected = 302 if allowed else 403
        if response.status_code != expected:
            failures.append(f"{role} POST {url}: {response.status_code}, expected {expected} "
                            f"{response.content[:200]!r}")
        elif not allowed and database_state() != before:
            failures.append(f"{role} POST {url}: refused but something changed")
    assert failures == []
