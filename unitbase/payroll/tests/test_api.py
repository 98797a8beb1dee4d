"""Payroll API: deals, timecards (create with days, submit, approve, reject), preview, scoping, 403/404/422.

The router is mounted on a test API here (unitbase/api.py mounts it for real), with the main API's
authentication and exception handlers, so these tests do not depend on that wiring."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from tests.factories import CastMemberFactory
from unitbase.accounts.api import TokenAuth
from unitbase.accounts.services import api_token_create
from unitbase.api import api as main_api
from unitbase.payroll.api import router
from unitbase.payroll.models import PayrollDeal, Timecard, TimecardStatus

from .test_services import Crew

test_api = NinjaAPI(urls_namespace="payroll-api-test", auth=TokenAuth(), docs_url=None)
for exc_class, handler in main_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
test_api.add_router("/productions", router)
urlpatterns = [path("api/v1/", test_api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def client_for(user) -> Client:
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


def send(client, method, url, data=None):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def crew():
    return Crew()


def base(crew):
    return f"/api/v1/productions/{crew.production.pk}"


DAY = {"date": "2025-03-04", "call": "07:00", "meals": [["13:42", "14:12"]], "wrap": "19:00", "zone": "studio_zone"}


def test_create_with_days_submit_and_approve(crew):
    me = client_for(crew.crew_user)
    response = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal.pk, "week_ending": "2025-03-08", "days": [DAY]})
    assert response.status_code == 201, response.content
    card = response.json()
    assert card["status"] == "draft" and card["days"][0]["meals"] == [["13:42:00", "14:12:00"]]
    preview = send(me, "post", f"{base(crew)}/timecards/{card['id']}/preview").json()
    assert preview["gross"] == "712.50" and preview["days"][0]["meal_penalty_units"] == 2
    response = send(me, "post", f"{base(crew)}/timecards/{card['id']}/submit")
    assert response.status_code == 200 and response.json()["awaiting"] == "department"
    lines = response.json()["pay_lines"]
    assert [line["explanation"] for line in lines if line["kind"] == "meal_penalty"] == [
        "Meal penalty 1: first meal due 13:00, taken 13:42", "Meal penalty 2: first meal due 13:00, taken 13:42",
    ]
    assert all(line["is_violation"] for line in lines if line["kind"] == "meal_penalty")
    # Own approval is refused (403) and changes nothing.
    assert send(me, "post", f"{base(crew)}/timecards/{card['id']}/approve").status_code == 403
    assert Timecard.objects.get(pk=card["id"]).department_approved_at is None
    assert send(client_for(crew.camera_head), "post", f"{base(crew)}/timecards/{card['id']}/approve").json()["awaiting"] == "production"
    response = send(client_for(crew.accountant), "post", f"{base(crew)}/timecards/{card['id']}/approve")
    assert response.json()["status"] == "approved" and response.json()["gross"] == "712.50"


def test_bad_day_is_422_with_location_and_creates_nothing(crew):
    me = client_for(crew.crew_user)
    bad = {**DAY, "meals": [["13:00", "12:30"]]}
    response = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal.pk, "week_ending": "2025-03-08", "days": [DAY, bad]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["days.1.meal1_in"]
    assert not Timecard.objects.exists()
    response = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal.pk, "week_ending": "2025-03-08",
                                                            "days": [{**DAY, "call": "7am"}]})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][:3] == ["body", "days", "0"]


def test_scoping_crew_sees_own_and_cannot_use_others_deal(crew):
    other = Timecard.objects.create(production=crew.production, deal=crew.deal2, week_ending=dt.date(2025, 3, 8))
    me = client_for(crew.crew_user)
    assert me.get(f"{base(crew)}/timecards").json()["count"] == 0
    assert me.get(f"{base(crew)}/timecards/{other.pk}").status_code == 404
    response = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal2.pk, "week_ending": "2025-03-15"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["deal_id"]
    assert [d["id"] for d in me.get(f"{base(crew)}/payroll/deals").json()["items"]] == [crew.deal.pk]
    head = client_for(crew.camera_head)
    assert head.get(f"{base(crew)}/timecards").json()["count"] == 1


def test_reject_needs_reason_and_department_head_cannot_set_deals(crew):
    me = client_for(crew.crew_user)
    card = send(me, "post", f"{base(crew)}/timecards", {"deal_id": crew.deal.pk, "week_ending": "2025-03-08", "days": [DAY]}).json()
    send(me, "post", f"{base(crew)}/timecards/{card['id']}/submit")
    head = client_for(crew.camera_head)
    assert send(head, "post", f"{base(crew)}/timecards/{card['id']}/reject", {"reason": ""}).status_code == 422
    response = send(head, "post", f"{base(crew)}/timecards/{card['id']}/reject", {"reason": "Wrap 18:30"})
    assert response.json()["status"] == TimecardStatus.REJECTED
    response = send(head, "post", f"{base(crew)}/payroll/deals", {"crew_member_id": crew.ac.pk, "pack_id": "iatse-crew-daily-hourly",
                                                               "rate": "99.00", "rate_unit": "hour"})
    assert response.status_code == 403 and PayrollDeal.objects.get(pk=crew.deal.pk).rate == Decimal("50.00")
    response = send(client_for(crew.accountant), "post", f"{base(crew)}/payroll/deals",
                    {"crew_member_id": crew.ac.pk, "pack_id": "iatse-crew-daily-hourly", "rate": "55.00", "rate_unit": "hour"})
    assert response.status_code == 200 and response.json()["rate"] == "55.00"


def test_calculate_preview_and_turnaround(crew):
    me = client_for(crew.crew_user)
    response = send(me, "post", f"{base(crew)}/payroll/calculate", {
        "deal": {"rate": "50.00", "rate_unit": "hour", "pack_id": "iatse-crew-daily-hourly"},
        "days": [{**DAY, "previous_dismissal": "20:00"}],
    })
    assert response.status_code == 200 and response.json()["gross"] == "682.00"
    response = send(me, "post", f"{base(crew)}/payroll/calculate", {
        "deal": {"rate": "50.00", "rate_unit": "hour", "pack_id": "nope"}, "days": [DAY]})
    assert response.status_code == 422
    cast = CastMemberFactory(production=crew.production)
    response = send(me, "post", f"{base(crew)}/payroll/turnaround", {
        "cast_member_id": cast.pk,
        "schedule": [["2025-03-04T07:00", "2025-03-04T22:00"], ["2025-03-05T06:00", "2025-03-05T18:00"]],
    })
    assert response.status_code == 200
    assert [w["actual_hours"] for w in response.json()] == ["8.00"]


def test_rate_change_labour_and_weekly_rest_through_the_api():
    crew = Crew()
    acc_client, own_client = client_for(crew.accountant), client_for(crew.other_user)
    base = f"/api/v1/productions/{crew.production.pk}"
    denied = send(own_client, "post", f"{base}/payroll/deals/{crew.deal2.pk}/rates", {"effective_from": "2025-03-05", "rate": "60.00"})
    assert denied.status_code == 403 and not crew.deal2.rate_changes.exists()
    response = send(acc_client, "post", f"{base}/payroll/deals/{crew.deal2.pk}/rates", {"effective_from": "2025-03-05", "rate": "60.00"})
    assert response.status_code == 201 and response.json()["rate_changes"][0]["rate"] == "60.00"
    day = {"call": "07:00", "meals": [["12:00", "12:30"]], "wrap": "16:30", "zone": "studio_zone"}
    response = send(own_client, "post", f"{base}/timecards", {
        "deal_id": crew.deal2.pk, "week_ending": "2025-03-08", "previous_week_days_worked": 5,
        "previous_dismissal": "2025-03-02T20:00:00-08:00",
        "days": [{**day, "date": f"2025-03-0{d}"} for d in (3, 4, 5)]})
    assert response.status_code == 201, response.content
    card_id = response.json()["id"]
    preview = send(own_client, "post", f"{base}/timecards/{card_id}/preview").json()
    assert [d["gross"] for d in preview["days"]][2] == "570.00"  # Wednesday at the new rate
    assert Timecard.objects.get(pk=card_id).previous_week_days_worked == 5
    bad = send(own_client, "put", f"{base}/timecards/{card_id}/days/2025-03-06", {**day, "date": "2025-03-06", "rest_reduction": "nope"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "rest_reduction"
    assert acc_client.get(f"{base}/payroll/labour").json() == []
    assert own_client.get(f"{base}/payroll/labour").status_code == 403
