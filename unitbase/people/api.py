"""REST endpoints for contacts, the crew list and the cast list.

Pay is private: a crew or cast row's rate fields are null when the caller's view_pay scope (all,
own department, own only) does not cover that row. Amounts are decimal strings with a currency.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from unitbase.productions.api import (
    Id,
    Ref,
    api_access,
    in_production,
    money_str,
    paginated,
    renamed_errors,
    set_fields,
)
from unitbase.productions.authority import Action
from unitbase.productions.selectors import department_list, unit_list

from . import selectors, services
from .filters import CastFilter, CrewFilter, PersonFilter
from .models import RateUnit

router = Router(tags=["people"])

RateUnitName = Literal[tuple(RateUnit.values)]
ID_FIELDS = {"person": "person_id", "department": "department_id", "unit": "unit_id"}


# --- schemas -------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    user_id: int | None
    name: str
    email: str
    phone: str
    agency: str
    agent_name: str
    agent_contact: str
    union_memberships: str
    emergency_contact_name: str
    emergency_contact_phone: str
    notes: str


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    agency: str = Field("", max_length=200)
    agent_name: str = Field("", max_length=200)
    agent_contact: str = Field("", max_length=200)
    union_memberships: str = Field("", max_length=200, description="Comma-separated, e.g. IATSE 600, SAG-AFTRA")
    emergency_contact_name: str = Field("", max_length=200)
    emergency_contact_phone: str = Field("", max_length=40)
    notes: str = ""


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    agency: str | None = Field(None, max_length=200)
    agent_name: str | None = Field(None, max_length=200)
    agent_contact: str | None = Field(None, max_length=200)
    union_memberships: str | None = Field(None, max_length=200)
    emergency_contact_name: str | None = Field(None, max_length=200)
    emergency_contact_phone: str | None = Field(None, max_length=40)
    notes: str | None = None


class PayOut(Schema):
    """Rate fields, null when the caller may not see this row's pay."""

    pay_visible: bool
    rate_amount: str | None = Field(None, description="Decimal string, e.g. '2500.00'")
    rate_currency: str | None = Field(None, description="ISO 4217 code")
    rate_unit: str | None = None

    @staticmethod
    def _visible(obj, context) -> bool:
        request = context["request"]
        return selectors.rate_visible(request.unitbase_access, obj)

    @staticmethod
    def resolve_pay_visible(obj, context) -> bool:
        return PayOut._visible(obj, context)

    @staticmethod
    def resolve_rate_amount(obj, context) -> str | None:
        return money_str(obj.rate_amount) if PayOut._visible(obj, context) else None

    @staticmethod
    def resolve_rate_currency(obj, context) -> str | None:
        return obj.rate_currency if PayOut._visible(obj, context) else None

    @staticmethod
    def resolve_rate_unit(obj, context) -> str | None:
        return obj.rate_unit if PayOut._visible(obj, context) else None


class CrewOut(PayOut):
    id: int
    person: Ref
    department: Ref
    position: str
    unit: Ref | None
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_position(obj) -> str:
        return obj.position.name


class PayIn(Schema):
    rate_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2,
                                        description="Send a decimal string, e.g. '2500.00'")
    rate_currency: str | None = Field(None, min_length=3, max_length=3,
                                      description="ISO 4217 code; the production's base currency when omitted")


class CrewIn(PayIn):
    person_id: Id
    department_id: Id
    position: str = Field(..., min_length=1, max_length=100, description="Created in the department if new")
    unit_id: Id | None = None
    start_date: date | None = None
    end_date: date | None = None
    rate_unit: RateUnitName = RateUnit.WEEK.value


class CrewPatch(PayIn):
    department_id: Id | None = None
    position: str | None = Field(None, min_length=1, max_length=100)
    unit_id: Id | None = Field(None, description="null to clear")
    start_date: date | None = None
    end_date: date | None = None
    rate_unit: RateUnitName | None = None


class CrewQuery(Schema):
    department: Id | None = Field(None, description="Department id")
    unit: Id | None = Field(None, description="Unit id")
    search: str = Field("", max_length=100, description="Name or position")


class CastOut(PayOut):
    id: int
    person: Ref
    character: str
    cast_number: int
    unit: Ref | None
    start_date: date | None
    end_date: date | None


