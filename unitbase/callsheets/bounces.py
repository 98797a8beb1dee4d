"""Reading bounce and complaint reports about call sheet e-mails (pure Python, standard library only).

Every call sheet e-mail carries a per-message token (`Delivery.message_token`) three ways:
the Message-ID `<callsheet.TOKEN@domain>`, the header `X-Unitbase-Delivery: TOKEN`, and, when
`UNITBASE_BOUNCE_ADDRESS` is set, the VERP envelope sender `local+TOKEN@domain` (so the bounce comes
back *to* an address naming the message). A report is matched through whichever survives.

Two input shapes:
- an RFC 3464 delivery status notification (multipart/report; report-type=delivery-status) or an
  RFC 5965 abuse report (report-type=feedback-report, a complaint), as the raw message;
- the generic JSON shape of the webhook (docs/callsheets.md):
  {"events": [{"type": "bounce" | "complaint" | "delayed", "token": "…" or "message_id": "<…>",
               "recipient": "…", "reason": "…", "occurred_at": "ISO 8601", "permanent": true}]}
  (a single event object is accepted too).
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime

HEX24 = r"[0-9a-f]{24}"
MESSAGE_ID_RE = re.compile(rf"callsheet\.({HEX24})@", re.IGNORECASE)
VERP_RE = re.compile(rf"\+({HEX24})@", re.IGNORECASE)
TOKEN_RE = re.compile(rf"^{HEX24}$")
HEADER = "X-Unitbase-Delivery"
KINDS = ("bounce", "complaint")


@dataclass(frozen=True)
class BounceNotice:
    token: str            # the delivery's message token ("" when the report names none we know)
    kind: str             # "bounce" or "complaint"
    reason: str
    recipient: str = ""
    occurred_at: datetime | None = None


class BounceFormatError(ValueError):
    """The input is not a report we can read; the message says what is wrong."""


def message_id_for(token: str, domain: str) -> str:
    return f"<callsheet.{token}@{domain}>"


def verp_address(bounce_address: str, token: str) -> str:
    """bounces@example.org -> bounces+TOKEN@example.org"""
    local, _, domain = bounce_address.rpartition("@")
    if not local or not domain:
        raise ValueError(f"{bounce_address!r} is not an e-mail address")
    return f"{local}+{token}@{domain}"


def _token_in(text: str) -> str:
    m = MESSAGE_ID_RE.search(text or "") or VERP_RE.search(text or "")
    return m.group(1).lower() if m else ""


def _original_headers(msg: Message) -> Message | None:
    """The returned message's headers: a message/rfc822 or text/rfc822-headers part of the report."""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "message/rfc822-headers"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
        if ctype == "text/rfc822-headers":
            text = part.get_payload(decode=True) or b""
            return email.message_from_bytes(text, policy=email.policy.compat32)
    return None


def _token_of(msg: Message) -> str:
    original = _original_headers(msg)
    if original is not None:
        direct = (original.get(HEADER) or "").strip().lower()
        if TOKEN_RE.match(direct):
            return direct
        token = _token_in(str(original.get("Message-ID", "")))
        if token:
            return token
    for header in ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"):
        for value in msg.get_all(header) or []:
            m = VERP_RE.search(str(value))
            if m:
                return m.group(1).lower()
    raw = msg.as_string()
    return _token_in(raw)


def _field_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    # Some mailers send the status part as text: parse the blank-line separated blocks ourselves.
    text = part.get_payload(decode=True) or b""
    return [email.message_from_bytes(block.strip() + b"\n", policy=email.policy.compat32)
            for block in re.split(rb"\r?\n\r?\n", text) if block.strip()]


