"""REST endpoints for payroll deals, timecards, their approval and calculated pay.

Mounted under /api/v1/productions. A timecard is visible to its own person and to approvers whose
`approve_timecards` / `view_pay` scope covers it (others answer 404); deals and packs need
production-wide `approve_timecards`. Amounts are decimal strings with a currency.
"""


import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from unitbase.productions.api import Id, api_access, paginated
from unitbase.productions.authority import Action

from . import cli, selectors, services
from .calc import PackRegistry, evaluate_week
from .models import TimecardStatus
from .permissions import access_deal, access_timecard, require_manage

router = Router(tags=["payroll"])

HHMM = Field(..., pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["07:00"])


# --- schemas -------------------------------------------------------------------------------------


class DealOut(Schema):
    id: int
    crew_member_id: int | None
    cast_member_id: int | None
    person: str
    department: str
    position: str
    pack_id: str
    rate: str
    currency: str
    rate_unit: str
    guarantee_hours: str | None
    employment_type: str
    jurisdiction: str
    allowances: dict[str, str]
    budget_account_code: str
    fringe_account_code: str
    rate_changes: list[dict[str, str]]

    @staticmethod
    def resolve_rate_changes(obj) -> list[dict[str, str]]:
        return [{"id": str(c.pk), "from": c.effective_from.isoformat(), "rate": str(c.rate)} for c in obj.rate_changes.all()]

    @staticmethod
    def resolve_person(obj) -> str:
        return obj.person_name

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department_name

    @staticmethod
    def resolve_position(obj) -> str:
        return obj.role_label

    @staticmethod
    def resolve_rate(obj) -> str:
        return f"{obj.rate:.2f}"

    @staticmethod
    def resolve_guarantee_hours(obj) -> str | None:
        return None if obj.guarantee_hours is None else str(obj.guarantee_hours)


class DealIn(Schema):
    crew_member_id: Id | None = None
    cast_member_id: Id | None = None
    pack_id: str = Field(..., min_length=1, max_length=80)
    rate: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    rate_unit: Literal["hour", "day", "week"]
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    guarantee_hours: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=2)
    employment_type: str = ""
    jurisdiction: str = Field("", max_length=20)
    allowances: dict[str, Decimal] = {}
    budget_account_code: str = Field("", max_length=20)
    fringe_account_code: str = Field("", max_length=20)


class RateChangeIn(Schema):
    effective_from: dt.date
    rate: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)


class LabourOut(Schema):
    account_code: str
    currency: str
    committed: str
    actual: str


class DayIn(Schema):
    date: dt.date
    call: str = HHMM
    meals: list[tuple[str, str]] = Field([], max_length=2, description="Up to two [out, in] pairs, HH:MM")
    wrap: str = HHMM
    travel: tuple[str, str] | None = Field(None, description="One [start, end] travel leg, HH:MM")
    zone: Literal["", "studio_premises", "studio_zone", "nearby", "distant_location"] = ""
    holiday: bool = False
    notes: str = Field("", max_length=300)
    rest_reduction: str = Field("", max_length=60, description="A rest reduction key of the deal's pack, e.g. location_exterior")


class DayOut(Schema):
    date: dt.date
    call: dt.time
    meals: list[tuple[dt.time, dt.time]]
    wrap: dt.time
    zone: str
    holiday: bool
    notes: str
    rest_reduction: str
    worked_hours: str | None
    hours_by_tier: dict[str, str]
    meal_penalty_units: int
    rest_shortfall_hours: str | None
    gross: str | None

    @staticmethod
    def resolve_worked_hours(obj) -> str | None:
        return None if obj.worked_hours is None else f"{obj.worked_hours.normalize():f}"

    @staticmethod
    def resolve_rest_shortfall_hours(obj) -> str | None:
        return None if obj.rest_shortfall_hours is None else str(obj.rest_shortfall_hours)

    @staticmethod
    def resolve_gross(obj) -> str | None:
        return None if obj.gross is None else str(obj.gross)


class PayLineOut(Schema):
    date: dt.date | None
    rule_id: str
    kind: str
    explanation: str
    hours: str | None
    rate: str | None
    multiplier: str | None
    amount: str
    is_fringe: bool
    is_violation: bool

    @staticmethod
    def resolve_hours(obj) -> str | None:
        return None if obj.hours is None else f"{obj.hours.normalize():f}"

    @staticmethod
    def resolve_rate(obj) -> str | None:
        return None if obj.rate is None else f"{obj.rate.normalize():f}"

    @staticmethod
    def resolve_multiplier(obj) -> str | None:
        return None if obj.multiplier is None else f"{obj.multiplier.normalize():f}"

    @staticmethod
    def resolve_amount(obj) -> str:
        return str(obj.amount)


