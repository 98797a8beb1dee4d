"""The cost report (domain-spec 2.1): per account of one budget version, rolled up by category,
level and total.

Columns, all in the budget's base currency:
  budget            the version's account total (lines; each level's fringes posted to the level's
                    fringe account, e.g. 1999, when the chart has one, else kept on each account)
  period            transactions reported in the week (week_ending − 6 days … week_ending): by their
                    date, or, for one dated inside a closed period, by the open period it was posted
                    in (`Transaction.posted_period_ending`, set by spending._post)
  actual to date    transactions reported up to week_ending (same rule)
  committed         at the end of week_ending: open balances of the POs approved by then and not yet
                    closed (line amount − invoiced by then, floored at 0), plus the commitments of the
                    registered sources (commitment_sources: payroll's labour deals)
  total cost        actual to date + committed
  ETC               the accountant's estimate to complete, or by default max(budget − total cost, 0)
  EFC               total cost + ETC
  variance          budget − EFC (negative = over budget)
  prior EFC         the account's EFC in the latest closed period before week_ending (closings.py)
  change in EFC     EFC − prior EFC

Reads are grouped in the database: one query for actuals, one for commitments, one for estimates,
plus the budget's own few queries, whatever the number of transactions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from unitbase.productions.models import Production
from unitbase.productions.permissions import ProductionAccess

from . import calc, commitment_sources, ledgercache, sheetcache
from .models import (
    Budget,
    ChartCategory,
    CostEstimate,
    ExchangeRate,
    InvoiceLine,
    Level,
    PurchaseOrder,
    PurchaseOrderLine,
    Transaction,
)
from .permissions import require_view

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def reporting_budget(production: Production) -> Budget | None:
    """The budget costs are reported against: the latest locked version, else the latest working one."""
    budgets = Budget.objects.filter(production=production)
    return (budgets.filter(status=Budget.Status.LOCKED).order_by("-locked_at", "-version", "-id").first()
            or budgets.order_by("-version", "-id").first())


def to_base(budget: Budget, amount: Decimal, currency: str) -> Decimal:
    """Convert into the budget's base currency with its exchange rates; rounded once, half up."""
    if currency == budget.base_currency:
        return calc.round_money(amount)
    rate = ExchangeRate.objects.filter(budget=budget, currency=currency).values_list("rate", flat=True).first()
    if rate is None:
        raise ValidationError({"currency": f"Budget {budget} has no exchange rate for {currency}; add one first."})
    return calc.round_money(amount * rate)


def default_week(production: Production, today: dt.date | None = None) -> dt.date:
    """The week a report opens on: the coming Sunday; but when nothing is posted up to then and
    costs are dated later (a production whose dates are ahead, such as the demo), the Sunday ending
    the week of the latest transaction."""
    today = today or dt.date.today()
    sunday = today + dt.timedelta(days=6 - today.weekday())
    posted = Transaction.objects.filter(production=production)
    if not posted.filter(date__lte=sunday).exists():
        latest = posted.order_by("-date").values_list("date", flat=True).first()
        if latest is not None:
            return latest + dt.timedelta(days=6 - latest.weekday())
    return sunday


def week_bounds(week_ending: dt.date) -> tuple[dt.date, dt.date]:
    return week_ending - dt.timedelta(days=6), week_ending


# --- the grouped reads ----------------------------------------------------------------------------


def budget_by_account(budget: Budget) -> dict[str, Decimal]:
    """Each account's budget in base currency, fringes posted as on the top sheet; cached until
    the budget changes (sheetcache: the calculation of a 2,000-line budget dominates the report's time)."""
    return sheetcache.cached(budget, "by-account", lambda: _budget_by_account(budget))


def _budget_by_account(budget: Budget) -> dict[str, Decimal]:
    sheet = sheetcache.calculated(budget)
    fringe_category = {c.level: c.code for c in ChartCategory.objects.filter(chart_id=budget.chart_id, is_fringe=True)}
    result: dict[str, Decimal] = {}
    for level in sheet.levels:
        target_cat = fringe_category.get(level.level)
        target = next((c for c in level.categories if c.code == target_cat), None)
        target_account = target.accounts[-1].code if target and target.accounts else None
        for cat in level.categories:
            for acc in cat.accounts:
                result[acc.code] = acc.subtotal if target_account else acc.subtotal + acc.fringes
        if target_account:
            result[target_account] += level.fringes
    return result


