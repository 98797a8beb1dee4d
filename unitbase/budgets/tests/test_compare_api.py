"""Version compare through the API: by account with differences, level/charge/grand totals; who may read."""

from decimal import Decimal as D

import pytest
from django.test import Client

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import services
from unitbase.productions.authority import Role

from .conftest import add_line

pytestmark = [pytest.mark.django_db, pytest.mark.urls("unitbase.budgets.tests.api_urls")]


def api(production, role):
    _, raw = api_token_create(user=member(production, role).user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_compare_two_versions(production, upm, budget):
    add_line(upm, budget, rate=D(5000))  # 3301: 10 weeks x 5,000 = 50,000
    services.budget_lock(access=upm, budget_id=budget.pk)
    new = services.budget_revise(access=upm, budget_id=budget.pk)
    copied = new.lines.get()
    services.detail_line_update(access=upm, line_id=copied.pk, revision=copied.revision, rate=D(6000))
    services.exchange_rate_set(access=upm, budget_id=new.pk, currency="EUR", rate=D("1.1"))
    url = f"/api/v1/productions/{production.pk}/budgets/{budget.pk}/compare/{new.pk}"
    body = api(production, Role.PRODUCTION_MANAGER).get(url).json()
    assert (body["from_budget"], body["to_budget"]) == (budget.pk, new.pk)
    dp = next(a for a in body["accounts"] if a["code"] == "3301")
    assert (dp["from_total"], dp["to_total"], dp["difference"]) == ("50000.00", "60000.00", "10000.00")
    grand = next(t for t in body["totals"] if t["label"] == "Grand total")
    assert (grand["from_total"], grand["to_total"], grand["difference"]) == ("50000.00", "60000.00", "10000.00")
    assert [t["label"] for t in body["totals"]][-2:] == ["Charges", "Grand total"]
    assert api(production, Role.CREW).get(url).status_code == 403
    assert api(production, Role.UPM).get(
        f"/api/v1/productions/{production.pk}/budgets/{budget.pk}/compare/999999").status_code == 404
    # A line in a currency whose rate is then removed cannot be totalled: 409, not a crash.
    services.detail_line_add(access=upm, budget_id=new.pk, account_id=new.accounts.get(code="3301").pk,
                             description="Lens", rate=D(100), currency="EUR")
    new.exchange_rates.all().delete()
    conflict = api(production, Role.UPM).get(url)
    assert conflict.status_code == 409 and "EUR" in conflict.json()["detail"][0]["msg"]
