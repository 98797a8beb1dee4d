"""A test-only approval kind over people.Person, and a production staffed for approvals."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from tests.factories import PersonFactory, department, make_production, member
from unitbase.approvals import registry
from unitbase.approvals.services import approval_request_submit
from unitbase.productions.authority import Action, Role
from unitbase.productions.permissions import access_production

KEY = "test_doc"


@dataclass
class Calls:
    approved: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    amounts: dict = field(default_factory=dict)  # person pk -> current amount (for amount_of)


@pytest.fixture
def calls():
    recorded = Calls()
    kind = registry.ApprovalKind(
        key=KEY, label="Test document", action=Action.APPROVE_PURCHASE,
        defaults=registry.PURCHASE_ORDER_DEFAULTS,
        describe=lambda person: f"Contact {person.name}",
        amount_of=lambda person: recorded.amounts.get(person.pk, ...),
        on_approved=lambda obj, req, actor: recorded.approved.append((obj.pk, req.pk, actor.pk)),
        on_rejected=lambda obj, req, actor, reason: recorded.rejected.append((obj.pk, req.pk, actor.pk, reason)),
        on_withdrawn=lambda obj, req, actor: recorded.withdrawn.append((obj.pk, req.pk, actor.pk)),
    )
    registry.register(kind)
    yield recorded
    registry.unregister(KEY)


@dataclass
class Crew:
    production: object
    producer: object
    upm: object
    pm: object
    line_producer: object
    accountant: object
    camera_head: object
    sound_head: object
    camera_crew: object
    camera: object

    def access(self, user, action=Action.VIEW_PRODUCTION):
        return access_production(user, self.production.pk, action)


@pytest.fixture
def crew(db):
    production = make_production(title="Approvals Test")
    producer = production.memberships.get().user
    return Crew(
        production=production,
        producer=producer,
        upm=member(production, Role.UPM).user,
        pm=member(production, Role.PRODUCTION_MANAGER).user,
        line_producer=member(production, Role.LINE_PRODUCER).user,
        accountant=member(production, Role.PRODUCTION_ACCOUNTANT).user,
        camera_head=member(production, Role.DEPARTMENT_HEAD, department_name="Camera").user,
        sound_head=member(production, Role.DEPARTMENT_HEAD, department_name="Sound").user,
        camera_crew=member(production, Role.CREW, department_name="Camera").user,
        camera=department(production, "Camera"),
    )


@pytest.fixture
def submit(crew, calls):
    """Submit a test document (a Person) for approval; returns the request."""

    def _submit(amount="500", requester=None, person=None, department=True, **kwargs):
        person = person or PersonFactory(production=crew.production)
        value = Decimal(amount) if amount is not None else None
        calls.amounts[person.pk] = value
        return approval_request_submit(
            access=crew.access(requester or crew.camera_crew), kind=KEY, obj=person, amount=value,
            currency=kwargs.pop("currency", "USD"), summary=kwargs.pop("summary", ""),
            department=crew.camera if department is True else department, **kwargs,
        )

    return _submit
