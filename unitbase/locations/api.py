"""REST endpoints for locations, the set → location mapping and location availability.

Everyone in the production reads (addresses are on every call sheet); writes need
`manage_locations` (department scope: the head of the Locations department)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from unitbase.productions.api import Id, api_access, paginated, set_fields

from . import selectors, services
from .models import Location, LocationAvailability

router = Router(tags=["locations"])

StatusName = Literal[tuple(Location.Status.values)]
AvailabilityName = Literal[tuple(LocationAvailability.Status.values)]


class LocationOut(Schema):
    id: int
    name: str
    status: str
    address: str
    latitude: str | None = Field(None, description="Decimal degrees as a string")
    longitude: str | None = None
    map_url: str
    parking: str
    base_camp: str
    hospital_name: str
    hospital_address: str
    hospital_phone: str
    contact_name: str
    contact_phone: str
    permit_notes: str
    notes: str
    sets: list[str] = Field(..., description="Set keys shot here")

    @staticmethod
    def resolve_latitude(obj) -> str | None:
        return None if obj.latitude is None else str(obj.latitude)

    @staticmethod
    def resolve_longitude(obj) -> str | None:
        return None if obj.longitude is None else str(obj.longitude)

    @staticmethod
    def resolve_sets(obj) -> list[str]:
        return [s.set_key for s in obj.sets.all()]


class LocationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    status: StatusName = Location.Status.SCOUTING.value
    address: str = Field("", max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90, description="Decimal degrees; give both or neither")
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    parking: str = Field("", max_length=300)
    base_camp: str = Field("", max_length=300)
    hospital_name: str = Field("", max_length=200)
    hospital_address: str = Field("", max_length=300)
    hospital_phone: str = Field("", max_length=40)
    contact_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)
    permit_notes: str = ""
    notes: str = ""


class LocationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    status: StatusName | None = None
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    parking: str | None = Field(None, max_length=300)
    base_camp: str | None = Field(None, max_length=300)
    hospital_name: str | None = Field(None, max_length=200)
    hospital_address: str | None = Field(None, max_length=300)
    hospital_phone: str | None = Field(None, max_length=40)
    contact_name: str | None = Field(None, max_length=200)
    contact_phone: str | None = Field(None, max_length=40)
    permit_notes: str | None = None
    notes: str | None = None


class LocationQuery(Schema):
    status: StatusName | None = None
    search: str = Field("", max_length=100, description="Name or address")


class SetOut(Schema):
    set_key: str
    set_name: str
    scenes: list[str]
    location_id: int | None


class SetAssignIn(Schema):
    set_key: str = Field(..., min_length=1, max_length=300)
    set_name: str = Field("", max_length=300)
    location_id: Id | None = Field(None, description="null to unassign")


class AvailabilityIn(Schema):
    date: date
    status: AvailabilityName
    note: str = Field("", max_length=200)


class AvailabilityOut(Schema):
    date: date
    status: str
    note: str


class ShootDayOut(Schema):
    unit: str
    day_number: int
    date: date | None
    scenes: list[str]


def _get(access, location_id):
    return get_object_or_404(
        selectors.location_list(access=access).prefetch_related("sets"), pk=location_id)


@router.get("/{production_id}/locations", response=list[LocationOut], summary="The production's locations")
@paginated
def location_list(request, production_id: Id, filters: Query[LocationQuery]):
    access = api_access(request, production_id)
    return selectors.location_list(access=access, status=filters.status or "", q=filters.search).prefetch_related("sets")


@router.post("/{production_id}/locations", response={201: LocationOut}, summary="Add a location (manage_locations)")
def location_create(request, production_id: Id, payload: LocationIn):
    access = api_access(request, production_id)
    location = services.location_create(access=access, **payload.dict())
    return Status(201, _get(access, location.pk))


@router.get("/{production_id}/locations/sets", response=list[SetOut], summary="Every set and its location")
def set_list(request, production_id: Id):
    access = api_access(request, production_id)
    return [{"set_key": s.key, "set_name": s.name, "scenes": s.scenes, "location_id": s.location.pk if s.location else None}
            for s in selectors.set_list(access=access)]


@router.put("/{production_id}/locations/sets", response=SetOut,
            summary="Shoot a set at a location, or unassign it (manage_locations)")
def set_assign(request, production_id: Id, payload: SetAssignIn):
    access = api_access(request, production_id)
    row = services.set_location_assign(access=access, set_key=payload.set_key, set_name=payload.set_name,
                                       location_id=payload.location_id)
    found = next((s for s in selectors.set_list(access=access) if s.key == payload.set_key.strip()), None)
    return {"set_key": payload.set_key.strip(), "set_name": found.name if found else payload.set_name,
            "scenes": found.scenes if found else [], "location_id": row.location_id if row else None}


@router.get("/{production_id}/locations/{location_id}", response=LocationOut, summary="One location")
def location_detail(request, production_id: Id, location_id: Id):
    access = api_access(request, production_id)
    return _get(access, location_id)


@router.patch("/{production_id}/locations/{location_id}", response=LocationOut,
              summary="Edit a location (manage_locations)")
def location_update(request, production_id: Id, location_id: Id, payload: LocationPatch):
    access = api_access(request, production_id)
    location = _get(access, location_id)
    services.location_update(access=access, location_id=location.pk, **set_fields(payload))
    return _get(access, location.pk)


@router.delete("/{production_id}/locations/{location_id}", response={204: None},
               summary="Remove a location; its sets become unassigned (manage_locations)")
def location_delete(request, production_id: Id, location_id: Id):
    access = api_access(request, production_id)
    location = _get(access, location_id)
    services.location_delete(access=access, location_id=location.pk)
    return Status(204, None)


@router.get("/{production_id}/locations/{location_id}/availability", response=list[AvailabilityOut],
            summary="Dates the location is unavailable or on hold")
def availability_list(request, production_id: Id, location_id: Id):
    access = api_access(request, production_id)
    return list(selectors.availability_list(access=access, location=_get(access, location_id)))


@router.post("/{production_id}/locations/{location_id}/availability", response={200: AvailabilityOut, 204: None},
             summary="Set the location's status on a date; 'available' clears it (manage_locations)")
def availability_set(request, production_id: Id, location_id: Id, payload: AvailabilityIn):
    access = api_access(request, production_id)
    row = services.location_availability_set(access=access, location_id=_get(access, location_id).pk,
                                             **payload.dict())
    return Status(204, None) if row is None else Status(200, row)


@router.get("/{production_id}/locations/{location_id}/shoot-days", response=list[ShootDayOut],
            summary="Shoot days of the applied schedules at this location")
def shoot_days(request, production_id: Id, location_id: Id):
    access = api_access(request, production_id)
    return [{"unit": d.unit, "day_number": d.day_number, "date": d.date, "scenes": list(d.scenes)}
            for d in selectors.shoot_days_of(access=access, location=_get(access, location_id))]
