"""Writes for call sheets, their distribution and production reports.

Editing and publishing call sheets, and filling production reports, need the
`publish_call_sheet` action. Approving a production report needs that action AND the role of UPM
or production manager (domain-spec 4.6: the 2nd AD prepares it, the UPM/PM approves it).
Recipients' own actions (open, confirm) come through their personal token, without sign-in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unitbase.core.audit import audit_record, diff_fields
from unitbase.locations.selectors import locations_by_set
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Unit
from unitbase.productions.permissions import ProductionAccess
from unitbase.scheduling.models import Strip
from unitbase.scheduling.reports import dood_report
from unitbase.scheduling.selectors import eighths_label
from unitbase.scripts.models import Tag, TagStatus

from .models import (
    CallSheet,
    CallSheetBackground,
    CallSheetCast,
    CallSheetCrew,
    CallSheetPreferences,
    CallSheetRevision,
    CallSheetScene,
    DailyReport,
    DailyReportCastTime,
    DailyReportCrewTime,
    DailyReportDelay,
    DailyReportScene,
    Delivery,
    Recipient,
)
from .selectors import ShootDay, callsheet_get, dpr_get, hhmm, preferences_get, sheet_data, shoot_day_get

EDIT = Action.PUBLISH_CALL_SHEET
DPR_APPROVER_ROLES = {Role.UPM, Role.PRODUCTION_MANAGER}
SPECIAL_CATEGORIES = [
    ("vehicles", "Vehicles"), ("animals", "Animals"), ("animal_wrangler", "Animal wrangler"), ("stunts", "Stunts"),
    ("special_effects", "SFX"), ("mechanical_effects", "Mechanical FX"), ("special_equipment", "Special equipment"),
]
MAX_SEND_ATTEMPTS = 5
# Positions printed in the key contacts block, in this order (matched case-insensitively on the start).
KEY_POSITIONS = ["producer", "line producer", "unit production manager", "production manager", "director",
                 "1st assistant director", "1st ad", "2nd assistant director", "2nd ad", "production coordinator",
                 "location manager", "unit medic", "safety", "transport captain"]


def _audit(access: ProductionAccess | None, production_id: int, action: str, obj: Any, **changes: Any) -> None:
    audit_record(production_id=production_id, actor=access.user if access else None, action=f"callsheets.{action}",
                 obj=obj, changes=changes)


def _editable(access: ProductionAccess, call_sheet_id: int) -> CallSheet:
    access.require(EDIT)
    sheet = callsheet_get(access=access, call_sheet_id=call_sheet_id)
    sheet = CallSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.is_published:
        raise ValidationError({"status": f"Revision {sheet.revision} is published and frozen: start a new revision to change it."})
    return sheet


# --- building from the schedule ---------------------------------------------------------------------


def _status_codes(access: ProductionAccess, shoot: ShootDay, when: date) -> dict[int, str]:
    """{cast_member_id: DOOD code on `when`} from the scheduling app's DOOD."""
    report = dood_report(access=access, version=shoot.version, category="cast")
    columns = report.context["columns"]
    index = next((i for i, c in enumerate(columns) if c.date == when), None)
    if index is None:
        return {}
    return {int(row.key): row.codes[index] for row in report.context["dood_rows"] if row.codes[index]}


def _advance(shoot: ShootDay, days: int = 2) -> list[dict]:
    later = [d for d in shoot.board.days if d.number > shoot.day.number and d.strips][:days]
    where = locations_by_set(shoot.version.schedule.production_id,
                             [s.scene.set_key for d in later for s in d.strips if s.kind == Strip.Kind.SCENE])
    result = []
    for d in later:
        result.append({
            "day": d.number, "date": d.date.isoformat() if d.date else "",
            "date_label": f"{d.date:%a %-d %b}" if d.date else "",
            "pages": d.pages,
            "scenes": [{"number": s.label, "ie": s.scene.int_ext, "dn": s.dn, "set": s.scene.set_name,
                        "location": where[s.scene.set_key].name if s.scene.set_key in where else "",
                        "synopsis": s.scene.synopsis[:120], "pages": s.pages, "cast": ", ".join(map(str, s.cast_numbers))}
                       for s in d.strips if s.kind == Strip.Kind.SCENE],
        })
    return result


def _special_requirements(scene_ids: list[int], scene_numbers: dict[int, str]) -> tuple[str, list[str]]:
    """Lines like "Vehicles: Police car (sc 4)" and the background descriptions, from accepted tags."""
    wanted = dict(SPECIAL_CATEGORIES)
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    background: list[str] = []
    rows = Tag.objects.filter(scene_id__in=scene_ids, status=TagStatus.ACCEPTED, element__isnull=False).filter(
        element__category__key__in=[*wanted, "background_actors"]).values_list("scene_id", "element__category__key", "element__name")
    for scene_id, key, name in rows:
        if key == "background_actors":
            if name not in background:
                background.append(name)
            continue
        found[key][name].append(scene_numbers[scene_id])
    lines = []
    for key, label in SPECIAL_CATEGORIES:
        if key in found:
            items = [f"{name} (sc {', '.join(dict.fromkeys(nums))})" for name, nums in sorted(found[key].items())]
            lines.append(f"{label}: " + "; ".join(items))
    return "\n".join(lines), background


def key_contacts_default(crew_rows: list[CallSheetCrew], *, with_phones: bool) -> str:
    """"Position: Name" lines for the key positions among the day's crew; phone numbers only when the
    production shares phone numbers with all recipients (else the office adds the ones it chooses)."""
    lines = []
    for key in KEY_POSITIONS:
        for row in crew_rows:
            if row.position.lower() == key or (key.endswith(" ad") and row.position.lower().startswith(key)):
                phone = row.crew_member.person.phone if with_phones and row.crew_member_id else ""
                line = f"{row.position}: {row.name}" + (f" {phone}" if phone else "")
                if line not in lines:
                    lines.append(line)
    return "\n".join(lines)


