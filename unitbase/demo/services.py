"""Building the demo production through the same services that users' clicks call."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from unitbase.budgets.demo import demo_close_first_week, demo_seed_budget
from unitbase.callsheets.services import demo_seed_callsheets
from unitbase.core.audit import audit_record, diff_fields
from unitbase.locations.services import locations_demo_hold, locations_demo_seed
from unitbase.payroll.services import demo_seed_payroll
from unitbase.people.models import Person
from unitbase.people.services import cast_member_create, crew_member_hire, person_create
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Department, Membership, Production, Unit
from unitbase.productions.permissions import ProductionAccess, access_production
from unitbase.productions.services import (
    authority_rule_set,
    invitation_accept,
    invitation_create,
    production_create,
    unit_create,
)
from unitbase.scheduling.services import schedule_demo_seed
from unitbase.scripts.models import Tag, TagStatus
from unitbase.scripts.services import script_import, tag_accept

from . import data


@transaction.atomic
def person_user_link(*, access: ProductionAccess, person: Person, user: Any) -> Person:
    """Link a contact to the account of a member of the same production (Person.user).

    Lives here because the people app has no such service yet; it belongs in
    unitbase.people.services when a page needs it."""
    access.require(Action.MANAGE_CONTACTS)
    if person.production_id != access.production.pk:
        raise ValidationError({"person": "That person belongs to another production."})
    if user is not None and not Membership.objects.filter(production=access.production, user=user).exists():
        raise ValidationError({"user": f"{user.email} is not a member of this production."})
    changes = diff_fields(person, {"user": user})
    person.user = user
    person.full_clean()
    person.save(update_fields=["user", "updated_at"])
    audit_record(production_id=access.production.pk, actor=access.user, action="person.link_user", obj=person,
                 changes=changes)
    return person


def demo_production() -> Production | None:
    """The demo production, if it has been made: the one with the demo title whose producer is
    the demo producer."""
    return Production.objects.filter(
        title=data.TITLE, memberships__user__email=data.LOGINS[0]["email"], memberships__role=Role.PRODUCER
    ).first()


@transaction.atomic
def demo_create() -> tuple[Production, bool]:
    """Make the demo production unless it exists. Returns (production, created)."""
    existing = demo_production()
    if existing is not None:
        return existing, False

    User = get_user_model()
    producer_login = data.LOGINS[0]
    producer = User.objects.filter(email__iexact=producer_login["email"]).first() or User.objects.create_user(
        email=producer_login["email"], password=data.PASSWORD, full_name=producer_login["full_name"]
    )
    production = production_create(
        actor=producer, title=data.TITLE, kind=Production.Kind.SHORT, base_currency=data.CURRENCY,
        time_zone=data.TIME_ZONE, status=Production.Status.PREP,
    )
    as_producer = access_production(producer, production.pk)
    unit_create(access=as_producer, name=data.SECOND_UNIT, kind=Unit.Kind.SECOND)
    departments = {d.name: d for d in Department.objects.filter(production=production)}
    units = {u.name: u for u in Unit.objects.filter(production=production)}

    # The other logins join the way everyone joins: invited, then accepting the invitation.
    users = {producer_login["email"]: producer}
    for login in data.LOGINS[1:]:
        invitation = invitation_create(
            access=as_producer, email=login["email"], role=login["role"], full_name=login["full_name"],
            department=departments.get(login["department"] or ""),
        )
        membership = invitation_accept(token=invitation.token, password=data.PASSWORD, full_name=login["full_name"])
        users[login["email"]] = membership.user

    # The UPM builds the crew list; the producer hires the cast.
    as_upm = access_production(users["upm@demo.unitbase.test"], production.pk)
    people_by_name = {}
    for row in data.CREW:
        person = person_create(access=as_upm, name=row["name"], email=row["email"], phone=row["phone"],
                               union_memberships=row["unions"])
        people_by_name[row["name"]] = person
        crew_member_hire(
            access=as_upm, person=person, department=departments[row["department"]], position_name=row["position"],
            unit=units.get(row["unit"] or ""), start_date=row["start_date"], end_date=row["end_date"],
            rate_amount=row["rate_amount"], rate_currency=data.CURRENCY, rate_unit=row["rate_unit"],
        )
    for number, row in enumerate(data.CAST, start=1):
        person = person_create(
            access=as_producer, name=row["name"], agency=row["agency"], agent_name=row["agent_name"],
            agent_contact=row["agent_contact"], union_memberships=row["unions"],
        )
        cast_member_create(
            access=as_producer, person=person, character=row["character"], cast_number=number,
            start_date=row["start_date"], end_date=row["end_date"], rate_amount=row["rate_amount"],
            rate_currency=data.CURRENCY, rate_unit="day",
        )

    for login in data.LOGINS:
        if login["person"] not in people_by_name:  # not crew: a contact of the production
            people_by_name[login["person"]] = person_create(access=as_upm, name=login["person"], email=login["email"],
                                                            agency="Northlight Film Fund")
        person_user_link(access=as_upm, person=people_by_name[login["person"]], user=users[login["email"]])

    # The producer imports the screenplay: scenes, eighths, cast/set/background tags and suggestions.
    # The UPM then works through the first few suggestions, as the office would on day one of prep.
    as_editor = access_production(producer, production.pk, Action.EDIT_PRODUCTION)
    script_import(access=as_editor, filename=data.SCREENPLAY.name, data=data.SCREENPLAY.read_bytes())
    pending = Tag.objects.filter(scene__revision__production=production, status=TagStatus.PENDING).order_by("pk")
    for tag_id in list(pending.values_list("pk", flat=True)[:12]):
        tag_accept(access=as_upm, tag_id=tag_id)

    # The location manager's scouting is done: Low Water's locations, with the script's sets assigned.
    locations_demo_seed(access=as_upm)

    # The UPM builds the stripboard from the breakdown: calendar, an applied shooting schedule and a draft.
    schedule_demo_seed(access=as_upm, shoot_start=data.SHOOT_START, shoot_end=data.SHOOT_END,
                       prep_start=data.PREP_START, wrap_end=data.WRAP_END)
    locations_demo_hold(access=as_upm)  # the café is only pencilled for one of its days: a board warning

    # The producer locks a shooting budget; purchase orders, invoices and actuals follow.
    demo_seed_budget(access=as_producer, shoot_start=data.SHOOT_START)

    # Day 1: the call sheet goes out and comes back confirmed; the production report is approved.
    as_pm = access_production(users["pm@demo.unitbase.test"], production.pk)
    demo_seed_callsheets(access=as_upm, approver=as_pm)

    # First shoot week's timecards: crew deals under the UK crew pack, cast under the UK performer pack
    # with times from the production report; some submitted, the PM approves what they may.
    demo_seed_payroll(access=as_upm, week_ending=data.SHOOT_START + timedelta(days=5), approver=as_pm)
    # With the week's labour posted, the accountant closes the first shoot week.
    demo_close_first_week(access=as_producer, shoot_start=data.SHOOT_START)

    # A few changes a real office makes in prep, so the audit trail and members page have content.
    authority_rule_set(access=as_producer, action=Action.APPROVE_PURCHASE, role=Role.DEPARTMENT_HEAD,
                       allowed=True, scope="department", limit_amount=Decimal("1500.00"))
    as_line_producer = access_production(users["lineproducer@demo.unitbase.test"], production.pk)
    invite = data.OPEN_INVITATION
    invitation_create(access=as_line_producer, email=invite["email"], role=invite["role"],
                      full_name=invite["full_name"], department=departments[invite["department"]])
    return production, True
