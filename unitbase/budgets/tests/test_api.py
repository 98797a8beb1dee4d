"""Budget API: listing, top sheet JSON, line CRUD with 403/404/409/422 and nothing changed on refusal."""

from decimal import Decimal as D

import pytest
from django.test import Client

from tests.factories import make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import services
from unitbase.budgets.models import DetailLine
from unitbase.productions.authority import Role

from .conftest import add_line

pytestmark = [pytest.mark.django_db, pytest.mark.urls("unitbase.budgets.tests.api_urls")]


def api_client(production, role):
    user = member(production, role).user
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def base(production, budget):
    return f"/api/v1/productions/{production.pk}/budgets/{budget.pk}"


def snapshot():
    return list(DetailLine.objects.order_by("pk").values())


def test_list_and_topsheet_json(production, upm, budget):
    services.charge_set(access=upm, budget_id=budget.pk, name="Contingency", rate=D(10), basis=["atl", "production"])
    add_line(upm, budget)
    client = api_client(production, Role.FINANCIER)
    listed = client.get(f"/api/v1/productions/{production.pk}/budgets").json()
    assert [(b["name"], b["version"], b["status"]) for b in listed] == [("Shooting budget", 1, "working")]
    sheet = client.get(f"{base(production, budget)}/topsheet").json()
    production_level = next(lv for lv in sheet["levels"] if lv["level"] == "production")
    camera = next(c for c in production_level["categories"] if c["code"] == "3300")
    assert camera["total"] == "50000.00" and camera["accounts"][0] == {
        "code": "3301", "name": "Director of photography", "subtotal": "50000.00", "fringes": "0.00", "total": "50000.00"}
    assert (sheet["below_the_line"], sheet["charges_total"], sheet["grand_total"]) == ("50000.00", "5000.00", "55000.00")


def test_line_crud_and_conflicts(production, budget):
    client = api_client(production, Role.PRODUCTION_ACCOUNTANT)
    url = f"{base(production, budget)}/accounts/3302/lines"
    created = client.post(url, {"description": "Operator", "amount": "10", "unit": "week", "rate": "4000.00"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["currency"], body["subtotal"], body["revision"]) == ("USD", "40000.00", 1)
    assert client.get(url).json()[0]["id"] == body["id"]
    line_url = f"{base(production, budget)}/lines/{body['id']}"
    patched = client.patch(line_url, {"revision": 1, "x": "2"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["total"] == "80000.00"
    before = snapshot()
    stale = client.patch(line_url, {"revision": 1, "x": "3"}, content_type="application/json")
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"][0]["msg"]
    invalid = client.patch(line_url, {"revision": 2, "amount": "NO_SUCH"}, content_type="application/json")
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["amount"]
    assert client.delete(f"{line_url}?revision=1").status_code == 409
    assert snapshot() == before
    assert client.delete(f"{line_url}?revision=2").status_code == 204
    assert not DetailLine.objects.exists()


def test_api_authorisation(production, upm, budget):
    line = add_line(upm, budget)
    before = snapshot()
    crew = api_client(production, Role.CREW)
    assert crew.get(f"/api/v1/productions/{production.pk}/budgets").status_code == 403
    assert crew.get(f"{base(production, budget)}/topsheet").status_code == 403
    financier = api_client(production, Role.FINANCIER)
    assert financier.patch(f"{base(production, budget)}/lines/{line.pk}", {"revision": 1, "x": "9"},
                           content_type="application/json").status_code == 403
    outsider = api_client(make_production(title="Other"), Role.PRODUCER)
    assert outsider.get(f"{base(production, budget)}/topsheet").status_code == 404
    assert outsider.delete(f"{base(production, budget)}/lines/{line.pk}?revision=1").status_code == 404
    assert snapshot() == before
