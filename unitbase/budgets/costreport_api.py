"""Cost report API (docs/budgets.md "Cost report"): the report (live or a closed period), the
financier's summary, and period closings. Mounted under /api/v1/productions/ like budgets' router.
Reads need budget access (VIEW_BUDGET); closing needs edit_budget. Money is a decimal string."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id
from unitbase.productions.authority import Action

from . import calc, closings, costreport
from .costreport_exports import summary_rows
from .models import Budget
from .permissions import VIEW_BUDGET, access_budget

router = Router(tags=["cost report"])


class ErrorOut(Schema):
    detail: list[dict]


class ClosingIn(Schema):
    week_ending: dt.date
    note: str = Field("", max_length=300)


class ClosingOut(Schema):
    id: int
    budget_id: int
    week_ending: dt.date
    period_start: dt.date
    closed_at: dt.datetime
    closed_by: str | None
    note: str

    @staticmethod
    def resolve_closed_by(obj) -> str | None:
        return obj.closed_by.email if obj.closed_by else None


def _budget(access, budget_id: int) -> Budget:
    budget = Budget.objects.select_related("production").filter(production=access.production, pk=budget_id).first()
    if budget is None:
        raise Http404("No such budget.")
    return budget


def _conflict(exc: calc.CalcError):
    return Status(409, {"detail": [{"loc": [], "msg": f"The budget cannot be totalled: {exc}"}]})


@router.get("/{production_id}/budgets/{budget_id}/cost-report", response={200: dict, 409: ErrorOut})
def cost_report(request, production_id: Id, budget_id: Id, week: dt.date | None = None, live: bool = False):
    """The cost report for the week ending `week` (default: the week the page opens on): the frozen
    snapshot when that week is closed against this budget (`closed: true`) unless `live=true`."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    budget = _budget(access, budget_id)
    week = week or costreport.default_week(access.production)
    try:
        report = costreport.cost_report(access=access, budget=budget, week_ending=week, live=live)
    except calc.CalcError as exc:
        return _conflict(exc)
    return costreport.report_json(report)


@router.get("/{production_id}/budgets/{budget_id}/cost-summary", response={200: dict, 409: ErrorOut})
def cost_summary(request, production_id: Id, budget_id: Id, week: dt.date | None = None):
    """Top-sheet level (levels → categories, no accounts): for the financier. Default week: the
    latest period closed against this budget."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    budget = _budget(access, budget_id)
    if week is None:
        latest = closings.closing_list(access=access).filter(budget=budget).first()
        week = latest.week_ending if latest else costreport.default_week(access.production)
    try:
        report = costreport.cost_report(access=access, budget=budget, week_ending=week)
    except calc.CalcError as exc:
        return _conflict(exc)

    def figures(obj) -> dict:
        return {k: (None if getattr(obj, k) is None else f"{getattr(obj, k):.2f}")
                for k in ("budget", "period", "atd", "committed", "efc", "variance", "prior_efc", "efc_change")}

    levels = []
    for kind, code, name, fig in summary_rows(report):
        if kind == "level":
            levels.append({"label": name, "categories": []})
        elif kind == "category":
            levels[-1]["categories"].append({"code": code, "name": name, **figures(fig)})
        elif kind == "total":
            levels[-1].update(figures(fig))
    return {
        "budget_id": budget.pk, "base_currency": budget.base_currency, "week_ending": report.week_ending.isoformat(),
        "closed": report.closing is not None,
        "closed_at": report.closing.closed_at.isoformat() if report.closing else None,
        "levels": levels, "total": figures(report.total),
    }


@router.get("/{production_id}/cost-report/closings", response=list[ClosingOut])
def closing_list(request, production_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return list(closings.closing_list(access=access))


@router.post("/{production_id}/budgets/{budget_id}/cost-report/closings",
             response={201: ClosingOut, 409: ErrorOut, 422: ErrorOut})
def closing_create(request, production_id: Id, budget_id: Id, payload: ClosingIn):
    """Close the period ending `week_ending` (accounting: edit_budget). 422 when the week is
    already closed or before the latest closed week."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    _budget(access, budget_id)
    try:
        closing = closings.cost_report_close(access=access, budget_id=budget_id, week_ending=payload.week_ending,
                                             note=payload.note)
    except calc.CalcError as exc:
        return _conflict(exc)
    except ValidationError as exc:
        detail = [{"loc": ["body", key], "msg": " ".join(msgs)} for key, msgs in exc.message_dict.items()] \
            if hasattr(exc, "error_dict") else [{"loc": [], "msg": " ".join(exc.messages)}]
        return Status(422, {"detail": detail})
    return Status(201, closing)
