from datetime import date, time
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from unitbase.callsheets import services
from unitbase.callsheets.models import CallSheet, CallSheetRevision, Delivery, Recipient
from unitbase.callsheets.selectors import distribution, preferences_get
from unitbase.callsheets.sun import sun_times

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


def _publish(world, **kw):
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        return services.callsheet_publish(access=world["ad"], call_sheet_id=world["sheet"].pk, **kw)


def test_publish_freezes_sends_one_mail_each(world):
    revision = _publish(world)
    sheet = CallSheet.objects.get(pk=world["sheet"].pk)
    assert sheet.status == "published" and revision.number == 1
    # 3 crew + 2 working cast, each exactly one mail with their own link.
    recipients = list(sheet.recipients.all())
    assert len(recipients) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in recipients)
    for r in recipients:
        (msg,) = [m for m in mail.outbox if m.to == [r.email]]
        assert f"/callsheet/{r.token}/" in msg.body
        assert "Day 1 of 3" in msg.subject
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    with pytest.raises(ValidationError):
        services.callsheet_update(access=world["ad"], call_sheet_id=sheet.pk, weather="Sun")
    assert CallSheet.objects.get(pk=sheet.pk).weather == ""


def test_revise_and_republish_sends_new_revision(world):
    _publish(world)
    mail.outbox.clear()
    services.callsheet_revise(access=world["ad"], call_sheet_id=world["sheet"].pk)
    services.callsheet_update(access=world["ad"], call_sheet_id=world["sheet"].pk, general_call=time(6, 0))
    with pytest.raises(ValidationError) as err:
        _publish(world)
    assert "change_note" in err.value.error_dict
    revision = _publish(world, change_note="Call moved to 06:00")
    assert revision.number == 2
    assert CallSheetRevision.objects.get(call_sheet=world["sheet"], number=1).snapshot["general_call"] == "06:30"
    assert revision.snapshot["general_call"] == "06:00"
    assert len(mail.outbox) == 5 and all("revision 2" in m.subject for m in mail.outbox)


def test_personal_link_privacy_open_and_confirm(world):
    _publish(world)
    sheet = world["sheet"]
    maren = world["cast"]["MAREN"].person
    ellis = world["cast"]["ELLIS"].person
    recipient = Recipient.objects.get(call_sheet=sheet, person=maren)
    client = Client()
    url = reverse("callsheet_links:personal", args=[recipient.token])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert ellis.phone not in body
    assert world["crew"]["dop"].person.phone not in body
    assert "2500" not in body  # no pay anywhere on call sheets
    recipient.refresh_from_db()
    assert recipient.first_opened_at is not None and recipient.opened_revision == 1
    assert recipient.confirmed_at is None
    response = client.post(reverse("callsheet_links:confirm", args=[recipient.token]))
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.confirmed_revision == 1
    sheet.refresh_from_db()
    rows = {r.pk: r for r in distribution(access=world["ad"], call_sheet=sheet)}
    assert rows[recipient.pk].confirmed_current and rows[recipient.pk].last.status == "delivered"
    # A tampered token is a 404 and records nothing.
    assert client.get(reverse("callsheet_links:personal", args=[recipient.token[:-2] + "xx"])).status_code == 404


def test_share_phone_numbers_setting(world):
    prefs = preferences_get(world["production"])
    prefs.share_phone_numbers = True
    prefs.save()
    _publish(world)
    recipient = Recipient.objects.get(call_sheet=world["sheet"], person=world["cast"]["MAREN"].person)
    body = Client().get(reverse("callsheet_links:personal", args=[recipient.token])).content.decode()
    assert world["cast"]["ELLIS"].person.phone in body


def test_failed_send_is_recorded_and_retried(world):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("SMTP refused")):
        _publish(world)
    failed = Delivery.objects.filter(status="failed")
    assert failed.count() == 5 and all("SMTP refused" in d.last_error and d.attempts == 1 for d in failed)
    assert mail.outbox == []
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        assert services.delivery_retry_failed(access=world["ad"], call_sheet_id=world["sheet"].pk) == 5
    assert Delivery.objects.filter(status="delivered", attempts=2).count() == 5
    assert len(mail.outbox) == 5


