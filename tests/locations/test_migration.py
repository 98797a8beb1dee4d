"""The data migration that moved call sheet locations and set-keyed availability into this app."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_production

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("locations", "0001_initial"), ("callsheets", "0003_delivery_bounces")]
AFTER = [("locations", "0002_from_callsheets_and_set_availability"),
         ("callsheets", "0004_locations_moved_to_locations_app")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_call_sheet_locations_become_locations_and_set_availability_follows():
    production = make_production(title="Old data")
    old = migrate(BEFORE)
    CallSheetLocation = old.get_model("callsheets", "CallSheetLocation")
    Availability = old.get_model("scheduling", "Availability")
    common = {"production_id": production.pk, "address": "Harbour Street", "latitude": Decimal("55.865"),
              "longitude": Decimal("-5.414"), "hospital_name": "Mid Argyll"}
    CallSheetLocation.objects.create(set_key="HARBOUR QUAY", name="Tarbert quay", **common)
    CallSheetLocation.objects.create(set_key="HARBOURMASTER'S OFFICE", name="Tarbert quay", **common)  # same place
    CallSheetLocation.objects.create(set_key="COTTAGE", name="Tarbert quay", **{**common, "address": "Kilberry Road"})
    Availability.objects.create(production_id=production.pk, set_key="HARBOUR QUAY", set_name="HARBOUR QUAY",
                                date=date(2027, 3, 1), status="unavailable", note="Regatta")
    Availability.objects.create(production_id=production.pk, set_key="BEACH", set_name="BEACH",
                                date=date(2027, 3, 2), status="hold")

    new = migrate(AFTER)
    Location = new.get_model("locations", "Location")
    SetLocation = new.get_model("locations", "SetLocation")
    LocationAvailability = new.get_model("locations", "LocationAvailability")
    assert sorted(Location.objects.values_list("name", "address")) == [
        ("Tarbert quay", "Harbour Street"), ("Tarbert quay (2)", "Kilberry Road")]
    assert {m.set_key: m.location.name for m in SetLocation.objects.select_related("location")} == {
        "HARBOUR QUAY": "Tarbert quay", "HARBOURMASTER'S OFFICE": "Tarbert quay", "COTTAGE": "Tarbert quay (2)"}
    moved = LocationAvailability.objects.get()
    assert (moved.location.name, moved.date, moved.status, moved.note) == ("Tarbert quay", date(2027, 3, 1),
                                                                          "unavailable", "Regatta")
    # A set with no location keeps its own row in scheduling.
    Availability = new.get_model("scheduling", "Availability")
    assert list(Availability.objects.values_list("set_key", flat=True)) == ["BEACH"]
