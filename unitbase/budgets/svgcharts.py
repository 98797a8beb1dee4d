"""Cost-report charts as inline SVG drawn on the server (no JavaScript, nothing from the network):
budget against estimated final cost per category, and cumulative spend per week against the budget.
Text is escaped with format_html; every figure comes from the report already computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Min, Sum
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import ledgercache
from .models import Transaction

WIDTH = 720
BAR_H = 10
ROW_H = 30
LABEL_W = 190


def _money(value: Decimal) -> str:
    return f"{value:,.0f}"


def budget_vs_efc_svg(report, limit: int = 14) -> SafeString:
    """Two bars per category (budget, EFC), largest budgets first; EFC red when over budget."""
    cats = [c for lv in report.levels for c in lv.categories if c.budget or c.efc]
    cats = sorted(cats, key=lambda c: -max(c.budget, c.efc))[:limit]
    if not cats:
        return SafeString("")
    top = max(max(c.budget, c.efc) for c in cats) or Decimal(1)
    span = WIDTH - LABEL_W - 90
    height = ROW_H * len(cats) + 30
    rows = []
    for i, c in enumerate(cats):
        y = 24 + i * ROW_H
        wb = int(span * c.budget / top)
        we = int(span * c.efc / top)
        over = c.efc > c.budget
        rows.append(format_html(
            '<g><title>{} {}: budget {}, EFC {}</title>'
            '<text x="{}" y="{}" text-anchor="end" class="lbl">{} {}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" class="bar-budget"/>'
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>'
            '<text x="{}" y="{}" class="val">{}</text></g>',
            c.code, c.name, _money(c.budget), _money(c.efc),
            LABEL_W - 8, y + BAR_H + 2, c.code, c.name[:24],
            LABEL_W, y, max(wb, 1), BAR_H,
            LABEL_W, y + BAR_H + 1, max(we, 1), BAR_H, "bar-efc over" if over else "bar-efc",
            LABEL_W + max(wb, we) + 6, y + BAR_H + 2, _money(c.efc),
        ))
    legend = format_html(
        '<rect x="{}" y="4" width="10" height="10" class="bar-budget"/><text x="{}" y="13" class="lbl">Budget</text>'
        '<rect x="{}" y="4" width="10" height="10" class="bar-efc"/><text x="{}" y="13" class="lbl">Est. final cost</text>'
        '<rect x="{}" y="4" width="10" height="10" class="bar-efc over"/><text x="{}" y="13" class="lbl">over budget</text>',
        LABEL_W, LABEL_W + 14, LABEL_W + 80, LABEL_W + 94, LABEL_W + 210, LABEL_W + 224)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-efc-title">'
        '<title id="chart-efc-title">Budget against estimated final cost by category</title>{}{}</svg>',
        WIDTH, height, legend, mark_safe("".join(rows)))  # noqa: S308 - each row built with format_html


def weekly_spend(report) -> list[tuple[dt.date, Decimal]]:
    """Cumulative actuals at each week ending (Sunday) up to the report's week, one grouped query,
    cached per state of the ledger."""
    production = report.budget.production
    return ledgercache.cached(production.pk, f"weekly:{report.week_ending}",
                              lambda: _weekly_spend(production, report.week_ending),
                              stamp=getattr(report, "ledger_stamp", None))


def _weekly_spend(production, week_ending: dt.date) -> list[tuple[dt.date, Decimal]]:
    rows = (Transaction.objects.filter(production=production, date__lte=week_ending)
            .annotate(reported=Coalesce("posted_period_ending", "date"))
            .filter(reported__lte=week_ending)
            .values("reported").annotate(s=Sum("base_amount")).order_by("reported"))
    weeks: dict[dt.date, Decimal] = {}
    for r in rows:
        sunday = r["reported"] + dt.timedelta(days=6 - r["reported"].weekday())
        weeks[sunday] = weeks.get(sunday, Decimal(0)) + (r["s"] or Decimal(0))
    running, result = Decimal(0), []
    for sunday in sorted(weeks):
        running += weeks[sunday]
        result.append((sunday, running))
    return result


def plan_window(production) -> tuple[dt.date, dt.date] | None:
    """The period the budget is planned to be spent over: from the first crew engagement's start to
    the last one's end (prep to wrap, as the crew list has them); None when the crew list has no dates."""
    from unitbase.people.models import CrewMember

    row = CrewMember.objects.filter(production=production).aggregate(start=Min("start_date"), end=Max("end_date"))
    if row["start"] is None or row["end"] is None or row["end"] < row["start"]:
        return None
    return row["start"], row["end"]


