"""The locations API: reads for every member, writes for manage_locations, 422 on bad input, and a
denied request changes nothing."""

import pytest
from django.test import Client

from tests.factories import make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.callsheets.tests.helpers import DAY1, build_world
from unitbase.locations.models import Location, LocationAvailability, SetLocation
from unitbase.productions.authority import Role

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def snapshot():
    return (list(Location.objects.order_by("pk").values()), list(SetLocation.objects.order_by("pk").values()),
            list(LocationAvailability.objects.values()))


@pytest.fixture
def world():
    return build_world()


def test_crud_sets_availability_and_shoot_days(world):
    c = api(world["ad_user"])
    base = f"/api/v1/productions/{world['production'].pk}/locations"
    created = send(c, "post", base, {"name": "Tarbert quay", "status": "confirmed", "latitude": "55.865",
                                     "longitude": "-5.414", "hospital_name": "Mid Argyll Hospital"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["latitude"], body["sets"]) == ("Tarbert quay", "55.865000", [])
    assert body["map_url"].startswith("https://www.openstreetmap.org/?mlat=55.865000")
    pk = body["id"]
    assigned = send(c, "put", f"{base}/sets", {"set_key": "HARBOUR", "location_id": pk})
    assert assigned.json() == {"set_key": "HARBOUR", "set_name": "HARBOUR", "scenes": ["1", "4"], "location_id": pk}
    sets = {s["set_key"]: s["location_id"] for s in c.get(f"{base}/sets").json()}
    assert sets == {"COTTAGE": None, "HARBOUR": pk}
    patched = send(c, "patch", f"{base}/{pk}", {"parking": "Pier car park"})
    assert patched.json()["parking"] == "Pier car park" and patched.json()["sets"] == ["HARBOUR"]
    held = send(c, "post", f"{base}/{pk}/availability", {"date": DAY1.isoformat(), "status": "hold", "note": "Regatta"})
    assert held.status_code == 200 and held.json() == {"date": DAY1.isoformat(), "status": "hold", "note": "Regatta"}
    assert c.get(f"{base}/{pk}/availability").json() == [held.json()]
    cleared = send(c, "post", f"{base}/{pk}/availability", {"date": DAY1.isoformat(), "status": "available"})
    assert cleared.status_code == 204 and LocationAvailability.objects.count() == 0
    days = c.get(f"{base}/{pk}/shoot-days").json()
    assert [(d["day_number"], d["scenes"]) for d in days] == [(1, ["1"]), (3, ["4"])]
    listed = c.get(base, {"search": "tarbert"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pk
    assert send(c, "delete", f"{base}/{pk}").status_code == 204
    assert Location.objects.count() == 0 and SetLocation.objects.count() == 0


def test_crew_reads_but_cannot_write(world):
    ad = api(world["ad_user"])
    base = f"/api/v1/productions/{world['production'].pk}/locations"
    pk = send(ad, "post", base, {"name": "Tarbert quay"}).json()["id"]
    crew = api(member(world["production"], Role.CREW).user)
    assert crew.get(f"{base}/{pk}").json()["name"] == "Tarbert quay"
    before = snapshot()
    responses = [
        send(crew, "post", base, {"name": "Elsewhere"}),
        send(crew, "patch", f"{base}/{pk}", {"name": "Renamed"}),
        send(crew, "delete", f"{base}/{pk}"),
        send(crew, "put", f"{base}/sets", {"set_key": "HARBOUR", "location_id": pk}),
        send(crew, "post", f"{base}/{pk}/availability", {"date": DAY1.isoformat(), "status": "unavailable"}),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert snapshot() == before


def test_bad_input_is_422_and_names_the_field(world):
    c = api(world["ad_user"])
    base = f"/api/v1/productions/{world['production'].pk}/locations"
    before = snapshot()
    cases = [
        ({"name": "X", "latitude": "91", "longitude": "0"}, ["body", "latitude"]),
        ({"name": "X", "latitude": "55"}, ["longitude"]),
        ({"name": "X", "status": "booked"}, ["body", "status"]),
        ({"name": ""}, ["body", "name"]),
    ]
    for data, where in cases:
        response = send(c, "post", base, data)
        assert response.status_code == 422, (data, response.content)
        assert where in [e["loc"] for e in response.json()["detail"]], response.json()
    assert send(c, "put", f"{base}/sets", {"set_key": "HARBOUR", "location_id": 999999}).status_code == 422
    assert snapshot() == before


def test_another_production_is_not_found(world):
    outsider = member(make_production(title="Other"), Role.UPM).user
    response = api(outsider).get(f"/api/v1/productions/{world['production'].pk}/locations")
    assert response.status_code == 404
