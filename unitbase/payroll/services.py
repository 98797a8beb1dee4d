"""Every write of the payroll app: deals, pack copies, timecards, their days, calculation and approval.

Who may do what (authority matrix):
- deals and pack copies: `approve_timecards` with scope *all* (production accountant, PM, UPM, line
  producer by default);
- a timecard: its own person (the crew or cast member's user) may create, fill in, submit and ask
  for a correction of it; so may an `approve_timecards` holder whose scope covers it (a department
  head for their department, production for everyone);
- approval is two steps: department head (skipped for cards without a department, i.e. cast),
  then production (`approve_timecards` scope *all*). Nobody approves their own card.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unitbase.core.audit import audit_record, diff_fields
from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.authority import Action, Scope
from unitbase.productions.permissions import ActionDenied, ProductionAccess

from .calc import Deal, Interval, MealPeriod, PackError, PackRegistry, WeekResult, WorkDay, default_registry, parse_pack
from .calc.cases import run_case
from .calc.packs import PACKS_DIR, line_of
from .models import (
    PayLineRow,
    PayrollDeal,
    PayrollDealRate,
    PayrollPack,
    Timecard,
    TimecardDay,
    TimecardStatus,
)

ZERO = Decimal("0.00")
MAX_DAY_HOURS = 22
MAX_MEAL_HOURS = 3


# --- who may --------------------------------------------------------------------------------------


def can_manage_payroll(access: ProductionAccess) -> bool:
    return access.scope(Action.APPROVE_TIMECARDS) == Scope.ALL


def require_manage_payroll(access: ProductionAccess) -> None:
    if not can_manage_payroll(access):
        raise ActionDenied(Action.APPROVE_TIMECARDS, "Only production (accountant, PM, UPM) may set deals and rule packs.")


def is_own(access: ProductionAccess, deal: PayrollDeal) -> bool:
    return deal.user_id is not None and deal.user_id == access.user.pk


def approver_covers(access: ProductionAccess, deal: PayrollDeal) -> bool:
    scope = access.scope(Action.APPROVE_TIMECARDS)
    if scope == Scope.ALL:
        return True
    if scope == Scope.DEPARTMENT:
        return deal.department_id is not None and deal.department_id == access.membership.department_id
    return False


def can_edit_card(access: ProductionAccess, deal: PayrollDeal) -> bool:
    """The person themself, or an approver whose scope covers the card (their department enters for them)."""
    return is_own(access, deal) or approver_covers(access, deal)


def _require_edit(access: ProductionAccess, deal: PayrollDeal) -> None:
    if not can_edit_card(access, deal):
        raise ActionDenied(Action.APPROVE_TIMECARDS, "You may only enter your own timecards or your department's.")


def approval_request(card: Timecard) -> Any:
    """The card's current approval request (unitbase.approvals), or None."""
    from unitbase.approvals.models import ApprovalRequest

    if not card.approval_request_id:
        return None
    return ApprovalRequest.objects.filter(pk=card.approval_request_id).first()


def approval_step_for(access: ProductionAccess, card: Timecard) -> str | None:
    """The step this user may decide now ('department' or 'production'), or None."""
    from unitbase.approvals.selectors import may_decide

    if card.status != TimecardStatus.SUBMITTED or is_own(access, card.deal):
        return None
    req = approval_request(card)
    if req is None or not req.is_pending:
        return None
    may, _ = may_decide(access=access, req=req)
    return card.awaiting if may else None


# --- rule packs --------------------------------------------------------------------------------


def shipped_pack_ids() -> set[str]:
    return set(default_registry().ids())


def registry_for(production_id: int) -> PackRegistry:
    """The shipped packs plus this production's own copies."""
    base = default_registry()
    copies = list(PayrollPack.objects.filter(production_id=production_id).order_by("pack_id"))
    if not copies:
        return base
    extra = []
    for copy in copies:
        try:
            extra.append(parse_pack(copy.yaml_text, copy.pack_id))
        except PackError:  # validated on save; a schema change since then must not break every card
            continue
    return PackRegistry([*base.all(), *extra])


def pack_ids_for(production_id: int) -> list[str]:
    return sorted(shipped_pack_ids() | set(PayrollPack.objects.filter(production_id=production_id).values_list("pack_id", flat=True)))


def shipped_pack_text(pack_id: str) -> str:
    """The YAML of the newest shipped version of a pack."""
    found: list[tuple[dt.date, str]] = []
    for path in sorted(PACKS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        pack = parse_pack(text, path)
        if pack.id == pack_id:
            found.append((pack.effective.from_, text))
    if not found:
        raise ValidationError({"source": f"There is no shipped rule pack {pack_id!r}."})
    return max(found)[1]


_ID_LINE = re.compile(r"^(\s*id:\s*)([\"']?)([a-z0-9][a-z0-9-]*)\2\s*$", re.MULTILINE)


def _validated_pack(*, production_id: int, yaml_text: str, instance: PayrollPack | None) -> Any:
    try:
        rule_set = parse_pack(yaml_text, "pack")
    except PackError as exc:
        raise ValidationError({"yaml_text": exc.problems}) from None
    if rule_set.id in shipped_pack_ids():
        raise ValidationError({"yaml_text": [f"rule_set.id: {rule_set.id!r} is a shipped pack; give your copy its own id."]})
    failures = pack_case_failures(rule_set, yaml_text)
    if failures:
        raise ValidationError({"yaml_text": failures})
    clash = PayrollPack.objects.filter(production_id=production_id, pack_id=rule_set.id)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"yaml_text": [f"rule_set.id: this production already has a pack {rule_set.id!r}."]})
    if instance is not None and instance.pack_id != rule_set.id and PayrollDeal.objects.filter(
        production_id=production_id, pack_id=instance.pack_id
    ).exists():
        raise ValidationError({"yaml_text": [f"rule_set.id: deals use {instance.pack_id!r}; keep the id."]})
    return rule_set


