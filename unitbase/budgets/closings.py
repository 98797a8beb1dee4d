"""Weekly closing of the cost report (domain-spec 2.1: keep every weekly report as an immutable
snapshot; "prior EFC / change since last report").

`cost_report_close` freezes the live report of one week into a `CostReportClosing` with one
`CostReportSnapshotLine` per account. Periods close in order: a week must end after the latest
closed week. Afterwards the report for that week (same budget version) is read from the snapshot, so
later postings, ETC edits or PO changes never rewrite it; the next live report takes its "prior EFC"
column from it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from unitbase.core.audit import audit_record
from unitbase.productions.authority import Action
from unitbase.productions.models import Production
from unitbase.productions.permissions import ProductionAccess

from .models import Budget, CostReportClosing, CostReportSnapshotLine
from .permissions import require_view

ZERO = Decimal("0.00")


def prior_closing(production: Production, before: dt.date) -> CostReportClosing | None:
    """The latest period closed before `before` (the week a report's prior EFC comes from)."""
    return (CostReportClosing.objects.filter(production=production, week_ending__lt=before)
            .order_by("-week_ending").first())


def prior_efcs(closing: CostReportClosing) -> dict[str, Decimal]:
    return {line.code: line.atd + line.committed + line.etc
            for line in CostReportSnapshotLine.objects.filter(closing=closing).only("code", "atd", "committed", "etc")}


def posting_period(production: Production, date: dt.date) -> tuple[CostReportClosing | None, dt.date | None]:
    """Where a cost dated `date` is reported. When the date falls in a closed period (on or before the
    latest closed week ending) it goes to the first open period, the week after the latest closing:
    returns (the closing that covers the date, that week ending). Otherwise (None, None): by its date."""
    latest = CostReportClosing.objects.filter(production=production).order_by("-week_ending").first()
    if latest is None or date > latest.week_ending:
        return None, None
    covering = (CostReportClosing.objects.filter(production=production, week_ending__gte=date)
                .order_by("week_ending").first())
    return covering, latest.week_ending + dt.timedelta(days=7)


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def late_posting_notice(production: Production, date: dt.date, *, pending: bool = False) -> str:
    """The message for a cost dated inside a closed period ("" when its week is open). `pending`: the
    cost posts later (an invoice awaiting approval), so the period named is the one open today."""
    covering, posted = posting_period(production, date)
    if covering is None or posted is None:
        return ""
    if pending:
        return (f"Week ending {_day(covering.week_ending)} is closed; when approved, this cost is reported in the "
                f"first open period (today the week ending {_day(posted)}).")
    return f"Week ending {_day(covering.week_ending)} is closed; this cost is reported in week ending {_day(posted)}."


def closing_list(*, access: ProductionAccess) -> QuerySet[CostReportClosing]:
    require_view(access)
    return (CostReportClosing.objects.filter(production=access.production)
            .select_related("budget", "closed_by").order_by("-week_ending"))


def closing_for(production: Production, budget: Budget, week_ending: dt.date) -> CostReportClosing | None:
    return CostReportClosing.objects.filter(production=production, budget=budget, week_ending=week_ending).first()


def closing_report(closing: CostReportClosing):
    """The frozen report of a closed period, with the prior EFC from the period closed before it."""
    from .costreport import AccountRow, apply_prior, assemble

    rows = [AccountRow(code=line.code, name=line.name, category_code=line.category_code,
                       category_name=line.category_name, level=line.level, in_budget=line.in_budget,
                       etc_is_default=line.etc_is_default, budget=line.budget, period=line.period, atd=line.atd,
                       committed=line.committed, etc=line.etc)
            for line in closing.lines.all()]
    prior = prior_closing(closing.production, before=closing.week_ending)
    if prior is not None:
        apply_prior(rows, prior_efcs(prior))
    return assemble(closing.budget, closing.week_ending, rows, closing=closing, prior_closing=prior)


@transaction.atomic
def cost_report_close(*, access: ProductionAccess, budget_id: int, week_ending: dt.date,
                      note: str = "") -> CostReportClosing:
    """Close the period ending `week_ending`: freeze the cost report against the budget version
    `budget_id`. Accounting only (edit_budget). Refused, changing nothing, for a week already
    closed or one not after the latest closed week."""
    from .costreport import compute

    access.require(Action.EDIT_BUDGET)
    # One closing at a time per production: the order check below must not race.
    Production.objects.select_for_update().filter(pk=access.production.pk).first()
    try:
        budget = Budget.objects.select_related("production").get(production=access.production, pk=budget_id)
    except Budget.DoesNotExist:
        raise ValidationError({"budget": "No such budget on this production."}) from None
    if not isinstance(week_ending, dt.date):
        raise ValidationError({"week_ending": "Give the week ending as a date (YYYY-MM-DD)."})
    latest = CostReportClosing.objects.filter(production=access.production).order_by("-week_ending").first()
    if latest is not None and week_ending <= latest.week_ending:
        what = "is already closed" if week_ending == latest.week_ending else "is before the latest closed period"
        raise ValidationError({"week_ending": f"The week ending {week_ending:%d %b %Y} {what} "
                                              f"(w/e {latest.week_ending:%d %b %Y}); periods close in order."})
    report = compute(budget, week_ending, with_prior=False)
    closing = CostReportClosing(production=access.production, budget=budget, week_ending=report.week_ending,
                                period_start=report.period_start, closed_at=timezone.now(), closed_by=access.user,
                                note=note.strip()[:300])
    closing.full_clean()
    try:
        with transaction.atomic():
            closing.save()
    except IntegrityError:
        raise ValidationError({"week_ending": "That week was closed by someone else a moment ago."}) from None
    CostReportSnapshotLine.objects.bulk_create([
        CostReportSnapshotLine(closing=closing, order=i, code=row.code, name=row.name[:160],
                               category_code=row.category_code, category_name=row.category_name[:160],
                               level=row.level, in_budget=row.in_budget, etc_is_default=row.etc_is_default,
                               budget=row.budget, period=row.period, atd=row.atd, committed=row.committed,
                               etc=row.etc)
        for i, row in enumerate(report.accounts)])
    audit_record(production_id=access.production.pk, actor=access.user, action="cost_report.close", obj=closing,
                 changes={"week_ending": closing.week_ending, "budget": budget.pk, "accounts": len(report.accounts),
                          "efc": report.total.efc, "budget_total": report.total.budget})
    return closing