def actuals_by_account(production: Production, start: dt.date, end: dt.date) -> dict[str, tuple[Decimal, Decimal]]:
    """{code: (this period, to date)} in one grouped query, cached per state of the ledger."""
    return actuals_and_stamp(production, start, end)[0]


def actuals_and_stamp(production: Production, start: dt.date,
                      end: dt.date) -> tuple[dict[str, tuple[Decimal, Decimal]], str]:
    stamp = ledgercache.ledger_stamp(production.pk)
    return ledgercache.cached(production.pk, f"actuals:{start}:{end}",
                              lambda: _actuals_by_account(production, start, end), stamp=stamp), stamp


def _actuals_by_account(production: Production, start: dt.date, end: dt.date) -> dict[str, tuple[Decimal, Decimal]]:
    # A transaction is reported at coalesce(posted_period_ending, date); posted_period_ending is only
    # ever later than date, so filtering on date first keeps the (production, account, date) index.
    rows = (Transaction.objects.filter(production=production, date__lte=end)
            .filter(Q(posted_period_ending__isnull=True) | Q(posted_period_ending__lte=end))
            .values("account_code")
            .annotate(atd=Sum("base_amount"),
                      period=Sum("base_amount", filter=Q(posted_period_ending__isnull=True, date__gte=start)
                                 | Q(posted_period_ending__gte=start)))
            .order_by())
    return {r["account_code"]: (r["period"] or ZERO, r["atd"] or ZERO) for r in rows}


def commitments_by_account(production: Production, budget: Budget | None = None,
                           as_of: dt.date | None = None) -> dict[str, Decimal]:
    """Open commitments per account at the end of `as_of` (default: now), in base currency.

    POs: one grouped query. A PO line is open when its PO was approved by then (or has no approval
    date, as older data) and not closed by then; its open balance is its amount less what was
    invoiced against it by then, floored at 0. A PO's amounts are in its own currency; other
    currencies are converted with the report budget's rates. Then the registered commitment sources
    (payroll's labour deals), converted the same way."""
    invoiced_lines = InvoiceLine.objects.filter(po_line=OuterRef("pk"))
    lines = PurchaseOrderLine.objects.filter(purchase_order__production=production)
    if as_of is None:
        lines = lines.filter(purchase_order__status=PurchaseOrder.Status.APPROVED)
    else:
        invoiced_lines = invoiced_lines.filter(invoice__date__lte=as_of)
        lines = lines.filter(
            Q(purchase_order__status=PurchaseOrder.Status.APPROVED)
            | Q(purchase_order__status=PurchaseOrder.Status.CLOSED, purchase_order__closed_at__date__gt=as_of),
            Q(purchase_order__approved_at__isnull=True) | Q(purchase_order__approved_at__date__lte=as_of))
    invoiced = invoiced_lines.values("po_line").annotate(s=Sum("amount")).values("s")
    rows = (lines
            .annotate(invoiced=Coalesce(Subquery(invoiced, output_field=MONEY_FIELD), Value(ZERO),
                                        output_field=MONEY_FIELD))
            .annotate(open=Greatest(F("amount") - F("invoiced"), Value(ZERO), output_field=MONEY_FIELD))
            .values("account_code", "purchase_order__currency")
            .annotate(total=Sum("open"))
            .order_by())
    result: dict[str, Decimal] = {}

    def add(code: str, amount: Decimal, currency: str) -> None:
        if budget is not None and currency != budget.base_currency:
            amount = to_base(budget, amount, currency)
        result[code] = result.get(code, ZERO) + amount

    for r in rows:
        add(r["account_code"], r["total"] or ZERO, r["purchase_order__currency"])
    for c in commitment_sources.commitments(production, as_of or dt.date.today()):
        add(c.account_code, calc.round_money(c.amount), c.currency)
    return result


