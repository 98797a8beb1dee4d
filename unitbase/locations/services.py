"""Writes for locations: atomic, validated against the authority matrix, audited.

Editing needs `manage_locations`. Its department scope (the default for department heads) means
the head of the Locations department, the location manager; other department heads are refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from unitbase.core.audit import audit_record, diff_fields
from unitbase.productions.authority import Action, Scope
from unitbase.productions.permissions import ActionDenied, ProductionAccess
from unitbase.scripts.parsers.scenes import set_key as make_set_key

from .models import Location, LocationAvailability, SetLocation

LOCATIONS_DEPARTMENT = "locations"
LOCATION_FIELDS = {
    "name", "status", "address", "latitude", "longitude", "parking", "base_camp", "hospital_name",
    "hospital_address", "hospital_phone", "contact_name", "contact_phone", "permit_notes", "notes",
}
TEXT_FIELDS = LOCATION_FIELDS - {"latitude", "longitude"}


def require_manage(access: ProductionAccess) -> ProductionAccess:
    """`manage_locations`, with department scope meaning the Locations department."""
    access.require(Action.MANAGE_LOCATIONS)
    if access.scope(Action.MANAGE_LOCATIONS) == Scope.DEPARTMENT:
        department = access.membership.department
        if department is None or department.name.strip().lower() != LOCATIONS_DEPARTMENT:
            raise ActionDenied(Action.MANAGE_LOCATIONS,
                               "Only the head of the Locations department may edit locations in your role.")
    return access


def can_manage(access: ProductionAccess) -> bool:
    try:
        require_manage(access)
    except ActionDenied:
        return False
    return True


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - LOCATION_FIELDS
    if unknown:
        raise ValidationError({field: "Unknown field." for field in sorted(unknown)})
    cleaned = {}
    for key, value in data.items():
        if key in TEXT_FIELDS:
            cleaned[key] = (value or "").strip() if isinstance(value, str) or value is None else value
        elif value in ("", None):
            cleaned[key] = None
        else:
            try:
                cleaned[key] = Decimal(str(value)).quantize(Decimal("0.000001"))
            except ArithmeticError:
                raise ValidationError({key: "Enter a number in decimal degrees, e.g. 55.865."}) from None
    return cleaned


def _check_name(access: ProductionAccess, name: str, exclude: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": "Name the location, e.g. The Anchor Café."})
    clash = Location.objects.filter(production=access.production, name__iexact=name)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": f"There is already a location called {name}."})


@transaction.atomic
def location_create(*, access: ProductionAccess, name: str, **data: Any) -> Location:
    require_manage(access)
    data = _clean_data({"name": name, **data})
    _check_name(access, data["name"])
    location = Location(production=access.production, **data)
    location.full_clean()
    location.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="location.create", obj=location)
    return location


@transaction.atomic
def location_update(*, access: ProductionAccess, location_id: int, **data: Any) -> Location:
    require_manage(access)
    location = _get_for_update(access, location_id)
    data = _clean_data(data)
    if "name" in data:
        _check_name(access, data["name"], exclude=location.pk)
    changes = diff_fields(location, data)
    for key, value in data.items():
        setattr(location, key, value)
    location.full_clean()
    location.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="location.update", obj=location,
                 changes=changes)
    return location


@transaction.atomic
def location_delete(*, access: ProductionAccess, location_id: int) -> None:
    """Remove a location; its sets become unassigned (call sheets already published keep their copy)."""
    require_manage(access)
    location = _get_for_update(access, location_id)
    sets = list(location.sets.values_list("set_key", flat=True))
    audit_record(production_id=access.production.pk, actor=access.user, action="location.delete", obj=location,
                 changes={"sets": sets})
    location.delete()


def _get_for_update(access: ProductionAccess, location_id: int) -> Location:
    try:
        return Location.objects.select_for_update().get(production=access.production, pk=int(location_id))
    except (Location.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"location": "No such location in this production."}) from None


@transaction.atomic
def set_location_assign(
    *, access: ProductionAccess, set_key: str, location_id: int | None, set_name: str = "",
) -> SetLocation | None:
    """Shoot the set (by the scenes' set key) at a location; `location_id=None` unassigns it."""
    require_manage(access)
    set_key = (set_key or "").strip()
    if not set_key:
        raise ValidationError({"set_key": "Name the set to assign."})
    current = SetLocation.objects.select_for_update().filter(production=access.production, set_key=set_key).first()
    if location_id in (None, ""):
        if current is not None:
            audit_record(production_id=access.production.pk, actor=access.user, action="set_location.clear",
                         object_type="locations.setlocation", object_repr=current.set_name or set_key,
                         changes={"set_key": set_key, "location": [current.location_id, None]})
            current.delete()
        return None
    location = _get_for_update(access, location_id)
    row = current or SetLocation(production=access.production, set_key=set_key)
    before = row.location_id
    row.location = location
    row.set_name = (set_name or row.set_name or set_key).strip()[:300]
    row.full_clean()
    row.save()
    if before != location.pk:
        audit_record(production_id=access.production.pk, actor=access.user, action="set_location.assign", obj=row,
                     changes={"set_key": set_key, "location": [before, location.pk]})
    return row


@transaction.atomic
def location_availability_set(
    *, access: ProductionAccess, location_id: int, date: date, status: str, note: str = "",
) -> LocationAvailability | None:
    """The location's status on a date; "available" removes the row (no row means available)."""
    require_manage(access)
    if status not in LocationAvailability.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(LocationAvailability.Status.values)}."})
    location = _get_for_update(access, location_id)
    row = LocationAvailability.objects.filter(location=location, date=date).first()
    if status == LocationAvailability.Status.AVAILABLE:
        if row is not None:
            row.delete()
        audit_record(production_id=access.production.pk, actor=access.user, action="location.availability_clear",
                     obj=location, changes={"date": date.isoformat()})
        return None
    row = row or LocationAvailability(location=location, date=date)
    row.status, row.note = status, (note or "").strip()[:200]
    row.full_clean()
    row.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="location.availability_set",
                 obj=location, changes={"date": date.isoformat(), "status": status, "note": row.note})
    return row


