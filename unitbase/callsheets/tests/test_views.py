import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, make_production, member
from unitbase.callsheets import services
from unitbase.callsheets.models import CallSheet, Delivery
from unitbase.productions.authority import Role

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_pages_for_any_member(world):
    crew = member(world["production"], Role.CREW).user
    c = _client(crew)
    pid, sid = world["production"].pk, world["sheet"].pk
    for url in [reverse("callsheets:index", args=[pid]), reverse("callsheets:detail", args=[pid, sid]),
                reverse("callsheets:distribution", args=[pid, sid])]:
        response = c.get(url)
        assert response.status_code == 200, url
    # The old call sheet locations page now lives in the locations app.
    moved = c.get(reverse("callsheets:locations", args=[pid]))
    assert moved.status_code == 302 and moved["Location"] == reverse("locations:list", args=[pid])
    page = c.get(reverse("callsheets:detail", args=[pid, sid])).content.decode()
    assert "Day 1 of 3" in page and "HARBOUR" in page and "Publish revision" not in page
    pdf = c.get(reverse("callsheets:pdf", args=[pid, sid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_publish_denied_to_crew_changes_nothing(world):
    crew = member(world["production"], Role.CREW).user
    c = _client(crew)
    pid, sid = world["production"].pk, world["sheet"].pk
    assert c.post(reverse("callsheets:publish", args=[pid, sid])).status_code == 403
    assert c.post(reverse("callsheets:update", args=[pid, sid]), {"general_call": "05:00"}).status_code == 403
    sheet = CallSheet.objects.get(pk=sid)
    assert sheet.status == "draft" and sheet.general_call.strftime("%H:%M") == "06:30"
    assert not Delivery.objects.exists()


def test_non_member_gets_404(world):
    c = _client(UserFactory())
    pid, sid = world["production"].pk, world["sheet"].pk
    assert c.get(reverse("callsheets:detail", args=[pid, sid])).status_code == 404
    assert c.post(reverse("callsheets:publish", args=[pid, sid])).status_code == 404
    assert CallSheet.objects.get(pk=sid).status == "draft"
    # Another production's member cannot reach this sheet through their own production id.
    other = make_production(title="Other")
    outsider = member(other, Role.UPM).user
    assert _client(outsider).get(reverse("callsheets:detail", args=[other.pk, sid])).status_code == 404


def test_ad_publishes_through_the_page(world, django_capture_on_commit_callbacks):
    c = _client(world["ad_user"])
    pid, sid = world["production"].pk, world["sheet"].pk
    bad = c.post(reverse("callsheets:update", args=[pid, sid]), {"general_call": "not a time"})
    assert bad.status_code == 422 and "general_call" in bad.context["form"].errors
    ok = c.post(reverse("callsheets:update", args=[pid, sid]), {"general_call": "06:15", "weather": "Fog"})
    assert ok.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("callsheets:publish", args=[pid, sid]), {"change_note": ""})
    assert response.status_code == 302
    sheet = CallSheet.objects.get(pk=sid)
    assert sheet.status == "published" and sheet.general_call.strftime("%H:%M") == "06:15"
    assert Delivery.objects.filter(status="delivered").count() == 5
    dist = c.get(reverse("callsheets:distribution", args=[pid, sid])).content.decode()
    assert "Delivered" in dist
    # Frozen: an edit now is refused with 422 and changes nothing.
    again = c.post(reverse("callsheets:update", args=[pid, sid]), {"general_call": "09:00"})
    assert again.status_code == 422
    assert CallSheet.objects.get(pk=sid).general_call.strftime("%H:%M") == "06:15"


def test_build_bad_date_is_422(world):
    c = _client(world["ad_user"])
    response = c.post(reverse("callsheets:build", args=[world["production"].pk]), {"unit": world["unit"].pk, "shoot_date": "2020-01-01"})
    assert response.status_code == 422
    assert CallSheet.objects.count() == 1
