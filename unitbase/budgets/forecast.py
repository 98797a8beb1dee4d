"""Forecast: accounts trending over budget, from the burn rate against schedule progress, and the
production dashboard's cost panel (budget vs EFC by category, spend over time, the flagged accounts).

Rule (docs/budgets.md, "Forecast"): schedule progress is the share of the applied schedule's shoot days
dated on or before the report's week ending. While the shoot is under way (0 < progress < 1), an
account with actuals projects its final cost at the burn rate: actual to date ÷ progress, rounded to
the cent. Its forecast is the larger of that projection and the report's EFC; it is flagged when the
forecast is over budget, by forecast − budget. Before the shoot, after it, or without an applied
schedule, the forecast is the EFC alone (so every cost-report overrun is flagged too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from unitbase.core.money import round_money
from unitbase.productions.models import Unit
from unitbase.productions.permissions import ProductionAccess
from unitbase.scheduling import selectors as scheduling_selectors

from . import costreport, svgcharts
from .permissions import can_view_budget

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Progress:
    days_done: int
    days_total: int

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.days_done) / Decimal(self.days_total) if self.days_total else Decimal(0)

    @property
    def under_way(self) -> bool:
        return 0 < self.days_done < self.days_total

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


@dataclass(frozen=True)
class ForecastRow:
    code: str
    name: str
    budget: Decimal
    atd: Decimal
    efc: Decimal
    projected: Decimal | None  # at the burn rate; None when the shoot is not under way or no actuals
    forecast: Decimal
    over: Decimal  # forecast − budget (> 0 for flagged rows)
    basis: str  # "burn rate" or "EFC"


def schedule_progress(*, access: ProductionAccess, as_of: dt.date) -> Progress | None:
    """Shoot days of the applied schedule (main unit first) dated on or before `as_of`, of all its
    scheduled days; None without an applied version or when its days carry no dates."""
    units = sorted(Unit.objects.filter(production=access.production), key=lambda u: (u.kind != Unit.Kind.MAIN, u.pk))
    for unit in units:
        version = scheduling_selectors.version_applied(access=access, unit_id=unit.pk)
        if version is None:
            continue
        # the day dates alone: the whole board (decorations, warnings) is too much for the dashboard
        days = scheduling_selectors.scheduled_day_dates(version)
        dated = [when for when in days if when is not None]
        if not dated:
            return None
        return Progress(days_done=sum(1 for day in dated if day <= as_of), days_total=len(days))
    return None


def forecast(report: costreport.CostReport, progress: Progress | None) -> list[ForecastRow]:
    """Accounts trending over budget, the largest amount first (see the module docstring)."""
    rows = []
    for a in report.accounts:
        projected = None
        if progress is not None and progress.under_way and a.atd > 0:
            projected = round_money(a.atd / progress.fraction)
        forecast_value = max(a.efc, projected) if projected is not None else a.efc
        over = forecast_value - a.budget
        if over > 0:
            rows.append(ForecastRow(
                code=a.code, name=a.name, budget=a.budget, atd=a.atd, efc=a.efc, projected=projected,
                forecast=forecast_value, over=over,
                basis="burn rate" if projected is not None and projected > a.efc else "EFC"))
    return sorted(rows, key=lambda r: (-r.over, r.code))


@dataclass
class CostPanel:
    report: costreport.CostReport
    progress: Progress | None
    flagged: list[ForecastRow]
    chart_efc: str
    chart_spend: str

    @property
    def flagged_total(self) -> Decimal:
        return sum((r.over for r in self.flagged), ZERO)


def cost_panel_data(*, access: ProductionAccess) -> CostPanel | None:
    """The reporting budget's report for its default week, the forecast and the two charts; None for
    someone who may not read the budget, or without a budget."""
    if not can_view_budget(access):
        return None
    budget = costreport.reporting_budget(access.production)
    if budget is None:
        return None
    week = costreport.default_week(access.production)
    report = costreport.cost_report(access=access, budget=budget, week_ending=week)
    progress = schedule_progress(access=access, as_of=report.week_ending)
    return CostPanel(report=report, progress=progress, flagged=forecast(report, progress),
                     chart_efc=svgcharts.budget_vs_efc_svg(report, limit=8),
                     chart_spend=svgcharts.spend_over_time_svg(report))


def cost_panel(access: ProductionAccess):
    """The production dashboard's cost tile (registered in apps.py)."""
    panel = cost_panel_data(access=access)
    if panel is None:
        return None
    return "budgets/_dashboard_cost.html", {"cost": panel}