def estimates_by_account(budget: Budget) -> dict[str, Decimal]:
    return dict(CostEstimate.objects.filter(budget=budget).values_list("account_code", "etc"))


# --- the report -----------------------------------------------------------------------------------


@dataclass
class Figures:
    budget: Decimal = ZERO
    period: Decimal = ZERO
    atd: Decimal = ZERO
    committed: Decimal = ZERO
    etc: Decimal = ZERO
    prior_efc: Decimal | None = None

    @property
    def total_cost(self) -> Decimal:
        return self.atd + self.committed

    @property
    def efc(self) -> Decimal:
        return self.total_cost + self.etc

    @property
    def variance(self) -> Decimal:
        return self.budget - self.efc

    @property
    def efc_change(self) -> Decimal | None:
        """Movement of the EFC since the prior closed period (None when there is none)."""
        return None if self.prior_efc is None else self.efc - self.prior_efc

    def add(self, other: Figures) -> None:
        self.budget += other.budget
        self.period += other.period
        self.atd += other.atd
        self.committed += other.committed
        self.etc += other.etc
        if other.prior_efc is not None:
            self.prior_efc = (self.prior_efc or ZERO) + other.prior_efc


def default_etc(budget: Decimal, total_cost: Decimal) -> Decimal:
    return max(budget - total_cost, ZERO)


@dataclass
class AccountRow(Figures):
    code: str = ""
    name: str = ""
    category_code: str = ""
    category_name: str = ""
    level: str = ""
    etc_is_default: bool = True
    in_budget: bool = True


@dataclass
class CategoryRow(Figures):
    code: str = ""
    name: str = ""
    accounts: list[AccountRow] = field(default_factory=list)


@dataclass
class LevelRow(Figures):
    level: str = ""
    label: str = ""
    categories: list[CategoryRow] = field(default_factory=list)


@dataclass
class CostReport:
    budget: Budget
    week_ending: dt.date
    period_start: dt.date
    levels: list[LevelRow]
    total: Figures
    accounts: list[AccountRow]
    closing: object | None = None  # the CostReportClosing this report is the frozen snapshot of
    prior_closing: object | None = None  # the closed period the "prior EFC" column comes from
    ledger_stamp: str | None = None  # the ledger state its actuals were read at (ledgercache)

    @property
    def overruns(self) -> list[AccountRow]:
        """Accounts whose EFC exceeds their budget, the largest overrun first."""
        return sorted((a for a in self.accounts if a.variance < 0), key=lambda a: (a.variance, a.code))


def compute(budget: Budget, week_ending: dt.date, with_prior: bool = True) -> CostReport:
    """The live report (no permission check: call `cost_report` from views and the API)."""
    production = budget.production
    start, end = week_bounds(week_ending)
    budgets = budget_by_account(budget)
    actuals, stamp = actuals_and_stamp(production, start, end)
    committed = commitments_by_account(production, budget, as_of=end)
    estimates = estimates_by_account(budget)
    accounts = list(budget.accounts.all())
    known = {a.code for a in accounts}
    rows: list[AccountRow] = []
    for a in accounts:
        rows.append(AccountRow(code=a.code, name=a.name, category_code=a.category_code, category_name=a.category_name,
                               level=a.level, budget=budgets.get(a.code, ZERO)))
    for code in sorted((set(actuals) | set(committed)) - known):
        rows.append(AccountRow(code=code, name="Not in this budget", category_code="—",
                               category_name="Accounts not in this budget", level=Level.OTHER, in_budget=False))
    for row in rows:
        row.period, row.atd = actuals.get(row.code, (ZERO, ZERO))
        row.committed = committed.get(row.code, ZERO)
        if row.code in estimates:
            row.etc, row.etc_is_default = estimates[row.code], False
        else:
            row.etc = default_etc(row.budget, row.total_cost)
    prior = None
    if with_prior:
        from .closings import prior_closing, prior_efcs

        prior = prior_closing(production, before=end)
        if prior is not None:
            apply_prior(rows, prior_efcs(prior))
    report = assemble(budget, end, rows, prior_closing=prior)
    report.ledger_stamp = stamp
    return report