def _fill_rows(access: ProductionAccess, sheet: CallSheet, shoot: ShootDay) -> None:
    sheet.scenes.all().delete()
    sheet.cast_rows.all().delete()
    sheet.crew_rows.all().delete()
    sheet.background_rows.all().delete()
    strips = [s for s in shoot.day.strips if s.kind == Strip.Kind.SCENE]
    CallSheetScene.objects.bulk_create([
        CallSheetScene(call_sheet=sheet, order=i, scene=s.scene, number=s.label, int_ext=s.scene.int_ext, day_night=s.dn,
                       set_name=s.scene.set_name, set_key=s.scene.set_key, synopsis=(s.scene.synopsis or "")[:500],
                       eighths=s.eighths, cast_numbers=", ".join(map(str, s.cast_numbers)))
        for i, s in enumerate(strips)
    ])
    codes = _status_codes(access, shoot, sheet.shoot_date)
    members = CastMember.objects.filter(production=access.production, pk__in=list(codes)).select_related("person")
    cast_rows = []
    for m in sorted(members, key=lambda m: m.cast_number):
        working = "W" in codes[m.pk]
        cast_rows.append(CallSheetCast(
            call_sheet=sheet, cast_member=m, cast_number=m.cast_number, character=m.character, actor=m.person.name,
            status_code=codes[m.pk], makeup=sheet.general_call if working else None,
            on_set=(sheet.shooting_call or sheet.general_call) if working else None,
            remarks="" if working else "Hold: not called",
        ))
    CallSheetCast.objects.bulk_create(cast_rows)
    crew = CrewMember.objects.filter(production=access.production).select_related("person", "department", "position")
    crew_rows = []
    for c in crew:
        if c.unit_id and c.unit_id != sheet.unit_id:
            continue
        if (c.start_date and c.start_date > sheet.shoot_date) or (c.end_date and c.end_date < sheet.shoot_date):
            continue
        crew_rows.append(CallSheetCrew(
            call_sheet=sheet, crew_member=c, department=c.department, department_name=c.department.name,
            department_order=c.department.order, position=c.position.name, name=c.person.name,
        ))
    CallSheetCrew.objects.bulk_create(crew_rows)
    if not sheet.key_contacts:
        crew_by_pk = {c.pk: c for c in crew}
        for row in crew_rows:
            row.crew_member = crew_by_pk[row.crew_member_id]
        sheet.key_contacts = key_contacts_default(crew_rows,
                                                  with_phones=preferences_get(access.production).share_phone_numbers)
    special, background = _special_requirements([s.scene_id for s in strips], {s.scene_id: s.label for s in strips})
    sheet.special_requirements = special
    CallSheetBackground.objects.bulk_create([
        CallSheetBackground(call_sheet=sheet, description=name, count=1, call_time=sheet.general_call) for name in background
    ])
    sheet.advance_schedule = _advance(shoot)


@transaction.atomic
def callsheet_build_from_schedule(*, access: ProductionAccess, unit_id: int, shoot_date: date) -> CallSheet:
    """Make (or rebuild, while it is a draft) the call sheet of a shoot day of the unit's applied schedule."""
    access.require(EDIT)
    try:
        unit = Unit.objects.get(production=access.production, pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"unit": "No such unit in this production."}) from None
    shoot = shoot_day_get(access=access, unit_id=unit.pk, shoot_date=shoot_date)
    sheet = CallSheet.objects.select_for_update().filter(unit=unit, shoot_date=shoot_date).first()
    if sheet and sheet.is_published:
        raise ValidationError({"shoot_date": "This day's call sheet is published: start a new revision to rebuild it."})
    calendar = shoot.board.calendar
    brk = shoot.day.break_strip
    general = (brk.call_time if brk else None) or (calendar.default_call if calendar else None) or time(7, 0)
    fresh = sheet is None
    if fresh:
        sheet = CallSheet(production=access.production, unit=unit, shoot_date=shoot_date, general_call=general,
                          shooting_call=(datetime.combine(shoot_date, general) + timedelta(hours=1)).time(),
                          estimated_wrap=brk.wrap_time if brk else None, lunch="6 h after call, 1 h")
    sheet.schedule_version = shoot.version
    sheet.day_number = shoot.day.number
    sheet.total_days = shoot.total_days
    sheet.full_clean()
    sheet.save()
    _fill_rows(access, sheet, shoot)
    sheet.save()
    _audit(access, access.production.pk, "callsheet_build", sheet, version=shoot.version.name, day=shoot.day.number,
           rebuilt=not fresh)
    return sheet


CALLSHEET_FIELDS = {
    "general_call", "shooting_call", "estimated_wrap", "lunch", "weather", "safety_notes", "walkie_channels",
    "department_notes", "special_requirements", "general_notes", "change_note", "key_contacts",
}


@transaction.atomic
def callsheet_update(*, access: ProductionAccess, call_sheet_id: int, **fields: Any) -> CallSheet:
    unknown = set(fields) - CALLSHEET_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    sheet = _editable(access, call_sheet_id)
    if fields.get("general_call") is None and "general_call" in fields:
        raise ValidationError({"general_call": "A call sheet needs a general crew call."})
    changes = diff_fields(sheet, fields)
    for key, value in fields.items():
        setattr(sheet, key, value)
    sheet.full_clean()
    sheet.save()
    _audit(access, sheet.production_id, "callsheet_update", sheet, **changes)
    return sheet


@transaction.atomic
def callsheet_cast_update(*, access: ProductionAccess, call_sheet_id: int, row_id: int, pickup: time | None = None,
                          makeup: time | None = None, on_set: time | None = None, remarks: str = "") -> CallSheetCast:
    sheet = _editable(access, call_sheet_id)
    row = sheet.cast_rows.filter(pk=row_id).first()
    if row is None:
        raise ValidationError({"row": "No such cast line on this call sheet."})
    if makeup and on_set and on_set < makeup:
        raise ValidationError({"on_set": "On set is before the hair/makeup call."})
    if pickup and makeup and makeup < pickup and (datetime.combine(date.min, pickup) - datetime.combine(date.min, makeup)) < timedelta(hours=12):
        raise ValidationError({"pickup": "The pickup is after the hair/makeup call."})
    data = {"pickup": pickup, "makeup": makeup, "on_set": on_set, "remarks": remarks}
    changes = diff_fields(row, data)
    for key, value in data.items():
        setattr(row, key, value)
    row.full_clean()
    row.save()
    _audit(access, sheet.production_id, "callsheet_cast_update", sheet, cast=row.cast_number, **changes)
    return row