def pack_case_failures(rule_set: Any, yaml_text: str) -> list[str]:
    """Run the pack's own test cases (its `tests:` days); one message per failing case, naming the
    case, its line and what differs, e.g. `rule_set.tests.1 'meal penalty' (line 120): amounts[meal_penalty]:
    expected 100.00, got 120.00`. A pack whose rules contradict its own cases is not saved."""
    registry = PackRegistry([*(p for p in default_registry().all() if p.id != rule_set.id), rule_set])
    failures = []
    for index, case in enumerate(rule_set.tests):
        try:
            _, problems = run_case(rule_set, case, registry)
        except (LookupError, ValueError) as exc:
            problems = [str(exc)]
        problems = [p for p in problems if not p.startswith("lines:")]
        if problems:
            line = line_of(yaml_text, ("rule_set", "tests", index))
            failures.append(f"rule_set.tests.{index} {case.name!r} (line {line}): " + "; ".join(problems))
    return failures


@transaction.atomic
def pack_copy(*, access: ProductionAccess, source_pack_id: str, new_id: str) -> PayrollPack:
    """Copy a shipped pack (or one of the production's copies) under a new id."""
    require_manage_payroll(access)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id or ""):
        raise ValidationError({"new_id": "Use lower-case letters, digits and hyphens, e.g. iatse-crew-our-show."})
    own = PayrollPack.objects.filter(production=access.production, pack_id=source_pack_id).first()
    text = own.yaml_text if own else shipped_pack_text(source_pack_id)
    text, count = _ID_LINE.subn(lambda m: f"{m.group(1)}{new_id}", text, count=1)
    if not count:
        raise ValidationError({"source": "Could not find the pack's id line to rename."})
    try:
        return _pack_save(access=access, instance=None, yaml_text=text, copied_from=source_pack_id)
    except ValidationError as exc:
        raise ValidationError({"new_id": [m for msgs in exc.message_dict.values() for m in msgs]}) from None


def _pack_save(*, access: ProductionAccess, instance: PayrollPack | None, yaml_text: str, copied_from: str = "") -> PayrollPack:
    rule_set = _validated_pack(production_id=access.production.pk, yaml_text=yaml_text, instance=instance)
    pack = instance or PayrollPack(production=access.production, created_by=access.user, copied_from=copied_from)
    old = {"pack_id": pack.pack_id, "version": pack.version}
    pack.pack_id, pack.version, pack.agreement, pack.yaml_text = rule_set.id, rule_set.version, rule_set.agreement, yaml_text
    pack.full_clean()
    pack.save()
    try:
        registry_for(access.production.pk)
    except ValueError as exc:  # e.g. two versions in force on the same date
        raise ValidationError({"yaml_text": [str(exc)]}) from None
    audit_record(
        production_id=access.production.pk, actor=access.user, action="payroll_pack.copy" if instance is None else "payroll_pack.update",
        obj=pack, changes={"pack_id": [old["pack_id"], pack.pack_id], "version": [old["version"], pack.version], "copied_from": copied_from},
    )
    return pack


@transaction.atomic
def pack_update(*, access: ProductionAccess, pack_pk: int, yaml_text: str) -> PayrollPack:
    """Save edited YAML; a pack that breaks the schema raises ValidationError on `yaml_text` with the
    path of every bad field, and nothing is saved."""
    require_manage_payroll(access)
    pack = PayrollPack.objects.select_for_update().get(production=access.production, pk=pack_pk)
    return _pack_save(access=access, instance=pack, yaml_text=yaml_text)


# --- deals ---------------------------------------------------------------------------------------


def _decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError("Not a number.") from None


_UNIT_SECTIONS = {"day": ("day_rate", "a day rate"), "week": ("weekly", "a weekly salary")}


def check_pack_pays(*, production_id: int, pack_id: str, rate_unit: str, employment_type: str = "",
                    currency: str = "") -> None:
    """Refuse a deal its pack cannot price: a day rate needs the pack's `day_rate` section (what the
    day covers, the overtime divisor), a weekly salary its `weekly` section, in every version; an
    employment type must be one the pack is for; the deal is paid in the pack's currency (its fixed
    amounts, e.g. meal penalties, are in it). Said on the field, before anything is saved."""
    if rate_unit not in ("hour", "day", "week"):
        raise ValidationError({"rate_unit": f"Choose per hour, per day or per week (got {rate_unit!r})."})
    versions = registry_for(production_id).versions(pack_id)
    other = sorted({v.currency for v in versions if currency and v.currency != currency})
    if other:
        raise ValidationError({"currency": (
            f"Rule pack {pack_id} pays in {', '.join(other)} (its fixed amounts, e.g. meal penalties, are in it);"
            f" set the deal in {other[0]}, or copy the pack and change its currency and amounts."
        )})
    section = _UNIT_SECTIONS.get(rate_unit)
    if section:
        missing = [v.version for v in versions if getattr(v, section[0]) is None]
        if missing:
            raise ValidationError({"rate_unit": (
                f"Rule pack {pack_id} (version {', '.join(missing)}) has no '{section[0]}' section, so it cannot pay "
                f"{section[1]}. Pick per hour, or a pack with that section (copy the pack and add it)."
            )})
    if employment_type and any(
        v.selectors.employment_type and employment_type not in v.selectors.employment_type for v in versions
    ):
        allowed = sorted({kind for v in versions for kind in v.selectors.employment_type or ()})
        raise ValidationError({"employment_type": (
            f"Rule pack {pack_id} is for {', '.join(allowed)} employment, not {employment_type!r};"
            " leave it empty or pick one of those."
        )})


