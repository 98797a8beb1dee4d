"""The locations pages as users see them: who reads, who edits, bad input, and that a denied request
changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import member
from unitbase.callsheets.tests.helpers import DAY1, build_world
from unitbase.locations import services
from unitbase.locations.models import Location, LocationAvailability, SetLocation
from unitbase.productions.authority import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w["quay"] = services.location_create(access=w["ad"], name="Tarbert quay", address="Harbour Street",
                                         latitude="55.865", longitude="-5.414", hospital_name="Mid Argyll Hospital")
    services.set_location_assign(access=w["ad"], set_key="HARBOUR", set_name="HARBOUR", location_id=w["quay"].pk)
    return w


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name, world, *args):
    return reverse(f"locations:{name}", args=[world["production"].pk, *args])


def snapshot():
    return (list(Location.objects.order_by("pk").values()), list(SetLocation.objects.order_by("pk").values()),
            list(LocationAvailability.objects.values()))


def test_crew_reads_every_page_without_edit_controls(world):
    c = client_for(member(world["production"], Role.CREW).user)
    page = c.get(url("list", world)).content.decode()
    assert "Tarbert quay" in page and "Mid Argyll Hospital" in page and "Add location" not in page
    # COTTAGE (scenes 2, 3) has no location yet: the list says so.
    assert "1 set of the script has no location yet" in page and "COTTAGE" in page
    detail = c.get(url("detail", world, world["quay"].pk)).content.decode()
    assert "HARBOUR" in detail and "Edit location" not in detail and "Set availability" not in detail
    # Shoot days from the applied schedule: scene 1 on day 1, scene 4 on day 3.
    assert "Day 1" in detail and "Day 3" in detail and f"{DAY1:%a} {DAY1.day} {DAY1:%b %Y}" in detail
    sets = c.get(url("sets", world)).content.decode()
    assert "COTTAGE" in sets and 'name="location"' not in sets
    assert c.get(url("add", world)).status_code == 403


def test_crew_posts_are_denied_and_change_nothing(world):
    c = client_for(member(world["production"], Role.CREW).user)
    before = snapshot()
    responses = [
        c.post(url("add", world), {"name": "Elsewhere", "status": "scouting"}),
        c.post(url("edit", world, world["quay"].pk), {"name": "Renamed", "status": "wrapped"}),
        c.post(url("delete", world, world["quay"].pk)),
        c.post(url("sets", world), {"set_key": "HARBOUR", "location": ""}),
        c.post(url("availability", world, world["quay"].pk), {"date": DAY1.isoformat(), "status": "unavailable"}),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert snapshot() == before


def test_other_department_heads_are_denied_the_location_manager_is_not(world):
    camera = client_for(member(world["production"], Role.DEPARTMENT_HEAD, department_name="Camera").user)
    before = snapshot()
    assert camera.post(url("sets", world), {"set_key": "COTTAGE", "location": world["quay"].pk}).status_code == 403
    assert snapshot() == before
    locations = client_for(member(world["production"], Role.DEPARTMENT_HEAD, department_name="Locations").user)
    response = locations.post(url("sets", world), {"set_key": "COTTAGE", "set_name": "COTTAGE", "location": world["quay"].pk})
    assert response.status_code == 302
    assert SetLocation.objects.get(set_key="COTTAGE").location == world["quay"]


def test_add_edit_and_remove_through_the_pages(world):
    c = client_for(world["ad_user"])
    response = c.post(url("add", world), {"name": "Ardbeg Cottage", "status": "on_hold", "address": "Kilberry Road",
                                          "latitude": "55.8532", "longitude": "-5.4476"})
    cottage = Location.objects.get(name="Ardbeg Cottage")
    assert response.status_code == 302 and response["Location"] == url("detail", world, cottage.pk)
    assert (cottage.status, str(cottage.latitude)) == ("on_hold", "55.853200")
    form = c.get(url("edit", world, cottage.pk)).content.decode()
    assert 'value="Kilberry Road"' in form
    c.post(url("edit", world, cottage.pk), {"name": "Ardbeg Cottage", "status": "confirmed", "address": "Kilberry Road",
                                            "latitude": "55.8532", "longitude": "-5.4476", "parking": "Field opposite"})
    cottage.refresh_from_db()
    assert (cottage.status, cottage.parking) == ("confirmed", "Field opposite")
    assert c.post(url("sets", world), {"set_key": "COTTAGE", "set_name": "COTTAGE", "location": cottage.pk}).status_code == 302
    c.post(url("availability", world, cottage.pk), {"date": DAY1.isoformat(), "status": "hold", "note": "Owner away"})
    assert LocationAvailability.objects.get(location=cottage).note == "Owner away"
    assert c.post(url("delete", world, cottage.pk)).status_code == 302
    assert not Location.objects.filter(pk=cottage.pk).exists() and not SetLocation.objects.filter(set_key="COTTAGE").exists()


@pytest.mark.parametrize("data, message", [
    ({"name": "", "status": "scouting"}, "This field is required."),
    ({"name": "X", "status": "scouting", "latitude": "55.1"}, "Give both latitude and longitude, or neither."),
    ({"name": "X", "status": "scouting", "latitude": "95", "longitude": "1"}, "less than or equal to 90"),
    ({"name": "X", "status": "scouting", "latitude": "abc", "longitude": "1"}, "Enter a number."),
    ({"name": "Tarbert Quay", "status": "scouting"}, "There is already a location called Tarbert Quay."),
])
def test_bad_input_shows_a_message_and_saves_nothing(world, data, message):
    c = client_for(world["ad_user"])
    before = snapshot()
    response = c.post(url("add", world), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert snapshot() == before


def test_bad_availability_and_assignment_input(world):
    c = client_for(world["ad_user"])
    before = snapshot()
    bad_date = c.post(url("availability", world, world["quay"].pk), {"date": "31/02/2027", "status": "unavailable"})
    assert bad_date.status_code == 422 and "Enter a valid date." in bad_date.content.decode()
    bad_location = c.post(url("sets", world), {"set_key": "COTTAGE", "location": "999999"})
    assert bad_location.status_code == 422 and "Select a valid choice." in bad_location.content.decode()
    assert snapshot() == before


def test_another_productions_location_is_not_found(world):
    other = build_world()
    theirs = services.location_create(access=other["ad"], name="Their barn")
    c = client_for(world["ad_user"])
    assert c.get(url("detail", world, theirs.pk)).status_code == 404
    assert c.post(url("edit", world, theirs.pk), {"name": "Mine", "status": "scouting"}).status_code == 404
    assert Location.objects.get(pk=theirs.pk).name == "Their barn"


def test_stripboard_and_call_sheet_pages_show_the_location(world):
    c = client_for(world["ad_user"])
    board = c.get(reverse("scheduling:board", args=[world["production"].pk, world["version"].pk])).content.decode()
    assert '<span class="sb-loc" title="Location: Tarbert quay">Tarbert quay</span>' in board
    assert '<option value="location">Location</option>' in board or ">Location</option>" in board
    filtered = c.get(reverse("scheduling:board", args=[world["production"].pk, world["version"].pk]),
                     {"location": world["quay"].pk}).content.decode()
    assert filtered.count("sb-dim") == 2  # the two COTTAGE scenes are dimmed