@transaction.atomic
def callsheet_crew_call_set(*, access: ProductionAccess, call_sheet_id: int, call_time: time | None,
                            row_id: int | None = None, department_name: str | None = None) -> int:
    """Override the call of one crew line or a whole department (None: back to the general call).
    Returns the number of lines changed."""
    sheet = _editable(access, call_sheet_id)
    rows = sheet.crew_rows.all()
    if row_id is not None:
        rows = rows.filter(pk=row_id)
    elif department_name:
        rows = rows.filter(department_name=department_name)
    else:
        raise ValidationError({"row": "Choose a crew member or a department."})
    count = rows.update(call_time=call_time)
    if not count:
        raise ValidationError({"row": "No such crew line on this call sheet."})
    _audit(access, sheet.production_id, "callsheet_crew_call_set", sheet, row=row_id, department=department_name,
           call_time=hhmm(call_time), lines=count)
    return count


@transaction.atomic
def callsheet_background_add(*, access: ProductionAccess, call_sheet_id: int, description: str, kind: str = "background",
                             count: int = 1, call_time: time | None = None, report_to: str = "", notes: str = "") -> CallSheetBackground:
    sheet = _editable(access, call_sheet_id)
    row = CallSheetBackground(call_sheet=sheet, kind=kind, description=(description or "").strip(), count=count,
                              call_time=call_time, report_to=report_to, notes=notes)
    row.full_clean()
    row.save()
    _audit(access, sheet.production_id, "callsheet_background_add", sheet, description=row.description, count=count)
    return row


@transaction.atomic
def callsheet_background_remove(*, access: ProductionAccess, call_sheet_id: int, row_id: int) -> None:
    sheet = _editable(access, call_sheet_id)
    deleted, _ = sheet.background_rows.filter(pk=row_id).delete()
    if not deleted:
        raise ValidationError({"row": "No such background line on this call sheet."})
    _audit(access, sheet.production_id, "callsheet_background_remove", sheet, row=row_id)


@transaction.atomic
def preferences_update(*, access: ProductionAccess, **fields: Any) -> CallSheetPreferences:
    access.require(Action.EDIT_PRODUCTION)
    prefs = preferences_get(access.production)
    allowed = {"share_phone_numbers", "safety_contact", "safety_hotline", "reminder_hours", "link_valid_days"}
    if set(fields) - allowed:
        raise ValidationError({sorted(set(fields) - allowed)[0]: "Unknown field."})
    changes = diff_fields(prefs, fields)
    for key, value in fields.items():
        setattr(prefs, key, value)
    prefs.full_clean()
    prefs.save()
    _audit(access, access.production.pk, "preferences_update", prefs, **changes)
    return prefs


# --- publish, revise, distribute ---------------------------------------------------------------------


def _sync_recipients(sheet: CallSheet) -> None:
    """Crew and cast on the sheet become recipients (once); hand-added recipients stay."""
    existing = set(sheet.recipients.exclude(person=None).values_list("person_id", flat=True))
    new = []
    for row in sheet.crew_rows.select_related("crew_member__person").exclude(crew_member=None):
        person = row.crew_member.person
        if person.pk not in existing:
            existing.add(person.pk)
            new.append(Recipient(call_sheet=sheet, kind=Recipient.Kind.CREW, person=person, name=person.name,
                                 email=person.email, role_label=row.position))
    for row in sheet.cast_rows.select_related("cast_member__person").exclude(cast_member=None):
        person = row.cast_member.person
        if person.pk not in existing:
            existing.add(person.pk)
            new.append(Recipient(call_sheet=sheet, kind=Recipient.Kind.CAST, person=person, name=person.name,
                                 email=person.email, role_label=row.character))
    Recipient.objects.bulk_create(new)


def _queue(recipients: list[Recipient], revision: int, kind: str) -> list[Delivery]:
    from .tasks import delivery_send

    deliveries = []
    for r in recipients:
        status = Delivery.Status.QUEUED if r.email else Delivery.Status.SKIPPED
        deliveries.append(Delivery.objects.create(recipient=r, revision=revision, kind=kind, status=status,
                                                  last_error="" if r.email else "No e-mail address"))
    ids = [d.pk for d in deliveries if d.status == Delivery.Status.QUEUED]
    transaction.on_commit(lambda: [delivery_send.enqueue(delivery_id=i) for i in ids])
    return deliveries


def _schedule_reminder(sheet: CallSheet) -> None:
    from .tasks import callsheet_remind

    prefs = preferences_get(sheet.production)
    if not prefs.reminder_hours:
        return
    from zoneinfo import ZoneInfo

    call_at = datetime.combine(sheet.shoot_date, sheet.general_call, tzinfo=ZoneInfo(sheet.production.time_zone))
    when = call_at - timedelta(hours=prefs.reminder_hours)
    if when <= timezone.now():
        return
    task = callsheet_remind
    if not task.get_backend().supports_defer:
        return  # the immediate backend (tests, no worker) cannot wait; the reminder is a worker's job
    sheet_id, revision = sheet.pk, sheet.revision
    transaction.on_commit(lambda: task.using(run_after=when).enqueue(call_sheet_id=sheet_id, revision=revision))


@transaction.atomic
def callsheet_publish(*, access: ProductionAccess, call_sheet_id: int, change_note: str = "") -> CallSheetRevision:
    """Freeze the draft as a revision and send it to every recipient."""
    sheet = _editable(access, call_sheet_id)
    if not sheet.scenes.exists():
        raise ValidationError({"scenes": "The call sheet has no scenes: rebuild it from the schedule."})
    if change_note:
        sheet.change_note = change_note[:300]
    if sheet.revision > 1 and not sheet.change_note:
        raise ValidationError({"change_note": "Say what changed in this revision; recipients see it first."})
    now = timezone.now()
    sheet.status = CallSheet.Status.PUBLISHED
    sheet.published_at, sheet.published_by = now, access.user
    sheet.save()
    snapshot = sheet_data(sheet)
    revision = CallSheetRevision.objects.create(call_sheet=sheet, number=sheet.revision, changes=sheet.change_note,
                                                snapshot=snapshot, published_at=now, published_by=access.user)
    _sync_recipients(sheet)
    _queue(list(sheet.recipients.all()), sheet.revision, Delivery.Kind.PUBLISH)
    _schedule_reminder(sheet)
    _audit(access, sheet.production_id, "callsheet_publish", sheet, revision=sheet.revision, changes=sheet.change_note)
    return revision