def apply_prior(rows: list[AccountRow], efcs: dict[str, Decimal]) -> None:
    """Fill the prior-EFC column; an account the prior period did not have had no EFC then."""
    for row in rows:
        row.prior_efc = efcs.get(row.code, ZERO)


def assemble(budget: Budget, week_ending: dt.date, rows: list[AccountRow], closing=None,
             prior_closing=None) -> CostReport:
    """Roll account rows up by category and level (live or from a closed snapshot alike)."""
    start, end = week_bounds(week_ending)
    labels = dict(Level.choices)
    levels: list[LevelRow] = []
    total = Figures(prior_efc=ZERO if prior_closing is not None else None)
    for level_key in Level.values:
        level = LevelRow(level=level_key, label=labels[level_key])
        for row in (r for r in rows if r.level == level_key):
            if not level.categories or level.categories[-1].code != row.category_code:
                level.categories.append(CategoryRow(code=row.category_code, name=row.category_name))
            level.categories[-1].accounts.append(row)
            level.categories[-1].add(row)
        for cat in level.categories:
            level.add(cat)
        if level.categories:
            levels.append(level)
            total.add(level)
    return CostReport(budget=budget, week_ending=end, period_start=start, levels=levels, total=total, accounts=rows,
                      closing=closing, prior_closing=prior_closing)


def cost_report(*, access: ProductionAccess, budget: Budget, week_ending: dt.date, live: bool = False) -> CostReport:
    """The report for the week ending `week_ending`: the frozen snapshot when that week was closed
    against this budget version (unless `live`), else computed now with the prior closed EFC."""
    require_view(access)
    if budget.production_id != access.production.pk:
        raise ValidationError("That budget belongs to another production.")
    if not live:
        from .closings import closing_for, closing_report

        closing = closing_for(budget.production, budget, week_ending)
        if closing is not None:
            return closing_report(closing)
    return compute(budget, week_ending)


def account_efc(budget: Budget, codes: list[str]) -> dict[str, AccountRow]:
    """Today's figures for a few accounts (overage checks): the whole report's reads, filtered."""
    report = compute(budget, dt.date.max - dt.timedelta(days=1), with_prior=False)
    return {r.code: r for r in report.accounts if r.code in codes}


REPORT_KEYS = ["budget", "period", "atd", "committed", "total_cost", "etc", "efc", "variance", "prior_efc",
               "efc_change"]


def report_json(report: CostReport) -> dict:
    """The report as plain JSON data (money as decimal strings; prior_efc and efc_change are null
    when no earlier period is closed), for the API and the CLI."""

    def figures(obj) -> dict:
        return {k: (None if getattr(obj, k) is None else f"{getattr(obj, k):.2f}") for k in REPORT_KEYS}

    budget = report.budget
    return {
        "budget_id": budget.pk, "base_currency": budget.base_currency, "week_ending": report.week_ending.isoformat(),
        "period_start": report.period_start.isoformat(),
        "closed": report.closing is not None,
        "closed_at": report.closing.closed_at.isoformat() if report.closing is not None else None,
        "prior_week_ending": report.prior_closing.week_ending.isoformat() if report.prior_closing else None,
        "levels": [{"level": lv.level, "label": lv.label, **figures(lv), "categories": [
            {"code": c.code, "name": c.name, **figures(c), "accounts": [
                {"code": a.code, "name": a.name, "etc_is_default": a.etc_is_default, **figures(a)}
                for a in c.accounts]} for c in lv.categories]} for lv in report.levels],
        "total": figures(report.total),
        "overruns": [{"code": a.code, "name": a.name, **figures(a)} for a in report.overruns],
    }


def iso_week_ending(period: str) -> dt.date:
    """'2027-10' (ISO year and week) -> that week's Sunday."""
    year, _, week = (period or "").partition("-")
    try:
        return dt.date.fromisocalendar(int(year), int(week.removeprefix("W")), 7)
    except ValueError:
        raise ValidationError({"period": f"{period!r} is not a week: use YYYY-WW, e.g. 2027-10."}) from None
