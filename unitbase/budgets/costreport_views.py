"""Cost report pages: the accountant's report (live or a closed period's snapshot, with prior EFC
and change), period closing, ETC edits, the financier's summary, and their PDF/XLSX exports.
Thin: reads through costreport/closings, writes through their services; invalid POSTs answer 422."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from unitbase.core.forms import apply_service_errors
from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view

from . import calc, closings, costreport, costreport_exports, exports, spending, svgcharts
from .models import Budget
from .permissions import VIEW_BUDGET, access_budget


def report_view(action: str = VIEW_BUDGET):
    return production_view(action, guard=access_budget)


class EstimateForm(forms.Form):
    account_code = forms.CharField(max_length=20, label="Account")
    etc = forms.DecimalField(max_digits=14, decimal_places=2, required=False, label="Estimate to complete",
                             help_text="Blank: back to the default (budget − total cost, at least 0)")
    note = forms.CharField(max_length=200, required=False)


class CloseForm(forms.Form):
    week_ending = forms.DateField(label="Week ending", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(max_length=300, required=False)


def _budget(access, budget_id: int) -> Budget:
    try:
        return Budget.objects.select_related("production").get(production=access.production, pk=budget_id)
    except ObjectDoesNotExist:
        raise Http404("No such budget.") from None


def _week(request, production, default=None) -> tuple[dt.date, str]:
    raw = request.GET.get("week", "")
    fallback = default or costreport.default_week(production)
    try:
        week = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return fallback, (f"Enter the week ending as a date (YYYY-MM-DD): {raw!r} is not one. "
                          f"Showing w/e {fallback:%d %b %Y}.")
    return week or fallback, ""


def _report(request, access, budget_id: int):
    budget = _budget(access, budget_id)
    week, warning = _week(request, access.production)
    live = request.GET.get("live") == "1"
    return costreport.cost_report(access=access, budget=budget, week_ending=week, live=live), warning


@report_view()
def cost_report(request, access, budget_id: int):
    return _page(request, access, budget_id)


def _page(request, access, budget_id: int, form=None, close_form=None, status=200):
    try:
        report, warning = _report(request, access, budget_id)
    except calc.CalcError as exc:
        messages.error(request, f"The budget cannot be totalled: {exc}")
        return redirect("budgets:topsheet", access.production.pk, budget_id)
    show_all = request.GET.get("all") == "1"
    closed = list(closings.closing_list(access=access))
    latest = closed[0] if closed else None
    can_edit = access.can(Action.EDIT_BUDGET)
    can_close = (can_edit and report.closing is None
                 and (latest is None or report.week_ending > latest.week_ending))
    week = report.week_ending.isoformat()
    return render(request, "budgets/costreport.html", {
        "report": report, "budget": report.budget, "warning": warning, "show_all": show_all,
        "rows": exports.cost_report_rows(report, include_empty=show_all),
        "columns": costreport_exports.COLUMNS, "query": request.GET.urlencode(), "week": week,
        "can_edit": can_edit and report.closing is None, "form": form or EstimateForm(),
        "can_close": can_close, "close_form": close_form or CloseForm(initial={"week_ending": report.week_ending}),
        "closings": closed[:12], "latest_closing": latest,
        "chart_efc": svgcharts.budget_vs_efc_svg(report), "chart_spend": svgcharts.spend_over_time_svg(report),
    }, status=status)


@report_view()
def cost_report_pdf(request, access, budget_id: int):
    report, _ = _report(request, access, budget_id)
    return costreport_exports.pdf_response(report)


@report_view()
def cost_report_xlsx(request, access, budget_id: int):
    report, _ = _report(request, access, budget_id)
    return costreport_exports.xlsx_response(report)


@report_view(Action.EDIT_BUDGET)
@require_POST
def cost_estimate(request, access, budget_id: int):
    form = EstimateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            spending.cost_estimate_set(access=access, budget_id=budget_id, account_code=d["account_code"],
                                       etc=d["etc"], note=d["note"])
        except Budget.DoesNotExist:
            raise Http404("No such budget.") from None
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Estimate to complete for {d['account_code']} saved.")
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return redirect(reverse("budgets:cost_report", args=[access.production.pk, budget_id]) + query)
    return _page(request, access, budget_id, form=form, status=422)


@report_view(Action.EDIT_BUDGET)
@require_POST
def cost_report_close(request, access, budget_id: int):
    form = CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            closing = closings.cost_report_close(access=access, budget_id=budget_id, week_ending=d["week_ending"],
                                                 note=d["note"])
        except calc.CalcError as exc:
            form.add_error(None, f"The budget cannot be totalled: {exc}")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Period w/e {closing.week_ending:%d %b %Y} closed: its report is frozen.")
            return redirect(reverse("budgets:cost_report", args=[access.production.pk, budget_id])
                            + f"?week={closing.week_ending.isoformat()}")
    return _page(request, access, budget_id, close_form=form, status=422)


# --- the financier's summary ----------------------------------------------------------------------


def _summary(request, access, budget_id: int):
    """Default: the latest closed period (what was distributed); any week on request."""
    budget = _budget(access, budget_id)
    latest = closings.closing_list(access=access).filter(budget=budget).first()
    week, warning = _week(request, access.production, default=latest.week_ending if latest else None)
    return costreport.cost_report(access=access, budget=budget, week_ending=week), warning


@report_view()
def cost_summary(request, access, budget_id: int):
    try:
        report, warning = _summary(request, access, budget_id)
    except calc.CalcError as exc:
        messages.error(request, f"The budget cannot be totalled: {exc}")
        return redirect("budgets:topsheet", access.production.pk, budget_id)
    return render(request, "budgets/costsummary.html", {
        "report": report, "budget": report.budget, "warning": warning, "week": report.week_ending.isoformat(),
        "rows": costreport_exports.summary_rows(report), "columns": costreport_exports.SUMMARY_COLUMNS,
        "closings": list(closings.closing_list(access=access).filter(budget=report.budget)[:12]),
        "chart_efc": svgcharts.budget_vs_efc_svg(report),
    })


@report_view()
def cost_summary_pdf(request, access, budget_id: int):
    report, _ = _summary(request, access, budget_id)
    return costreport_exports.summary_pdf_response(report)


@report_view()
def cost_summary_xlsx(request, access, budget_id: int):
    report, _ = _summary(request, access, budget_id)
    return costreport_exports.summary_xlsx_response(report)
