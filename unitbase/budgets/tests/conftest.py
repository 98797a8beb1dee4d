from decimal import Decimal

import pytest

from tests.factories import make_production, member
from unitbase.budgets import services
from unitbase.budgets.models import BudgetAccount
from unitbase.productions.authority import Role
from unitbase.productions.permissions import access_production


@pytest.fixture
def production(db):
    return make_production(title="Low Water")


@pytest.fixture
def access_for(production):
    def _access(role=Role.UPM, prod=None):
        prod = prod or production
        return access_production(member(prod, role).user, prod.pk)

    return _access


@pytest.fixture
def upm(access_for):
    return access_for(Role.UPM)


@pytest.fixture
def budget(upm):
    chart = services.chart_load_standard(access=upm, kind="feature")
    return services.budget_create(access=upm, chart_id=chart.pk, name="Shooting budget", base_currency="USD")


def account(budget, code):
    return BudgetAccount.objects.get(budget=budget, code=code)


def add_line(access, budget, code="3301", **kwargs):
    data = {"description": "DP", "amount": "10", "unit": "week", "x": "1", "rate": Decimal("5000"), "currency": "USD"}
    data.update(kwargs)
    return services.detail_line_add(access=access, budget_id=budget.pk, account_id=account(budget, code).pk, **data)