def planned_to_date(budget: Decimal, window: tuple[dt.date, dt.date], day: dt.date) -> Decimal:
    """The plan: the budget spent evenly over the plan window's days (none before it, all after it)."""
    start, end = window
    if day < start:
        return Decimal(0)
    if day >= end:
        return budget
    return budget * Decimal((day - start).days + 1) / Decimal((end - start).days + 1)


def spend_over_time_svg(report) -> SafeString:
    """Cumulative spend per week (line) against the plan (the budget spread evenly from the crew's
    first start to its last end, dashed grey rising line), with the budget and the estimated final
    cost as levels."""
    points = weekly_spend(report)
    if not points:
        return SafeString("")
    budget, efc = report.total.budget, report.total.efc
    window = plan_window(report.budget.production)
    first_week, last_week = points[0][0], report.week_ending
    if window is not None:
        first_week = min(first_week, window[0] + dt.timedelta(days=6 - window[0].weekday()))
    weeks = [first_week + dt.timedelta(weeks=i) for i in range((last_week - first_week).days // 7 + 1)] or [last_week]
    top = max(budget, efc, points[-1][1]) or Decimal(1)
    left, right, h, pad = 70, WIDTH - 20, 200, 20

    def y(value: Decimal) -> int:
        return int(pad + (h - pad) * (1 - value / top))

    span = (weeks[-1] - weeks[0]).days or 1

    def x(day: dt.date) -> int:
        return int(left + (right - left) * ((day - weeks[0]).days / span if len(weeks) > 1 else 1))

    path = " ".join(f"{x(d)},{y(v)}" for d, v in points)
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="3" class="pt"><title>w/e {}: {}</title></circle>',
                            ((x(d), y(v), d.strftime("%d %b"), _money(v)) for d, v in points))
    plan, plan_label = SafeString(""), SafeString("")
    if window is not None:
        planned = [(d, planned_to_date(budget, window, d)) for d in weeks]
        plan = format_html('<polyline points="{}" class="plan-curve"/>',
                           " ".join(f"{x(d)},{y(v)}" for d, v in planned))
        plan_label = format_html('<text x="{}" y="{}" class="lbl">Plan to date {} ({} to {})</text>',
                                 left + 4, h + 30, _money(planned[-1][1]), window[0].strftime("%d %b"),
                                 window[1].strftime("%d %b %Y"))
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {hh}" role="img" aria-labelledby="chart-spend-title">'
        '<title id="chart-spend-title">Cumulative spend by week against the plan, the budget and the estimated final cost</title>'
        '<line x1="{l}" x2="{r}" y1="{yb}" y2="{yb}" class="plan"/><text x="{l}" y="{ybt}" class="lbl">Budget {b}</text>'
        '<line x1="{l}" x2="{r}" y1="{ye}" y2="{ye}" class="efc-line"/><text x="{r}" y="{yet}" text-anchor="end" class="lbl">EFC {e}</text>'
        '<line x1="{l}" x2="{r}" y1="{y0}" y2="{y0}" class="axis"/>'
        '{plan}<polyline points="{p}" class="spend"/>{dots}'
        '<text x="{l}" y="{yl}" class="lbl">{first}</text><text x="{r}" y="{yl}" text-anchor="end" class="lbl">{last}</text>'
        '{plan_label}</svg>',
        w=WIDTH, hh=h + 40, l=left, r=right, yb=y(budget), ybt=y(budget) - 4, b=_money(budget),
        ye=y(efc), yet=y(efc) - 4, e=_money(efc), y0=y(Decimal(0)), plan=plan, p=path, dots=dots,
        yl=h + 16, first=weeks[0].strftime("w/e %d %b"), last=weeks[-1].strftime("w/e %d %b %Y"),
        plan_label=plan_label)