def test_recipient_without_email_is_skipped_and_resend_only_unconfirmed(world):
    world["crew"]["grip"].person.email = ""
    world["crew"]["grip"].person.save()
    _publish(world)
    assert Delivery.objects.get(recipient__person=world["crew"]["grip"].person).status == "skipped"
    assert len(mail.outbox) == 4
    confirmed = Recipient.objects.get(call_sheet=world["sheet"], person=world["cast"]["MAREN"].person)
    services.recipient_confirm(recipient=confirmed)
    mail.outbox.clear()
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        assert services.callsheet_resend(access=world["ad"], call_sheet_id=world["sheet"].pk) == 3
        assert services.callsheet_remind_unconfirmed(call_sheet_id=world["sheet"].pk, revision=1) == 3
        assert services.callsheet_remind_unconfirmed(call_sheet_id=world["sheet"].pk, revision=0) == 0
    assert len(mail.outbox) == 6
    assert confirmed.email not in [m.to[0] for m in mail.outbox]


def test_hand_added_recipient_gets_current_revision(world):
    _publish(world)
    mail.outbox.clear()
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        services.recipient_add(access=world["ad"], call_sheet_id=world["sheet"].pk, name="Studio", email="exec@studio.test")
    assert [m.to for m in mail.outbox] == [["exec@studio.test"]]
    with pytest.raises(ValidationError):
        services.recipient_add(access=world["ad"], call_sheet_id=world["sheet"].pk, name="Again", email="EXEC@studio.test")


def test_sunrise_sunset_known_values():
    # London, 21 June 2024: sunrise 04:43, sunset 21:21 BST (HM Nautical Almanac Office).
    times = sun_times(latitude=51.5074, longitude=-0.1278, when=date(2024, 6, 21), time_zone="Europe/London")
    assert times["sunrise"] == "04:43" and times["sunset"] == "21:21"
    # Tromsø in December: polar night, no sunrise.
    assert sun_times(latitude=69.65, longitude=18.96, when=date(2024, 12, 21), time_zone="Europe/Oslo")["sunrise"] == ""


class FakeWeather:
    def forecast(self, *, latitude, longitude, when, entered):
        return f"Fake: 12°C at {latitude}"


def test_weather_provider_is_pluggable(world, settings):
    from decimal import Decimal

    from unitbase.callsheets.selectors import sheet_data

    settings.UNITBASE_WEATHER_PROVIDER = "unitbase.callsheets.tests.test_distribution.FakeWeather"
    from unitbase.locations import services as locations

    harbour = locations.location_create(access=world["ad"], name="Harbour", latitude=Decimal("50.1"), longitude=Decimal("-5.5"))
    locations.set_location_assign(access=world["ad"], set_key="HARBOUR", location_id=harbour.pk)
    assert sheet_data(world["sheet"])["weather"] == "Fake: 12°C at 50.100000"
    del settings.UNITBASE_WEATHER_PROVIDER
    services.callsheet_update(access=world["ad"], call_sheet_id=world["sheet"].pk, weather="Drizzle")
    world["sheet"].refresh_from_db()
    assert sheet_data(world["sheet"])["weather"] == "Drizzle"


def test_crew_call_overrides(world):
    from unitbase.callsheets.selectors import sheet_data

    sheet = world["sheet"]
    services.callsheet_crew_call_set(access=world["ad"], call_sheet_id=sheet.pk, department_name="Camera", call_time=time(6, 0))
    grip_row = sheet.crew_rows.get(name="Crew grip")
    services.callsheet_crew_call_set(access=world["ad"], call_sheet_id=sheet.pk, row_id=grip_row.pk, call_time=time(5, 45))
    calls = {r["name"]: r["call"] for d in sheet_data(sheet)["crew"] for r in d["rows"]}
    assert calls == {"Crew dop": "06:00", "Crew ac": "06:00", "Crew grip": "05:45"}
    services.callsheet_crew_call_set(access=world["ad"], call_sheet_id=sheet.pk, row_id=grip_row.pk, call_time=None)
    calls = {r["name"]: r["call"] for d in sheet_data(sheet)["crew"] for r in d["rows"]}
    assert calls["Crew grip"] == "06:30"

