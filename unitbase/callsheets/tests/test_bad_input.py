"""Issue 6, "Bad input", case by case: no applied schedule, a recipient without an e-mail address, a
bounced or refused send, a tampered or expired personal link, DPR times out of order or across
midnight. Each gets a clear message (or is handled as a professional expects) and nothing already
published is altered."""

import smtplib
from datetime import time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import make_production, member
from unitbase.callsheets import services
from unitbase.callsheets.models import CallSheet, CallSheetRevision, DailyReport, Delivery, Recipient
from unitbase.callsheets.selectors import preferences_get
from unitbase.productions.authority import Role
from unitbase.productions.models import Unit
from unitbase.productions.permissions import access_production

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    return w


def _now(fn, **kw):
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda f, using=None, robust=False: f()):
        return fn(**kw)


def _published(world):
    _now(services.callsheet_publish, access=world["ad"], call_sheet_id=world["sheet"].pk)
    return CallSheetRevision.objects.get(call_sheet=world["sheet"], number=1)


def test_no_applied_schedule_is_a_clear_message_for_the_call_sheet_and_the_report():
    production = make_production(title="Unscheduled")
    unit = Unit.objects.get(production=production, kind=Unit.Kind.MAIN)
    user = member(production, Role.FIRST_AD).user
    ad = access_production(user, production.pk)
    with pytest.raises(ValidationError, match="no applied schedule"):
        services.callsheet_build_from_schedule(access=ad, unit_id=unit.pk, shoot_date=DAY1)
    with pytest.raises(ValidationError, match="no applied schedule"):
        services.dpr_start(access=ad, unit_id=unit.pk, shoot_date=DAY1)
    c = Client()
    c.force_login(user)
    response = c.post(reverse("callsheets:build", args=[production.pk]), {"unit": unit.pk, "shoot_date": DAY1.isoformat()})
    assert response.status_code == 422 and "apply a published schedule version" in response.content.decode()
    started = c.post(reverse("callsheets:dpr_start", args=[production.pk]), {"unit": unit.pk, "shoot_date": DAY1.isoformat()},
                     follow=True)
    assert "no applied schedule" in started.content.decode()
    assert not CallSheet.objects.exists() and not DailyReport.objects.exists()


def test_hand_added_recipient_needs_an_email_address(world):
    with pytest.raises(ValidationError, match="needs an e-mail address"):
        services.recipient_add(access=world["ad"], call_sheet_id=world["sheet"].pk, name="Studio", email="  ")
    assert not Recipient.objects.filter(name="Studio").exists()


def test_one_refused_address_fails_alone_and_is_retried_without_touching_the_published_revision(world):
    bad = world["crew"]["grip"].person.email
    real_send = mail.EmailMultiAlternatives.send

    def send(self, fail_silently=False):
        if self.to == [bad]:
            raise smtplib.SMTPRecipientsRefused({bad: (550, b"5.1.1 mailbox unavailable")})
        return real_send(self, fail_silently)

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", send):
        revision = _published(world)
    snapshot = dict(revision.snapshot)
    failed = Delivery.objects.get(status="failed")
    assert failed.recipient.email == bad and "mailbox unavailable" in failed.last_error
    assert Delivery.objects.filter(status="delivered").count() == 4 and len(mail.outbox) == 4
    # the distribution page shows the failure
    c = Client()
    c.force_login(world["ad_user"])
    page = c.get(reverse("callsheets:distribution", args=[world["production"].pk, world["sheet"].pk])).content.decode()
    assert "mailbox unavailable" in page
    assert _now(services.delivery_retry_failed, access=world["ad"], call_sheet_id=world["sheet"].pk) == 1
    assert Delivery.objects.filter(status="failed").count() == 0 and len(mail.outbox) == 5
    revision.refresh_from_db()
    world["sheet"].refresh_from_db()
    assert revision.snapshot == snapshot and world["sheet"].revision == 1


def test_tampered_link_confirms_nothing(world):
    _published(world)
    recipient = Recipient.objects.get(call_sheet=world["sheet"], person=world["cast"]["MAREN"].person)
    c = Client()
    for token in (recipient.token[:-2] + "xx", "x" * 200, recipient.token.upper()):
        assert c.post(reverse("callsheet_links:confirm", args=[token])).status_code == 404
        assert c.get(reverse("callsheet_links:pdf", args=[token])).status_code == 404
        assert c.get(reverse("callsheet_links:personal", args=[token])).status_code == 404
    recipient.refresh_from_db()
    assert recipient.confirmed_at is None and recipient.first_opened_at is None


def test_expired_link_says_so_and_records_nothing(world):
    revision = _published(world)
    prefs = preferences_get(world["production"])
    recipient = Recipient.objects.get(call_sheet=world["sheet"], person=world["cast"]["MAREN"].person)
    later = DAY1 + timedelta(days=prefs.link_valid_days + 1)
    c = Client()
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        page = c.get(reverse("callsheet_links:personal", args=[recipient.token]))
        confirm = c.post(reverse("callsheet_links:confirm", args=[recipient.token]))
        pdf = c.get(reverse("callsheet_links:pdf", args=[recipient.token]))
    assert page.status_code == confirm.status_code == pdf.status_code == 410
    assert "expired" in page.content.decode().lower()
    recipient.refresh_from_db()
    assert recipient.confirmed_at is None and recipient.first_opened_at is None
    assert CallSheetRevision.objects.get(pk=revision.pk).snapshot == revision.snapshot


def test_dpr_wrap_before_call_is_refused_on_the_page_and_night_shoot_across_midnight_is_kept(world):
    report = services.dpr_start(access=world["ad"], unit_id=world["unit"].pk, shoot_date=DAY1)
    c = Client()
    c.force_login(world["ad_user"])
    url = reverse("callsheets:dpr", args=[world["production"].pk, report.pk])
    bad = c.post(url, {"crew_call": "07:00", "shooting_call": "08:00", "camera_wrap": "06:30",
                                "setups": "0"})
    assert bad.status_code == 422 and "camera wrap (06:30) is before the shooting call" in bad.content.decode()
    report.refresh_from_db()
    assert report.camera_wrap is None
    services.dpr_update(access=world["ad"], report_id=report.pk, crew_call=time(17, 0), shooting_call=time(18, 0),
                        camera_wrap=time(4, 30), last_out=time(5, 15))
    report.refresh_from_db()
    assert (report.camera_wrap, report.last_out) == (time(4, 30), time(5, 15))