@transaction.atomic
def deal_set(
    *,
    access: ProductionAccess,
    crew_member: CrewMember | None = None,
    cast_member: CastMember | None = None,
    pack_id: str,
    rate: Decimal,
    rate_unit: str,
    currency: str | None = None,
    guarantee_hours: Decimal | None = None,
    employment_type: str = "",
    jurisdiction: str = "",
    allowances: dict[str, Any] | None = None,
    budget_account_code: str = "",
    fringe_account_code: str = "",
) -> PayrollDeal:
    """Create or update the payroll deal of one crew or cast engagement. `budget_account_code`
    (and `fringe_account_code` for fringes) is where approved labour is posted in the budget."""
    require_manage_payroll(access)
    if (crew_member is None) == (cast_member is None):
        raise ValidationError({"crew_member": "Pick exactly one crew or cast engagement."})
    engagement = crew_member or cast_member
    if engagement.production_id != access.production.pk:
        raise ValidationError({"crew_member": "That engagement belongs to another production."})
    if pack_id not in pack_ids_for(access.production.pk):
        raise ValidationError({"pack_id": f"There is no rule pack {pack_id!r}."})
    currency = currency or engagement.rate_currency or access.production.base_currency
    check_pack_pays(production_id=access.production.pk, pack_id=pack_id, rate_unit=rate_unit,
                    employment_type=employment_type or "", currency=currency)
    lookup = {"crew_member": crew_member} if crew_member else {"cast_member": cast_member}
    deal = PayrollDeal.objects.select_for_update().filter(production=access.production, **lookup).first()
    creating = deal is None
    deal = deal or PayrollDeal(production=access.production, **lookup)
    try:
        cleaned_allowances = {str(k): str(Decimal(str(v))) for k, v in (allowances or {}).items()}
    except InvalidOperation:
        raise ValidationError({"allowances": "Each allowance needs an amount, e.g. KIT: 25.00"}) from None
    data = {
        "pack_id": pack_id, "rate": rate, "rate_unit": rate_unit,
        "currency": currency,
        "guarantee_hours": guarantee_hours, "employment_type": employment_type or "",
        "jurisdiction": (jurisdiction or "").strip().upper(), "allowances": cleaned_allowances,
        "budget_account_code": (budget_account_code or "").strip(), "fringe_account_code": (fringe_account_code or "").strip(),
    }
    changes = diff_fields(deal, data) if not creating else {k: [None, v] for k, v in data.items()}
    for key, value in data.items():
        setattr(deal, key, value)
    deal.full_clean()
    deal.save()
    audit_record(production_id=access.production.pk, actor=access.user,
                 action="payroll_deal.create" if creating else "payroll_deal.update", obj=deal, changes=changes)
    return deal


@transaction.atomic
def deal_rate_set(*, access: ProductionAccess, deal_id: int, effective_from: dt.date, rate: Decimal) -> PayrollDealRate:
    """Record a rate change: from `effective_from` the deal pays `rate` (a week crossing it pays each
    day at its own rate). Approved cards keep their stored figures; drafts recalculate."""
    require_manage_payroll(access)
    deal = PayrollDeal.objects.select_for_update().get(production=access.production, pk=deal_id)
    if not isinstance(effective_from, dt.date):
        raise ValidationError({"effective_from": "Enter the date the new rate starts."})
    change = PayrollDealRate.objects.filter(deal=deal, effective_from=effective_from).first() or PayrollDealRate(
        deal=deal, effective_from=effective_from)
    old = change.rate if change.pk else None
    change.rate = _decimal_or_none(rate) if not isinstance(rate, Decimal) else rate
    change.full_clean()
    change.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="payroll_deal.rate_change", obj=deal,
                 changes={"effective_from": effective_from, "rate": [old, change.rate]})
    return change


@transaction.atomic
def deal_rate_remove(*, access: ProductionAccess, deal_id: int, rate_change_id: int) -> None:
    require_manage_payroll(access)
    deal = PayrollDeal.objects.select_for_update().get(production=access.production, pk=deal_id)
    change = PayrollDealRate.objects.get(deal=deal, pk=rate_change_id)
    change.delete()
    audit_record(production_id=access.production.pk, actor=access.user, action="payroll_deal.rate_change_remove", obj=deal,
                 changes={"effective_from": change.effective_from, "rate": [change.rate, None]})


# --- timecards -----------------------------------------------------------------------------------


def _lock_card(access: ProductionAccess, timecard_id: int) -> Timecard:
    return (
        Timecard.objects.select_for_update(of=("self",))
        .select_related("deal", "deal__crew_member", "deal__crew_member__person", "deal__cast_member", "deal__cast_member__person")
        .get(production=access.production, pk=timecard_id)
    )


@transaction.atomic
def timecard_create(*, access: ProductionAccess, deal: PayrollDeal, week_ending: dt.date) -> Timecard:
    if deal.production_id != access.production.pk:
        raise ValidationError({"deal": "That deal belongs to another production."})
    _require_edit(access, deal)
    if Timecard.objects.filter(deal=deal, week_ending=week_ending).exists():
        raise ValidationError({"week_ending": "There is already a timecard for this week; open it instead."})
    card = Timecard(production=access.production, deal=deal, week_ending=week_ending, currency=deal.currency)
    card.full_clean()
    card.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.create", obj=card,
                 changes={"week_ending": week_ending, "deal": deal.pk})
    return card


@transaction.atomic
def timecard_update(
    *, access: ProductionAccess, timecard_id: int, previous_dismissal: dt.datetime | None, note: str = "",
    previous_week_days_worked: int | object | None = ...,
) -> Timecard:
    """Set the card's header. `previous_week_days_worked` (0-7, or None) checks the weekend rest
    before the first day; left out, it is kept as it is."""
    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    _require_editable(card)
    data: dict[str, Any] = {"previous_dismissal": previous_dismissal, "note": note}
    if previous_week_days_worked is not ...:
        if previous_week_days_worked is not None and not (
            isinstance(previous_week_days_worked, int) and 0 <= previous_week_days_worked <= 7
        ):
            raise ValidationError({"previous_week_days_worked": "Enter a number of days from 0 to 7."})
        data["previous_week_days_worked"] = previous_week_days_worked
    changes = diff_fields(card, data)
    for key, value in data.items():
        setattr(card, key, value)
    if changes:
        _clear_calculation(card)
    card.full_clean()
    card.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.update", obj=card, changes=changes)
    return card


def _require_editable(card: Timecard) -> None:
    if not card.editable:
        raise ValidationError(
            f"This timecard is {card.get_status_display().lower()}; "
            + ("ask for a correction to change it." if card.status == TimecardStatus.APPROVED else "it cannot be edited now.")
        )


