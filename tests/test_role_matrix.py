"""Each role sees exactly what the production's authority matrix allows, and editing the matrix
changes what a role may do (the matrix is data, not code)."""

import pytest
from django.urls import reverse

from tests.factories import make_production, member
from unitbase.productions.authority import DEFAULT_MATRIX, Action, Role
from unitbase.productions.models import AuthorityRule

# Each page and the action that guards it.
PAGES = {
    "productions:dashboard": Action.VIEW_PRODUCTION,
    "productions:settings": Action.EDIT_PRODUCTION,
    "productions:members": Action.VIEW_PRODUCTION,
    "productions:authority": Action.VIEW_PRODUCTION,
    "productions:audit": Action.VIEW_AUDIT,
    "productions:tasks": Action.VIEW_PRODUCTION,
    "people:crew": Action.VIEW_PRODUCTION,
    "people:cast": Action.VIEW_PRODUCTION,
    "people:people": Action.VIEW_PRODUCTION,
    "scripts:script": Action.VIEW_PRODUCTION,
    "scheduling:home": Action.VIEW_PRODUCTION,
    "scheduling:versions": Action.VIEW_PRODUCTION,
    "approvals:inbox": Action.VIEW_PRODUCTION,
    "callsheets:index": Action.VIEW_PRODUCTION,
    "payroll:mine": Action.VIEW_PRODUCTION,
}


def budget_reader(role: str) -> bool:
    """The budget is read by roles that edit it or see every rate (budgets/permissions.py)."""
    pay = DEFAULT_MATRIX[Action.VIEW_PAY].get(role)
    return role in DEFAULT_MATRIX[Action.EDIT_BUDGET] or (pay is not None and pay[0] == "all")


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_exactly_the_pages_the_default_matrix_allows(client, role):
    production = make_production()
    client.force_login(member(production, role, department_name="Camera").user)
    for name, action in PAGES.items():
        response = client.get(reverse(name, args=[production.pk]))
        expected = 200 if role in DEFAULT_MATRIX[action] else 403
        assert response.status_code == expected, f"{role} GET {name}: {response.status_code}, expected {expected}"
    response = client.get(reverse("budgets:list", args=[production.pk]))
    assert response.status_code == (200 if budget_reader(role) else 403), f"{role} GET budgets:list"


@pytest.mark.django_db
def test_editing_the_matrix_changes_access(client):
    production = make_production()
    pm = member(production, Role.PRODUCTION_MANAGER).user
    client.force_login(pm)
    url = reverse("productions:audit", args=[production.pk])
    assert client.get(url).status_code == 200
    AuthorityRule.objects.filter(production=production, action=Action.VIEW_AUDIT, role=Role.PRODUCTION_MANAGER).delete()
    assert client.get(url).status_code == 403
    AuthorityRule.objects.create(production=production, action=Action.VIEW_AUDIT, role=Role.CREW)
    client.force_login(member(production, Role.CREW).user)
    assert client.get(url).status_code == 200