class TimecardOut(Schema):
    id: int
    deal_id: int
    person: str
    department: str
    week_ending: dt.date
    revision: int
    previous_id: int | None
    status: str
    awaiting: str
    gross: str | None
    currency: str
    pack_versions: str
    approval_request_id: int | None
    previous_week_days_worked: int | None
    cost_posted: str | None
    cost_posting_note: str

    @staticmethod
    def resolve_cost_posted(obj) -> str | None:
        return str(obj.cost_posted) if obj.cost_posted is not None else None

    @staticmethod
    def resolve_person(obj) -> str:
        return obj.deal.person_name

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.deal.department_name

    @staticmethod
    def resolve_gross(obj) -> str | None:
        return None if obj.gross is None else str(obj.gross)


class TimecardDetailOut(TimecardOut):
    previous_dismissal: dt.datetime | None
    rejection_reason: str
    days: list[DayOut]
    pay_lines: list[PayLineOut]
    notes: list[str]

    @staticmethod
    def resolve_days(obj) -> list:
        return list(obj.days.all())

    @staticmethod
    def resolve_pay_lines(obj) -> list:
        return list(obj.pay_lines.all())

    @staticmethod
    def resolve_notes(obj) -> list[str]:
        return list(obj.calc_notes or [])


class TimecardIn(Schema):
    deal_id: Id
    week_ending: dt.date
    previous_dismissal: dt.datetime | None = None
    previous_week_days_worked: int | None = Field(None, ge=0, le=7)
    days: list[DayIn] = Field([], max_length=7)


class TimecardQuery(Schema):
    status: Literal["", *TimecardStatus.values] = ""  # type: ignore[valid-type]
    week_ending: dt.date | None = None
    mine: bool = False


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class PreviewDeal(Schema):
    rate: Decimal = Field(..., ge=0)
    rate_unit: Literal["hour", "day", "week"]
    pack_id: str
    guarantee_hours: Decimal | None = None
    jurisdiction: str | None = None
    allowances: dict[str, Decimal] = {}


class PreviewDay(Schema):
    date: dt.date
    call: str = HHMM
    meals: list[tuple[str, str]] = Field([], max_length=3)
    wrap: str = HHMM
    travel: list[tuple[str, str]] = []
    zone: str | None = None
    holiday: bool = False
    previous_dismissal: str | None = Field(None, description="HH:MM (the day before) or YYYY-MM-DD HH:MM")


class PreviewIn(Schema):
    deal: PreviewDeal
    days: list[PreviewDay] = Field(..., min_length=1, max_length=14)


class TurnaroundIn(Schema):
    cast_member_id: Id
    schedule: list[tuple[dt.datetime, dt.datetime]] = Field(..., min_length=1, max_length=400,
                                                            description="(call, dismissal) pairs")


class TurnaroundOut(Schema):
    dismissal: dt.datetime
    next_call: dt.datetime
    required_hours: str
    actual_hours: str
    pack_id: str
    message: str


# --- helpers -------------------------------------------------------------------------------------


def _day_kwargs(day: DayIn) -> dict[str, Any]:
    t = dt.time.fromisoformat
    meals = list(day.meals) + [(None, None)] * (2 - len(day.meals))
    travel = day.travel or (None, None)
    return {
        "date": day.date, "call": t(day.call), "wrap": t(day.wrap),
        "meal1_out": t(meals[0][0]) if meals[0][0] else None, "meal1_in": t(meals[0][1]) if meals[0][1] else None,
        "meal2_out": t(meals[1][0]) if meals[1][0] else None, "meal2_in": t(meals[1][1]) if meals[1][1] else None,
        "travel_start": t(travel[0]) if travel[0] else None, "travel_end": t(travel[1]) if travel[1] else None,
        "zone": day.zone, "holiday": day.holiday, "notes": day.notes, "rest_reduction": day.rest_reduction,
    }


