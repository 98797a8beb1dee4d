"""Locations through the services, and what the stripboard, optimiser and call sheets read from them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_production, member
from unitbase.callsheets import services as callsheets
from unitbase.callsheets.selectors import sheet_data
from unitbase.callsheets.tests.helpers import DAY1, build_world
from unitbase.core.models import AuditEvent
from unitbase.locations import selectors, services
from unitbase.locations.models import Location, LocationAvailability, SetLocation
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling import services as sched
from unitbase.scheduling.optimise import Options, instance_build
from unitbase.scheduling.selectors import StripFilter, board_get, strip_matches

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def as_role(world, role, department_name=None):
    user = member(world["production"], role, department_name=department_name).user
    return access_production(user, world["production"].pk)


def quay(access, **extra):
    return services.location_create(access=access, name="Tarbert quay", address="Harbour Street, Tarbert",
                                    latitude=Decimal("55.8650"), longitude=Decimal("-5.4140"),
                                    hospital_name="Mid Argyll Hospital", hospital_phone="01632 960 414", **extra)


def test_create_update_and_audit(world):
    ad = world["ad"]
    loc = quay(ad, status=Location.Status.ON_HOLD)
    assert (loc.name, loc.status, loc.latitude) == ("Tarbert quay", "on_hold", Decimal("55.865000"))
    assert loc.map_url == "https://www.openstreetmap.org/?mlat=55.865000&mlon=-5.414000#map=16/55.865000/-5.414000"
    services.location_update(access=ad, location_id=loc.pk, status=Location.Status.CONFIRMED, parking="Pier car park")
    loc.refresh_from_db()
    assert (loc.status, loc.parking) == ("confirmed", "Pier car park")
    event = AuditEvent.objects.filter(action="location.update").get()
    assert event.changes["status"] == ["on_hold", "confirmed"]
    assert AuditEvent.objects.filter(action="location.create").count() == 1


@pytest.mark.parametrize("data, field, message", [
    ({"name": "  "}, "name", "Name the location"),
    ({"name": "X", "latitude": "55.1"}, "longitude", "Give both latitude and longitude, or neither."),
    ({"name": "X", "latitude": "91", "longitude": "0"}, "latitude", "less than or equal to 90"),
    ({"name": "X", "latitude": "1", "longitude": "-180.5"}, "longitude", "greater than or equal to -180"),
    ({"name": "X", "latitude": "north", "longitude": "0"}, "latitude", "decimal degrees"),
    ({"name": "X", "status": "booked"}, "status", "not a valid choice"),
    ({"name": "X", "colour": "red"}, "colour", "Unknown field"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(world, data, field, message):
    with pytest.raises(ValidationError) as exc:
        services.location_create(access=world["ad"], **data)
    assert message in " ".join(exc.value.message_dict[field])
    assert Location.objects.count() == 0


def test_names_are_unique_per_production(world):
    quay(world["ad"])
    with pytest.raises(ValidationError) as exc:
        services.location_create(access=world["ad"], name="tarbert QUAY")
    assert exc.value.message_dict["name"] == ["There is already a location called tarbert QUAY."]
    assert Location.objects.count() == 1


@pytest.mark.parametrize("role, department_name", [
    (Role.CREW, None), (Role.CAST, None), (Role.FINANCIER, None), (Role.PRODUCTION_ACCOUNTANT, None),
    (Role.DEPARTMENT_HEAD, "Camera"),
])
def test_roles_without_manage_locations_change_nothing(world, role, department_name):
    loc = quay(world["ad"])
    services.set_location_assign(access=world["ad"], set_key="HARBOUR", location_id=loc.pk)
    denied = as_role(world, role, department_name)
    before = (list(Location.objects.values()), list(SetLocation.objects.values()), AuditEvent.objects.count())
    for call in [
        lambda: services.location_create(access=denied, name="Elsewhere"),
        lambda: services.location_update(access=denied, location_id=loc.pk, name="Renamed"),
        lambda: services.location_delete(access=denied, location_id=loc.pk),
        lambda: services.set_location_assign(access=denied, set_key="HARBOUR", location_id=None),
        lambda: services.location_availability_set(access=denied, location_id=loc.pk, date=DAY1, status="unavailable"),
    ]:
        with pytest.raises(ActionDenied):
            call()
    assert (list(Location.objects.values()), list(SetLocation.objects.values()), AuditEvent.objects.count()) == before
    assert LocationAvailability.objects.count() == 0
    # ... but they read it: addresses are on every call sheet.
    assert [row.name for row in selectors.location_list(access=denied)] == ["Tarbert quay"]


@pytest.mark.parametrize("role, department_name", [
    (Role.PRODUCER, None), (Role.UPM, None), (Role.LINE_PRODUCER, None), (Role.PRODUCTION_MANAGER, None),
    (Role.FIRST_AD, None), (Role.DEPARTMENT_HEAD, "Locations"),
])
def test_managers_and_the_location_manager_edit(world, role, department_name):
    access = as_role(world, role, department_name)
    loc = services.location_create(access=access, name="Ardbeg Cottage")
    assert services.set_location_assign(access=access, set_key="COTTAGE", location_id=loc.pk).location == loc


def test_sets_share_a_location_and_can_be_unassigned(world):
    ad = world["ad"]
    loc = quay(ad)
    services.set_location_assign(access=ad, set_key="HARBOUR", set_name="HARBOUR", location_id=loc.pk)
    services.set_location_assign(access=ad, set_key="COTTAGE", set_name="COTTAGE", location_id=loc.pk)
    sets = {s.key: (s.scenes, s.location) for s in selectors.set_list(access=ad)}
    assert sets == {"COTTAGE": (["2", "3"], loc), "HARBOUR": (["1", "4"], loc)}
    assert services.set_location_assign(access=ad, set_key="COTTAGE", location_id=None) is None
    assert list(SetLocation.objects.values_list("set_key", flat=True)) == ["HARBOUR"]
    assert AuditEvent.objects.filter(action="set_location.clear").count() == 1


def test_a_location_of_another_production_is_refused(world):
    other = make_production(title="Other")
    other_access = access_production(member(other, Role.UPM).user, other.pk)
    theirs = services.location_create(access=other_access, name="Their barn")
    with pytest.raises(ValidationError) as exc:
        services.set_location_assign(access=world["ad"], set_key="HARBOUR", location_id=theirs.pk)
    assert exc.value.message_dict["location"] == ["No such location in this production."]
    with pytest.raises(ValidationError):
        services.location_update(access=world["ad"], location_id=theirs.pk, name="Mine now")
    assert SetLocation.objects.count() == 0 and Location.objects.get(pk=theirs.pk).name == "Their barn"


def test_availability_set_and_clear(world):
    ad = world["ad"]
    loc = quay(ad)
    row = services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1, status="hold", note="Pencil")
    assert (row.status, row.note) == ("hold", "Pencil")
    services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1, status="unavailable")
    assert list(LocationAvailability.objects.values_list("status", flat=True)) == ["unavailable"]
    assert services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1, status="available") is None
    assert LocationAvailability.objects.count() == 0
    with pytest.raises(ValidationError) as exc:
        services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1, status="travel")
    assert "Choose one of: available, unavailable, hold." in exc.value.message_dict["status"]


def test_delete_unassigns_its_sets(world):
    ad = world["ad"]
    loc = quay(ad)
    services.set_location_assign(access=ad, set_key="HARBOUR", location_id=loc.pk)
    services.location_delete(access=ad, location_id=loc.pk)
    assert Location.objects.count() == 0 and SetLocation.objects.count() == 0
    assert AuditEvent.objects.get(action="location.delete").changes == {"sets": ["HARBOUR"]}


# --- what the other apps read ---------------------------------------------------------------------


def test_board_shows_the_location_filters_sorts_and_warns(world):
    ad = world["ad"]
    loc = quay(ad)
    services.set_location_assign(access=ad, set_key="HARBOUR", location_id=loc.pk)
    services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1, status="unavailable",
                                       note="Regatta")
    board = board_get(access=ad, version=world["version"])
    scenes = {s.scene.number: s for d in board.days for s in d.strips}
    assert {n: s.location_name for n, s in scenes.items()} == {"1": "Tarbert quay", "2": "", "3": "", "4": "Tarbert quay"}
    assert scenes["1"].warnings == ["Location Tarbert quay is unavailable (Regatta)"]
    assert scenes["4"].warnings == []  # day 3 is another date
    assert any("Location Tarbert quay is unavailable" in w for w in board.days[0].warnings)
    only_quay = StripFilter(location_id=loc.pk)
    assert [n for n, s in scenes.items() if strip_matches(s, only_quay, None)] == ["1", "4"]
    # Sorting by location: located strips first by name, the rest after.
    v = world["version"]
    v.refresh_from_db()
    ids = [scenes[n].pk for n in ["2", "1"]]
    v = sched.strip_sort(access=ad, version_id=v.pk, revision=v.revision, strip_ids=ids, keys=["location"])
    day1 = board_get(access=ad, version=v).days[0]
    assert [s.scene.number for s in day1.strips] == ["1", "2"]


def test_optimiser_plans_sets_of_one_location_as_one_place(world):
    ad = world["ad"]
    loc = quay(ad)
    for key in ("HARBOUR", "COTTAGE"):
        services.set_location_assign(access=ad, set_key=key, location_id=loc.pk)
    services.location_availability_set(access=ad, location_id=loc.pk, date=DAY1 + timedelta(days=1),
                                       status="unavailable")
    built = instance_build(access=ad, version=world["version"], options=Options())
    assert {s.location for s in built.instance.scenes} == {"@Tarbert quay"}
    (place,) = built.instance.locations
    assert place.id == "@Tarbert quay" and place.unavailable == frozenset({DAY1 + timedelta(days=1)})


def test_optimiser_keeps_the_set_key_for_sets_without_a_location(world):
    built = instance_build(access=world["ad"], version=world["version"], options=Options())
    assert {s.location for s in built.instance.scenes} == {"HARBOUR", "COTTAGE"}


def test_call_sheet_reads_the_location_and_a_published_revision_stays_frozen(world):
    ad = world["ad"]
    loc = quay(ad, parking="Pier car park", base_camp="Fish quay yard")
    services.set_location_assign(access=ad, set_key="HARBOUR", location_id=loc.pk)
    sheet = callsheets.callsheet_build_from_schedule(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    data = sheet_data(sheet)
    harbour, cottage = data["locations"]
    assert (harbour["set"], harbour["name"], harbour["parking"], harbour["base_camp"], harbour["missing"]) == (
        "HARBOUR", "Tarbert quay", "Pier car park", "Fish quay yard", False)
    assert harbour["map_url"].startswith("https://www.openstreetmap.org/?mlat=55.865000")
    assert (cottage["set"], cottage["missing"]) == ("COTTAGE", True)
    assert [(s["number"], s["location"]) for s in data["scenes"]] == [("1", "Tarbert quay"), ("2", "")]
    assert data["hospital"]["hospital_name"] == "Mid Argyll Hospital" and data["sun"]["sunrise"]
    # The advance schedule (day 2: scene 3 in COTTAGE, day 3: scene 4 at the quay) names locations too.
    assert [[s["location"] for s in day["scenes"]] for day in data["advance"]] == [[""], ["Tarbert quay"]]

    callsheets.callsheet_publish(access=ad, call_sheet_id=sheet.pk)
    services.location_update(access=ad, location_id=loc.pk, address="Somewhere else", parking="Moved")
    frozen = sheet.revisions.get().snapshot["locations"][0]
    assert (frozen["address"], frozen["parking"]) == ("Harbour Street, Tarbert", "Pier car park")
