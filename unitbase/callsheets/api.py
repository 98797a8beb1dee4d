"""REST endpoints for call sheets (list, detail, build, revise, publish, recipients and their status)
and daily production reports (start, read, update, scenes, delays, approve).

Mount in unitbase/api.py with:
    from unitbase.callsheets.api import router as callsheets_router
    api.add_router("/productions", callsheets_router)
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from unitbase.productions.api import api_access
from unitbase.productions.authority import Action

from . import selectors, services

router = Router(tags=["callsheets"])
EDIT = Action.PUBLISH_CALL_SHEET


class CallSheetOut(Schema):
    id: int
    unit_id: int
    shoot_date: dt.date
    day_number: int
    total_days: int
    revision: int
    status: str
    general_call: dt.time
    published_at: dt.datetime | None


class CallSheetDetail(CallSheetOut):
    document: dict


class BuildIn(Schema):
    unit_id: int
    shoot_date: dt.date


class UpdateIn(Schema):
    general_call: dt.time | None = None
    shooting_call: dt.time | None = None
    estimated_wrap: dt.time | None = None
    lunch: str | None = None
    weather: str | None = None
    safety_notes: str | None = None
    walkie_channels: str | None = None
    department_notes: str | None = None
    special_requirements: str | None = None
    general_notes: str | None = None
    key_contacts: str | None = None
    change_note: str | None = None


class PublishIn(Schema):
    change_note: str = ""


class ReviseIn(Schema):
    rebuild: bool = False


class RecipientIn(Schema):
    name: str
    email: str
    role_label: str = ""


class RecipientOut(Schema):
    id: int
    kind: str
    name: str
    email: str
    role_label: str
    sent_at: dt.datetime | None
    delivery_status: str | None
    delivered_at: dt.datetime | None
    last_error: str
    bounced_at: dt.datetime | None
    bounce_reason: str
    opened_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    confirmed_revision: int | None


def _sheet_out(sheet) -> dict:
    return {"id": sheet.pk, "unit_id": sheet.unit_id, "shoot_date": sheet.shoot_date, "day_number": sheet.day_number,
            "total_days": sheet.total_days, "revision": sheet.revision, "status": sheet.status,
            "general_call": sheet.general_call, "published_at": sheet.published_at}


def _detail(access, sheet) -> dict:
    revision = selectors.latest_revision(sheet) if sheet.is_published else None
    return {**_sheet_out(sheet), "document": selectors.office_data(access=access, call_sheet=sheet, revision=revision)}


@router.get("/{production_id}/callsheets", response=list[CallSheetOut])
def callsheets(request, production_id: int):
    access = api_access(request, production_id)
    return [_sheet_out(s) for s in selectors.callsheet_list(access=access)]


@router.post("/{production_id}/callsheets", response=CallSheetDetail)
def callsheet_build(request, production_id: int, payload: BuildIn):
    access = api_access(request, production_id, EDIT)
    sheet = services.callsheet_build_from_schedule(access=access, unit_id=payload.unit_id, shoot_date=payload.shoot_date)
    return _detail(access, sheet)


@router.get("/{production_id}/callsheets/{call_sheet_id}", response=CallSheetDetail)
def callsheet_detail(request, production_id: int, call_sheet_id: int):
    access = api_access(request, production_id)
    return _detail(access, selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id))


@router.patch("/{production_id}/callsheets/{call_sheet_id}", response=CallSheetDetail)
def callsheet_update(request, production_id: int, call_sheet_id: int, payload: UpdateIn):
    access = api_access(request, production_id, EDIT)
    sheet = services.callsheet_update(access=access, call_sheet_id=call_sheet_id, **payload.dict(exclude_unset=True))
    return _detail(access, sheet)


@router.post("/{production_id}/callsheets/{call_sheet_id}/publish", response=CallSheetDetail)
def callsheet_publish(request, production_id: int, call_sheet_id: int, payload: PublishIn):
    access = api_access(request, production_id, EDIT)
    services.callsheet_publish(access=access, call_sheet_id=call_sheet_id, change_note=payload.change_note)
    return _detail(access, selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id))


@router.post("/{production_id}/callsheets/{call_sheet_id}/revise", response=CallSheetDetail)
def callsheet_revise(request, production_id: int, call_sheet_id: int, payload: ReviseIn):
    access = api_access(request, production_id, EDIT)
    sheet = services.callsheet_revise(access=access, call_sheet_id=call_sheet_id, rebuild=payload.rebuild)
    return _detail(access, sheet)


@router.get("/{production_id}/callsheets/{call_sheet_id}/recipients", response=list[RecipientOut])
def recipients(request, production_id: int, call_sheet_id: int):
    access = api_access(request, production_id)
    sheet = selectors.callsheet_get(access=access, call_sheet_id=call_sheet_id)
    out = []
    for r in selectors.distribution(access=access, call_sheet=sheet):
        out.append({
            "id": r.pk, "kind": r.kind, "name": r.name, "email": r.email, "role_label": r.role_label,
            "sent_at": r.last.queued_at if r.last else None, "delivery_status": r.last.status if r.last else None,
            "delivered_at": r.last.delivered_at if r.last else None, "last_error": r.last.last_error if r.last else "",
            "bounced_at": r.last.bounced_at if r.last else None, "bounce_reason": r.last.bounce_reason if r.last else "",
            "opened_at": r.first_opened_at, "confirmed_at": r.confirmed_at, "confirmed_revision": r.confirmed_revision,
        })
    return out


@router.post("/{production_id}/callsheets/{call_sheet_id}/recipients", response={201: dict})
def recipient_add(request, production_id: int, call_sheet_id: int, payload: RecipientIn):
    access = api_access(request, production_id, EDIT)
    recipient = services.recipient_add(access=access, call_sheet_id=call_sheet_id, **payload.dict())
    return Status(201, {"id": recipient.pk})


class RecipientEmailIn(Schema):
    email: str


@router.patch("/{production_id}/callsheets/{call_sheet_id}/recipients/{recipient_id}", response=dict)
def recipient_email(request, production_id: int, call_sheet_id: int, recipient_id: int, payload: RecipientEmailIn):
    """Correct a recipient's e-mail address (after a bounce); a published sheet is sent to it again."""
    access = api_access(request, production_id, EDIT)
    recipient = services.recipient_email_correct(access=access, call_sheet_id=call_sheet_id, recipient_id=recipient_id,
                                                 email=payload.email)
    return {"id": recipient.pk, "email": recipient.email}


