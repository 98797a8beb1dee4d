"""Reads for people, scoped to the acting user's production, with pay hidden where the matrix says."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from unitbase.productions.permissions import ProductionAccess

from .models import CastMember, CrewMember, Person


def person_list(*, access: ProductionAccess, search: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(production=access.production)
    if search:
        people = people.filter(Q(name__icontains=search) | Q(email__icontains=search) | Q(agency__icontains=search))
    return people


def crew_list(
    *, access: ProductionAccess, department_id: int | None = None, unit_id: int | None = None, search: str = ""
) -> QuerySet[CrewMember]:
    crew = CrewMember.objects.filter(production=access.production).select_related(
        "person", "department", "position", "unit", "person__user"
    )
    if department_id:
        crew = crew.filter(department_id=department_id)
    if unit_id:
        crew = crew.filter(unit_id=unit_id)
    if search:
        crew = crew.filter(Q(person__name__icontains=search) | Q(position__name__icontains=search))
    return crew


def cast_list(*, access: ProductionAccess, search: str = "") -> QuerySet[CastMember]:
    cast = CastMember.objects.filter(production=access.production).select_related("person", "unit", "person__user")
    if search:
        cast = cast.filter(Q(person__name__icontains=search) | Q(character__icontains=search))
    return cast


def rate_visible(access: ProductionAccess, engagement: CrewMember | CastMember) -> bool:
    """Pay privacy for one crew or cast row, per the matrix's view_pay scope."""
    return access.sees_pay_of(
        department_id=getattr(engagement, "department_id", None), user_id=engagement.person.user_id
    )


def person_get(*, access: ProductionAccess, person_id: int) -> Person:
    """One contact of the production (Person.DoesNotExist for another production's)."""
    return Person.objects.get(production=access.production, pk=person_id)


def crew_member_get(*, access: ProductionAccess, crew_member_id: int) -> CrewMember:
    return CrewMember.objects.select_related("person", "department", "position", "unit").get(
        production=access.production, pk=crew_member_id
    )


def cast_member_get(*, access: ProductionAccess, cast_member_id: int) -> CastMember:
    return CastMember.objects.select_related("person", "unit").get(production=access.production, pk=cast_member_id)


def person_engagements(*, access: ProductionAccess, person: Person) -> tuple[list[CrewMember], list[CastMember]]:
    """A contact's crew and cast engagements on this production, with the joins the pages need."""
    crew = list(
        CrewMember.objects.filter(production=access.production, person=person).select_related(
            "person", "department", "position", "unit"
        )
    )
    cast = list(CastMember.objects.filter(production=access.production, person=person).select_related("person", "unit"))
    return crew, cast
