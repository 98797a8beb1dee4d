"""Bounces after the mail server accepted a call sheet: the per-message token on each e-mail, the webhook
(generic JSON and raw RFC 3464 reports), the mailbox command, the distribution page, and correcting the
address to send again."""

import json
import mailbox
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from ninja.testing import TestClient

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.api import api as project_api
from unitbase.callsheets import services
from unitbase.callsheets.bounces import BounceFormatError, parse_events, parse_report
from unitbase.callsheets.models import Delivery, Recipient
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db
SECRET = "s3cret-webhook-key"
WEBHOOK = "/callsheet/bounces/"


def _on_commit_now():
    return mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn())


@pytest.fixture
def world():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    with _on_commit_now():
        services.callsheet_publish(access=w["ad"], call_sheet_id=w["sheet"].pk)
    w["dop"] = Recipient.objects.get(call_sheet=w["sheet"], person=w["crew"]["dop"].person)
    w["delivery"] = w["dop"].deliveries.get()
    return w


def _dsn(*, token: str, to_address: str, original_headers: bool = True, action: str = "failed",
         bounce_to: str = "office@unitbase.invalid") -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464)."""
    headers_part = f"""--B
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <office@unitbase.invalid>
From: Unitbase <office@unitbase.invalid>
To: {to_address}
Subject: Harbour Lights - call sheet Day 1 of 3
Message-ID: <callsheet.{token}@unitbase.invalid>
X-Unitbase-Delivery: {token}

""" if original_headers else ""
    return f"""Return-Path: <>
Delivered-To: {bounce_to}
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: {bounce_to}
Subject: Undelivered Mail Returned to Sender
Date: Wed, 25 Nov 2026 22:41:07 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Wed, 25 Nov 2026 22:41:05 +0000

Final-Recipient: rfc822; {to_address}
Original-Recipient: rfc822;{to_address}
Action: {action}
Status: 5.1.1
Remote-MTA: dns; mail.example.com
Diagnostic-Code: smtp; 550 5.1.1 <{to_address}>: Recipient address rejected: User unknown

{headers_part}--B--
""".replace("\n", "\r\n").encode()


ARF = """From: abuse@isp.example
To: office@unitbase.invalid
Subject: Abuse report
Date: Thu, 26 Nov 2026 07:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

A recipient marked this message as spam.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ISP-FBL/1.0
Version: 1
Original-Rcpt-To: {to}

--F
Content-Type: message/rfc822

From: office@unitbase.invalid
To: {to}
Message-ID: <callsheet.{token}@unitbase.invalid>
Subject: call sheet

