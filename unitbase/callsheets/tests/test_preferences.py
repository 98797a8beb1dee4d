"""Call sheet settings (phone sharing, safety line, reminder, link validity): page and API, with who may change them."""

import pytest
from django.test import Client
from django.urls import reverse
from ninja.testing import TestClient

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.api import api as project_api
from unitbase.callsheets.models import CallSheetPreferences
from unitbase.callsheets.selectors import preferences_get
from unitbase.productions.authority import Role

from .helpers import build_world

pytestmark = pytest.mark.django_db

GOOD = {"share_phone_numbers": "on", "safety_contact": "Unit medic: Morven Gray, 07700 900 990",
        "safety_hotline": "01632 960 999", "reminder_hours": "8", "link_valid_days": "21"}


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_producer_changes_settings_on_the_page():
    w = build_world()
    producer = member(w["production"], Role.PRODUCER).user
    url = reverse("callsheets:preferences", args=[w["production"].pk])
    index = _client(producer).get(reverse("callsheets:index", args=[w["production"].pk])).content.decode()
    assert url in index
    response = _client(producer).post(url, GOOD)
    assert response.status_code == 302
    prefs = preferences_get(w["production"])
    assert (prefs.share_phone_numbers, prefs.safety_contact, prefs.safety_hotline, prefs.reminder_hours,
            prefs.link_valid_days) == (True, GOOD["safety_contact"], "01632 960 999", 8, 21)


def test_bad_values_are_named_and_change_nothing():
    w = build_world()
    producer = member(w["production"], Role.PRODUCER).user
    url = reverse("callsheets:preferences", args=[w["production"].pk])
    response = _client(producer).post(url, {**GOOD, "reminder_hours": "100", "link_valid_days": "0"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 72." in page
    assert "Ensure this value is greater than or equal to 1." in page
    prefs = preferences_get(w["production"])
    assert (prefs.reminder_hours, prefs.link_valid_days, prefs.share_phone_numbers) == (10, 14, False)


def test_first_ad_sees_but_cannot_change():
    w = build_world()
    url = reverse("callsheets:preferences", args=[w["production"].pk])
    ad = _client(w["ad_user"])
    page = ad.get(url)
    assert page.status_code == 200 and "Save settings" not in page.content.decode()
    assert 'name="reminder_hours" value="10"' in page.content.decode()
    assert ad.post(url, GOOD).status_code == 403
    assert not CallSheetPreferences.objects.filter(production=w["production"], share_phone_numbers=True).exists()
    assert preferences_get(w["production"]).reminder_hours == 10


def test_api_reads_and_patches_with_the_same_rule():
    w = build_world()
    client = TestClient(project_api)
    pid = w["production"].pk
    _, producer = api_token_create(user=member(w["production"], Role.PRODUCER).user, name="t")
    _, ad = api_token_create(user=w["ad_user"], name="t")
    got = client.get(f"/productions/{pid}/callsheet-preferences", headers={"Authorization": f"Bearer {ad}"})
    assert got.status_code == 200 and got.json()["reminder_hours"] == 10
    denied = client.patch(f"/productions/{pid}/callsheet-preferences", json={"share_phone_numbers": True},
                          headers={"Authorization": f"Bearer {ad}"})
    assert denied.status_code == 403 and preferences_get(w["production"]).share_phone_numbers is False
    bad = client.patch(f"/productions/{pid}/callsheet-preferences", json={"reminder_hours": 100},
                       headers={"Authorization": f"Bearer {producer}"})
    assert bad.status_code in (400, 422) and preferences_get(w["production"]).reminder_hours == 10
    ok = client.patch(f"/productions/{pid}/callsheet-preferences", json={"share_phone_numbers": True, "reminder_hours": 6},
                      headers={"Authorization": f"Bearer {producer}"})
    assert ok.status_code == 200 and ok.json()["share_phone_numbers"] is True and ok.json()["reminder_hours"] == 6
