"""Reads for payroll, scoped by the acting user's access.

Who sees a timecard: its own person; an `approve_timecards` or `view_pay` holder whose scope
covers it (department heads their department, production everyone). Cast cards have no
department, so only production-wide scopes (and the performer) see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from unitbase.people.models import CastMember, CrewMember
from unitbase.productions.authority import Action, Scope
from unitbase.productions.permissions import ProductionAccess

from .calc import RestViolation, check_schedule, default_registry
from .models import PayrollDeal, PayrollPack, Timecard, TimecardStatus

DEAL_JOINS = (
    "crew_member", "crew_member__person", "crew_member__department", "crew_member__position",
    "cast_member", "cast_member__person",
)


def _visibility(access: ProductionAccess, prefix: str = "") -> Q:
    """Deals (or cards, via `prefix`) the user may see."""
    scopes = {access.scope(Action.APPROVE_TIMECARDS), access.scope(Action.VIEW_PAY)}
    if Scope.ALL in scopes:
        return Q()
    own = Q(**{f"{prefix}crew_member__person__user": access.user}) | Q(**{f"{prefix}cast_member__person__user": access.user})
    if Scope.DEPARTMENT in scopes and access.membership.department_id:
        own |= Q(**{f"{prefix}crew_member__department_id": access.membership.department_id})
    return own


def sees_all(access: ProductionAccess) -> bool:
    return Scope.ALL in {access.scope(Action.APPROVE_TIMECARDS), access.scope(Action.VIEW_PAY)}


def deal_list(*, access: ProductionAccess) -> QuerySet[PayrollDeal]:
    return (
        PayrollDeal.objects.filter(production=access.production)
        .filter(_visibility(access))
        .select_related(*DEAL_JOINS)
        .order_by("cast_member__cast_number", "crew_member__department__order", "crew_member__person__name")
    )


def own_deals(*, access: ProductionAccess) -> QuerySet[PayrollDeal]:
    return deal_list(access=access).filter(
        Q(crew_member__person__user=access.user) | Q(cast_member__person__user=access.user)
    )


def deal_get(*, access: ProductionAccess, deal_id: int) -> PayrollDeal:
    return deal_list(access=access).get(pk=deal_id)


@dataclass
class Engagement:
    kind: str  # "crew" or "cast"
    obj: CrewMember | CastMember
    deal: PayrollDeal | None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.obj.pk}"


def engagements_for_deals(*, access: ProductionAccess) -> list[Engagement]:
    """Every crew and cast engagement with its deal (if any), for the deals page (production only)."""
    deals = {
        (("crew", d.crew_member_id) if d.crew_member_id else ("cast", d.cast_member_id)): d
        for d in PayrollDeal.objects.filter(production=access.production)
    }
    crew = CrewMember.objects.filter(production=access.production).select_related("person", "department", "position")
    cast = CastMember.objects.filter(production=access.production).select_related("person")
    return [Engagement("crew", c, deals.get(("crew", c.pk))) for c in crew] + [
        Engagement("cast", c, deals.get(("cast", c.pk))) for c in cast
    ]


def timecard_list(
    *,
    access: ProductionAccess,
    status: str = "",
    week_ending: dt.date | None = None,
    department_id: int | None = None,
    mine: bool = False,
    include_superseded: bool = False,
) -> QuerySet[Timecard]:
    cards = (
        Timecard.objects.filter(production=access.production)
        .filter(_visibility(access, "deal__"))
        .select_related(*(f"deal__{j}" for j in DEAL_JOINS))
    )
    if mine:
        cards = cards.filter(Q(deal__crew_member__person__user=access.user) | Q(deal__cast_member__person__user=access.user))
    if status:
        cards = cards.filter(status=status)
    elif not include_superseded:
        cards = cards.exclude(status=TimecardStatus.SUPERSEDED)
    if week_ending:
        cards = cards.filter(week_ending=week_ending)
    if department_id:
        cards = cards.filter(deal__crew_member__department_id=department_id)
    return cards.order_by("-week_ending", "deal__crew_member__department__order", "deal__crew_member__person__name",
                          "deal__cast_member__cast_number", "-revision")


def timecard_get(*, access: ProductionAccess, timecard_id: int) -> Timecard:
    """One visible timecard (Timecard.DoesNotExist otherwise, a 404: no leak of others' cards)."""
    return timecard_list(access=access, include_superseded=True).get(pk=timecard_id)


def approved_for_export(*, access: ProductionAccess, week_ending: dt.date | None = None) -> QuerySet[Timecard]:
    """The approved card of record per person and week (a superseded revision is not exported)."""
    return timecard_list(access=access, status=TimecardStatus.APPROVED, week_ending=week_ending).prefetch_related("pay_lines")


def pack_copies(*, access: ProductionAccess) -> QuerySet[PayrollPack]:
    return PayrollPack.objects.filter(production=access.production)


def pack_copy_get(*, access: ProductionAccess, pack_pk: int) -> PayrollPack:
    return pack_copies(access=access).get(pk=pack_pk)


# --- warnings before the day --------------------------------------------------------------------


@dataclass(frozen=True)
class TurnaroundWarning:
    cast_member_id: int
    pack_id: str
    dismissal: dt.datetime
    next_call: dt.datetime
    required_hours: str
    actual_hours: str
    message: str


def cast_turnaround_warnings(
    *, access: ProductionAccess, cast_member_id: int, schedule: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[TurnaroundWarning]:
    """Check a cast member's scheduled (call, wrap) pairs against the rest period of the pack on
    their deal (the pack in force on each call's date), before anyone has worked. For the stripboard
    and call sheets. A cast member with no deal is checked against the shipped SAG-AFTRA day
    performer pack; pairs may be naive local or aware datetimes (not mixed)."""
    from .services import registry_for

    deal = PayrollDeal.objects.filter(production=access.production, cast_member_id=cast_member_id).first()
    registry = registry_for(access.production.pk) if deal else default_registry()
    return _turnaround(cast_member_id, deal.pack_id if deal else "sag-aftra-day-performer", registry, schedule)


def _turnaround(cast_member_id: int, pack_id: str, registry, schedule) -> list[TurnaroundWarning]:
    ordered = sorted(schedule)
    found: list[RestViolation] = []
    for index in range(1, len(ordered)):
        pair = [ordered[index - 1], ordered[index]]
        try:
            pack = registry.get(pack_id, on=pair[1][0].date())
        except LookupError:
            continue
        found += check_schedule(pack, pair)
    return [
        TurnaroundWarning(
            cast_member_id=cast_member_id, pack_id=pack_id, dismissal=violation.dismissal,
            next_call=violation.next_call, required_hours=str(violation.check.required_hours),
            actual_hours=str(violation.check.actual_hours), message=violation.message,
        )
        for violation in found
    ]


def cast_rest_checker(access: ProductionAccess,
                      schedules: dict[int, list[tuple[dt.datetime, dt.datetime]]]) -> dict[int, list[str]]:
    """The checker payroll registers with unitbase.scheduling.rest_hooks: each cast member's planned
    (call, wrap) pairs against the rest period of the pack on their deal. Cast without a deal are
    skipped (nothing is known about their agreement). Two queries for any number of cast."""
    from .services import registry_for

    deals = {
        deal.cast_member_id: deal
        for deal in PayrollDeal.objects.filter(production=access.production, cast_member_id__in=list(schedules))
    }
    if not deals:
        return {}
    registry = registry_for(access.production.pk)
    found: dict[int, list[str]] = {}
    for cast_member_id, deal in deals.items():
        schedule = schedules[cast_member_id]
        messages = []
        for when in sorted({call.date() for call, _ in sorted(schedule)[1:]}):
            try:
                registry.get(deal.pack_id, on=when)
            except LookupError:
                messages.append(f"no version of rule pack {deal.pack_id} is in force on {when:%a %d %b %Y}:"
                                " rest not checked (copy the pack and extend its dates)")
                break
        found[cast_member_id] = messages + [
            w.message for w in _turnaround(cast_member_id, deal.pack_id, registry, schedule)
        ]
    return found


# --- labour cost by budget account ------------------------------------------------------------------


@dataclass(frozen=True)
class LabourCost:
    account_code: str
    currency: str
    committed: Decimal  # submitted cards not yet approved (gross + fringes)
    actual: Decimal  # approved cards posted to the budget (gross + fringes, net of corrections)


def labour_cost_by_account(*, access: ProductionAccess, week_ending: dt.date | None = None) -> list[LabourCost]:
    """Labour per budget account of the deals: committed (awaiting approval) and actual (posted on
    approval). For the cost report: committed is not in the budget's transactions yet. Production
    scope only (it is everyone's pay)."""
    if not sees_all(access):
        return []
    cards = Timecard.objects.filter(production=access.production).exclude(deal__budget_account_code="")
    if week_ending:
        cards = cards.filter(week_ending=week_ending)
    totals: dict[tuple[str, str], list[Decimal]] = {}
    zero = Decimal("0.00")
    for code, currency, status, gross, fringes, posted in cards.values_list(
        "deal__budget_account_code", "currency", "status", "gross", "fringe_total", "cost_posted"
    ):
        row = totals.setdefault((code, currency), [zero, zero])
        if status == TimecardStatus.SUBMITTED:
            row[0] += (gross or zero) + (fringes or zero)
        elif posted is not None and status in (TimecardStatus.APPROVED, TimecardStatus.SUPERSEDED):
            row[1] += posted
    return [LabourCost(code, currency, committed, actual) for (code, currency), (committed, actual) in sorted(totals.items())]