@router.post("/{production_id}/callsheets/{call_sheet_id}/resend", response=dict)
def resend(request, production_id: int, call_sheet_id: int):
    access = api_access(request, production_id, EDIT)
    return {"queued": services.callsheet_resend(access=access, call_sheet_id=call_sheet_id)}


class PreferencesIO(Schema):
    share_phone_numbers: bool
    safety_contact: str
    safety_hotline: str
    reminder_hours: int
    link_valid_days: int


class PreferencesPatch(Schema):
    share_phone_numbers: bool | None = None
    safety_contact: str | None = None
    safety_hotline: str | None = None
    reminder_hours: int | None = None
    link_valid_days: int | None = None


def _prefs_out(prefs) -> dict:
    return {k: getattr(prefs, k) for k in PreferencesIO.model_fields}


@router.get("/{production_id}/callsheet-preferences", response=PreferencesIO)
def preferences(request, production_id: int):
    access = api_access(request, production_id)
    return _prefs_out(selectors.preferences_get(access.production))


@router.patch("/{production_id}/callsheet-preferences", response=PreferencesIO)
def preferences_update(request, production_id: int, payload: PreferencesPatch):
    """Needs *Edit production settings*."""
    access = api_access(request, production_id, Action.EDIT_PRODUCTION)
    return _prefs_out(services.preferences_update(access=access, **payload.dict(exclude_none=True)))


