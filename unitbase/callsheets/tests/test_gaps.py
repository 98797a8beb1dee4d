"""The CLI, key contacts, DPR cast/crew times (htmx rows), unshot scenes back to the schedule, and
htmx edits of a call sheet."""

import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import CrewMemberFactory, PersonFactory, department, member
from unitbase.callsheets import services
from unitbase.callsheets.models import CallSheet, DailyReport, DailyReportScene
from unitbase.callsheets.selectors import dpr_progress, sheet_data
from unitbase.productions.authority import Role
from unitbase.productions.models import Position
from unitbase.productions.permissions import ActionDenied, access_production
from unitbase.scheduling.models import Strip
from unitbase.scheduling.selectors import version_applied

from .helpers import DAY1, DAY2, build_world

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _report_with_unshot(world):
    ad = world["ad"]
    report = services.dpr_start(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    services.dpr_scene_set(access=ad, report_id=report.pk, number="1", status="complete")
    services.dpr_scene_set(access=ad, report_id=report.pk, number="2", status="not_shot")
    return report


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_writes_the_pdf(world, tmp_path):
    production = world["production"]
    member(production, Role.PRODUCER)
    out = tmp_path / "day1.pdf"
    call_command("callsheet", "pdf", "--production", production.title, "--date", DAY1.isoformat(), "--output", str(out),
                 stderr=io.StringIO())
    with pdfplumber.open(out) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert "DRAFT" in text and "HARBOUR" in text and "Day 1 of 3" in text
    services.callsheet_publish(access=world["ad"], call_sheet_id=world["sheet"].pk)
    call_command("callsheet", "pdf", "--production", str(production.pk), "--date", DAY1.isoformat(), "-o", str(out),
                 "--as", world["ad_user"].email, stderr=io.StringIO())
    with pdfplumber.open(out) as doc:
        assert "DRAFT" not in "\n".join(p.extract_text() or "" for p in doc.pages)


def test_cli_bad_input(world, tmp_path):
    out = tmp_path / "x.pdf"
    pid = str(world["production"].pk)
    with pytest.raises(CommandError, match="not a date"):
        call_command("callsheet", "pdf", "--production", pid, "--date", "31/12/2027", "-o", str(out), "--as", world["ad_user"].email)
    with pytest.raises(CommandError, match="no call sheet"):
        call_command("callsheet", "pdf", "--production", pid, "--date", DAY2.isoformat(), "-o", str(out), "--as", world["ad_user"].email)
    with pytest.raises(CommandError, match="no production"):
        call_command("callsheet", "pdf", "--production", "No Such Film", "--date", DAY1.isoformat(), "-o", str(out))
    with pytest.raises(CommandError, match="no active user"):
        call_command("callsheet", "pdf", "--production", pid, "--date", DAY1.isoformat(), "-o", str(out), "--as", "nobody@x.test")
    assert not out.exists()


def test_cli_takes_the_title_slug(world, tmp_path):
    from tests.factories import make_production

    production = world["production"]
    out = tmp_path / "slug.pdf"
    call_command("callsheet", "pdf", "--production", "harbour-lights", "--date", DAY1.isoformat(), "--output", str(out),
                 "--as", world["ad_user"].email, stderr=io.StringIO())
    with pdfplumber.open(out) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert production.title in text and "HARBOUR" in text
    out.unlink()
    make_production(title="Harbour Lights!")  # same slug, different title: ambiguous by slug, not by exact title
    with pytest.raises(CommandError, match="more than one production"):
        call_command("callsheet", "pdf", "--production", "harbour-lights", "--date", DAY1.isoformat(), "-o", str(out),
                     "--as", world["ad_user"].email)
    assert not out.exists()
    call_command("callsheet", "pdf", "--production", "Harbour Lights", "--date", DAY1.isoformat(), "-o", str(out),
                 "--as", world["ad_user"].email, stderr=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")


# --- key contacts -----------------------------------------------------------------------------------------


def test_key_contacts_prefilled_without_phones_and_printed(world):
    production = world["production"]
    direction = department(production, "Direction")
    CrewMemberFactory(production=production, department=direction,
                      position=Position.objects.get_or_create(production=production, department=direction, name="1st Assistant Director")[0],
                      person=PersonFactory(production=production, name="Sam Reid", phone="+44 7700 900999"))
    sheet = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    assert sheet.key_contacts == "1st Assistant Director: Sam Reid"
    services.callsheet_update(access=world["ad"], call_sheet_id=sheet.pk,
                              key_contacts="1st Assistant Director: Sam Reid 07700 900999\nProduction office: 01632 960000")
    sheet.refresh_from_db()
    assert sheet_data(sheet)["key_contacts"] == ["1st Assistant Director: Sam Reid 07700 900999", "Production office: 01632 960000"]
    page = _client(member(production, Role.CREW).user).get(reverse("callsheets:detail", args=[production.pk, sheet.pk]))
    assert "Key contacts" in page.content.decode() and "Production office: 01632 960000" in page.content.decode()


# --- htmx edits of a call sheet ---------------------------------------------------------------------------


def test_cast_row_htmx_swaps_the_row_and_the_document(world):
    sheet = world["sheet"]
    row = sheet.cast_rows.get(cast_number=1)
    c = _client(world["ad_user"])
    url = reverse("callsheets:cast_row", args=[world["production"].pk, sheet.pk, row.pk])
    response = c.post(url, {"pickup": "05:15", "makeup": "05:45", "on_set": "06:45", "remarks": "Wet-down"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(f'id="cast-row-{row.pk}"') == 1 and 'hx-swap-oob="true"' in body and "Wet-down" in body
    assert "<html" not in body
    bad = c.post(url, {"pickup": "", "makeup": "08:00", "on_set": "07:00"}, **HX)
    assert bad.status_code == 422 and "before the hair/makeup" in bad.content.decode() and "<html" not in bad.content.decode()
    row.refresh_from_db()
    assert row.remarks == "Wet-down" and row.on_set.strftime("%H:%M") == "06:45"


def test_crew_call_htmx_swaps_the_section(world):
    sheet = world["sheet"]
    c = _client(world["ad_user"])
    url = reverse("callsheets:crew_call", args=[world["production"].pk, sheet.pk])
    response = c.post(url, {"department_name": "Camera", "call_time": "06:00"}, **HX)
    assert response.status_code == 200 and 'id="crew-calls"' in response.content.decode()
    assert "Call changed for 2 crew." in response.content.decode()
    assert sorted(sheet.crew_rows.values_list("department_name", "call_time__hour")) == [("Camera", 6), ("Camera", 6), ("Grip", None)]


# --- DPR cast and crew times --------------------------------------------------------------------------------


def test_dpr_cast_and_crew_times_through_the_page(world):
    report = services.dpr_start(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    pid = world["production"].pk
    cast = report.cast_times.get(cast_number=1)
    crew = report.crew_times.first()
    c = _client(world["ad_user"])
    page = c.get(reverse("callsheets:dpr", args=[pid, report.pk])).content.decode()
    assert f'id="dpr-cast-{cast.pk}"' in page and f'id="dpr-crew-{crew.pk}"' in page
    url = reverse("callsheets:dpr_cast_time", args=[pid, report.pk, cast.pk])
    ok = c.post(url, {"report_time": "06:00", "on_set": "07:30", "meal_out": "12:30", "meal_in": "13:00", "dismissed": "00:30"}, **HX)
    assert ok.status_code == 200 and 'id="dpr-document"' in ok.content.decode()
    bad = c.post(url, {"report_time": "06:00", "on_set": "05:00"}, **HX)
    assert bad.status_code == 422 and "out of order" in bad.content.decode()
    cast.refresh_from_db()
    assert cast.on_set.strftime("%H:%M") == "07:30" and cast.dismissed.strftime("%H:%M") == "00:30"  # across midnight
    crew_url = reverse("callsheets:dpr_crew_time", args=[pid, report.pk, crew.pk])
    assert c.post(crew_url, {"time_in": "06:00", "time_out": "19:15"}).status_code == 302
    crew.refresh_from_db()
    assert crew.time_out.strftime("%H:%M") == "19:15"
    # a crew member may not edit, and the denied request changes nothing
    denied = _client(member(world["production"], Role.CREW).user).post(crew_url, {"time_in": "05:00", "time_out": "06:00"})
    assert denied.status_code == 403
    crew.refresh_from_db()
    assert crew.time_out.strftime("%H:%M") == "19:15"


# --- unshot scenes -----------------------------------------------------------------------------------------


def test_unshot_scene_to_boneyard_keeps_the_days_plan(world):
    report = _report_with_unshot(world)
    before = dpr_progress(access=world["ad"], report=report)
    assert (before.eighths_planned_to_date, before.eighths_shot_to_date) == (20, 8)
    moved = services.dpr_unshot_move(access=world["ad"], report_id=report.pk, to="boneyard")
    assert moved == 1
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    assert Strip.objects.get(version=version, scene__number="2").section == Strip.Section.BONEYARD
    assert report.scenes.get(number="2").moved_to == "boneyard"
    after = dpr_progress(access=world["ad"], report=report)
    assert (after.eighths_planned_to_date, after.eighths_shot_to_date, after.pages_ahead) == (20, 8, "−1 4/8")
    with pytest.raises(ValidationError, match="No unshot scenes"):
        services.dpr_unshot_move(access=world["ad"], report_id=report.pk, to="boneyard")


def test_unshot_scene_to_a_later_day_through_the_page(world):
    report = _report_with_unshot(world)
    pid = world["production"].pk
    c = _client(world["ad_user"])
    url = reverse("callsheets:dpr_unshot", args=[pid, report.pk])
    bad = c.post(url, {"to": "day", "day": "1", "scene": "2"})
    assert bad.status_code == 422 and "later shoot day" in bad.content.decode()
    assert c.post(url, {"to": "day", "day": "3", "scene": "2"}).status_code == 302
    assert report.scenes.get(number="2").moved_to == "day 3"
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    day3 = services.callsheet_build_from_schedule(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY2 + (DAY2 - DAY1))
    assert [s.number for s in day3.scenes.all()] == ["4", "2"] and version.strips.filter(section="board").exists()


def test_unshot_move_needs_change_schedule_and_denied_changes_nothing(world):
    report = _report_with_unshot(world)
    coordinator = access_production(member(world["production"], Role.PRODUCTION_COORDINATOR).user, world["production"].pk)
    version = version_applied(access=world["ad"], unit_id=world["unit"].pk)
    with pytest.raises(ActionDenied):
        services.dpr_unshot_move(access=coordinator, report_id=report.pk, to="boneyard")
    assert Strip.objects.get(version=version, scene__number="2").section == Strip.Section.BOARD
    assert DailyReportScene.objects.get(report=report, number="2").moved_to == ""
    crew = _client(member(world["production"], Role.CREW).user)
    assert crew.post(reverse("callsheets:dpr_unshot", args=[world["production"].pk, report.pk]), {"to": "boneyard"}).status_code == 403
    assert Strip.objects.get(version=version, scene__number="2").section == Strip.Section.BOARD
    assert DailyReport.objects.count() == 1


# --- demo ----------------------------------------------------------------------------------------------------


def test_demo_seed(world):
    CallSheet.objects.all().delete()
    upm = access_production(member(world["production"], Role.UPM).user, world["production"].pk)
    # The demo seeds its locations first (unitbase.locations); here: one location for both sets.
    from unitbase.locations import services as locations

    quay = locations.location_create(access=upm, name="Tarbert quay", latitude="55.8650", longitude="-5.4140",
                                     hospital_name="Mid Argyll Community Hospital (A&E)")
    for key in ("HARBOUR", "COTTAGE"):
        locations.set_location_assign(access=upm, set_key=key, location_id=quay.pk)
    sheet = services.demo_seed_callsheets(access=upm)
    assert sheet is not None and sheet.is_published and sheet.shoot_date == DAY1
    data = sheet.revisions.get().snapshot
    assert data["sun"]["sunrise"] and data["hospital"]["hospital_name"].startswith("Mid Argyll")
    assert [(loc["name"], loc["set"]) for loc in data["locations"]] == [("Tarbert quay", "HARBOUR, COTTAGE")]
    assert all(loc["map_url"].startswith("https://www.openstreetmap.org/") for loc in data["locations"])
    assert sheet.recipients.exclude(confirmed_revision=None).count() >= 1
    report = DailyReport.objects.get(shoot_date=DAY1)
    assert report.status == DailyReport.Status.APPROVED
    assert [(s.number, s.status, s.moved_to) for s in report.scenes.all()] == [("1", "complete", ""), ("2", "not_shot", "boneyard")]
    assert services.demo_seed_callsheets(access=upm) is None  # once only


def test_dashboard_shows_shoot_progress_from_the_latest_report(client):
    from django.core.management import call_command

    from unitbase.demo.services import demo_production

    call_command("demo", verbosity=0)
    production = demo_production()
    client.post("/accounts/login/", {"username": "pm@demo.unitbase.test", "password": "unitbase-demo"})
    response = client.get(f"/p/{production.pk}/")
    assert response.status_code == 200
    assert b"Shoot progress" in response.content
    assert b"of the script shot" in response.content