class CastIn(PayIn):
    person_id: Id
    character: str = Field(..., min_length=1, max_length=200)
    cast_number: int | None = Field(None, ge=1, le=2**31 - 1, description="The next free number when omitted")
    unit_id: Id | None = None
    start_date: date | None = None
    end_date: date | None = None
    rate_unit: RateUnitName = RateUnit.DAY.value


class CastPatch(PayIn):
    person_id: Id | None = None
    character: str | None = Field(None, min_length=1, max_length=200)
    cast_number: int | None = Field(None, ge=1, le=2**31 - 1)
    unit_id: Id | None = Field(None, description="null to clear")
    start_date: date | None = None
    end_date: date | None = None
    rate_unit: RateUnitName | None = None


class CastQuery(Schema):
    unit: Id | None = Field(None, description="Unit id")
    search: str = Field("", max_length=100, description="Actor or character")


class PersonQuery(Schema):
    search: str = Field("", max_length=100, description="Name, e-mail or agency")


def raise_required(field: str) -> None:
    raise ValidationError({field: "This field cannot be null."})


def _person(access, pk):
    return in_production(selectors.person_list(access=access), pk, "person_id", "person")


def _department(access, pk):
    return in_production(department_list(access=access), pk, "department_id", "department")


def _unit(access, pk):
    return in_production(unit_list(access=access), pk, "unit_id", "unit")


# --- people --------------------------------------------------------------------------------------


@router.get("/{production_id}/people", response=list[PersonOut], summary="The production's contacts")
@paginated
def person_list(request, production_id: Id, filters: Query[PersonQuery]):
    access = api_access(request, production_id)
    return PersonFilter({"q": filters.search}, access=access).queryset()


@router.post("/{production_id}/people", response={201: PersonOut}, summary="Add a contact (manage_contacts)")
def person_create(request, production_id: Id, payload: PersonIn):
    access = api_access(request, production_id, Action.MANAGE_CONTACTS)
    return services.person_create(access=access, **payload.dict())


@router.get("/{production_id}/people/{person_id}", response=PersonOut, summary="One contact")
def person_detail(request, production_id: Id, person_id: Id):
    access = api_access(request, production_id)
    return get_object_or_404(selectors.person_list(access=access), pk=person_id)


@router.patch("/{production_id}/people/{person_id}", response=PersonOut, summary="Edit a contact (manage_contacts)")
def person_update(request, production_id: Id, person_id: Id, payload: PersonPatch):
    access = api_access(request, production_id, Action.MANAGE_CONTACTS)
    person = get_object_or_404(selectors.person_list(access=access), pk=person_id)
    return services.person_update(access=access, person_id=person.pk, **set_fields(payload))


# --- crew ----------------------------------------------------------------------------------------


@router.get("/{production_id}/crew", response=list[CrewOut], tags=["crew"],
            summary="The crew list; rates are null where your role may not see them")
@paginated
def crew_list(request, production_id: Id, filters: Query[CrewQuery]):
    access = api_access(request, production_id)
    data = {"department": filters.department, "unit": filters.unit, "q": filters.search}
    return CrewFilter({k: v for k, v in data.items() if v not in (None, "")}, access=access).queryset()


@router.post("/{production_id}/crew", response={201: CrewOut}, tags=["crew"], summary="Hire crew (hire_crew)")
def crew_create(request, production_id: Id, payload: CrewIn):
    access = api_access(request, production_id, Action.HIRE_CREW)
    person = _person(access, payload.person_id)
    department = _department(access, payload.department_id)
    unit = _unit(access, payload.unit_id)
    with renamed_errors(ID_FIELDS):
        crew = services.crew_member_hire(
            access=access, person=person, department=department, position_name=payload.position, unit=unit,
            start_date=payload.start_date, end_date=payload.end_date, rate_amount=payload.rate_amount,
            rate_currency=payload.rate_currency, rate_unit=payload.rate_unit,
        )
    return selectors.crew_list(access=access).get(pk=crew.pk)


@router.get("/{production_id}/crew/{crew_id}", response=CrewOut, tags=["crew"], summary="One crew member")
def crew_detail(request, production_id: Id, crew_id: Id):
    access = api_access(request, production_id)
    return get_object_or_404(selectors.crew_list(access=access), pk=crew_id)


@router.patch("/{production_id}/crew/{crew_id}", response=CrewOut, tags=["crew"],
              summary="Edit a crew member's department, position, dates or pay (hire_crew)")
