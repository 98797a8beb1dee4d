"""API tests for contacts, crew and cast: scoping, authorisation, validation and pay privacy."""

from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import (
    CastMemberFactory,
    CrewMemberFactory,
    PersonFactory,
    UserFactory,
    department,
    make_production,
    member,
)
from unitbase.accounts.services import api_token_create
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.authority import Role
from unitbase.productions.models import Unit

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def loc(response):
    assert response.status_code == 422, response.content
    return [e["loc"] for e in response.json()["detail"]]


def snapshot(model):
    return list(model.objects.order_by("pk").values())


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def production(owner):
    return make_production("Alpha", owner=owner)


@pytest.fixture
def other():
    production = make_production("Beta")
    CrewMemberFactory(production=production)
    CastMemberFactory(production=production)
    return production


def url(production, tail=""):
    return f"/api/v1/productions/{production.pk}{tail}"


# --- people --------------------------------------------------------------------------------------


def test_person_create_list_detail_patch(owner, production):
    client = api(owner)
    response = send(client, "post", url(production, "/people"),
                    {"name": "Rosa Diaz", "email": "rosa@example.test", "agency": "Northern Talent"})
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    PersonFactory(production=production, name="Ben Okafor")
    listed = client.get(url(production, "/people?search=northern")).json()
    assert [p["name"] for p in listed["items"]] == ["Rosa Diaz"]
    assert client.get(url(production, f"/people/{pid}")).json()["agency"] == "Northern Talent"
    response = send(client, "patch", url(production, f"/people/{pid}"), {"phone": "+44 20 7946 0000"})
    assert response.status_code == 200
    person = Person.objects.get(pk=pid)
    assert (person.name, person.phone) == ("Rosa Diaz", "+44 20 7946 0000")


@pytest.mark.parametrize("payload, expected", [
    ({"email": "x@example.test"}, [["body", "name"]]),
    ({"name": "X", "email": "not-an-address"}, [["email"]]),
    ({"name": "X", "phone": "1" * 41}, [["body", "phone"]]),
])
def test_person_create_bad_input(owner, production, payload, expected):
    assert loc(send(api(owner), "post", url(production, "/people"), payload)) == expected
    assert not Person.objects.exists()


def test_person_writes_denied_change_nothing(production):
    person = PersonFactory(production=production, name="Kept")
    client = api(member(production, Role.CREW).user)
    before = snapshot(Person)
    assert send(client, "post", url(production, "/people"), {"name": "New"}).status_code == 403
    assert send(client, "patch", url(production, f"/people/{person.pk}"), {"name": "Changed"}).status_code == 403
    assert snapshot(Person) == before


