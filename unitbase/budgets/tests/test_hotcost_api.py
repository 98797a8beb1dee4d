"""Hot cost API (spending_api.py): list, one day, update, fill; authorisation and bad input; and the
partial update service behind it (hot_cost_day_update)."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from unitbase.accounts.services import api_token_create
from unitbase.budgets import spending
from unitbase.budgets.models import HotCostDay
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("unitbase.budgets.tests.api_urls")]


@pytest.fixture
def staff(db):
    staff = make_staff()
    acc = staff.access("accountant")
    spending.hot_cost_day_save(access=acc, date=dt.date(2025, 3, 3), planned_hours=D("11"),
                               actual_hours=D("12"), planned_cost=D("20000"), actual_cost=D("21500.50"), notes="Rain")
    return staff


def api(user):
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def url(staff, tail=""):
    return f"/api/v1/productions/{staff.production.pk}/hot-cost{tail}"


def patch(client, path, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_list_and_get(staff):
    client = api(staff.upm)
    listed = client.get(url(staff))
    assert listed.status_code == 200
    body = listed.json()
    assert body["currency"] == "USD" and body["extra_days"] == 0 and body["cumulative_over_under"] == "-1500.50"
    assert body["days"] == [{"date": "2025-03-03", "planned_hours": "11.00", "actual_hours": "12.00",
                             "overtime_hours": "0.00", "meal_penalties": 0, "planned_cost": "20000.00",
                             "actual_cost": "21500.50", "over_under": "-1500.50", "extra_day": False, "notes": "Rain"}]
    assert client.get(url(staff), {"start": "2025-03-04"}).json()["days"] == []
    one = client.get(url(staff, "/2025-03-03"))
    assert one.status_code == 200 and one.json()["actual_cost"] == "21500.50"
    assert client.get(url(staff, "/2025-03-04")).status_code == 404
    bad = client.get(url(staff, "/March-3"))
    assert bad.status_code == 422 and "YYYY-MM-DD" in json.dumps(bad.json())


def test_update_changes_only_the_given_figures_and_counts_extra_days(staff):
    client = api(staff.accountant)
    res = patch(client, url(staff, "/2025-03-03"), {"actual_cost": "22000", "extra_day": True, "notes": "Added day"})
    assert res.status_code == 200, res.content
    day = res.json()
    assert (day["planned_cost"], day["actual_cost"], day["over_under"], day["extra_day"], day["notes"]) == (
        "20000.00", "22000.00", "-2000.00", True, "Added day")
    assert day["actual_hours"] == "12.00"  # not given: kept
    listed = client.get(url(staff)).json()
    assert (listed["extra_days"], listed["extra_days_cost"]) == (1, "22000.00")
    event = AuditEvent.objects.filter(action="hot_cost.update").latest("pk")
    assert event.changes["new"]["extra_day"] is True
    made = patch(client, url(staff, "/2025-03-05"), {"planned_hours": "10"})
    assert made.status_code == 200 and HotCostDay.objects.get(date="2025-03-05").planned_hours == D("10")


@pytest.mark.parametrize("body, field", [
    ({"actual_cost": "-5"}, "actual_cost"),
    ({"actual_cost": "abc"}, "actual_cost"),
    ({"meal_penalties": -1}, "meal_penalties"),
    ({"planned_hours": "123456789"}, "planned_hours"),
    ({"notes": "x" * 301}, "notes"),
    ({}, "Give at least one of"),
])
def test_bad_input_is_422_and_saves_nothing(staff, body, field):
    before = list(HotCostDay.objects.values())
    res = patch(api(staff.accountant), url(staff, "/2025-03-03"), body)
    assert res.status_code == 422
    assert field in json.dumps(res.json())
    assert list(HotCostDay.objects.values()) == before


def test_a_role_without_edit_budget_gets_403_and_nothing_changes(staff):
    clients = [api(user) for user in (staff.pm, staff.crew, staff.camera_head)]  # tokens are audited too
    before = list(HotCostDay.objects.values())
    events = AuditEvent.objects.count()
    for client in clients:
        assert patch(client, url(staff, "/2025-03-03"), {"actual_cost": "1"}).status_code == 403
        assert client.post(url(staff, "/2025-03-03/fill")).status_code == 403
    assert clients[1].get(url(staff)).status_code == 403  # crew may not see the budget
    assert list(HotCostDay.objects.values()) == before and AuditEvent.objects.count() == events


def test_fill_without_any_source_is_422(staff):
    res = api(staff.accountant).post(url(staff, "/2025-03-10/fill"))
    assert res.status_code == 422 and "enter the day by hand" in json.dumps(res.json())
    assert not HotCostDay.objects.filter(date="2025-03-10").exists()


def test_update_service_refuses_unknown_fields(staff):
    with pytest.raises(ValidationError) as exc:
        spending.hot_cost_day_update(access=staff.access("accountant"), date=dt.date(2025, 3, 3),
                                     changes={"production_id": 99})
    assert "production_id" in exc.value.message_dict
