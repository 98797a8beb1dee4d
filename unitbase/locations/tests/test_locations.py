"""The locations app on its own (no schedule): validation, the department-scoped location manager and
sets mapped by key. Tests that need a schedule or call sheets are in tests/locations/ (they drive the
apps above this one, which the layer contract keeps out of unitbase/locations)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_production, member
from unitbase.locations import selectors, services
from unitbase.locations.models import Location, SetLocation
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def production():
    return make_production(title="Low Water")


def access(production, role, department_name=None):
    return access_production(member(production, role, department_name=department_name).user, production.pk)


def test_map_link_and_both_coordinates_or_neither(production):
    pm = access(production, Role.PRODUCTION_MANAGER)
    loc = services.location_create(access=pm, name="Quay", latitude="55.8650", longitude="-5.4140")
    assert loc.map_url == "https://www.openstreetmap.org/?mlat=55.865000&mlon=-5.414000#map=16/55.865000/-5.414000"
    with pytest.raises(ValidationError) as exc:
        services.location_update(access=pm, location_id=loc.pk, longitude=None)
    assert exc.value.message_dict["longitude"] == ["Give both latitude and longitude, or neither."]
    loc.refresh_from_db()
    assert str(loc.longitude) == "-5.414000"


def test_department_scope_means_the_locations_department(production):
    camera_head = access(production, Role.DEPARTMENT_HEAD, "Camera")
    with pytest.raises(ActionDenied) as exc:
        services.location_create(access=camera_head, name="Quay")
    assert "head of the Locations department" in str(exc.value)
    assert Location.objects.count() == 0
    manager = access(production, Role.DEPARTMENT_HEAD, "Locations")
    loc = services.location_create(access=manager, name="Quay")
    services.set_location_assign(access=manager, set_key="HARBOUR QUAY", set_name="HARBOUR QUAY", location_id=loc.pk)
    # No script yet: the assigned set is still listed, with no scenes.
    [row] = selectors.set_list(access=manager)
    assert (row.key, row.scenes, row.location) == ("HARBOUR QUAY", [], loc)


def test_blank_set_key_is_refused(production):
    pm = access(production, Role.PRODUCTION_MANAGER)
    loc = services.location_create(access=pm, name="Quay")
    with pytest.raises(ValidationError) as exc:
        services.set_location_assign(access=pm, set_key="  ", location_id=loc.pk)
    assert exc.value.message_dict["set_key"] == ["Name the set to assign."]
    assert SetLocation.objects.count() == 0
