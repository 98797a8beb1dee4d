"""Reads for charts and budgets, scoped by a ProductionAccess that may see budgets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from unitbase.productions.models import Unit
from unitbase.productions.permissions import ProductionAccess
from unitbase.scheduling import selectors as scheduling_selectors

from . import calc
from .models import Budget, BudgetAccount, ChartAccount, ChartCategory, ChartOfAccounts, DetailLine, Fringe
from .permissions import require_view


def chart_list(*, access: ProductionAccess) -> QuerySet[ChartOfAccounts]:
    require_view(access)
    return ChartOfAccounts.objects.filter(production=access.production).annotate(account_count=Count("accounts"))


def chart_get(*, access: ProductionAccess, chart_id: int) -> ChartOfAccounts:
    require_view(access)
    return ChartOfAccounts.objects.prefetch_related(
        Prefetch("categories", queryset=ChartCategory.objects.prefetch_related(
            Prefetch("accounts", queryset=ChartAccount.objects.order_by("order", "code"))))
    ).get(production=access.production, pk=chart_id)


def budget_list(*, access: ProductionAccess) -> QuerySet[Budget]:
    require_view(access)
    return (Budget.objects.filter(production=access.production).select_related("chart", "parent")
            .annotate(line_count=Count("lines")).order_by("name", "-version"))


def budget_versions(*, access: ProductionAccess) -> QuerySet[Budget]:
    """The production's budgets for a menu: like `budget_list` without counting every budget's lines."""
    require_view(access)
    return Budget.objects.filter(production=access.production).order_by("name", "-version")


def budget_get(*, access: ProductionAccess, budget_id: int) -> Budget:
    require_view(access)
    return Budget.objects.select_related("chart", "parent").get(production=access.production, pk=budget_id)


def account_get(*, access: ProductionAccess, budget: Budget, account_id: int) -> BudgetAccount:
    require_view(access)
    return BudgetAccount.objects.get(budget=budget, pk=account_id)


def account_lines(*, access: ProductionAccess, account: BudgetAccount) -> QuerySet[DetailLine]:
    require_view(access)
    return account.lines.prefetch_related(Prefetch("fringes", queryset=Fringe.objects.order_by("code")))


def budget_input(budget: Budget, global_overrides: dict[str, Decimal] | None = None) -> calc.BudgetInput:
    """The budget as plain data for `calc.calculate` (seven queries, whatever its size).
    `global_overrides` replaces some globals' values (what-if: the schedule's shoot days).

    Rows are read as tuples, not model instances (a 2,000-line budget with its fringe links is
    most of a top sheet's time otherwise), and each distinct Amount/X text is resolved once."""
    globals_ = {**dict(budget.globals.values_list("name", "value")), **(global_overrides or {})}
    account_rows = list(budget.accounts.order_by("order", "code").values_list(
        "pk", "code", "name", "category_code", "category_name", "level", "order"))
    accounts = tuple(
        calc.Account(code=code, name=name, category_code=cat_code, category_name=cat_name, level=level, order=order)
        for _, code, name, cat_code, cat_name, level, order in account_rows
    )
    account_of = {row[0]: row[1] for row in account_rows}
    account_order = {a.code: a.order for a in accounts}
    fringes = tuple(
        calc.Fringe(code=code, kind=kind, rate=rate, cutoff=cutoff, cap=cap, person_cap=person_cap,
                    person_cutoff=person_cutoff)
        for code, kind, rate, cutoff, cap, person_cap, person_cutoff in budget.fringes.order_by("code").values_list(
            "code", "kind", "rate", "cutoff", "cap", "person_cap", "person_cutoff")
    )
    fringe_links: dict[int, list[str]] = {}
    for line_id, code in DetailLine.fringes.through.objects.filter(detailline__budget=budget).values_list(
            "detailline_id", "fringe__code"):
        fringe_links.setdefault(line_id, []).append(code)
    resolved: dict[str, Decimal] = {}

    def resolve(text: str) -> Decimal:
        value = resolved.get(text)
        if value is None:
            value = resolved[text] = calc.resolve_value(text, globals_)
        return value

    lines = []
    for pk, account_id, amount, x, rate, currency, unit, fringe_group, person, order in DetailLine.objects.filter(
            budget=budget).values_list("pk", "account_id", "amount", "x", "rate", "currency", "unit", "fringe_group",
                                       "person", "order"):
        code = account_of[account_id]
        lines.append(calc.Line(
            key=pk, account_code=code, amount=resolve(amount), x=resolve(x), rate=rate, currency=currency, unit=unit,
            fringe_codes=tuple(sorted(fringe_links.get(pk, ()))), fringe_group=fringe_group, person=person,
            order=account_order[code] * 100000 + order,
        ))
    return calc.BudgetInput(
        base_currency=budget.base_currency, accounts=accounts, lines=tuple(lines), fringes=fringes,
        exchange_rates=dict(budget.exchange_rates.values_list("currency", "rate")),
        charges=tuple(calc.Charge(key=c.pk, name=c.name, code=c.code, kind=c.kind, rate=c.rate, amount=c.amount,
                                  basis=tuple(c.basis), applied=c.applied) for c in budget.charges.all()),
    )


def budget_topsheet(*, access: ProductionAccess, budget: Budget) -> calc.TopSheet:
    """The calculated top sheet, from sheetcache when the budget has not changed since."""
    from .sheetcache import calculated

    require_view(access)
    return calculated(budget)


def fringe_posting(budget: Budget) -> dict[str, tuple[str, str]]:
    """Per level, the (code, name) of the chart category fringes are posted to, when the chart has one."""
    return {c.level: (c.code, c.name) for c in ChartCategory.objects.filter(chart_id=budget.chart_id, is_fringe=True)}


@dataclass
class CompareRow:
    code: str
    name: str
    level: str
    left: Decimal
    right: Decimal

    @property
    def difference(self) -> Decimal:
        """To minus from: how much more the right-hand version costs."""
        return self.right - self.left

    @property
    def variance(self) -> Decimal:
        """From minus to, the accountant's sign: negative when the right-hand version costs more."""
        return self.left - self.right


def budget_compare(*, access: ProductionAccess, left: Budget, right: Budget) -> tuple[list[CompareRow], dict]:
    """Two budgets side by side per account (matched by code), totals including fringes, and the
    summary rows (levels, charges, grand total)."""
    require_view(access)
    from .sheetcache import calculated

    a, b = calculated(left), calculated(right)
    order = {acc.code: acc.order for acc in [*right.accounts.all(), *left.accounts.all()]}
    codes = sorted(set(a.accounts) | set(b.accounts), key=lambda code: (order[code], code))
    rows = []
    for code in codes:
        ra, rb = a.accounts.get(code), b.accounts.get(code)
        ref = rb or ra
        rows.append(CompareRow(code=code, name=ref.name, level=ref.level,
                               left=ra.total if ra else calc.ZERO, right=rb.total if rb else calc.ZERO))
    summary = {
        "levels": [(la.label, la.total, lb.total, la.total - lb.total) for la, lb in zip(a.levels, b.levels, strict=True)],
        "charges": (a.charges_total, b.charges_total, a.charges_total - b.charges_total),
        "grand": (a.grand_total, b.grand_total, a.grand_total - b.grand_total),
    }
    return rows, summary



# --- the schedule link: SHOOT_DAYS against the applied stripboard ---------------------------------

SHOOT_DAYS = "SHOOT_DAYS"


@dataclass
class ScheduleEffect:
    """What the applied schedule's shoot-day count would do to a budget's SHOOT_DAYS and totals."""

    unit: str
    version: str
    schedule_days: int
    budget_days: Decimal | None  # the budget's SHOOT_DAYS, None when it has no such global
    current_total: Decimal | None  # grand total now (None when the budget cannot be totalled)
    scheduled_total: Decimal | None  # grand total with SHOOT_DAYS = schedule_days

    @property
    def in_step(self) -> bool:
        return self.budget_days is not None and self.budget_days == self.schedule_days

    @property
    def difference(self) -> Decimal | None:
        """How much more (positive) or less the budget costs with the schedule's shoot days."""
        if self.current_total is None or self.scheduled_total is None:
            return None
        return self.scheduled_total - self.current_total


def schedule_shoot_days(*, access: ProductionAccess) -> tuple[int, str, str] | None:
    """(shoot days, unit name, version name) of the applied schedule version of the main unit (the
    first main unit, else the first unit with an applied version); None without an applied version."""
    units = sorted(Unit.objects.filter(production=access.production), key=lambda u: (u.kind != Unit.Kind.MAIN, u.pk))
    for unit in units:
        version = scheduling_selectors.version_applied(access=access, unit_id=unit.pk)
        if version is not None:
            board = scheduling_selectors.board_get(access=access, version=version)
            return len(board.scheduled_days), unit.name, version.name
    return None


def budget_schedule_effect(*, access: ProductionAccess, budget: Budget) -> ScheduleEffect | None:
    """The budget effect of the applied schedule: its SHOOT_DAYS against the stripboard's day count,
    and the grand total both ways. None when no schedule version is applied."""
    require_view(access)
    found = schedule_shoot_days(access=access)
    if found is None:
        return None
    days, unit, version = found
    budget_days = budget.globals.filter(name=SHOOT_DAYS).values_list("value", flat=True).first()
    from .sheetcache import calculated

    try:
        current = calculated(budget).grand_total
        scheduled = (calculated(budget, {SHOOT_DAYS: Decimal(days)}).grand_total
                     if budget_days is not None else current)
    except calc.CalcError:
        current = scheduled = None
    return ScheduleEffect(unit=unit, version=version, schedule_days=days, budget_days=budget_days,
                          current_total=current, scheduled_total=scheduled)


def _own_or_department(access: ProductionAccess, qs: QuerySet) -> QuerySet:
    """Spending documents this member may see: all for budget readers and accounting; otherwise the
    ones they requested and their department's."""
    from django.db.models import Q

    from .permissions import sees_all_spending

    if sees_all_spending(access):
        return qs
    return qs.filter(Q(requested_by=access.user) | Q(department_id=access.membership.department_id,
                                                     department__isnull=False))


def purchase_orders_visible(access: ProductionAccess) -> QuerySet:
    from .models import PurchaseOrder

    return _own_or_department(access, PurchaseOrder.objects.filter(production=access.production).select_related(
        "vendor", "department", "budget", "requested_by"))


def check_requests_visible(access: ProductionAccess) -> QuerySet:
    from .models import CheckRequest

    return _own_or_department(access, CheckRequest.objects.filter(production=access.production).select_related(
        "department", "requested_by"))