@transaction.atomic
def callsheet_revise(*, access: ProductionAccess, call_sheet_id: int, rebuild: bool = False) -> CallSheet:
    """Start a new revision of a published call sheet (a draft again; the published one stays frozen)."""
    access.require(EDIT)
    sheet = CallSheet.objects.select_for_update().get(pk=callsheet_get(access=access, call_sheet_id=call_sheet_id).pk)
    if not sheet.is_published:
        raise ValidationError({"status": "This call sheet is already a draft."})
    sheet.status = CallSheet.Status.DRAFT
    sheet.revision += 1
    sheet.change_note = ""
    sheet.save()
    if rebuild:
        shoot = shoot_day_get(access=access, unit_id=sheet.unit_id, shoot_date=sheet.shoot_date)
        sheet.schedule_version = shoot.version
        sheet.day_number, sheet.total_days = shoot.day.number, shoot.total_days
        _fill_rows(access, sheet, shoot)
        sheet.save()
    _audit(access, sheet.production_id, "callsheet_revise", sheet, revision=sheet.revision, rebuild=rebuild)
    return sheet


@transaction.atomic
def recipient_add(*, access: ProductionAccess, call_sheet_id: int, name: str, email: str, role_label: str = "") -> Recipient:
    access.require(EDIT)
    sheet = callsheet_get(access=access, call_sheet_id=call_sheet_id)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "A hand-added recipient needs an e-mail address."})
    if sheet.recipients.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already receives this call sheet."})
    recipient = Recipient(call_sheet=sheet, kind=Recipient.Kind.OTHER, name=(name or "").strip(), email=email,
                          role_label=role_label)
    recipient.full_clean()
    recipient.save()
    if sheet.is_published:
        _queue([recipient], sheet.revision, Delivery.Kind.PUBLISH)
    _audit(access, sheet.production_id, "recipient_add", recipient, email=email)
    return recipient


@transaction.atomic
def callsheet_resend(*, access: ProductionAccess, call_sheet_id: int) -> int:
    """Send the current revision again to everyone who has not confirmed it. Returns how many."""
    access.require(EDIT)
    sheet = callsheet_get(access=access, call_sheet_id=call_sheet_id)
    if not sheet.is_published:
        raise ValidationError({"status": "Publish the call sheet first."})
    pending = [r for r in sheet.recipients.exclude(email="") if r.confirmed_revision != sheet.revision]
    _queue(pending, sheet.revision, Delivery.Kind.RESEND)
    _audit(access, sheet.production_id, "callsheet_resend", sheet, revision=sheet.revision, recipients=len(pending))
    return len(pending)