DAY_TIME_FIELDS = ["call", "meal1_out", "meal1_in", "meal2_out", "meal2_in", "wrap"]
LABELS = {"call": "Call", "meal1_out": "1st meal out", "meal1_in": "1st meal in", "meal2_out": "2nd meal out",
          "meal2_in": "2nd meal in", "wrap": "Wrap", "travel_start": "Travel start", "travel_end": "Travel end"}


def _aware(date: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=tz)


def _hours_between(a: dt.datetime, b: dt.datetime) -> Decimal:
    return Decimal((b - a).total_seconds()) / Decimal(3600)


def unfold_day(day: TimecardDay | dict, tz: ZoneInfo) -> dict[str, dt.datetime]:
    """Place the day's clock times on the calendar: each time earlier than the one before it is on
    the next day. Raises ValidationError (by field) for times no payroll clerk would accept."""
    get = (lambda f: day.get(f)) if isinstance(day, dict) else (lambda f: getattr(day, f))
    date = get("date")
    errors: dict[str, str] = {}
    for out, back, label in (("meal1_out", "meal1_in", "1st meal"), ("meal2_out", "meal2_in", "2nd meal"),
                             ("travel_start", "travel_end", "Travel")):
        if bool(get(out)) != bool(get(back)):
            missing = back if get(out) else out
            errors[missing] = f"{label} needs both times."
    if get("meal2_out") and not get("meal1_out"):
        errors["meal2_out"] = "Enter the 1st meal before a 2nd one."
    if errors:
        raise ValidationError(errors)
    placed: dict[str, dt.datetime] = {}
    current = _aware(date, get("call"), tz)
    placed["call"] = current
    previous_field = "call"
    for field in DAY_TIME_FIELDS[1:]:
        value = get(field)
        if not value:
            continue
        moment = _aware(current.date(), value, tz)
        if moment < current or (field == "wrap" and moment == current):
            moment = _aware(current.date() + dt.timedelta(days=1), value, tz)
        if field.endswith("_in") and _hours_between(placed[field.replace("_in", "_out")], moment) > MAX_MEAL_HOURS:
            raise ValidationError({field: f"{LABELS[field]} {value:%H:%M} is before {LABELS[field.replace('_in', '_out')].lower()} "
                                          f"{get(field.replace('_in', '_out')):%H:%M}."})
        if _hours_between(placed["call"], moment) > MAX_DAY_HOURS:
            raise ValidationError({field: (
                f"{LABELS[field]} {value:%H:%M} is earlier than {LABELS[previous_field].lower()} "
                f"{get(previous_field):%H:%M}; read as the next day that makes a "
                f"{_hours_between(placed['call'], moment):.0f}-hour day. Check the times."
            )})
        placed[field] = moment
        current, previous_field = moment, field
    if get("travel_start"):
        start = _aware(placed["wrap"].date(), get("travel_start"), tz)
        if start < placed["wrap"]:
            start += dt.timedelta(days=1) if (placed["wrap"] - start) > dt.timedelta(hours=12) else dt.timedelta(0)
        if start >= placed["wrap"] and start - placed["wrap"] <= dt.timedelta(hours=12):
            end = _aware(start.date(), get("travel_end"), tz)
            end += dt.timedelta(days=1) if end <= start else dt.timedelta(0)
        else:  # travel to work, ending by the call
            start = _aware(date, get("travel_start"), tz)
            end = _aware(date, get("travel_end"), tz)
            if end <= start or end > placed["call"]:
                raise ValidationError({"travel_end": "Travel to work must end by the call; travel home must start after wrap."})
        if _hours_between(start, end) > 12:
            raise ValidationError({"travel_end": "A travel leg longer than 12 hours: check the times."})
        placed["travel_start"], placed["travel_end"] = start, end
    return placed


@transaction.atomic
def timecard_day_set(
    *,
    access: ProductionAccess,
    timecard_id: int,
    date: dt.date,
    call: dt.time,
    wrap: dt.time,
    meal1_out: dt.time | None = None,
    meal1_in: dt.time | None = None,
    meal2_out: dt.time | None = None,
    meal2_in: dt.time | None = None,
    travel_start: dt.time | None = None,
    travel_end: dt.time | None = None,
    zone: str = "",
    holiday: bool = False,
    notes: str = "",
    rest_reduction: str = "",
) -> TimecardDay:
    """Enter (or replace) one worked day of a draft or rejected timecard. `rest_reduction` names a
    rest reduction of the pack (e.g. `location_exterior`) that applies to this day's turnaround."""
    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    _require_editable(card)
    if not card.week_start <= date <= card.week_ending:
        raise ValidationError({"date": f"Pick a date from {card.week_start:%a %d %b} to {card.week_ending:%a %d %b %Y}."})
    data = {"date": date, "call": call, "wrap": wrap, "meal1_out": meal1_out, "meal1_in": meal1_in, "meal2_out": meal2_out,
            "meal2_in": meal2_in, "travel_start": travel_start, "travel_end": travel_end, "zone": zone or "",
            "holiday": holiday, "notes": notes or "", "rest_reduction": (rest_reduction or "").strip()}
    if data["rest_reduction"]:
        allowed = rest_reductions_for(card.deal, date)
        if data["rest_reduction"] not in allowed:
            raise ValidationError({"rest_reduction": (
                f"The pack {card.deal.pack_id} has no rest reduction {data['rest_reduction']!r}"
                + (f"; choose {', '.join(allowed)}." if allowed else ".")
            )})
    unfold_day(data, ZoneInfo(access.production.time_zone))
    day = TimecardDay.objects.filter(timecard=card, date=date).first() or TimecardDay(timecard=card, date=date)
    changes = diff_fields(day, data) if day.pk else {k: [None, v] for k, v in data.items() if v not in (None, "", False)}
    for key, value in data.items():
        setattr(day, key, value)
    day.full_clean()
    day.save()
    _clear_calculation(card)
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.day_set", obj=card,
                 changes={"date": date, **changes})
    return day


@transaction.atomic
def timecard_day_remove(*, access: ProductionAccess, timecard_id: int, date: dt.date) -> None:
    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    _require_editable(card)
    deleted, _ = TimecardDay.objects.filter(timecard=card, date=date).delete()
    if deleted:
        _clear_calculation(card)
        audit_record(production_id=access.production.pk, actor=access.user, action="timecard.day_remove", obj=card,
                     changes={"date": date})