def _located(exc: ValidationError, prefix: list[str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return ValidationError({".".join(prefix): exc.messages})
    return ValidationError({".".join([*prefix, k]): v for k, v in exc.message_dict.items()})


def _card(request, production_id: int, timecard_id: int, action: str = Action.VIEW_PRODUCTION):
    access = api_access(request, production_id, action)
    return access, access_timecard(access, timecard_id)


# --- deals ---------------------------------------------------------------------------------------


@router.get("/{production_id}/payroll/deals", response=list[DealOut], summary="Payroll deals you may see")
@paginated
def deal_list(request, production_id: Id):
    access = api_access(request, production_id)
    return selectors.deal_list(access=access)


@router.post("/{production_id}/payroll/deals", response={200: DealOut}, summary="Set an engagement's deal (production approvers)")
def deal_set(request, production_id: Id, payload: DealIn):
    from unitbase.people.models import CastMember, CrewMember

    access = api_access(request, production_id, Action.APPROVE_TIMECARDS)
    require_manage(access)
    crew = cast = None
    if payload.crew_member_id:
        crew = CrewMember.objects.filter(production=access.production, pk=payload.crew_member_id).first()
        if crew is None:
            raise ValidationError({"crew_member_id": f"No crew member with id {payload.crew_member_id} in this production."})
    if payload.cast_member_id:
        cast = CastMember.objects.filter(production=access.production, pk=payload.cast_member_id).first()
        if cast is None:
            raise ValidationError({"cast_member_id": f"No cast member with id {payload.cast_member_id} in this production."})
    data = payload.dict(exclude={"crew_member_id", "cast_member_id"})
    return services.deal_set(access=access, crew_member=crew, cast_member=cast, **data)


# --- timecards -----------------------------------------------------------------------------------


@router.get("/{production_id}/timecards", response=list[TimecardOut], summary="Timecards you may see")
@paginated
def timecard_list(request, production_id: Id, filters: Query[TimecardQuery]):
    access = api_access(request, production_id)
    return selectors.timecard_list(access=access, status=filters.status, week_ending=filters.week_ending, mine=filters.mine)


@router.get("/{production_id}/timecards/{timecard_id}", response=TimecardDetailOut, summary="A timecard with days and pay lines")
def timecard_detail(request, production_id: Id, timecard_id: Id):
    _, card = _card(request, production_id, timecard_id)
    return card


@router.post("/{production_id}/timecards", response={201: TimecardDetailOut},
             summary="Start a timecard (yours, or one your approval scope covers), optionally with its days")
def timecard_create(request, production_id: Id, payload: TimecardIn):
    access = api_access(request, production_id)
    try:
        deal = access_deal(access, payload.deal_id)
    except Http404:
        raise ValidationError({"deal_id": f"No deal with id {payload.deal_id} that you may use."}) from None
    with transaction.atomic():
        card = services.timecard_create(access=access, deal=deal, week_ending=payload.week_ending)
        if payload.previous_dismissal or payload.previous_week_days_worked is not None:
            services.timecard_update(access=access, timecard_id=card.pk, previous_dismissal=payload.previous_dismissal,
                                     previous_week_days_worked=payload.previous_week_days_worked)
        for index, day in enumerate(payload.days):
            try:
                services.timecard_day_set(access=access, timecard_id=card.pk, **_day_kwargs(day))
            except ValidationError as exc:
                raise _located(exc, ["days", str(index)]) from None
    return access_timecard(access, card.pk)


@router.put("/{production_id}/timecards/{timecard_id}/days/{date}", response=TimecardDetailOut,
            summary="Enter or replace one day of a draft or rejected timecard")
def timecard_day_set(request, production_id: Id, timecard_id: Id, date: dt.date, payload: DayIn):
    access, card = _card(request, production_id, timecard_id)
    if payload.date != date:
        raise ValidationError({"date": "The body's date differs from the path's."})
    services.timecard_day_set(access=access, timecard_id=card.pk, **_day_kwargs(payload))
    return access_timecard(access, card.pk)


@router.post("/{production_id}/timecards/{timecard_id}/preview", response=dict,
             summary="Calculate the card's pay now, without storing it")
def timecard_preview(request, production_id: Id, timecard_id: Id):
    _, card = _card(request, production_id, timecard_id)
    return cli.week_to_json(services.timecard_result(card))


@router.post("/{production_id}/timecards/{timecard_id}/import-dpr", response=TimecardDetailOut,
             summary="Fill a cast card's days from the week's production reports (Exhibit G)")
def timecard_import_dpr(request, production_id: Id, timecard_id: Id):
    access, card = _card(request, production_id, timecard_id)
    services.timecard_import_dpr(access=access, timecard_id=card.pk)
    return access_timecard(access, card.pk)


@router.post("/{production_id}/payroll/deals/{deal_id}/rates", response={201: DealOut},
             summary="Add (or replace) a rate change of a deal from a date (approve_timecards, production scope)")
def deal_rate_set(request, production_id: Id, deal_id: Id, payload: RateChangeIn):
    from .models import PayrollDeal

    access = api_access(request, production_id, Action.APPROVE_TIMECARDS)
    require_manage(access)
    if not PayrollDeal.objects.filter(production=access.production, pk=deal_id).exists():
        raise Http404("No such deal.")
    services.deal_rate_set(access=access, deal_id=deal_id, effective_from=payload.effective_from, rate=payload.rate)
    return Status(201, PayrollDeal.objects.get(pk=deal_id))


@router.get("/{production_id}/payroll/labour", response=list[LabourOut],
            summary="Labour by budget account: committed (submitted) and actual (approved, posted)")
def labour_cost(request, production_id: Id, week_ending: dt.date | None = None):
    access = api_access(request, production_id, Action.APPROVE_TIMECARDS)
    require_manage(access)
    return [{"account_code": r.account_code, "currency": r.currency, "committed": str(r.committed), "actual": str(r.actual)}
            for r in selectors.labour_cost_by_account(access=access, week_ending=week_ending)]


@router.post("/{production_id}/timecards/{timecard_id}/submit", response=TimecardDetailOut, summary="Submit for approval")
def timecard_submit(request, production_id: Id, timecard_id: Id):
    access, card = _card(request, production_id, timecard_id)
    return services.timecard_submit(access=access, timecard_id=card.pk)


class ErrorOut(Schema):
    detail: list[dict]


def _deciding(call):
    """Run an approval decision; someone else deciding first is a 409, not a 422."""
    from unitbase.approvals.services import ApprovalConflict

    try:
        return Status(200, call())
    except ApprovalConflict as exc:
        return Status(409, {"detail": [{"loc": [], "msg": exc.messages[0]}]})


@router.post("/{production_id}/timecards/{timecard_id}/approve", response={200: TimecardDetailOut, 409: ErrorOut},
             summary="Approve the step you may decide (approve_timecards)")
def timecard_approve(request, production_id: Id, timecard_id: Id):
    access, card = _card(request, production_id, timecard_id, Action.APPROVE_TIMECARDS)
    return _deciding(lambda: services.timecard_approve(access=access, timecard_id=card.pk))


@router.post("/{production_id}/timecards/{timecard_id}/reject", response={200: TimecardDetailOut, 409: ErrorOut},
             summary="Send back with a reason (approve_timecards)")
def timecard_reject(request, production_id: Id, timecard_id: Id, payload: RejectIn):
    access, card = _card(request, production_id, timecard_id, Action.APPROVE_TIMECARDS)
    return _deciding(lambda: services.timecard_reject(access=access, timecard_id=card.pk, reason=payload.reason))


@router.post("/{production_id}/timecards/{timecard_id}/correct", response={201: TimecardDetailOut},
             summary="Start a correction (new revision) of an approved timecard")
def timecard_correct(request, production_id: Id, timecard_id: Id):
    access, card = _card(request, production_id, timecard_id)
    return services.timecard_correct(access=access, timecard_id=card.pk)


# --- calculator and warnings ---------------------------------------------------------------------


@router.post("/{production_id}/payroll/calculate", response=dict,
             summary="Calculate a week from a deal and days (nothing stored; same format as `unitbase payroll calc`)")
def calculate_preview(request, production_id: Id, payload: PreviewIn):
    access = api_access(request, production_id)
    registry: PackRegistry = services.registry_for(access.production.pk)
    if payload.deal.pack_id not in registry.ids():
        raise ValidationError({"deal.pack_id": f"There is no rule pack {payload.deal.pack_id!r}."})
    data = payload.dict()
    try:
        deal, days = cli.card_from_json(_jsonable(data), payload.deal.pack_id)
        week = evaluate_week(days, deal, registry=registry)
    except cli.CardError as exc:
        raise ValidationError(str(exc)) from None
    except (LookupError, ValueError) as exc:
        raise ValidationError(f"Cannot calculate: {exc}") from None
    return cli.week_to_json(week)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


@router.post("/{production_id}/payroll/turnaround", response=list[TurnaroundOut],
             summary="Check a cast member's scheduled (call, dismissal) pairs against their pack's rest period")
def turnaround_check(request, production_id: Id, payload: TurnaroundIn):
    from unitbase.people.models import CastMember

    access = api_access(request, production_id)
    if not CastMember.objects.filter(production=access.production, pk=payload.cast_member_id).exists():
        raise ValidationError({"cast_member_id": f"No cast member with id {payload.cast_member_id} in this production."})
    naive = {c.tzinfo is None for pair in payload.schedule for c in pair}
    if len(naive) > 1:
        raise ValidationError({"schedule": "Give all times with a UTC offset, or none."})
    return selectors.cast_turnaround_warnings(access=access, cast_member_id=payload.cast_member_id,
                                              schedule=[tuple(p) for p in payload.schedule])

