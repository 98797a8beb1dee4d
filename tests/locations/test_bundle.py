"""Locations travel in the production bundle (ADR 0004: the generic rows section)."""

import copy
import json

import pytest

from tests.factories import UserFactory
from unitbase.bundles.services import production_export, production_import
from unitbase.callsheets.tests.helpers import DAY1, build_world
from unitbase.locations import services
from unitbase.locations.models import Location, LocationAvailability, SetLocation
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Membership
from unitbase.productions.permissions import access_production

pytestmark = pytest.mark.django_db


def test_locations_sets_and_availability_round_trip():
    world = build_world()
    ad = world["ad"]
    quay = services.location_create(access=ad, name="Tarbert quay", latitude="55.865", longitude="-5.414",
                                    status="confirmed", permit_notes="Harbour licence")
    services.set_location_assign(access=ad, set_key="HARBOUR", set_name="HARBOUR", location_id=quay.pk)
    services.location_availability_set(access=ad, location_id=quay.pk, date=DAY1, status="hold", note="Regatta")
    producer = Membership.objects.filter(production=world["production"], role=Role.PRODUCER).first().user
    bundle = json.loads(json.dumps(production_export(
        access=access_production(producer, world["production"].pk, Action.EXPORT_PRODUCTION))))
    models = {row["model"] for row in bundle["rows"]}
    assert {"locations.location", "locations.setlocation", "locations.locationavailability"} <= models

    imported = production_import(actor=UserFactory(), bundle=copy.deepcopy(bundle), title="Copy")
    copy_quay = Location.objects.get(production=imported)
    assert (copy_quay.name, str(copy_quay.latitude), copy_quay.permit_notes) == ("Tarbert quay", "55.865000", "Harbour licence")
    assert SetLocation.objects.get(production=imported).location == copy_quay
    assert LocationAvailability.objects.get(location=copy_quay).note == "Regatta"