@transaction.atomic
def delivery_retry_failed(*, access: ProductionAccess, call_sheet_id: int) -> int:
    """Queue every failed delivery of this call sheet again."""
    from .tasks import delivery_send

    access.require(EDIT)
    sheet = callsheet_get(access=access, call_sheet_id=call_sheet_id)
    ids = list(Delivery.objects.filter(recipient__call_sheet=sheet, status=Delivery.Status.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.QUEUED)
    transaction.on_commit(lambda: [delivery_send.enqueue(delivery_id=i) for i in ids])
    _audit(access, sheet.production_id, "delivery_retry", sheet, deliveries=len(ids))
    return len(ids)


def delivery_attempt(*, delivery_id: int) -> Delivery:
    """Send one e-mail (called by the worker). A refusal is recorded, never raised, and retried later."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related(
            "recipient", "recipient__call_sheet", "recipient__call_sheet__production", "recipient__call_sheet__unit").get(pk=delivery_id)
        if delivery.status in (Delivery.Status.DELIVERED, Delivery.Status.BOUNCED, Delivery.Status.COMPLAINED):
            return delivery
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    recipient = delivery.recipient
    sheet = recipient.call_sheet
    base = getattr(settings, "UNITBASE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {"recipient": recipient, "sheet": sheet, "delivery": delivery,
               "link": base + reverse("callsheet_links:personal", args=[recipient.token]),
               "revision": CallSheetRevision.objects.filter(call_sheet=sheet, number=delivery.revision).first()}
    prefix = {"reminder": "Reminder: ", "resend": ""}.get(delivery.kind, "")
    rev = f" (revision {delivery.revision})" if delivery.revision > 1 else ""
    subject = f"{prefix}{sheet.production.title} — call sheet {sheet.day_label}, {sheet.shoot_date:%a %-d %b}{rev}"
    try:
        message = EmailMultiAlternatives(subject=subject, body=render_to_string("callsheets/email/callsheet.txt", context),
                                         to=[recipient.email], **_tracking(delivery))
        message.send(fail_silently=False)
    except Exception as exc:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error=str(exc)[:500] or type(exc).__name__)
        delivery.refresh_from_db()
        return delivery
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), last_error="")
    delivery.refresh_from_db()
    return delivery


def _tracking(delivery: Delivery) -> dict:
    """Message-ID and header naming the delivery, and the VERP envelope sender when
    `UNITBASE_BOUNCE_ADDRESS` is set (the visible From stays DEFAULT_FROM_EMAIL), so that a bounce or
    complaint about this e-mail can be matched to it (see bounces.py)."""
    from django.conf import settings

    from .bounces import HEADER, message_id_for, verp_address

    sender = settings.DEFAULT_FROM_EMAIL
    domain = sender.rpartition("@")[2].strip(" >") or "unitbase.invalid"
    headers = {"Message-ID": message_id_for(delivery.message_token, domain), HEADER: delivery.message_token}
    bounce_address = getattr(settings, "UNITBASE_BOUNCE_ADDRESS", "")
    if not bounce_address:
        return {"headers": headers}
    headers["From"] = sender
    return {"headers": headers, "from_email": verp_address(bounce_address, delivery.message_token)}


@transaction.atomic
def delivery_bounce_record(*, token: str, kind: str, reason: str, occurred_at: datetime | None = None,
                           recipient_email: str = "") -> Delivery | None:
    """Record that a call sheet e-mail bounced (or its recipient marked it as spam), from a bounce
    report (webhook or mailbox; no signed-in user). Returns the delivery, or None when the token names
    none of ours. Recording the same report twice changes nothing."""
    if kind not in ("bounce", "complaint"):
        raise ValidationError({"type": "A report is a bounce or a complaint."})
    delivery = Delivery.objects.select_for_update().select_related("recipient", "recipient__call_sheet").filter(
        message_token=(token or "").lower()).first()
    if delivery is None:
        return None
    status = Delivery.Status.BOUNCED if kind == "bounce" else Delivery.Status.COMPLAINED
    if delivery.status == status:
        return delivery
    if delivery.status == Delivery.Status.COMPLAINED and status == Delivery.Status.BOUNCED:
        return delivery  # a complaint means it arrived; a late bounce report does not undo that
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    delivery.status, delivery.bounced_at = status, when
    delivery.bounce_reason = (reason or "").strip()[:500] or ("Marked as spam" if kind == "complaint" else "Bounced")
    delivery.save(update_fields=["status", "bounced_at", "bounce_reason"])
    recipient = delivery.recipient
    audit_record(production_id=recipient.call_sheet.production_id, actor=None, action=f"callsheets.delivery_{kind}",
                 obj=recipient, object_repr=recipient.name,
                 changes={"revision": delivery.revision, "reason": delivery.bounce_reason,
                          "email": recipient_email or recipient.email})
    return delivery


def bounce_notices_record(*, notices: list) -> dict:
    """Record parsed bounce reports (bounces.BounceNotice); returns counts for the caller to show:
    matched, already recorded, and unmatched (a token that names none of our e-mails)."""
    out = {"recorded": 0, "already": 0, "unmatched": 0}
    for notice in notices:
        before = Delivery.objects.filter(message_token=notice.token).values_list("status", flat=True).first()
        delivery = delivery_bounce_record(token=notice.token, kind=notice.kind, reason=notice.reason,
                                          occurred_at=notice.occurred_at, recipient_email=notice.recipient)
        if delivery is None:
            out["unmatched"] += 1
        elif delivery.status == before:
            out["already"] += 1
        else:
            out["recorded"] += 1
    return out


@transaction.atomic
def recipient_email_correct(*, access: ProductionAccess, call_sheet_id: int, recipient_id: int, email: str) -> Recipient:
    """Correct a recipient's e-mail address (after a bounce, or where there was none) and, when the
    call sheet is published, send the current revision to the new address."""
    from django.core.validators import validate_email

    access.require(EDIT)
    sheet = callsheet_get(access=access, call_sheet_id=call_sheet_id)
    recipient = sheet.recipients.select_for_update().filter(pk=recipient_id).first()
    if recipient is None:
        raise ValidationError({"recipient": "No such recipient on this call sheet."})
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Give the corrected e-mail address."})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"{email!r} is not an e-mail address."}) from None
    if sheet.recipients.filter(email__iexact=email).exclude(pk=recipient.pk).exists():
        raise ValidationError({"email": f"{email} already receives this call sheet."})
    old = recipient.email
    recipient.email = email
    recipient.full_clean()
    recipient.save(update_fields=["email", "updated_at"])
    if sheet.is_published:
        _queue([recipient], sheet.revision, Delivery.Kind.RESEND)
    _audit(access, sheet.production_id, "recipient_email_correct", recipient, email=[old, email],
           resent=sheet.is_published)
    return recipient


def callsheet_remind_unconfirmed(*, call_sheet_id: int, revision: int) -> int:
    """The scheduled reminder: mail those who have not confirmed the current revision (a stale reminder does nothing)."""
    with transaction.atomic():
        sheet = CallSheet.objects.filter(pk=call_sheet_id).first()
        if sheet is None or not sheet.is_published or sheet.revision != revision:
            return 0
        pending = [r for r in sheet.recipients.exclude(email="") if r.confirmed_revision != revision]
        _queue(pending, revision, Delivery.Kind.REMINDER)
        _audit(None, sheet.production_id, "callsheet_remind", sheet, revision=revision, recipients=len(pending))
    return len(pending)


def _current_revision(recipient: Recipient) -> CallSheetRevision | None:
    return CallSheetRevision.objects.filter(call_sheet_id=recipient.call_sheet_id).order_by("-number").first()


@transaction.atomic
def recipient_open(*, recipient: Recipient) -> CallSheetRevision | None:
    """Record that the personal link was followed; returns the revision to show (the newest published)."""
    revision = _current_revision(recipient)
    now = timezone.now()
    updates = {"last_opened_at": now, "opened_revision": revision.number if revision else None}
    if recipient.first_opened_at is None:
        updates["first_opened_at"] = now
    Recipient.objects.filter(pk=recipient.pk).update(**updates)
    for key, value in updates.items():
        setattr(recipient, key, value)
    return revision


@transaction.atomic
def recipient_confirm(*, recipient: Recipient) -> Recipient:
    revision = _current_revision(recipient)
    if revision is None:
        raise ValidationError({"revision": "There is no published call sheet to confirm."})
    if recipient.confirmed_revision == revision.number:
        return recipient
    recipient.confirmed_at, recipient.confirmed_revision = timezone.now(), revision.number
    recipient.save(update_fields=["confirmed_at", "confirmed_revision", "updated_at"])
    audit_record(production_id=recipient.call_sheet.production_id, actor=None, action="callsheets.recipient_confirm",
                 obj=recipient, object_repr=recipient.name, changes={"revision": revision.number})
    return recipient


# --- daily production reports ------------------------------------------------------------------------


def _dpr_editable(access: ProductionAccess, report_id: int) -> DailyReport:
    access.require(EDIT)
    report = DailyReport.objects.select_for_update().get(pk=dpr_get(access=access, report_id=report_id).pk)
    if report.status == DailyReport.Status.APPROVED:
        raise ValidationError({"status": "This production report is approved and frozen."})
    return report


@transaction.atomic
def dpr_start(*, access: ProductionAccess, unit_id: int, shoot_date: date) -> DailyReport:
    """The day's production report, prefilled from the applied schedule and the day's call sheet."""
    access.require(EDIT)
    existing = DailyReport.objects.filter(production=access.production, unit_id=unit_id, shoot_date=shoot_date).first()
    if existing:
        return existing
    shoot = shoot_day_get(access=access, unit_id=unit_id, shoot_date=shoot_date)
    sheet = CallSheet.objects.filter(unit_id=unit_id, shoot_date=shoot_date).first()
    report = DailyReport(production=access.production, unit_id=unit_id, shoot_date=shoot_date, call_sheet=sheet,
                         day_number=shoot.day.number, total_days=shoot.total_days,
                         crew_call=sheet.general_call if sheet else (shoot.day.break_strip.call_time if shoot.day.break_strip else None),
                         shooting_call=sheet.shooting_call if sheet else None, weather=sheet.weather if sheet else "")
    report.full_clean()
    report.save()
    DailyReportScene.objects.bulk_create([
        DailyReportScene(report=report, scene=s.scene, number=s.label, planned=True, eighths_planned=s.eighths)
        for s in shoot.day.strips if s.kind == Strip.Kind.SCENE
    ])
    if sheet:
        DailyReportCastTime.objects.bulk_create([
            DailyReportCastTime(report=report, cast_member=c.cast_member, cast_number=c.cast_number, character=c.character,
                                actor=c.actor, status_code=c.status_code, report_time=c.makeup, on_set=c.on_set)
            for c in sheet.cast_rows.all()
        ])
        DailyReportCrewTime.objects.bulk_create([
            DailyReportCrewTime(report=report, department_name=c.department_name, department_order=c.department_order,
                                position=c.position, name=c.name, time_in=c.call_time or sheet.general_call)
            for c in sheet.crew_rows.all()
        ])
    _audit(access, access.production.pk, "dpr_start", report, day=report.day_number)
    return report


TIME_SEQUENCE = [
    ("crew_call", "crew call"), ("shooting_call", "shooting call"), ("first_shot", "first shot"),
    ("lunch_start", "lunch called"), ("lunch_end", "back in from lunch"), ("first_shot_after_lunch", "first shot after lunch"),
    ("second_meal_start", "second meal"), ("second_meal_end", "back from second meal"), ("camera_wrap", "camera wrap"),
    ("last_out", "last person out"),
]


def minutes_after(start: time, t: time) -> int:
    """Minutes from `start` to `t` on a day that may run past midnight (a time earlier than the
    start is the next morning)."""
    a, b = start.hour * 60 + start.minute, t.hour * 60 + t.minute
    return b - a if b >= a else b + 24 * 60 - a


def check_day_times(values: dict[str, time | None]) -> None:
    """Times must follow one another from crew call; a day may cross midnight but not last 24 hours."""
    start = values.get("crew_call")
    if start is None:
        return
    last_key, last = "crew_call", 0
    errors = {}
    for key, label in TIME_SEQUENCE[1:]:
        t = values.get(key)
        if t is None:
            continue
        offset = minutes_after(start, t)
        if offset < last or offset >= 22 * 60:
            before = dict(TIME_SEQUENCE)[last_key]
            errors[key] = f"The {label} ({t:%H:%M}) is before the {before}; times after midnight count as the next morning."
            break
        last_key, last = key, offset
    for a, b in (("lunch_start", "lunch_end"), ("second_meal_start", "second_meal_end")):
        if (values.get(a) is None) != (values.get(b) is None) and b not in errors and a not in errors:
            errors[b if values.get(b) is None else a] = "Give both the start and the end of the meal."
    if errors:
        raise ValidationError(errors)


DPR_FIELDS = {key for key, _ in TIME_SEQUENCE} | {"setups", "media", "weather", "safety_meeting_held", "accidents", "notes"}


@transaction.atomic
def dpr_update(*, access: ProductionAccess, report_id: int, **fields: Any) -> DailyReport:
    unknown = set(fields) - DPR_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    report = _dpr_editable(access, report_id)
    values = {key: fields.get(key, getattr(report, key)) for key, _ in TIME_SEQUENCE}
    check_day_times(values)
    changes = diff_fields(report, fields)
    for key, value in fields.items():
        setattr(report, key, value)
    report.full_clean()
    report.save()
    _audit(access, report.production_id, "dpr_update", report, **changes)
    return report


@transaction.atomic
def dpr_scene_set(*, access: ProductionAccess, report_id: int, number: str, status: str, eighths_shot: int = 0,
                  minutes_shot: int = 0, setups: int = 0) -> DailyReportScene:
    """Record what was shot of a scene; a scene not on the day's plan is added ("added")."""
    report = _dpr_editable(access, report_id)
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": "Give the scene number."})
    if status not in DailyReportScene.Status.values:
        raise ValidationError({"status": "Choose complete, part shot, not shot or added."})
    row = report.scenes.filter(number=number).first()
    if row is None:
        row = DailyReportScene(report=report, number=number, planned=False)
    if status == DailyReportScene.Status.NOT_SHOT and (eighths_shot or minutes_shot):
        raise ValidationError({"eighths_shot": "A scene not shot has no pages or minutes shot."})
    if status == DailyReportScene.Status.COMPLETE and row.planned and not eighths_shot:
        eighths_shot = row.eighths_planned
    row.status, row.eighths_shot, row.minutes_shot, row.setups = status, int(eighths_shot), int(minutes_shot), int(setups)
    row.full_clean()
    row.save()
    _audit(access, report.production_id, "dpr_scene_set", report, scene=number, status=status, eighths=eighths_shot)
    return row


@transaction.atomic
def dpr_cast_time_set(*, access: ProductionAccess, report_id: int, row_id: int, **times: Any) -> DailyReportCastTime:
    allowed = {"report_time", "on_set", "meal_out", "meal_in", "dismissed", "travel_out", "travel_in", "notes", "status_code"}
    if set(times) - allowed:
        raise ValidationError({sorted(set(times) - allowed)[0]: "Unknown field."})
    report = _dpr_editable(access, report_id)
    row = report.cast_times.filter(pk=row_id).first()
    if row is None:
        raise ValidationError({"row": "No such cast line on this report."})
    for key, value in times.items():
        setattr(row, key, value)
    seq = [row.report_time, row.on_set, row.meal_out, row.meal_in, row.dismissed]
    present = [t for t in seq if t is not None]
    if present:
        offsets = [minutes_after(present[0], t) for t in present]
        if offsets != sorted(offsets) or offsets[-1] >= 22 * 60:
            raise ValidationError({"dismissed": "Cast times are out of order (report, on set, meal out, meal in, dismissed)."})
    row.full_clean()
    row.save()
    _audit(access, report.production_id, "dpr_cast_time_set", report, cast=row.cast_number,
           **{k: hhmm(v) if isinstance(v, time) else v for k, v in times.items()})
    return row


@transaction.atomic
def dpr_crew_time_set(*, access: ProductionAccess, report_id: int, row_id: int, time_in: time | None = None,
                      time_out: time | None = None, meal_out: time | None = None, meal_in: time | None = None,
                      notes: str = "") -> DailyReportCrewTime:
    report = _dpr_editable(access, report_id)
    row = report.crew_times.filter(pk=row_id).first()
    if row is None:
        raise ValidationError({"row": "No such crew line on this report."})
    if time_in and time_out and minutes_after(time_in, time_out) >= 22 * 60:
        raise ValidationError({"time_out": "Out is before in."})
    row.time_in, row.time_out, row.meal_out, row.meal_in, row.notes = time_in, time_out, meal_out, meal_in, notes
    row.full_clean()
    row.save()
    _audit(access, report.production_id, "dpr_crew_time_set", report, name=row.name, time_in=hhmm(time_in), time_out=hhmm(time_out))
    return row


@transaction.atomic
def dpr_delay_add(*, access: ProductionAccess, report_id: int, cause: str, minutes: int, note: str = "") -> DailyReportDelay:
    report = _dpr_editable(access, report_id)
    delay = DailyReportDelay(report=report, cause=(cause or "").strip(), minutes=minutes, note=note)
    delay.full_clean()
    delay.save()
    _audit(access, report.production_id, "dpr_delay_add", report, cause=delay.cause, minutes=minutes)
    return delay


@transaction.atomic
def dpr_approve(*, access: ProductionAccess, report_id: int) -> DailyReport:
    report = _dpr_editable(access, report_id)
    if access.role not in DPR_APPROVER_ROLES:
        from unitbase.productions.permissions import ActionDenied

        raise ActionDenied(EDIT, "Only the UPM or the production manager approves a production report.")
    if report.camera_wrap is None:
        raise ValidationError({"camera_wrap": "Record the camera wrap before approving."})
    report.status, report.approved_at, report.approved_by = DailyReport.Status.APPROVED, timezone.now(), access.user
    report.save()
    _audit(access, report.production_id, "dpr_approve", report, day=report.day_number)
    return report


@transaction.atomic
def dpr_unshot_move(*, access: ProductionAccess, report_id: int, to: str = "boneyard", day: int | None = None,
                    scene_numbers: list[str] | None = None) -> int:
    """Send the day's unshot scenes back to the boneyard, or to the end of shoot day `day`, on the unit's
    applied schedule, through the scheduling services (so the schedule's own rules apply: the
    *Change the schedule* action, the lock rule, the version's revision). Only scenes recorded as not
    shot or part shot and not moved yet; `scene_numbers` narrows it. Returns how many strips moved.

    A part-shot scene's strip on the reported day is split (`strip_split`): the part shot (its
    `eighths_shot`) stays on the day, the remainder is moved like an unshot scene."""
    from unitbase.scheduling.models import ScheduleVersion
    from unitbase.scheduling.selectors import board_get, version_applied
    from unitbase.scheduling.services import BOARD, BONEYARD, strip_move, strip_split

    access.require(EDIT)
    report = DailyReport.objects.select_for_update().get(pk=dpr_get(access=access, report_id=report_id).pk)
    if to not in ("boneyard", "day"):
        raise ValidationError({"to": "Move unshot scenes to the boneyard or to a shoot day."})
    if to == "day" and (day is None or day <= report.day_number):
        raise ValidationError({"day": f"Choose a later shoot day than day {report.day_number}."})
    movable = (DailyReportScene.Status.NOT_SHOT, DailyReportScene.Status.PART)
    rows = [r for r in report.scenes.filter(status__in=movable, moved_to="").exclude(scene=None)
            if not scene_numbers or r.number in scene_numbers]
    if not rows:
        raise ValidationError({"scenes": "No unshot scenes (or part-shot remainders) left to move on this report."})
    version = version_applied(access=access, unit_id=report.unit_id)
    if version is None:
        raise ValidationError({"scenes": "This unit has no applied schedule."})
    board = board_get(access=access, version=version)
    reported_day = board.day_of_date(report.shoot_date)
    day_strips = [s for s in (reported_day.strips if reported_day else []) if s.kind == Strip.Kind.SCENE]
    on_board = list(Strip.objects.filter(version=version, section=BOARD, kind=Strip.Kind.SCENE,
                                         scene_id__in={r.scene_id for r in rows}).select_related("scene"))
    to_split: list[tuple[Strip, int]] = []
    strip_ids: list[int] = []
    for row in rows:
        here = [s for s in day_strips if s.scene_id == row.scene_id]
        if row.status == DailyReportScene.Status.NOT_SHOT:
            # The scene's strips on the reported day; if it is no longer there, wherever it is on the board.
            strip_ids += [s.pk for s in here] or [s.pk for s in on_board if s.scene_id == row.scene_id]
            continue
        if not here:
            raise ValidationError({"scenes": f"Scene {row.number} is no longer on day {report.day_number} of the "
                                             "applied schedule: move its remainder on the stripboard."})
        strip = here[0]
        if row.eighths_shot < 1:
            raise ValidationError({"scenes": f"Scene {row.number} is part shot: record the pages shot before moving the rest."})
        if row.eighths_shot >= strip.eighths:
            raise ValidationError({"scenes": f"Scene {row.number}: {eighths_label(row.eighths_shot)} shot of "
                                             f"{eighths_label(strip.eighths)} scheduled leaves nothing to move; mark it complete."})
        to_split.append((strip, row.eighths_shot))
    for strip, shot in to_split:
        revision = ScheduleVersion.objects.get(pk=version.pk).revision
        rest = strip_split(access=access, version_id=version.pk, revision=revision, strip_id=strip.pk, eighths=shot)
        strip_ids.append(rest.pk)
    if not strip_ids:
        raise ValidationError({"scenes": "These scenes are no longer on the applied schedule's board."})
    revision = ScheduleVersion.objects.get(pk=version.pk).revision
    strip_move(access=access, version_id=version.pk, revision=revision, strip_ids=strip_ids,
               to=BONEYARD if to == "boneyard" else BOARD, day=day if to == "day" else None)
    label = "boneyard" if to == "boneyard" else f"day {day}"
    DailyReportScene.objects.filter(pk__in=[r.pk for r in rows if r.status == DailyReportScene.Status.NOT_SHOT]).update(moved_to=label)
    for row in rows:
        if row.status == DailyReportScene.Status.PART:
            row.moved_to = f"rest to {label}"
            row.save(update_fields=["moved_to"])
    _audit(access, report.production_id, "dpr_unshot_move", report, scenes=[r.number for r in rows], to=label,
           split=[r.number for r in rows if r.status == DailyReportScene.Status.PART])
    return len(strip_ids)


def pages(eighths: int) -> str:
    return eighths_label(eighths)


# --- demo ---------------------------------------------------------------------------------------------

@transaction.atomic
def demo_seed_callsheets(*, access: ProductionAccess, approver: ProductionAccess | None = None) -> CallSheet | None:
    """For `unitbase demo`: the first shoot day's call sheet built from the applied schedule (its locations
    come from the locations app, seeded before), published (mail goes out through the worker) and confirmed by most recipients,
    and a completed production report for the day, approved by `approver` (a UPM or PM; default `access`).
    Returns None, changing nothing, if the main unit has no applied schedule or the sheet exists."""
    from .selectors import shoot_dates_of_unit

    unit = Unit.objects.filter(production=access.production, kind=Unit.Kind.MAIN).order_by("pk").first()
    dates = shoot_dates_of_unit(access=access, unit_id=unit.pk) if unit else []
    if not dates or CallSheet.objects.filter(unit=unit, shoot_date=dates[0][1]).exists():
        return None
    when = dates[0][1]
    if access.can(Action.EDIT_PRODUCTION):
        preferences_update(access=access, safety_contact="Unit medic: Morven Gray, 07700 900 990",
                           safety_hotline="01632 960 999")
    sheet = callsheet_build_from_schedule(access=access, unit_id=unit.pk, shoot_date=when)
    callsheet_update(
        access=access, call_sheet_id=sheet.pk, weather="Bright spells, showers from 15:00; 9°C / 4°C; wind SW 18 mph",
        lunch="13:00, 1 h (Fish quay marquee)",
        safety_notes="Working at the quay edge: life jackets for anyone within 2 m of the water.\n"
                     "Safety boat on standby from 08:00; marine coordinator has the channel 4 walkie.",
        walkie_channels="1: Production\n2: Open / talk\n3: Camera\n4: Marine and safety boat\n5: Grip and electric",
        department_notes="Props: nets and buoys on the quay by 07:30\nWardrobe: wet-weather doubles for Maren\n"
                         "Transport: minibus from the hotel at 06:15",
        key_contacts=(sheet.key_contacts + "\nProduction office: 01632 960 000").strip(),
    )
    publish = callsheet_publish(access=access, call_sheet_id=sheet.pk)
    recipients = list(sheet.recipients.exclude(email="").order_by("pk"))
    for r in recipients[: max(1, len(recipients) * 3 // 4)]:  # most have confirmed by the evening before
        recipient_open(recipient=r)
        recipient_confirm(recipient=r)
    for r in recipients[len(recipients) * 3 // 4:][:2]:  # a couple opened but have not confirmed yet
        recipient_open(recipient=r)
    report = dpr_start(access=access, unit_id=unit.pk, shoot_date=when)
    call = sheet.general_call

    def at(minutes: int) -> time:
        return (datetime.combine(when, call) + timedelta(minutes=minutes)).time()

    dpr_update(access=access, report_id=report.pk, shooting_call=at(60), first_shot=at(75), lunch_start=at(360),
               lunch_end=at(420), first_shot_after_lunch=at(440), camera_wrap=at(655), last_out=at(710), setups=0,
               media="Cards A001–A006, sound rolls 1–2; 1.4 TB backed up twice", weather="Bright spells, a shower at 15:30",
               safety_meeting_held=True, accidents="None.", notes="Lost 20 min to a passing ferry's wash on the quay.")
    scenes = list(report.scenes.all())
    total_setups = 0
    for i, row in enumerate(scenes):
        last = i == len(scenes) - 1 and len(scenes) > 1
        setups = 3 + i % 3
        if last:  # the day's last scene was not reached: it goes back to the boneyard below
            dpr_scene_set(access=access, report_id=report.pk, number=row.number, status=DailyReportScene.Status.NOT_SHOT)
            continue
        total_setups += setups
        dpr_scene_set(access=access, report_id=report.pk, number=row.number, status=DailyReportScene.Status.COMPLETE,
                      minutes_shot=max(1, round(row.eighths_planned / 8)), setups=setups)
    dpr_update(access=access, report_id=report.pk, setups=total_setups)
    dpr_delay_add(access=access, report_id=report.pk, cause="Ferry wash on the quay", minutes=20, note="Held for the water to settle")
    for row in report.cast_times.exclude(report_time=None):
        dpr_cast_time_set(access=access, report_id=report.pk, row_id=row.pk, report_time=row.report_time,
                          on_set=row.on_set, meal_out=at(360), meal_in=at(420), dismissed=at(640))
    for row in report.crew_times.all():
        dpr_crew_time_set(access=access, report_id=report.pk, row_id=row.pk, time_in=row.time_in, time_out=at(700),
                          meal_out=at(360), meal_in=at(420))
    if access.can(Action.CHANGE_SCHEDULE) and report.scenes.filter(status=DailyReportScene.Status.NOT_SHOT).exists():
        dpr_unshot_move(access=access, report_id=report.pk, to="boneyard")
    dpr_approve(access=approver or access, report_id=report.pk)
    sheet.refresh_from_db()
    _audit(access, access.production.pk, "demo_seed", sheet, revision=publish.number)
    return sheet
