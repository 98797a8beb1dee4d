import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from unitbase.core.models import AuditEvent
from unitbase.demo import data
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.authority import Role
from unitbase.productions.models import Invitation, Membership, Production, Unit

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"^(?:INT|EXT|INT\./EXT|I/E)\. .+ - (?:DAY|NIGHT|DAWN|DUSK)$", re.M)
# A character cue: a line in capitals (optionally with an extension) after a blank line, followed by text.
CUE = re.compile(r"(?:^|\n)\n([A-Z][A-Z .'-]+?)(?: \([A-Z.' ]+\))?\n(?=\S)")


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Production, Unit, Membership, Invitation, Person, CrewMember, CastMember, AuditEvent, get_user_model()]
    return {m.__name__: m.objects.count() for m in models}


def screenplay_characters() -> set[str]:
    text = data.SCREENPLAY.read_text(encoding="utf-8")
    body = text.split("FADE IN:", 1)[1]
    return {name.strip() for name in CUE.findall(body) if not HEADING.match(name)}


def test_demo_builds_the_production_and_a_second_run_changes_nothing():
    first = run_demo()
    production = Production.objects.get(title=data.TITLE)
    assert "Created the demo production 'Low Water'" in first
    for login in data.LOGINS:
        assert login["email"] in first
    assert production.kind == Production.Kind.SHORT
    assert production.base_currency == "GBP"
    assert set(production.units.values_list("kind", flat=True)) == {Unit.Kind.MAIN, Unit.Kind.SECOND}

    crew = CrewMember.objects.filter(production=production)
    assert crew.count() >= 25
    assert crew.values("department").distinct().count() >= 8
    assert crew.filter(unit__kind=Unit.Kind.SECOND).count() >= 3
    assert set(crew.values_list("rate_currency", flat=True)) == {"GBP"}
    assert set(crew.values_list("rate_unit", flat=True)) <= {"week", "flat"}
    assert crew.filter(rate_unit="week").count() >= 25
    assert min(crew.values_list("start_date", flat=True)).isoformat() == "2027-02-01"
    assert max(crew.values_list("end_date", flat=True)).isoformat() == "2027-03-26"
    cast = CastMember.objects.filter(production=production)
    assert cast.count() >= 8
    assert set(cast.values_list("rate_unit", flat=True)) == {"day"}
    assert Invitation.objects.filter(production=production, accepted_at__isnull=True).count() == 1
    actions = set(AuditEvent.objects.filter(production_id=production.pk).values_list("action", flat=True))
    assert {"production.create", "unit.create", "invitation.create", "membership.join", "person.create",
            "crew.hire", "cast.create", "person.link_user", "authority.update"} <= actions

    before = counts()
    second = run_demo()
    assert counts() == before
    assert "already exists; nothing was created" in second


def test_every_demo_login_signs_in_and_is_linked_to_its_person(client):
    run_demo()
    production = Production.objects.get(title=data.TITLE)
    for login in data.LOGINS:
        # Through the real sign-in page (django-axes wants a request, so no client.login).
        response = client.post(reverse("accounts:login"), {"username": login["email"], "password": data.PASSWORD})
        assert response.status_code == 302, login["email"]
        assert client.session["_auth_user_id"] == str(Membership.objects.get(
            production=production, user__email=login["email"]).user_id)
        client.logout()
        membership = Membership.objects.get(production=production, user__email=login["email"])
        assert membership.role == login["role"]
        assert Person.objects.get(production=production, user=membership.user).name == login["full_name"]
    wrong = client.post(reverse("accounts:login"), {"username": data.LOGINS[0]["email"], "password": "nope"})
    assert wrong.status_code != 302 and "_auth_user_id" not in client.session
    head = Membership.objects.get(production=production, user__email="camera.head@demo.unitbase.test")
    assert (head.role, head.department.name) == (Role.DEPARTMENT_HEAD, "Camera")
    dop = CrewMember.objects.get(production=production, person__user=head.user)
    assert (dop.department.name, dop.position.name) == ("Camera", "Director of Photography")
    crew_login = Membership.objects.get(production=production, user__email="crew@demo.unitbase.test")
    assert (crew_login.role, crew_login.department.name) == (Role.CREW, "Camera")
    assert CrewMember.objects.get(production=production, person__user=crew_login.user).department.name == "Camera"


def test_the_screenplay_is_a_proper_fountain_short_and_the_cast_list_matches_it():
    text = data.SCREENPLAY.read_text(encoding="utf-8")
    assert text.startswith("Title: LOW WATER\n")
    headings = HEADING.findall(text)
    assert len(headings) >= 25
    assert any(h.startswith("INT.") for h in headings) and any(h.startswith("EXT.") for h in headings)
    assert any(h.endswith("- DAY") for h in headings) and any(h.endswith("- NIGHT") for h in headings)
    assert len({h.split(". ", 1)[1].split(" - ")[0] for h in headings}) >= 8  # locations
    assert re.search(r"^\([a-z][^)]*\)$", text, re.M)  # parentheticals
    assert re.search(r"^[A-Z ]+TO:$", text, re.M)  # a transition
    characters = screenplay_characters()
    assert len(characters) >= 8
    cast_characters = [row["character"] for row in data.CAST]
    assert set(cast_characters) == characters
    assert len(cast_characters) == len(set(cast_characters))


def test_demo_cast_is_numbered_one_to_n():
    run_demo()
    production = Production.objects.get(title=data.TITLE)
    numbers = list(CastMember.objects.filter(production=production).values_list("cast_number", "character"))
    assert numbers == [(i, row["character"]) for i, row in enumerate(data.CAST, start=1)]