def _clear_calculation(card: Timecard) -> None:
    if card.calculated_at is not None:
        card.pay_lines.all().delete()
        card.calculated_at, card.gross, card.fringe_total, card.pack_versions, card.calc_notes = None, None, None, "", []
        card.save(update_fields=["calculated_at", "gross", "fringe_total", "pack_versions", "calc_notes", "updated_at"])


# --- calculation ---------------------------------------------------------------------------------


def calc_deal(deal: PayrollDeal) -> Deal:
    return Deal(
        rate=Decimal(deal.rate), rate_unit=deal.rate_unit, pack_id=deal.pack_id, employment_type=deal.employment_type or None,
        guarantee_hours=deal.guarantee_hours, jurisdiction=deal.jurisdiction or None,
        allowances={k: Decimal(str(v)) for k, v in (deal.allowances or {}).items()},
        rate_changes=tuple((c.effective_from, Decimal(c.rate)) for c in deal.rate_changes.all()),
    )


def rest_reductions_for(deal: PayrollDeal, date: dt.date) -> list[str]:
    """Keys of the rest reductions the deal's pack (version in force on `date`) allows."""
    try:
        pack = registry_for(deal.production_id).get(deal.pack_id, on=date)
    except LookupError:
        return []
    rest = getattr(pack, "rest", None)
    return [r.key for r in (rest.reductions if rest is not None else [])]


def work_days(card: Timecard, days: Iterable[TimecardDay], tz: ZoneInfo) -> list[WorkDay]:
    production_type = "episodic" if card.production.kind == "series" else card.production.kind
    result = []
    for day in days:
        placed = unfold_day(day, tz)
        meals = tuple(
            MealPeriod(placed[o], placed[i]) for o, i in (("meal1_out", "meal1_in"), ("meal2_out", "meal2_in")) if o in placed
        )
        travel = (Interval(placed["travel_start"], placed["travel_end"]),) if "travel_start" in placed else ()
        result.append(WorkDay(
            date=day.date, call=placed["call"], wrap=placed["wrap"], meals=meals, travel=travel, zone=day.zone or None,
            production_type=production_type, holiday=day.holiday, rest_reduction=getattr(day, "rest_reduction", "") or None,
        ))
    result.sort(key=lambda d: d.call)
    if result and card.previous_dismissal is not None:
        dismissal = timezone.localtime(card.previous_dismissal, tz)
        result[0] = dataclasses.replace(result[0], previous_dismissal=dismissal)
    if result and card.previous_week_days_worked is not None:
        result[0] = dataclasses.replace(result[0], previous_week_days_worked=card.previous_week_days_worked)
    return result


def timecard_result(card: Timecard, days: list[TimecardDay] | None = None) -> WeekResult:
    """Calculate a card without storing anything (the preview). Raises ValidationError for a card
    that cannot be calculated (no days, a pack with no version in force on a date)."""
    days = list(card.days.all()) if days is None else days
    if not days:
        raise ValidationError("Enter at least one worked day.")
    tz = ZoneInfo(card.production.time_zone)
    registry = registry_for(card.production_id)
    try:
        week = _evaluate(work_days(card, days, tz), calc_deal(card.deal), registry)
    except (LookupError, ValueError) as exc:
        raise ValidationError(f"Cannot calculate this week: {exc}") from None
    if card.previous_dismissal is None:
        week.notes.insert(0, "Previous dismissal not entered: the first day's turnaround was not checked")
    return week


def _evaluate(days: list[WorkDay], deal: Deal, registry: PackRegistry) -> WeekResult:
    from .calc import evaluate_week

    return evaluate_week(days, deal, registry=registry)


def _store(card: Timecard, days: list[TimecardDay], week: WeekResult) -> None:
    card.pay_lines.all().delete()
    rows = []
    order = 0
    by_date = {d.date: d for d in days}
    for result in week.days:
        day = by_date[result.date]
        day.worked_hours = result.worked_hours
        day.hours_by_tier = {k: str(v) for k, v in result.hours.items()}
        day.meal_penalty_units = result.meal_penalty_units
        day.rest_shortfall_hours = result.rest.shortfall_hours if result.rest is not None and result.rest.violated else None
        day.gross = result.gross
        day.save(update_fields=["worked_hours", "hours_by_tier", "meal_penalty_units", "rest_shortfall_hours", "gross"])
        for line in result.lines:
            if line.kind == "day_share" and card.deal.rate_unit == "week":
                continue
            order += 1
            rows.append(_row(card, result.date, order, line, fringe=False))
    for line in week.lines:
        order += 1
        rows.append(_row(card, None, order, line, fringe=False))
    for line in week.fringes:
        order += 1
        rows.append(_row(card, None, order, line, fringe=True))
    PayLineRow.objects.bulk_create(rows)
    versions = sorted({f"{r.pack_id}@{r.pack_version}" for r in week.days})
    card.gross = week.gross
    card.fringe_total = sum((f.amount for f in week.fringes), Decimal("0.00"))
    card.currency = week.currency
    card.pack_versions = ", ".join(versions)[:300]
    card.calc_notes = list(dict.fromkeys([*week.notes, *(n for r in week.days for n in r.notes)]))
    card.calculated_at = timezone.now()


def _row(card: Timecard, date: dt.date | None, order: int, line: Any, *, fringe: bool) -> PayLineRow:
    return PayLineRow(
        timecard=card, date=date, order=order, rule_id=line.rule_id[:160], kind=line.kind, explanation=line.explanation,
        hours=line.hours.quantize(Decimal("0.0001")) if line.hours is not None else None,
        rate=line.rate.quantize(Decimal("0.0001")) if line.rate is not None else None,
        multiplier=line.multiplier.quantize(Decimal("0.0001")) if line.multiplier is not None else None,
        amount=line.amount, is_fringe=fringe, inputs=dict(line.inputs),
    )