def test_person_of_another_production_is_not_found(owner, production, other):
    theirs = Person.objects.filter(production=other).first()
    client = api(owner)
    assert client.get(url(production, f"/people/{theirs.pk}")).status_code == 404
    assert send(client, "patch", url(production, f"/people/{theirs.pk}"), {"name": "X"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "X"


# --- crew ----------------------------------------------------------------------------------------


def test_crew_hire_with_money_as_string(owner, production):
    person = PersonFactory(production=production, name="Lee Chan")
    grip = department(production, "Grip")
    response = send(api(owner), "post", url(production, "/crew"), {
        "person_id": person.pk, "department_id": grip.pk, "position": "Key grip",
        "rate_amount": "3150.5", "rate_unit": "week", "start_date": "2025-03-03",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rate_amount"] == "3150.50" and body["rate_currency"] == "USD" and body["pay_visible"] is True
    assert body["person"] == {"id": person.pk, "name": "Lee Chan"}
    assert body["department"] == {"id": grip.pk, "name": "Grip"}
    assert body["position"] == "Key grip" and body["unit"] is None
    crew = CrewMember.objects.get(pk=body["id"])
    assert crew.rate_amount == Decimal("3150.50") and crew.start_date.isoformat() == "2025-03-03"


def test_crew_list_filters(owner, production):
    camera, sound = department(production, "Camera"), department(production, "Sound")
    second = Unit.objects.create(production=production, name="Second unit", kind="second")
    a = CrewMemberFactory(production=production, department=camera, person=PersonFactory(production=production,
                                                                                           name="Ann Field"))
    # Both names fixed: a generated name such as "Joanna" would also match "ann".
    b = CrewMemberFactory(production=production, department=sound, unit=second,
                          person=PersonFactory(production=production, name="Bo Ruiz"),
                          position=sound.positions.create(production=production, name="Boom operator"))
    client = api(owner)

    def ids(query):
        return {row["id"] for row in client.get(url(production, "/crew" + query)).json()["items"]}

    assert ids("") == {a.pk, b.pk}
    assert ids(f"?department={camera.pk}") == {a.pk}
    assert ids(f"?unit={second.pk}") == {b.pk}
    assert ids("?search=boom") == {b.pk}
    assert ids("?search=ann") == {a.pk}
    assert ids(f"?department={sound.pk}&search=ann") == set()


def test_crew_pay_privacy_for_crew_role(production):
    camera = department(production, "Camera")
    crew_user = member(production, Role.CREW, department_name="Camera").user
    mine = CrewMemberFactory(production=production, department=camera,
                             person=PersonFactory(production=production, user=crew_user))
    theirs = CrewMemberFactory(production=production, department=camera)
    client = api(crew_user)
    rows = {row["id"]: row for row in client.get(url(production, "/crew")).json()["items"]}
    assert rows[mine.pk]["rate_amount"] == "2500.00" and rows[mine.pk]["rate_currency"] == "USD"
    assert rows[mine.pk]["pay_visible"] is True
    assert {k: rows[theirs.pk][k] for k in ("rate_amount", "rate_currency", "rate_unit", "pay_visible")} == {
        "rate_amount": None, "rate_currency": None, "rate_unit": None, "pay_visible": False}
    detail = client.get(url(production, f"/crew/{theirs.pk}")).json()
    assert detail["rate_amount"] is None and detail["position"] == "1st AC"


def test_crew_pay_privacy_for_department_head(production):
    camera, grip = department(production, "Camera"), department(production, "Grip")
    head = member(production, Role.DEPARTMENT_HEAD, department_name="Camera").user
    same = CrewMemberFactory(production=production, department=camera)
    elsewhere = CrewMemberFactory(production=production, department=grip,
                                  position=grip.positions.create(production=production, name="Dolly grip"))
    rows = {r["id"]: r for r in api(head).get(url(production, "/crew")).json()["items"]}
    assert rows[same.pk]["rate_amount"] == "2500.00"
    assert rows[elsewhere.pk]["rate_amount"] is None


def test_crew_patch_and_delete(owner, production):
    crew = CrewMemberFactory(production=production)
    client = api(owner)
    response = send(client, "patch", url(production, f"/crew/{crew.pk}"),
                    {"rate_amount": "2750.00", "position": "2nd AC"})
    assert response.status_code == 200, response.content
    assert response.json()["rate_amount"] == "2750.00" and response.json()["position"] == "2nd AC"
    crew.refresh_from_db()
    assert (crew.rate_amount, crew.position.name, crew.department.name) == (Decimal("2750.00"), "2nd AC", "Camera")
    response = send(client, "delete", url(production, f"/crew/{crew.pk}"))
    assert response.status_code == 204
    assert not CrewMember.objects.filter(pk=crew.pk).exists()


def test_crew_writes_denied_change_nothing(production):
    crew = CrewMemberFactory(production=production)
    person = PersonFactory(production=production)
    client = api(member(production, Role.PRODUCTION_COORDINATOR).user)
    before = snapshot(CrewMember)
    camera = department(production, "Camera")
    assert send(client, "post", url(production, "/crew"),
                {"person_id": person.pk, "department_id": camera.pk, "position": "Loader"}).status_code == 403
    assert send(client, "patch", url(production, f"/crew/{crew.pk}"), {"rate_amount": "1.00"}).status_code == 403
    assert send(client, "delete", url(production, f"/crew/{crew.pk}")).status_code == 403
    assert snapshot(CrewMember) == before


def test_crew_of_another_production_is_not_found(owner, production, other):
    theirs = CrewMember.objects.get(production=other)
    client = api(owner)
    for method in ("get", "patch", "delete"):
        assert send(client, method, url(production, f"/crew/{theirs.pk}"), {"position": "X"}).status_code == 404
    assert CrewMember.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("change, expected", [
    ({"department_id": "theirs"}, [["department_id"]]),
    ({"person_id": "theirs"}, [["person_id"]]),
    ({"person_id": 999999}, [["person_id"]]),
    ({"start_date": "2025-05-02", "end_date": "2025-05-01"}, [["end_date"]]),
    ({"rate_amount": "-5"}, [["body", "rate_amount"]]),
    ({"rate_amount": "12.345"}, [["body", "rate_amount"]]),
    ({"rate_currency": "E1R"}, [["rate_currency"]]),
    ({"rate_unit": "fortnight"}, [["body", "rate_unit"]]),
    ({"position": ""}, [["body", "position"]]),
])
def test_crew_hire_bad_input(owner, production, other, change, expected):
    payload = {"person_id": PersonFactory(production=production).pk,
               "department_id": department(production, "Camera").pk, "position": "Loader"}
    theirs = {"department_id": department(other, "Camera").pk,
              "person_id": Person.objects.filter(production=other).first().pk}
    payload.update({k: theirs[k] if v == "theirs" else v for k, v in change.items()})
    before = snapshot(CrewMember)
    assert loc(send(api(owner), "post", url(production, "/crew"), payload)) == expected
    assert snapshot(CrewMember) == before


# --- cast ----------------------------------------------------------------------------------------


def test_cast_create_list_patch_delete(owner, production):
    client = api(owner)
    person = PersonFactory(production=production, name="Mara Quinn")
    response = send(client, "post", url(production, "/cast"),
                    {"person_id": person.pk, "character": "Detective Hale", "rate_amount": "1200"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["character"], body["cast_number"], body["rate_amount"], body["rate_unit"]) == (
        "DETECTIVE HALE", 1, "1200.00", "day")
    listed = client.get(url(production, "/cast?search=hale")).json()
    assert [c["id"] for c in listed["items"]] == [body["id"]]

    response = send(client, "patch", url(production, f"/cast/{body['id']}"), {"cast_number": 7})
    assert response.status_code == 200 and response.json()["cast_number"] == 7
    assert CastMember.objects.get(pk=body["id"]).cast_number == 7

    assert send(client, "delete", url(production, f"/cast/{body['id']}")).status_code == 204
    assert not CastMember.objects.exists()


@pytest.mark.parametrize("field, value", [("cast_number", 1), ("character", "hero")])
def test_cast_duplicates_are_422_on_the_field(owner, production, field, value):
    CastMemberFactory(production=production, cast_number=1, character="HERO")
    payload = {"person_id": PersonFactory(production=production).pk, "character": "VILLAIN", "cast_number": 2}
    payload[field] = value
    before = snapshot(CastMember)
    response = send(api(owner), "post", url(production, "/cast"), payload)
    assert loc(response) == [[field]]
    assert snapshot(CastMember) == before


def test_cast_patch_to_taken_number_is_422(owner, production):
    CastMemberFactory(production=production, cast_number=1)
    second = CastMemberFactory(production=production, cast_number=2)
    assert loc(send(api(owner), "patch", url(production, f"/cast/{second.pk}"), {"cast_number": 1})) == [
        ["cast_number"]]
    second.refresh_from_db()
    assert second.cast_number == 2


def test_cast_pay_privacy(production):
    actor_user = member(production, Role.CAST).user
    mine = CastMemberFactory(production=production, person=PersonFactory(production=production, user=actor_user))
    theirs = CastMemberFactory(production=production)
    rows = {r["id"]: r for r in api(actor_user).get(url(production, "/cast")).json()["items"]}
    assert rows[mine.pk]["rate_amount"] == "1100.00"
    assert rows[theirs.pk]["rate_amount"] is None and rows[theirs.pk]["rate_currency"] is None


def test_cast_writes_denied_change_nothing(production):
    cast = CastMemberFactory(production=production)
    person = PersonFactory(production=production)
    client = api(member(production, Role.LINE_PRODUCER).user)  # may hire crew, not cast
    before = snapshot(CastMember)
    assert send(client, "post", url(production, "/cast"), {"person_id": person.pk, "character": "X"}).status_code == 403
    assert send(client, "patch", url(production, f"/cast/{cast.pk}"), {"character": "Y"}).status_code == 403
    assert send(client, "delete", url(production, f"/cast/{cast.pk}")).status_code == 403
    assert snapshot(CastMember) == before


def test_cast_of_another_production_is_not_found(owner, production, other):
    theirs = CastMember.objects.get(production=other)
    client = api(owner)
    for method in ("get", "patch", "delete"):
        assert send(client, method, url(production, f"/cast/{theirs.pk}"), {"character": "X"}).status_code == 404
    assert CastMember.objects.filter(pk=theirs.pk).exists()


def test_crew_list_query_count_does_not_grow(owner, production, django_assert_max_num_queries):
    for _ in range(5):
        CrewMemberFactory(production=production)
    client = api(owner)
    client.get(url(production, "/crew"))  # warm the token's last-used stamp
    with django_assert_max_num_queries(8):
        assert client.get(url(production, "/crew")).json()["count"] == 5