body
--F--
"""


# --- the e-mail carries its token ---------------------------------------------------------------------


def test_each_mail_names_its_delivery(world):
    (msg,) = [m for m in mail.outbox if m.to == [world["dop"].email]]
    token = world["delivery"].message_token
    assert len(token) == 24
    headers = msg.message()
    assert headers["Message-ID"] == f"<callsheet.{token}@unitbase.invalid>"
    assert headers["X-Unitbase-Delivery"] == token
    # Every delivery has its own token.
    assert Delivery.objects.values("message_token").distinct().count() == Delivery.objects.count() == 5


@override_settings(UNITBASE_BOUNCE_ADDRESS="bounces@mail.example.org")
def test_verp_envelope_sender_keeps_the_visible_from(world):
    mail.outbox.clear()
    with _on_commit_now():
        services.callsheet_resend(access=world["ad"], call_sheet_id=world["sheet"].pk)
    (msg,) = [m for m in mail.outbox if m.to == [world["dop"].email]]
    token = world["dop"].deliveries.order_by("-id").first().message_token
    assert msg.from_email == f"bounces+{token}@mail.example.org"  # the SMTP envelope sender
    assert msg.message()["From"] == "Unitbase <office@unitbase.invalid>"


# --- parsing ------------------------------------------------------------------------------------------


def test_parse_rfc3464_report():
    (notice,) = parse_report(_dsn(token="0123456789abcdef01234567", to_address="gone@example.com"))
    assert notice.token == "0123456789abcdef01234567"
    assert notice.kind == "bounce" and notice.recipient == "gone@example.com"
    assert notice.reason == "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown"
    assert notice.occurred_at == datetime(2026, 11, 25, 22, 41, 7, tzinfo=UTC)


def test_parse_verp_only_report_and_delays():
    raw = _dsn(token="", to_address="gone@example.com", original_headers=False,
               bounce_to="bounces+aaaaaaaaaaaabbbbbbbbbbbb@mail.example.org")
    assert [n.token for n in parse_report(raw)] == ["aaaaaaaaaaaabbbbbbbbbbbb"]
    delayed = _dsn(token="0123456789abcdef01234567", to_address="slow@example.com", action="delayed")
    assert parse_report(delayed) == []
    with pytest.raises(BounceFormatError, match="multipart/report"):
        parse_report(b"From: someone@example.com\r\nSubject: Re: call sheet\r\n\r\nThanks, see you at 7!\r\n")


def test_parse_events_names_what_is_wrong():
    (n,) = parse_events({"events": [{"type": "bounce", "message_id": "<callsheet.0123456789abcdef01234567@x>",
                                     "reason": "mailbox full", "occurred_at": "2026-11-25T22:10:00Z"}]})
    assert (n.token, n.reason, n.occurred_at) == ("0123456789abcdef01234567", "mailbox full",
                                                  datetime(2026, 11, 25, 22, 10, tzinfo=UTC))
    assert parse_events([{"type": "delayed", "token": "0123456789abcdef01234567"},
                         {"type": "bounce", "permanent": False, "token": "0123456789abcdef01234567"}]) == []
    with pytest.raises(BounceFormatError, match=r"events\[0\]\.type"):
        parse_events({"events": [{"type": "opened"}]})
    with pytest.raises(BounceFormatError, match=r"events\[1\]: give the token"):
        parse_events([{"type": "complaint", "token": "0123456789abcdef01234567"}, {"type": "bounce"}])
    with pytest.raises(BounceFormatError, match="time zone"):
        parse_events({"type": "bounce", "token": "0123456789abcdef01234567", "occurred_at": "2026-11-25T22:10:00"})


# --- the webhook -----------------------------------------------------------------------------------------


@override_settings(UNITBASE_BOUNCE_WEBHOOK_SECRET=SECRET)
def test_webhook_records_a_dsn_and_the_page_offers_to_correct(world):
    d = world["delivery"]
    raw = _dsn(token=d.message_token, to_address=world["dop"].email)
    response = Client().post(WEBHOOK, raw, content_type="message/rfc822", HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.status_code == 200, response.content
    assert response.json() == {"recorded": 1, "already": 0, "unmatched": 0}
    d.refresh_from_db()
    assert d.status == "bounced" and "User unknown" in d.bounce_reason
    assert d.bounced_at == datetime(2026, 11, 25, 22, 41, 7, tzinfo=UTC)
    assert AuditEvent.objects.filter(action="callsheets.delivery_bounce").count() == 1
    # The same report again records nothing twice.
    again = Client().post(WEBHOOK, raw, content_type="message/rfc822", HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert again.json() == {"recorded": 0, "already": 1, "unmatched": 0}
    assert AuditEvent.objects.filter(action="callsheets.delivery_bounce").count() == 1

    c = Client()
    c.force_login(world["ad_user"])
    page = c.get(reverse("callsheets:distribution", args=[world["production"].pk, world["sheet"].pk])).content.decode()
    assert "Bounced 25 Nov 22:41" in page and "Recipient address rejected: User unknown" in page
    assert reverse("callsheets:recipient_email", args=[world["production"].pk, world["sheet"].pk, world["dop"].pk]) in page
    assert "Correct and resend" in page


@override_settings(UNITBASE_BOUNCE_WEBHOOK_SECRET=SECRET)
def test_webhook_json_events_and_complaints(world):
    d = world["delivery"]
    body = {"events": [{"type": "bounce", "token": d.message_token, "reason": "552 mailbox full",
                        "occurred_at": "2026-11-25T23:05:00+00:00"},
                       {"type": "bounce", "token": "ffffffffffffffffffffffff", "reason": "unknown"}]}
    response = Client().post(WEBHOOK, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.json() == {"recorded": 1, "already": 0, "unmatched": 1}
    d.refresh_from_db()
    assert (d.status, d.bounce_reason) == ("bounced", "552 mailbox full")

    other = Recipient.objects.get(call_sheet=world["sheet"], person=world["crew"]["grip"].person).deliveries.get()
    arf = ARF.format(to=other.recipient.email, token=other.message_token).replace("\n", "\r\n").encode()
    response = Client().post(WEBHOOK, arf, content_type="message/rfc822", HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.json()["recorded"] == 1
    other.refresh_from_db()
    assert other.status == "complained" and other.bounce_reason == "Marked as spam (abuse)"


@override_settings(UNITBASE_BOUNCE_WEBHOOK_SECRET=SECRET)
def test_webhook_refuses_bad_requests_and_changes_nothing(world):
    d = world["delivery"]
    body = json.dumps({"type": "bounce", "token": d.message_token})
    assert Client().post(WEBHOOK, body, content_type="application/json").status_code == 401
    wrong = Client().post(WEBHOOK, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 401 and wrong.json() == {"error": "Wrong or missing bearer token."}
    bad = Client().post(WEBHOOK, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert bad.status_code == 400 and bad.json()["error"].startswith("The body is not JSON")
    odd = Client().post(WEBHOOK, json.dumps({"type": "opened", "token": d.message_token}), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert odd.status_code == 400 and "events[0].type" in odd.json()["error"]
    assert Client().get(WEBHOOK, HTTP_AUTHORIZATION=f"Bearer {SECRET}").status_code == 405
    d.refresh_from_db()
    assert d.status == "delivered" and d.bounced_at is None


def test_webhook_absent_without_a_secret(world):
    body = json.dumps({"type": "bounce", "token": world["delivery"].message_token})
    assert Client().post(WEBHOOK, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert Delivery.objects.get(pk=world["delivery"].pk).status == "delivered"


# --- the mailbox command ---------------------------------------------------------------------------------


def test_command_reads_a_maildir(world, tmp_path, capsys):
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    d = world["delivery"]
    box.add(_dsn(token=d.message_token, to_address=world["dop"].email))
    box.add(b"From: ellis@example.com\r\nSubject: Re: call sheet\r\n\r\nSee you at 7.\r\n")
    call_command("callsheet", "bounces", "--maildir", str(tmp_path / "bounces"))
    assert "1 bounce(s) recorded, 0 already recorded, 0 naming no call sheet e-mail, 1 message(s) that are not reports" \
        in capsys.readouterr().out
    assert Delivery.objects.get(pk=d.pk).status == "bounced"
    call_command("callsheet", "bounces", "--maildir", str(tmp_path / "bounces"), "--delete")
    assert "0 bounce(s) recorded, 1 already recorded" in capsys.readouterr().out
    assert len(mailbox.Maildir(tmp_path / "bounces", create=False)) == 1  # the person's reply stays


def test_command_reads_an_mbox_and_names_a_bad_path(world, tmp_path, capsys):
    box = mailbox.mbox(tmp_path / "bounces.mbox", create=True)
    box.add(_dsn(token=world["delivery"].message_token, to_address=world["dop"].email))
    box.flush()
    call_command("callsheet", "bounces", "--mbox", str(tmp_path / "bounces.mbox"))
    assert "1 bounce(s) recorded" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a Maildir"):
        call_command("callsheet", "bounces", "--maildir", str(tmp_path))


# --- correcting the address and sending again -------------------------------------------------------------


def _bounce(world):
    services.delivery_bounce_record(token=world["delivery"].message_token, kind="bounce", reason="550 User unknown")


def test_correct_address_resends_current_revision(world):
    _bounce(world)
    mail.outbox.clear()
    c = Client()
    c.force_login(world["ad_user"])
    url = reverse("callsheets:recipient_email", args=[world["production"].pk, world["sheet"].pk, world["dop"].pk])
    with _on_commit_now():
        response = c.post(url, {"email": "DoP.Fixed@Example.org"})
    assert response.status_code == 302
    world["dop"].refresh_from_db()
    assert world["dop"].email == "dop.fixed@example.org"
    (msg,) = mail.outbox
    assert msg.to == ["dop.fixed@example.org"] and f"/callsheet/{world['dop'].token}/" in msg.body
    latest = world["dop"].deliveries.order_by("-id").first()
    assert (latest.kind, latest.status, latest.revision) == ("resend", "delivered", 1)
    assert Delivery.objects.get(pk=world["delivery"].pk).status == "bounced"  # the history stays


def test_correct_address_bad_input_and_denied_change_nothing(world):
    _bounce(world)
    mail.outbox.clear()
    pid, sid, rid = world["production"].pk, world["sheet"].pk, world["dop"].pk
    url = reverse("callsheets:recipient_email", args=[pid, sid, rid])
    ad = Client()
    ad.force_login(world["ad_user"])
    bad = ad.post(url, {"email": "not-an-address"})
    assert bad.status_code == 422 and "Enter a valid email address." in bad.content.decode()
    taken = Recipient.objects.get(call_sheet=world["sheet"], person=world["crew"]["grip"].person).email
    dup = ad.post(url, {"email": taken})
    assert dup.status_code == 422 and f"{taken} already receives this call sheet." in dup.content.decode()
    crew = Client()
    crew.force_login(member(world["production"], Role.CREW).user)
    assert crew.post(url, {"email": "hijack@example.org"}).status_code == 403
    world["dop"].refresh_from_db()
    assert world["dop"].email != "hijack@example.org" and "@" in world["dop"].email
    assert mail.outbox == [] and world["dop"].deliveries.count() == 1


def test_api_correct_address(world):
    _bounce(world)
    client = TestClient(project_api)
    pid, sid, rid = world["production"].pk, world["sheet"].pk, world["dop"].pk
    _, raw = api_token_create(user=world["ad_user"], name="t")
    _, crew_raw = api_token_create(user=member(world["production"], Role.CREW).user, name="t")
    listing = client.get(f"/productions/{pid}/callsheets/{sid}/recipients", headers={"Authorization": f"Bearer {raw}"})
    (row,) = [r for r in listing.json() if r["id"] == rid]
    assert row["delivery_status"] == "bounced" and row["bounce_reason"] == "550 User unknown" and row["bounced_at"]
    denied = client.patch(f"/productions/{pid}/callsheets/{sid}/recipients/{rid}", json={"email": "x@example.org"},
                          headers={"Authorization": f"Bearer {crew_raw}"})
    assert denied.status_code == 403
    assert Recipient.objects.get(pk=rid).email != "x@example.org"
    bad = client.patch(f"/productions/{pid}/callsheets/{sid}/recipients/{rid}", json={"email": "nope"},
                       headers={"Authorization": f"Bearer {raw}"})
    assert bad.status_code == 422 or bad.status_code == 400
    with _on_commit_now():
        ok = client.patch(f"/productions/{pid}/callsheets/{sid}/recipients/{rid}", json={"email": "x@example.org"},
                          headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200 and ok.json() == {"id": rid, "email": "x@example.org"}
    assert mail.outbox[-1].to == ["x@example.org"]