@transaction.atomic
def timecard_calculate(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """Calculate the week with the pack version in force on each date and store its pay lines."""
    card = _lock_card(access, timecard_id)
    if not (can_edit_card(access, card.deal) or approval_step_for(access, card)):
        raise ActionDenied(Action.APPROVE_TIMECARDS, "You may not calculate this timecard.")
    _require_editable(card)
    days = list(card.days.all())
    week = timecard_result(card, days)
    _store(card, days, week)
    card.save()
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.calculate", obj=card,
                 changes={"gross": card.gross, "packs": card.pack_versions})
    return card


def _step_label(step: Any) -> str:
    if step is None:
        return ""
    return "department" if "department_head" in step.roles else "production"


@transaction.atomic
def timecard_submit(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """Freeze the calculation and ask for approval through unitbase.approvals (department head,
    then production; a step nobody but the submitter could decide is skipped there, visibly)."""
    from unitbase.approvals.services import approval_request_submit

    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    _require_editable(card)
    days = list(card.days.all())
    week = timecard_result(card, days)
    _store(card, days, week)
    card.status = TimecardStatus.SUBMITTED
    card.submitted_at, card.submitted_by = timezone.now(), access.user
    card.department_approved_at = card.department_approved_by = None
    card.rejected_at = card.rejected_by = None
    card.full_clean()
    card.save()
    department = card.deal.crew_member.department if card.deal.crew_member_id else None
    req = approval_request_submit(
        access=access, kind="timecard", obj=card, amount=card.gross, currency=card.currency,
        summary=timecard_describe(card), department=department,
    )
    card.approval_request_id = req.pk
    card.awaiting = _step_label(req.current_step)
    card.save(update_fields=["approval_request_id", "awaiting", "updated_at"])
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.submit", obj=card,
                 changes={"gross": card.gross, "currency": card.currency, "revision": card.revision,
                          "approval_request": req.pk})
    return card


def _decide(access: ProductionAccess, timecard_id: int, decision: str, reason: str = "") -> Timecard:
    from unitbase.approvals.services import approval_decide

    card = _lock_card(access, timecard_id)
    if card.status != TimecardStatus.SUBMITTED or not card.approval_request_id:
        raise ValidationError(f"This timecard is {card.get_status_display().lower()}, not waiting for approval.")
    if is_own(access, card.deal):
        raise ActionDenied(Action.APPROVE_TIMECARDS, "You cannot approve or reject your own timecard.")
    step = card.awaiting
    req = approval_decide(access=access, request_id=card.approval_request_id, decision=decision, reason=reason)
    card.refresh_from_db()  # the callbacks may have changed it
    if decision == "approve":
        if step == "department":
            card.department_approved_at, card.department_approved_by = timezone.now(), access.user
        card.awaiting = _step_label(req.current_step) if req.is_pending else ""
        card.save(update_fields=["department_approved_at", "department_approved_by", "awaiting", "updated_at"])
        audit_record(production_id=access.production.pk, actor=access.user, action=f"timecard.approve.{step}", obj=card,
                     changes={"status": card.status, "gross": card.gross})
    return card


