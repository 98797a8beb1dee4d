"""Charts of accounts through the API: list, detail, load a standard chart, import CSV, add and rename
accounts; bad input answers 422 and changes nothing; readers may not write."""

import pytest
from django.test import Client

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.budgets.models import ChartAccount, ChartOfAccounts
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("unitbase.budgets.tests.api_urls")]


def api(production, role):
    _, raw = api_token_create(user=member(production, role).user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_charts_api(production):
    base = f"/api/v1/productions/{production.pk}/charts"
    upm = api(production, Role.UPM)
    loaded = upm.post(f"{base}/standard", {"kind": "feature"}, content_type="application/json")
    assert loaded.status_code == 201
    chart = loaded.json()
    camera = next(c for c in chart["categories"] if c["code"] == "3300")
    assert camera["level"] == "production" and any(a["code"] == "3301" for a in camera["accounts"])
    assert upm.post(f"{base}/standard", {"kind": "feature"}, content_type="application/json").status_code == 422
    assert upm.post(f"{base}/standard", {"kind": "opera"}, content_type="application/json").status_code == 422
    added = upm.post(f"{base}/{chart['id']}/accounts", {"category_id": camera["id"], "code": "3320", "name": "Drones"},
                     content_type="application/json")
    assert added.status_code == 201
    for bad in ({"code": "3420"}, {"code": "33A"}, {"category_id": 999999}):
        body = {"category_id": camera["id"], "code": "3321", "name": "X", **bad}
        response = upm.post(f"{base}/{chart['id']}/accounts", body, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"], bad
    renamed = upm.patch(f"{base}/{chart['id']}/accounts/{added.json()['id']}", {"name": "Drone unit"},
                        content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Drone unit"
    assert AuditEvent.objects.filter(action="chart_account.rename").exists()
    good = "code,name,category,level\n1101,Writer,1100 Story,atl\n2001,UPM,2000 Staff,production\n"
    imported = upm.post(f"{base}/import", {"name": "House chart", "csv": good}, content_type="application/json")
    assert imported.status_code == 201 and imported.json()["account_count"] == 2
    bad = "code,name,category,level\n1101,Writer,1100 Story,atl\n2001,UPM,2000 Staff,middle\n"
    refused = upm.post(f"{base}/import", {"name": "Broken", "csv": bad}, content_type="application/json")
    assert refused.status_code == 422 and "Row 3, column level" in str(refused.json())
    assert not ChartOfAccounts.objects.filter(name="Broken").exists()
    # Readers read; they may not write. Crew may not read.
    reader = api(production, Role.PRODUCTION_MANAGER)
    assert [c["name"] for c in reader.get(base).json()] == [chart["name"], "House chart"]
    assert reader.get(f"{base}/{chart['id']}").json()["id"] == chart["id"]
    before = ChartAccount.objects.count()
    assert reader.post(f"{base}/{chart['id']}/accounts", {"category_id": camera["id"], "code": "3322", "name": "Y"},
                       content_type="application/json").status_code == 403
    assert api(production, Role.CREW).get(base).status_code == 403
    assert ChartAccount.objects.count() == before
    assert upm.get(f"{base}/999999").status_code == 404
