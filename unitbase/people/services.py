"""Writes for contacts, crew and cast: atomic, validated, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from unitbase.core.audit import audit_record, diff_fields
from unitbase.productions.authority import Action
from unitbase.productions.models import Department, Position, Unit
from unitbase.productions.permissions import ProductionAccess

from .models import CastMember, CrewMember, Person

PERSON_FIELDS = {
    "name", "email", "phone", "agency", "agent_name", "agent_contact", "union_memberships",
    "emergency_contact_name", "emergency_contact_phone", "notes",
}


def _reject_unknown(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({field: "Unknown field." for field in sorted(unknown)})


@transaction.atomic
def person_create(*, access: ProductionAccess, name: str, **data: Any) -> Person:
    access.require(Action.MANAGE_CONTACTS)
    _reject_unknown(data, PERSON_FIELDS)
    person = Person(production=access.production, name=name.strip(), **data)
    person.full_clean()
    person.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="person.create", obj=person)
    return person


@transaction.atomic
def person_update(*, access: ProductionAccess, person_id: int, **data: Any) -> Person:
    access.require(Action.MANAGE_CONTACTS)
    _reject_unknown(data, PERSON_FIELDS)
    person = Person.objects.select_for_update().get(production=access.production, pk=person_id)
    changes = diff_fields(person, data)
    for key, value in data.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="person.update", obj=person,
                 changes=changes)
    return person


def _position_for(access: ProductionAccess, department: Department, position_name: str) -> Position:
    if department.production_id != access.production.pk:
        raise ValidationError({"department": "That department belongs to another production."})
    name = position_name.strip()
    if not name:
        raise ValidationError({"position": "Enter the position, e.g. Gaffer."})
    position, _ = Position.objects.get_or_create(
        production=access.production, department=department, name=name
    )
    return position


@transaction.atomic
def crew_member_hire(
    *,
    access: ProductionAccess,
    person: Person,
    department: Department,
    position_name: str,
    unit: Unit | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    rate_amount: Decimal | None = None,
    rate_currency: str | None = None,
    rate_unit: str = "week",
) -> CrewMember:
    access.require(Action.HIRE_CREW)
    crew = CrewMember(
        production=access.production, person=person, department=department,
        position=_position_for(access, department, position_name), unit=unit,
        start_date=start_date, end_date=end_date, rate_amount=rate_amount,
        rate_currency=(rate_currency or access.production.base_currency).upper(), rate_unit=rate_unit,
    )
    crew.full_clean()
    crew.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="crew.hire", obj=crew,
                 changes={"department": department.name, "position": crew.position.name})
    return crew


@transaction.atomic
def crew_member_update(
    *, access: ProductionAccess, crew_member_id: int, department: Department, position_name: str,
    unit: Unit | None, start_date: date | None, end_date: date | None, rate_amount: Decimal | None,
    rate_currency: str, rate_unit: str,
) -> CrewMember:
    access.require(Action.HIRE_CREW)
    crew = CrewMember.objects.select_for_update().get(production=access.production, pk=crew_member_id)
    data = {
        "department": department, "position": _position_for(access, department, position_name), "unit": unit,
        "start_date": start_date, "end_date": end_date, "rate_amount": rate_amount,
        "rate_currency": rate_currency.upper(), "rate_unit": rate_unit,
    }
    changes = diff_fields(crew, data)
    for key, value in data.items():
        setattr(crew, key, value)
    crew.full_clean()
    crew.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="crew.update", obj=crew,
                 changes=changes)
    return crew


@transaction.atomic
def crew_member_release(*, access: ProductionAccess, crew_member_id: int) -> None:
    access.require(Action.HIRE_CREW)
    crew = CrewMember.objects.select_for_update().get(production=access.production, pk=crew_member_id)
    audit_record(production_id=access.production.pk, actor=access.user, action="crew.release", obj=crew)
    crew.delete()


@transaction.atomic
def cast_member_create(
    *,
    access: ProductionAccess,
    person: Person,
    character: str,
    cast_number: int | None = None,
    unit: Unit | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    rate_amount: Decimal | None = None,
    rate_currency: str | None = None,
    rate_unit: str = "day",
) -> CastMember:
    access.require(Action.HIRE_CAST)
    if cast_number is None:
        last = CastMember.objects.filter(production=access.production).order_by("-cast_number").first()
        cast_number = (last.cast_number + 1) if last else 1
    cast = CastMember(
        production=access.production, person=person, character=character.strip().upper(), cast_number=cast_number,
        unit=unit, start_date=start_date, end_date=end_date, rate_amount=rate_amount,
        rate_currency=(rate_currency or access.production.base_currency).upper(), rate_unit=rate_unit,
    )
    cast.full_clean()
    cast.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="cast.create", obj=cast)
    return cast


@transaction.atomic
def cast_member_update(*, access: ProductionAccess, cast_member_id: int, **data: Any) -> CastMember:
    access.require(Action.HIRE_CAST)
    _reject_unknown(data, {"character", "cast_number", "unit", "start_date", "end_date", "rate_amount",
                           "rate_currency", "rate_unit", "person"})
    cast = CastMember.objects.select_for_update().get(production=access.production, pk=cast_member_id)
    if "character" in data:
        data["character"] = data["character"].strip().upper()
    changes = diff_fields(cast, data)
    for key, value in data.items():
        setattr(cast, key, value)
    cast.full_clean()
    cast.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="cast.update", obj=cast,
                 changes=changes)
    return cast


@transaction.atomic
def cast_member_remove(*, access: ProductionAccess, cast_member_id: int) -> None:
    access.require(Action.HIRE_CAST)
    cast = CastMember.objects.select_for_update().get(production=access.production, pk=cast_member_id)
    audit_record(production_id=access.production.pk, actor=access.user, action="cast.remove", obj=cast)
    cast.delete()
