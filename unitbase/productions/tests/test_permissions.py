from decimal import Decimal

import pytest

from tests.factories import UserFactory, make_production, member
from unitbase.productions.authority import Action, Role
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production

pytestmark = pytest.mark.django_db


def test_creator_is_producer_with_full_matrix():
    owner = UserFactory()
    production = make_production(owner=owner)
    access = access_production(owner, production.pk)
    assert access.role == Role.PRODUCER
    assert access.can(Action.MANAGE_MEMBERS)
    assert production.units.get().name == "Main unit"
    assert production.departments.filter(name="Camera").exists()


def test_non_member_gets_not_found_and_member_of_other_production_too():
    production = make_production()
    other = make_production(title="Other")
    outsider = member(other, Role.PRODUCER).user
    with pytest.raises(ProductionNotFound):
        access_production(outsider, production.pk)


def test_crew_denied_member_management():
    production = make_production()
    crew = member(production, Role.CREW).user
    with pytest.raises(ActionDenied):
        access_production(crew, production.pk, Action.MANAGE_MEMBERS)


def test_purchase_limit_applies():
    production = make_production()
    pm = member(production, Role.PRODUCTION_MANAGER).user
    access = access_production(pm, production.pk)
    assert access.can(Action.APPROVE_PURCHASE, Decimal("10000"))
    assert not access.can(Action.APPROVE_PURCHASE, Decimal("10000.01"))