# --- demo ------------------------------------------------------------------------------------------

# Invented places around Loch Fyne for Low Water; phone numbers in Ofcom's drama range.
_HOSPITAL = {"hospital_name": "Mid Argyll Community Hospital (A&E)",
             "hospital_address": "Blarbuie Road, Lochgilphead PA31 8JZ", "hospital_phone": "01632 960 414"}
DEMO_LOCATIONS: list[dict[str, Any]] = [
    {"name": "Inchmurra harbour and quay", "address": "Harbour Street, Tarbert, Argyll PA29 6UD",
     "latitude": "55.864870", "longitude": "-5.414020", "parking": "Pier car park, Harbour Street (crew only, 30 spaces)",
     "base_camp": "Fish quay yard, Garvel Road", "contact_name": "Harbourmaster: Iain MacAulay",
     "contact_phone": "01632 960 210", "permit_notes": "Harbour trust filming licence; quay closed to the public 07:00-19:00.",
     "sets": ["HARBOUR QUAY", "INCHMURRA HARBOUR", "HARBOURMASTER'S OFFICE", "PORTNAKIL SLIPWAY", "MAREN'S CAR"]},
    {"name": "The Anchor Café", "address": "4 Harbour Street, Tarbert, Argyll PA29 6UD",
     "latitude": "55.865410", "longitude": "-5.412880", "parking": "Use the pier car park; no parking on Harbour Street.",
     "base_camp": "Fish quay yard, Garvel Road", "contact_name": "Owner: Fiona Dunlop", "contact_phone": "01632 960 233",
     "permit_notes": "Café closed to customers on shoot days (compensation agreed).",
     "sets": ["HARBOUR CAFE", "HARBOUR CAFE - BACK ROOM"]},
    {"name": "Ardbeg Cottage, Kilberry Road", "address": "Ardbeg Cottage, Kilberry Road, Tarbert PA29 6XX",
     "latitude": "55.853200", "longitude": "-5.447600", "parking": "Field opposite the cottage (farmer's permission).",
     "base_camp": "Layby 200 m north on the B8024", "contact_name": "Owner: Catriona Bell", "contact_phone": "01632 960 245",
     "permit_notes": "Night work: neighbours leafleted; lights off by 01:00.",
     "sets": ["ELLIS'S COTTAGE - GARDEN", "ELLIS'S COTTAGE - KITCHEN", "TOBY'S BEDROOM"]},
    {"name": "Old lifeboat station, Portavadie", "address": "Shore Road, Portavadie, Argyll PA21 2DA",
     "latitude": "55.877500", "longitude": "-5.318900", "parking": "Marina car park, east end.",
     "base_camp": "Marina boatyard", "contact_name": "Marina manager: Ross Kerr", "contact_phone": "01632 960 278",
     "permit_notes": "Marine Scotland notified of on-water work.",
     "sets": ["LIFEBOAT STATION", "COASTGUARD OPERATIONS ROOM"]},
    {"name": "MV Margaret Anne (picture boat)", "address": "Berth 3, Tarbert pontoons, Tarbert PA29 6UD",
     "latitude": "55.863900", "longitude": "-5.411500", "parking": "Pier car park.",
     "base_camp": "Fish quay yard, Garvel Road", "contact_name": "Skipper: Donald MacLeod", "contact_phone": "01632 960 291",
     "permit_notes": "MCA coded vessel; maximum 12 crew aboard; life jackets for all.",
     "sets": ["MARGARET ANNE - DECK", "MARGARET ANNE - WHEELHOUSE", "MARGARET ANNE - ENGINE ROOM", "LIFEBOAT",
              "OPEN SEA", "SGEIR BANK"]},
]


@transaction.atomic
def locations_demo_seed(*, access: ProductionAccess) -> list[Location]:
    """For `unitbase demo`: Low Water's locations, confirmed, with the current script's sets assigned
    (sets the script does not have are skipped)."""
    from .selectors import set_list

    set_names = {s.key: s.name for s in set_list(access=access)}
    created = []
    for spec in DEMO_LOCATIONS:
        fields = {k: v for k, v in spec.items() if k != "sets"}
        location = location_create(access=access, status=Location.Status.CONFIRMED, **_HOSPITAL, **fields)
        created.append(location)
        for key in map(make_set_key, spec["sets"]):
            if key in set_names:
                set_location_assign(access=access, set_key=key, set_name=set_names[key], location_id=location.pk)
    return created


@transaction.atomic
def locations_demo_hold(*, access: ProductionAccess) -> LocationAvailability | None:
    """For `unitbase demo`, after the schedule is applied: the café is only pencilled (on hold) for the
    last shoot day it is scheduled on, so the stripboard shows a location warning."""
    from .selectors import shoot_days_of

    cafe = Location.objects.filter(production=access.production, name="The Anchor Café").first()
    days = [d for d in shoot_days_of(access=access, location=cafe) if d.date] if cafe else []
    if not days:
        return None
    return location_availability_set(access=access, location_id=cafe.pk, date=days[-1].date,
                                     status=LocationAvailability.Status.HOLD,
                                     note="owner's private function, not yet released")