def crew_update(request, production_id: Id, crew_id: Id, payload: CrewPatch):
    access = api_access(request, production_id, Action.HIRE_CREW)
    crew = get_object_or_404(selectors.crew_list(access=access), pk=crew_id)
    data = set_fields(payload)
    department = _department(access, data["department_id"]) if data.get("department_id") else crew.department
    unit = _unit(access, data["unit_id"]) if "unit_id" in data else crew.unit
    with renamed_errors(ID_FIELDS):
        services.crew_member_update(
            access=access, crew_member_id=crew.pk, department=department,
            position_name=data.get("position") or crew.position.name, unit=unit,
            start_date=data.get("start_date", crew.start_date), end_date=data.get("end_date", crew.end_date),
            rate_amount=data.get("rate_amount", crew.rate_amount),
            rate_currency=data.get("rate_currency") or crew.rate_currency,
            rate_unit=data.get("rate_unit") or crew.rate_unit,
        )
    return selectors.crew_list(access=access).get(pk=crew.pk)


@router.delete("/{production_id}/crew/{crew_id}", response={204: None}, tags=["crew"],
               summary="Release a crew member (hire_crew)")
def crew_delete(request, production_id: Id, crew_id: Id):
    access = api_access(request, production_id, Action.HIRE_CREW)
    crew = get_object_or_404(selectors.crew_list(access=access), pk=crew_id)
    services.crew_member_release(access=access, crew_member_id=crew.pk)
    return None


# --- cast ----------------------------------------------------------------------------------------


@router.get("/{production_id}/cast", response=list[CastOut], tags=["cast"],
            summary="The cast list by cast number; rates are null where your role may not see them")
@paginated
def cast_list(request, production_id: Id, filters: Query[CastQuery]):
    access = api_access(request, production_id)
    data = {"unit": filters.unit, "q": filters.search}
    return CastFilter({k: v for k, v in data.items() if v not in (None, "")}, access=access).queryset()


@router.post("/{production_id}/cast", response={201: CastOut}, tags=["cast"], summary="Cast a role (hire_cast)")
def cast_create(request, production_id: Id, payload: CastIn):
    access = api_access(request, production_id, Action.HIRE_CAST)
    person = _person(access, payload.person_id)
    unit = _unit(access, payload.unit_id)
    with renamed_errors(ID_FIELDS):
        cast = services.cast_member_create(
            access=access, person=person, character=payload.character, cast_number=payload.cast_number,
            unit=unit, start_date=payload.start_date, end_date=payload.end_date,
            rate_amount=payload.rate_amount, rate_currency=payload.rate_currency, rate_unit=payload.rate_unit,
        )
    return selectors.cast_list(access=access).get(pk=cast.pk)


@router.get("/{production_id}/cast/{cast_id}", response=CastOut, tags=["cast"], summary="One cast member")
def cast_detail(request, production_id: Id, cast_id: Id):
    access = api_access(request, production_id)
    return get_object_or_404(selectors.cast_list(access=access), pk=cast_id)


@router.patch("/{production_id}/cast/{cast_id}", response=CastOut, tags=["cast"],
              summary="Edit a cast member (hire_cast)")
def cast_update(request, production_id: Id, cast_id: Id, payload: CastPatch):
    access = api_access(request, production_id, Action.HIRE_CAST)
    cast = get_object_or_404(selectors.cast_list(access=access), pk=cast_id)
    data = set_fields(payload)
    if "person_id" in data:
        if data["person_id"] is None:
            raise_required("person_id")
        data["person"] = _person(access, data.pop("person_id"))
    if "unit_id" in data:
        data["unit"] = _unit(access, data.pop("unit_id"))
    for required in ("character", "cast_number", "rate_unit", "rate_currency"):
        if required in data and data[required] is None:
            raise_required(required)
    if data.get("rate_currency"):
        data["rate_currency"] = data["rate_currency"].upper()
    with renamed_errors(ID_FIELDS):
        services.cast_member_update(access=access, cast_member_id=cast.pk, **data)
    return selectors.cast_list(access=access).get(pk=cast.pk)


@router.delete("/{production_id}/cast/{cast_id}", response={204: None}, tags=["cast"],
               summary="Remove a cast member (hire_cast)")
def cast_delete(request, production_id: Id, cast_id: Id):
    access = api_access(request, production_id, Action.HIRE_CAST)
    cast = get_object_or_404(selectors.cast_list(access=access), pk=cast_id)
    services.cast_member_remove(access=access, cast_member_id=cast.pk)
    return None