# --- production reports ------------------------------------------------------------------------------


class DprOut(Schema):
    id: int
    unit_id: int
    shoot_date: dt.date
    day_number: int
    total_days: int
    status: str
    crew_call: dt.time | None
    shooting_call: dt.time | None
    first_shot: dt.time | None
    lunch_start: dt.time | None
    lunch_end: dt.time | None
    camera_wrap: dt.time | None
    last_out: dt.time | None
    setups: int
    notes: str
    scenes: list[dict]
    cast_times: list[dict]
    crew_times: list[dict]
    delays: list[dict]
    progress: dict


class DprStartIn(Schema):
    unit_id: int
    shoot_date: dt.date


class DprUpdateIn(Schema):
    crew_call: dt.time | None = None
    shooting_call: dt.time | None = None
    first_shot: dt.time | None = None
    lunch_start: dt.time | None = None
    lunch_end: dt.time | None = None
    first_shot_after_lunch: dt.time | None = None
    second_meal_start: dt.time | None = None
    second_meal_end: dt.time | None = None
    camera_wrap: dt.time | None = None
    last_out: dt.time | None = None
    setups: int | None = None
    media: str | None = None
    weather: str | None = None
    safety_meeting_held: bool | None = None
    accidents: str | None = None
    notes: str | None = None


class DprSceneIn(Schema):
    number: str
    status: str
    eighths_shot: int = 0
    minutes_shot: int = 0
    setups: int = 0


class DelayIn(Schema):
    cause: str
    minutes: int
    note: str = ""


CAST_TIME_KEYS = ["report_time", "on_set", "meal_out", "meal_in", "dismissed", "travel_out", "travel_in"]
CREW_TIME_KEYS = ["time_in", "meal_out", "meal_in", "time_out"]


def _t(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


class CastTimeIn(Schema):
    report_time: dt.time | None = None
    on_set: dt.time | None = None
    meal_out: dt.time | None = None
    meal_in: dt.time | None = None
    dismissed: dt.time | None = None
    travel_out: dt.time | None = None
    travel_in: dt.time | None = None
    notes: str | None = None


class CrewTimeIn(Schema):
    time_in: dt.time | None = None
    meal_out: dt.time | None = None
    meal_in: dt.time | None = None
    time_out: dt.time | None = None
    notes: str = ""


class UnshotIn(Schema):
    to: str = "boneyard"
    day: int | None = None
    scene_numbers: list[str] | None = None


def _dpr_out(access, report) -> dict:
    p = selectors.dpr_progress(access=access, report=report)
    return {
        **{f: getattr(report, f) for f in ["id", "unit_id", "shoot_date", "day_number", "total_days", "status", "crew_call",
                                           "shooting_call", "first_shot", "lunch_start", "lunch_end", "camera_wrap",
                                           "last_out", "setups", "notes"]},
        "scenes": [{"number": s.number, "planned": s.planned, "status": s.status, "eighths_planned": s.eighths_planned,
                    "eighths_shot": s.eighths_shot, "minutes_shot": s.minutes_shot, "setups": s.setups,
                    "moved_to": s.moved_to}
                   for s in report.scenes.all()],
        "cast_times": [{"id": c.pk, "cast_number": c.cast_number, "character": c.character, "status_code": c.status_code,
                        **{k: _t(getattr(c, k)) for k in CAST_TIME_KEYS}, "notes": c.notes} for c in report.cast_times.all()],
        "crew_times": [{"id": c.pk, "department": c.department_name, "position": c.position, "name": c.name,
                        **{k: _t(getattr(c, k)) for k in CREW_TIME_KEYS}, "notes": c.notes} for c in report.crew_times.all()],
        "delays": [{"cause": d.cause, "minutes": d.minutes, "note": d.note} for d in report.delays.all()],
        "progress": {"eighths_planned_to_date": p.eighths_planned_to_date, "eighths_shot_to_date": p.eighths_shot_to_date,
                     "scenes_planned_to_date": p.scenes_planned_to_date, "scenes_completed_to_date": p.scenes_completed_to_date,
                     "days_ahead": p.days_ahead, "percent_shot": p.percent_shot},
    }


@router.get("/{production_id}/production-reports", response=list[DprOut])
def dprs(request, production_id: int):
    access = api_access(request, production_id)
    return [_dpr_out(access, r) for r in selectors.dpr_list(access=access)]


@router.post("/{production_id}/production-reports", response=DprOut)
def dpr_start(request, production_id: int, payload: DprStartIn):
    access = api_access(request, production_id, EDIT)
    return _dpr_out(access, services.dpr_start(access=access, unit_id=payload.unit_id, shoot_date=payload.shoot_date))


@router.get("/{production_id}/production-reports/{report_id}", response=DprOut)
def dpr_detail(request, production_id: int, report_id: int):
    access = api_access(request, production_id)
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))