def _date_of(msg: Message, fields: Message | None = None) -> datetime | None:
    """When it failed: the recipient's Last-Attempt-Date (or a feedback report's Arrival-Date), else the
    report's own Date."""
    candidates = [fields.get("Last-Attempt-Date"), fields.get("Arrival-Date")] if fields is not None else []
    for value in [*candidates, msg.get("Date")]:
        if value:
            try:
                return parsedate_to_datetime(str(value))
            except (TypeError, ValueError):
                continue
    return None


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def parse_report(raw: bytes) -> list[BounceNotice]:
    """Bounces (permanent failures) and complaints in one raw report message. Delays and successful
    delivery notices give nothing. Raises BounceFormatError when it is not a report at all."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    if msg.get_content_type() != "multipart/report":
        raise BounceFormatError("Not a delivery status notification: expected a multipart/report message "
                                f"(RFC 3464), got {msg.get_content_type()}.")
    report_type = (msg.get_param("report-type") or "").lower()
    token = _token_of(msg)
    if report_type == "feedback-report":
        for part in msg.walk():
            if part.get_content_type() == "message/feedback-report":
                blocks = _field_blocks(part)
                fields = blocks[0] if blocks else Message()
                kind = _clean(fields.get("Feedback-Type")) or "abuse"
                return [BounceNotice(token=token, kind="complaint", reason=f"Marked as spam ({kind})",
                                     recipient=_address(fields.get("Original-Rcpt-To", "")), occurred_at=_date_of(msg, fields))]
        raise BounceFormatError("A feedback report without its message/feedback-report part.")
    if report_type != "delivery-status":
        raise BounceFormatError(f"A report of type {report_type or 'unknown'!r}; expected delivery-status or feedback-report.")
    status_part = next((p for p in msg.walk() if p.get_content_type() in ("message/delivery-status",
                                                                          "message/global-delivery-status")), None)
    if status_part is None:
        raise BounceFormatError("A delivery status notification without its message/delivery-status part.")
    blocks = _field_blocks(status_part)
    notices = []
    for fields in blocks[1:]:  # the first block is per message, the rest per recipient
        action = _clean(fields.get("Action")).lower()
        if action != "failed":
            continue
        status = _clean(fields.get("Status"))
        diagnostic = _clean(fields.get("Diagnostic-Code"))
        if ";" in diagnostic:
            diagnostic = diagnostic.split(";", 1)[1].strip()
        reason = diagnostic or (f"Status {status}" if status else "Delivery failed")
        if status and status not in reason:
            reason = f"{status} {reason}"
        recipient = _address(fields.get("Final-Recipient") or fields.get("Original-Recipient") or "")
        notices.append(BounceNotice(token=token, kind="bounce", reason=reason[:500], recipient=recipient,
                                    occurred_at=_date_of(msg, fields)))
    return notices


def _address(value: object) -> str:
    text = _clean(value)
    if ";" in text:  # "rfc822; someone@example.org"
        text = text.split(";", 1)[1].strip()
    return text.strip("<>").lower()


def parse_events(data: object) -> list[BounceNotice]:
    """The webhook's generic JSON shape (see the module docstring). Raises BounceFormatError naming
    the first event that is wrong and why."""
    if isinstance(data, dict) and "events" in data:
        events = data["events"]
    elif isinstance(data, dict):
        events = [data]
    else:
        events = data
    if not isinstance(events, list):
        raise BounceFormatError('Expected {"events": [...]}, one event object, or a list of events.')
    notices = []
    for i, event in enumerate(events):
        where = f"events[{i}]"
        if not isinstance(event, dict):
            raise BounceFormatError(f"{where}: an event is an object.")
        kind = str(event.get("type", "")).lower()
        if kind in ("delayed", "delivered", "deferred"):
            continue
        if kind not in KINDS:
            raise BounceFormatError(f'{where}.type: expected "bounce", "complaint" or "delayed", got {event.get("type")!r}.')
        if kind == "bounce" and event.get("permanent") is False:
            continue  # a soft bounce: the sending server keeps trying
        token = str(event.get("token") or "").strip().lower()
        if token and not TOKEN_RE.match(token):
            raise BounceFormatError(f"{where}.token: {token!r} is not a call sheet message token.")
        if not token:
            token = _token_in(str(event.get("message_id") or ""))
        if not token:
            raise BounceFormatError(f"{where}: give the token or the message_id of the e-mail that bounced.")
        occurred = None
        if event.get("occurred_at"):
            try:
                occurred = datetime.fromisoformat(str(event["occurred_at"]).replace("Z", "+00:00"))
            except ValueError:
                raise BounceFormatError(f"{where}.occurred_at: {event['occurred_at']!r} is not an ISO 8601 time.") from None
            if occurred.tzinfo is None:
                raise BounceFormatError(f"{where}.occurred_at: give a time zone (e.g. 2026-11-25T22:10:00Z).")
        reason = _clean(event.get("reason")) or ("Marked as spam" if kind == "complaint" else "Bounced")
        notices.append(BounceNotice(token=token, kind=kind, reason=reason[:500],
                                    recipient=_address(event.get("recipient", "")), occurred_at=occurred))
    return notices