def timecard_approve(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """Approve the step this user may decide (approvals checks the chain and the matrix); the last
    step makes the card approved and supersedes the revision it corrects."""
    with transaction.atomic():
        return _decide(access, timecard_id, "approve")


def timecard_reject(*, access: ProductionAccess, timecard_id: int, reason: str) -> Timecard:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say what needs fixing."})
    with transaction.atomic():
        return _decide(access, timecard_id, "reject", reason.strip())


@transaction.atomic
def timecard_withdraw(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """The submitter takes a pending card back to draft (to fix a time before anyone decides)."""
    from unitbase.approvals.services import approval_withdraw

    card = _lock_card(access, timecard_id)
    if card.status != TimecardStatus.SUBMITTED or not card.approval_request_id:
        raise ValidationError("Only a submitted timecard can be withdrawn.")
    approval_withdraw(access=access, request_id=card.approval_request_id)
    card.refresh_from_db()
    return card


# Callbacks from unitbase.approvals (registered in PayrollConfig.ready); they run inside the
# deciding transaction.


def timecard_describe(card: Timecard) -> str:
    gross = f" · {card.currency} {card.gross:,}" if card.gross is not None else ""
    return f"Timecard {card.deal.person_name} ({card.deal.department_name}), w/e {card.week_ending:%d %b %Y}" + (
        f" rev {card.revision}" if card.revision > 1 else "") + gross


def timecard_amount(card: Timecard) -> Decimal | None:
    return card.gross


def timecard_url(card: Timecard) -> str:
    from django.urls import reverse

    return reverse("payroll:detail", args=[card.production_id, card.pk])


def timecard_on_approved(card: Timecard, request: Any, actor: Any) -> None:
    card = Timecard.objects.select_for_update().get(pk=card.pk)
    now = timezone.now()
    card.status, card.approved_at, card.approved_by, card.awaiting = TimecardStatus.APPROVED, now, actor, ""
    card.save(update_fields=["status", "approved_at", "approved_by", "awaiting", "updated_at"])
    if card.previous_id:
        Timecard.objects.filter(pk=card.previous_id).update(status=TimecardStatus.SUPERSEDED)
    audit_record(production_id=card.production_id, actor=actor, action="timecard.approve", obj=card,
                 changes={"status": card.status, "gross": card.gross, "approval_request": request.pk})
    labour_post(card=card, actor=actor)


def labour_post(*, card: Timecard, actor: Any) -> list[Any]:
    """Post an approved card's labour to the budget as actual cost (unitbase.budgets
    `transaction_post`, source "payroll"): gross to the deal's budget account, fringes to its fringe
    account (or the same one). A correction posts only the difference from the revision it
    corrects. When it cannot be posted (no account on the deal, no budget, an unknown code), the
    approval stands and `cost_posting_note` says why, so accounting can post it by hand."""
    from unitbase.budgets.spending import transaction_post
    from unitbase.productions.permissions import ProductionNotFound, access_production

    deal = card.deal
    previous = Timecard.objects.filter(pk=card.previous_id).first() if card.previous_id else None
    posted_before = previous is not None and previous.cost_posted is not None
    gross = (card.gross or ZERO) - ((previous.gross or ZERO) if posted_before else ZERO)
    fringes = (card.fringe_total or ZERO) - ((previous.fringe_total or ZERO) if posted_before else ZERO)
    note, txns = "", []
    if not deal.budget_account_code:
        note = "Not posted to the budget: the deal has no budget account."
    else:
        try:
            access = access_production(actor, card.production_id, Action.APPROVE_TIMECARDS)
            what = f"{deal.person_name}, w/e {card.week_ending:%d %b %Y}" + (f" rev {card.revision}" if card.revision > 1 else "")
            with transaction.atomic():  # labour and fringes post together or not at all
                for code, amount, label in ((deal.budget_account_code, gross, "Labour"),
                                            (deal.fringe_account_code or deal.budget_account_code, fringes, "Fringes")):
                    if amount:
                        txns.append(transaction_post(
                            access=access, account_code=code, amount=amount, currency=card.currency, date=card.week_ending,
                            source="payroll", reference=f"TC {card.pk}", description=f"{label}: {what}"[:200],
                        ))
        except ValidationError as exc:
            note = "Not posted to the budget: " + " ".join(exc.messages)
            txns = []
        except (ActionDenied, ProductionNotFound) as exc:
            note = f"Not posted to the budget: {exc}"
            txns = []
    card.cost_posted = (gross + fringes) if txns or (not note and not (gross or fringes)) else None
    card.cost_posting_note = note[:300]
    card.save(update_fields=["cost_posted", "cost_posting_note", "updated_at"])
    if txns:
        audit_record(production_id=card.production_id, actor=actor, action="timecard.post_labour", obj=card,
                     changes={"amount": card.cost_posted, "transactions": [t.pk for t in txns]})
    return txns


def timecard_on_rejected(card: Timecard, request: Any, actor: Any, reason: str) -> None:
    card = Timecard.objects.select_for_update().get(pk=card.pk)
    card.status, card.rejected_at, card.rejected_by = TimecardStatus.REJECTED, timezone.now(), actor
    card.rejection_reason, card.awaiting = reason, ""
    card.save(update_fields=["status", "rejected_at", "rejected_by", "rejection_reason", "awaiting", "updated_at"])
    audit_record(production_id=card.production_id, actor=actor, action="timecard.reject", obj=card,
                 changes={"reason": reason, "approval_request": request.pk})


def timecard_on_withdrawn(card: Timecard, request: Any, actor: Any) -> None:
    card = Timecard.objects.select_for_update().get(pk=card.pk)
    card.status, card.awaiting = TimecardStatus.DRAFT, ""
    card.save(update_fields=["status", "awaiting", "updated_at"])
    audit_record(production_id=card.production_id, actor=actor, action="timecard.withdraw", obj=card,
                 changes={"approval_request": request.pk})


@transaction.atomic
def timecard_correct(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """Start a correction of an approved card: a new draft revision with the same days, linked to
    the approved one (which stays the card of record until the correction is approved)."""
    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    if card.status != TimecardStatus.APPROVED:
        raise ValidationError("Only an approved timecard is corrected by a new revision; edit this one directly.")
    if Timecard.objects.filter(previous=card).exists():
        raise ValidationError("A correction of this timecard is already open.")
    new = Timecard.objects.create(
        production=card.production, deal=card.deal, week_ending=card.week_ending, revision=card.revision + 1,
        previous=card, previous_dismissal=card.previous_dismissal, note=card.note, currency=card.currency,
        previous_week_days_worked=card.previous_week_days_worked,
    )
    TimecardDay.objects.bulk_create([
        TimecardDay(timecard=new, **{f: getattr(d, f) for f in (
            "date", "call", "meal1_out", "meal1_in", "meal2_out", "meal2_in", "wrap", "travel_start", "travel_end",
            "zone", "holiday", "notes", "rest_reduction")})
        for d in card.days.all()
    ])
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.correct", obj=new,
                 changes={"previous": card.pk, "revision": new.revision})
    return new


# --- cast Exhibit G times from the production report ------------------------------------------------


@transaction.atomic
def timecard_import_dpr(*, access: ProductionAccess, timecard_id: int) -> list[dt.date]:
    """Fill a cast card's days from the Exhibit G lines of the week's daily production reports
    (unitbase.callsheets): report time → call, meal out/in → 1st meal, dismissed → wrap. Days the
    reports hold no times for (holds, days off) are left as they are; days they do replace what was
    typed. Approved reports win over drafts when a date has several units. Returns the dates filled;
    a time the card cannot accept raises ValidationError naming the date, and nothing is changed."""
    from unitbase.callsheets.models import DailyReport, DailyReportCastTime

    card = _lock_card(access, timecard_id)
    _require_edit(access, card.deal)
    _require_editable(card)
    if not card.deal.cast_member_id:
        raise ValidationError("Only cast timecards take their times from the production report (Exhibit G).")
    rows = (
        DailyReportCastTime.objects.filter(
            report__production=access.production, cast_member_id=card.deal.cast_member_id,
            report__shoot_date__gte=card.week_start, report__shoot_date__lte=card.week_ending,
        )
        .select_related("report")
        .order_by("report__shoot_date", "report__unit_id")
    )
    chosen: dict[dt.date, Any] = {}
    for row in rows:
        if not ((row.report_time or row.on_set) and row.dismissed):
            continue
        current = chosen.get(row.report.shoot_date)
        if current is None or (row.report.status == DailyReport.Status.APPROVED and current.report.status != DailyReport.Status.APPROVED):
            chosen[row.report.shoot_date] = row
    if not chosen:
        raise ValidationError(
            f"No production report between {card.week_start:%d %b} and {card.week_ending:%d %b %Y} has times for "
            f"{card.deal.person_name}."
        )
    for date, row in sorted(chosen.items()):
        notes = [f"From the production report of {date:%d %b} ({row.report.get_status_display().lower()})"]
        if row.status_code:
            notes.append(f"status {row.status_code}")
        if row.travel_out or row.travel_in:
            notes.append("travel " + " to ".join(f"{t:%H:%M}" for t in (row.travel_out, row.travel_in) if t))
        meal_ok = bool(row.meal_out and row.meal_in)
        try:
            timecard_day_set(
                access=access, timecard_id=card.pk, date=date, call=row.report_time or row.on_set, wrap=row.dismissed,
                meal1_out=row.meal_out if meal_ok else None, meal1_in=row.meal_in if meal_ok else None,
                notes="; ".join(notes)[:300],
            )
        except ValidationError as exc:
            raise ValidationError(f"The production report of {date:%d %b %Y}: {' '.join(exc.messages)}") from None
    audit_record(production_id=access.production.pk, actor=access.user, action="timecard.import_dpr", obj=card,
                 changes={"dates": sorted(chosen)})
    return sorted(chosen)


# --- demo ------------------------------------------------------------------------------------------


DEMO_CAST_PACK = "uk-performer-equity-pact-style"
# Budget accounts of the standard feature chart the demo's labour is posted to (approved cards):
# crew by position, else by department; cast by billing. Fringes go to ATL fringes (1999) for
# above-the-line accounts, production fringes (4999) otherwise. Without an account a card is
# approved with a note instead of posting.
def _demo_fringe_account(account: str) -> str:
    return "" if not account else "1999" if account < "2000" else "4999"


def demo_seed_payroll(
    *, access: ProductionAccess, week_ending: dt.date, pack_id: str = "uk-crew-bectu-pact-style", cards: int = 6,
    submit: int = 4, approve: int = 2, cast_pack_id: str = DEMO_CAST_PACK, approver: ProductionAccess | None = None,
) -> list[Timecard]:
    """Demo data, called once after the demo build by someone with approve_timecards (scope all):
    every crew engagement with a rate gets a day-rate deal under `pack_id` (weekly rates / 5), and
    the first `cards` of them a timecard for the week ending `week_ending` (Mon-Fri 08:00-19:00,
    lunch 13:00-14:00, one late lunch); `submit` of those are submitted and `approve` approved as far
    as `approver` (default `access`; the submitter may not decide) may decide (a department step
    needing its head stays pending).
    Every cast engagement with a day rate gets a day-rate deal under `cast_pack_id` (the demo is a UK
    production with Equity cast paid in pounds, so the UK performer pack, not SAG-AFTRA's), and each
    cast member the week's production reports have times for a card filled from them (Exhibit G),
    submitted; the first is approved. Deals carry the standard chart's budget accounts
    (`unitbase.budgets.demo.demo_crew_account`: the accounts of the demo budget's crew lines; cast
    1401 principal / 1402 supporting), so
    approved cards post labour actuals to the budget. Safe to call again: existing deals and cards stay."""
    from unitbase.budgets.demo import demo_crew_account

    # Flat fees (producer, director) are not day or weekly deals under a crew pack: no timecards.
    crew = CrewMember.objects.filter(production=access.production, rate_unit__in=("day", "week")).exclude(
        rate_amount=None).select_related(
        "person", "department", "position").order_by("department__order", "pk")
    made: list[Timecard] = []
    existing = Timecard.objects.filter(production=access.production, week_ending=week_ending).count()
    for engagement in crew:
        deal = getattr(engagement, "payroll_deal", None) if PayrollDeal.objects.filter(crew_member=engagement).exists() else None
        if deal is None:
            rate = Decimal(engagement.rate_amount)
            day_rate = (rate / 5).quantize(Decimal("0.01")) if engagement.rate_unit == "week" else rate
            account = demo_crew_account(engagement.position.name if engagement.position else "",
                                        engagement.department.name if engagement.department else "")
            deal = deal_set(access=access, crew_member=engagement, pack_id=pack_id, rate=day_rate, rate_unit="day",
                            currency=engagement.rate_currency or None, budget_account_code=account,
                            fringe_account_code=_demo_fringe_account(account))
        if existing + len(made) >= cards or Timecard.objects.filter(deal=deal, week_ending=week_ending).exists():
            continue
        card = timecard_create(access=access, deal=deal, week_ending=week_ending)
        for offset in range(5):
            date = week_ending - dt.timedelta(days=5 - offset)
            late = offset == 2 and len(made) % 2 == 0
            timecard_day_set(access=access, timecard_id=card.pk, date=date, call=dt.time(8), wrap=dt.time(19),
                             meal1_out=dt.time(14, 30) if late else dt.time(13), meal1_in=dt.time(15, 30) if late else dt.time(14))
        made.append(card)
    for card in made[:submit]:
        timecard_submit(access=access, timecard_id=card.pk)
    cast_cards = _demo_cast_cards(access=access, week_ending=week_ending, pack_id=cast_pack_id)
    for card in cast_cards:
        timecard_submit(access=access, timecard_id=card.pk)
    deciding = approver or access
    for card in [*made[:approve], *cast_cards[:1]]:
        for _ in range(2):
            card.refresh_from_db()
            if card.status != TimecardStatus.SUBMITTED or not approval_step_for(deciding, card):
                break
            timecard_approve(access=deciding, timecard_id=card.pk)
    return [*made, *cast_cards]


def _demo_cast_cards(*, access: ProductionAccess, week_ending: dt.date, pack_id: str) -> list[Timecard]:
    cast = CastMember.objects.filter(production=access.production, rate_unit="day").exclude(rate_amount=None).select_related(
        "person").order_by("cast_number", "pk")
    made: list[Timecard] = []
    for engagement in cast:
        deal = PayrollDeal.objects.filter(cast_member=engagement).first() or deal_set(
            access=access, cast_member=engagement, pack_id=pack_id, rate=Decimal(engagement.rate_amount), rate_unit="day",
            currency=engagement.rate_currency or None, employment_type="day_performer",
            budget_account_code="1401" if (engagement.cast_number or 99) <= 2 else "1402",
            fringe_account_code="1999")
        if Timecard.objects.filter(deal=deal, week_ending=week_ending).exists():
            continue
        try:
            with transaction.atomic():  # no production report times for this performer: no card
                card = timecard_create(access=access, deal=deal, week_ending=week_ending)
                timecard_import_dpr(access=access, timecard_id=card.pk)
        except ValidationError:
            continue
        made.append(card)
    return made