@router.patch("/{production_id}/production-reports/{report_id}", response=DprOut)
def dpr_update(request, production_id: int, report_id: int, payload: DprUpdateIn):
    access = api_access(request, production_id, EDIT)
    return _dpr_out(access, services.dpr_update(access=access, report_id=report_id, **payload.dict(exclude_unset=True)))


@router.post("/{production_id}/production-reports/{report_id}/scenes", response=DprOut)
def dpr_scene(request, production_id: int, report_id: int, payload: DprSceneIn):
    access = api_access(request, production_id, EDIT)
    services.dpr_scene_set(access=access, report_id=report_id, **payload.dict())
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))


@router.post("/{production_id}/production-reports/{report_id}/delays", response=DprOut)
def dpr_delay(request, production_id: int, report_id: int, payload: DelayIn):
    access = api_access(request, production_id, EDIT)
    services.dpr_delay_add(access=access, report_id=report_id, **payload.dict())
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))


@router.post("/{production_id}/production-reports/{report_id}/approve", response=DprOut)
def dpr_approve(request, production_id: int, report_id: int):
    access = api_access(request, production_id, EDIT)
    return _dpr_out(access, services.dpr_approve(access=access, report_id=report_id))


@router.patch("/{production_id}/production-reports/{report_id}/cast-times/{row_id}", response=DprOut)
def dpr_cast_time(request, production_id: int, report_id: int, row_id: int, payload: CastTimeIn):
    """Exhibit G times of one cast line (only the fields sent change)."""
    access = api_access(request, production_id, EDIT)
    services.dpr_cast_time_set(access=access, report_id=report_id, row_id=row_id, **payload.dict(exclude_unset=True))
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))


@router.put("/{production_id}/production-reports/{report_id}/crew-times/{row_id}", response=DprOut)
def dpr_crew_time(request, production_id: int, report_id: int, row_id: int, payload: CrewTimeIn):
    """In, meal and out of one crew line (the whole line is replaced)."""
    access = api_access(request, production_id, EDIT)
    services.dpr_crew_time_set(access=access, report_id=report_id, row_id=row_id, **payload.dict())
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))


@router.post("/{production_id}/production-reports/{report_id}/unshot", response=DprOut)
def dpr_unshot(request, production_id: int, report_id: int, payload: UnshotIn):
    """Send the report's unshot scenes to the boneyard (`to: "boneyard"`) or to the end of a later
    shoot day (`to: "day", day: N`) on the applied schedule. Needs *Change the schedule* too."""
    access = api_access(request, production_id, EDIT)
    services.dpr_unshot_move(access=access, report_id=report_id, to=payload.to, day=payload.day,
                             scene_numbers=payload.scene_numbers)
    return _dpr_out(access, selectors.dpr_get(access=access, report_id=report_id))
