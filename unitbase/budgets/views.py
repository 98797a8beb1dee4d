"""Budget pages: list, charts, top sheet, account detail with inline (htmx) line editing, setup
(globals, fringes, exchange rates, charges), compare, XLSX export and CSV import. Thin: forms
validate shapes, services write, selectors read; 422 for invalid input, 409 for a conflict."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view
from unitbase.productions.permissions import ProductionAccess

from . import calc, exports, forms, selectors, services
from .models import Budget, DetailLine
from .permissions import VIEW_BUDGET, access_budget


def budget_view(action: str = VIEW_BUDGET):
    """Like `production_view`, through `access_budget`: 404 for non-members, 403 for roles that
    may not see (or edit) budgets."""
    return production_view(action, guard=access_budget)


def _get(getter, **kwargs):
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("No such record in this production.") from None


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _conflict_page(request, access, budget, message: str) -> HttpResponse:
    return render(request, "budgets/conflict.html", {"budget": budget, "message": message}, status=409)


# --- list, charts --------------------------------------------------------------------------------


@budget_view()
def budget_list(request, access):
    return _list_page(request, access)


def _list_page(request, access, create_form=None, chart_form=None, import_form=None, status=200):
    can_edit = access.can(Action.EDIT_BUDGET)
    context = {
        "budgets": list(selectors.budget_list(access=access)),
        "charts": list(selectors.chart_list(access=access)),
        "can_edit": can_edit,
        "create_form": create_form or forms.BudgetCreateForm(access=access),
        "chart_form": chart_form or forms.StandardChartForm(),
        "import_form": import_form or forms.ChartImportForm(),
    }
    return render(request, "budgets/budget_list.html", context, status=status)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def budget_create(request, access):
    form = forms.BudgetCreateForm(request.POST, access=access)
    if form.is_valid():
        try:
            budget = services.budget_create(access=access, chart_id=form.cleaned_data["chart"].pk,
                                            name=form.cleaned_data["name"],
                                            base_currency=form.cleaned_data["base_currency"])
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"Budget “{budget}” created from {budget.chart.name}.")
            return redirect("budgets:topsheet", access.production.pk, budget.pk)
    return _list_page(request, access, create_form=form, status=422)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def chart_load(request, access):
    form = forms.StandardChartForm(request.POST)
    if form.is_valid():
        try:
            chart = services.chart_load_standard(access=access, kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"Chart “{chart.name}” loaded.")
            return redirect("budgets:list", access.production.pk)
    return _list_page(request, access, chart_form=form, status=422)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def chart_import(request, access):
    form = forms.ChartImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            chart = services.chart_import_csv(access=access, name=form.cleaned_data["name"], text=form.cleaned_data["file"])
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, f"Chart “{chart.name}” imported.")
            return redirect("budgets:chart", access.production.pk, chart.pk)
    return _list_page(request, access, import_form=form, status=422)


@budget_view()
def chart_detail(request, access, chart_id: int):
    chart = _get(selectors.chart_get, access=access, chart_id=chart_id)
    form = forms.ChartAccountForm(request.POST or None, chart=chart)
    status = 200
    if request.method == "POST":
        access.require(Action.EDIT_BUDGET)
        if form.is_valid():
            try:
                account = services.chart_account_add(
                    access=access, chart_id=chart.pk, category_id=form.cleaned_data["category"].pk,
                    code=form.cleaned_data["code"], name=form.cleaned_data["name"])
            except ValidationError as exc:
                forms.apply_service_errors(form, exc)
            else:
                messages.success(request, f"Account {account} added.")
                return redirect("budgets:chart", access.production.pk, chart.pk)
        status = 422
    return render(request, "budgets/chart_detail.html", {
        "chart": chart, "form": form, "can_edit": access.can(Action.EDIT_BUDGET)}, status=status)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def chart_account_rename(request, access, chart_id: int, account_id: int):
    form = forms.RenameForm(request.POST)
    if form.is_valid():
        try:
            services.chart_account_rename(access=access, account_id=account_id, name=form.cleaned_data["name"])
        except ObjectDoesNotExist:
            raise Http404("No such account.") from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("budgets:chart", access.production.pk, chart_id)
        messages.success(request, "Account renamed.")
        return redirect("budgets:chart", access.production.pk, chart_id)
    messages.error(request, "Enter the account's new name.")
    response = redirect("budgets:chart", access.production.pk, chart_id)
    return response


# --- top sheet -----------------------------------------------------------------------------------


def topsheet_rows(budget: Budget, sheet: calc.TopSheet, previous: calc.TopSheet | None) -> list[dict[str, Any]]:
    """The top sheet in the accountant's layout: per level, category rows (fringes posted to the
    level's fringe category, or a "Fringes" row), then the level total."""
    posting = selectors.fringe_posting(budget)
    prev_levels = {lv.level: lv for lv in previous.levels} if previous else {}
    rows: list[dict[str, Any]] = []
    for level in sheet.levels:
        prev = prev_levels.get(level.level)
        prev_cats = {c.code: c for c in prev.categories} if prev else {}
        rows.append({"kind": "level", "name": level.label})
        fringe_code = posting.get(level.level, (None,))[0]
        for cat in level.categories:
            amount = cat.subtotal + (level.fringes if cat.code == fringe_code else 0)
            pc = prev_cats.get(cat.code)
            before = (pc.subtotal + (prev.fringes if cat.code == fringe_code else 0)) if pc else None
            rows.append({"kind": "category", "code": cat.code, "name": cat.name, "amount": amount, "previous": before,
                         "account_count": len(cat.accounts), "first_account": cat.accounts[0].code if cat.accounts else None})
        if fringe_code is None and level.fringes:
            rows.append({"kind": "category", "code": "", "name": f"Fringes ({level.label})", "amount": level.fringes,
                         "previous": prev.fringes if prev else None})
        rows.append({"kind": "total", "name": f"Total {level.label}", "amount": level.total,
                     "previous": prev.total if prev else None})
    for row in rows:
        if row.get("previous") is not None:
            row["variance"] = row["previous"] - row["amount"]
    return rows


def _sheet_or_error(access, budget) -> tuple[calc.TopSheet | None, str]:
    try:
        return selectors.budget_topsheet(access=access, budget=budget), ""
    except calc.CalcError as exc:
        return None, str(exc)


@budget_view()
def topsheet(request, access, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    sheet, error = _sheet_or_error(access, budget)
    previous = None
    if sheet and budget.parent_id:
        previous, _ = _sheet_or_error(access, budget.parent)
    accounts = {a.code: a.pk for a in budget.accounts.all()}
    rows = topsheet_rows(budget, sheet, previous) if sheet else []
    for row in rows:
        row["account_pk"] = accounts.get(row.get("first_account"))
    context = {
        "budget": budget, "sheet": sheet, "error": error, "previous": previous,
        "rows": rows, "can_edit": access.can(Action.EDIT_BUDGET),
        "others": [b for b in selectors.budget_versions(access=access) if b.pk != budget.pk],
    }
    if sheet and previous:
        context["summary_previous"] = {"atl": previous.atl, "btl": previous.btl,
                                       "before": previous.total_before_charges, "charges": previous.charges_total,
                                       "grand": previous.grand_total,
                                       "variance": previous.grand_total - sheet.grand_total}
    return render(request, "budgets/topsheet.html", context)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def budget_lock(request, access, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    try:
        services.budget_lock(access=access, budget_id=budget.pk, revision=_int(request.POST.get("revision")))
    except services.BudgetConflict as exc:
        return _conflict_page(request, access, budget, exc.message)
    messages.success(request, f"{budget} locked. Create a revision to change it.")
    return redirect("budgets:topsheet", access.production.pk, budget.pk)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def budget_revise(request, access, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    try:
        new = services.budget_revise(access=access, budget_id=budget.pk)
    except services.BudgetConflict as exc:
        return _conflict_page(request, access, budget, exc.message)
    messages.success(request, f"{new} created from {budget}; it is a working copy.")
    return redirect("budgets:topsheet", access.production.pk, new.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- account detail and inline line editing --------------------------------------------------------


def _account_context(access, budget, account, **extra) -> dict[str, Any]:
    lines = list(selectors.account_lines(access=access, account=account))
    sheet, error = _sheet_or_error(access, budget)
    can_edit = access.can(Action.EDIT_BUDGET) and not budget.is_locked
    accounts = list(budget.accounts.all())
    index = next(i for i, a in enumerate(accounts) if a.pk == account.pk)
    context = {
        "budget": budget, "account": account, "lines": lines, "sheet": sheet, "error": error,
        "results": sheet.lines if sheet else {}, "totals": sheet.accounts.get(account.code) if sheet else None,
        "can_edit": can_edit, "currencies": forms.CURRENCIES,
        "previous_account": accounts[index - 1] if index > 0 else None,
        "next_account": accounts[index + 1] if index + 1 < len(accounts) else None,
        "columns": 9 + (1 if can_edit else 0),
    }
    for line in lines:
        line.result = context["results"].get(line.pk)
    context.update(extra)
    return context


def _budget_and_account(access, budget_id, account_id):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    account = _get(selectors.account_get, access=access, budget=budget, account_id=account_id)
    return budget, account


@budget_view()
def account_detail(request, access, budget_id: int, account_id: int):
    budget, account = _budget_and_account(access, budget_id, account_id)
    context = _account_context(access, budget, account)
    context["add_form"] = forms.DetailLineForm(budget=budget)
    editing = _int(request.GET.get("edit"))
    if editing and context["can_edit"]:
        line = next((ln for ln in context["lines"] if ln.pk == editing), None)
        if line:
            context["edit_line"] = line
            context["edit_form"] = forms.DetailLineForm(initial=forms.DetailLineForm.initial_for(line), budget=budget,
                                                        prefix_id=str(line.pk))
    return render(request, "budgets/account.html", context)


T = "budgets/account.html"


@budget_view(Action.EDIT_BUDGET)
@require_POST
def line_add(request, access, budget_id: int, account_id: int):
    budget, account = _budget_and_account(access, budget_id, account_id)
    form = forms.DetailLineForm(request.POST, budget=budget)
    status, message = 422, ""
    if form.is_valid():
        try:
            line = services.detail_line_add(access=access, budget_id=budget.pk, account_id=account.pk,
                                            **form.service_data())
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        except services.BudgetConflict as exc:
            status, message = 409, exc.message
        else:
            if not _htmx(request):
                messages.success(request, f"Line “{line.description}” added.")
                return redirect("budgets:account", access.production.pk, budget.pk, account.pk)
            context = _account_context(access, budget, account, oob=True,
                                       add_form=forms.DetailLineForm(budget=budget))
            context["line"] = next(ln for ln in context["lines"] if ln.pk == line.pk)
            return render(request, f"{T}#added", context)
    context = _account_context(access, budget, account, add_form=form, conflict=message)
    if _htmx(request):
        response = render(request, f"{T}#addform", context, status=status)
        return reswap(retarget(response, "#line-add"), "outerHTML")
    return render(request, T, context, status=status)


def _line(access, budget_id, line_id) -> tuple[Budget, Any, DetailLine]:
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    line = DetailLine.objects.filter(budget=budget, pk=line_id).select_related("account").first()
    if line is None:
        raise Http404("No such line in this budget.")
    return budget, line.account, line


@budget_view()
@require_GET
def line_row(request, access, budget_id: int, line_id: int):
    budget, account, line = _line(access, budget_id, line_id)
    context = _account_context(access, budget, account)
    context["line"] = next(ln for ln in context["lines"] if ln.pk == line.pk)
    return render(request, f"{T}#row", context)


@budget_view(Action.EDIT_BUDGET)
def line_edit(request, access, budget_id: int, line_id: int):
    budget, account, line = _line(access, budget_id, line_id)
    if request.method == "GET":
        if not _htmx(request):
            url = reverse("budgets:account", args=[access.production.pk, budget.pk, account.pk])
            return redirect(f"{url}?edit={line.pk}#line-{line.pk}")
        context = _account_context(access, budget, account, line=line, edit_line=line, edit_form=forms.DetailLineForm(
            initial=forms.DetailLineForm.initial_for(line), budget=budget, prefix_id=str(line.pk)))
        return render(request, f"{T}#editrow", context)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form = forms.DetailLineForm(request.POST, budget=budget, prefix_id=str(line.pk))
    status, message = 422, ""
    if form.is_valid() and form.cleaned_data.get("revision") is None:
        form.add_error(None, "The form lost its revision number; reload the page.")
    elif form.is_valid():
        try:
            services.detail_line_update(access=access, line_id=line.pk, revision=form.cleaned_data["revision"],
                                        **form.service_data())
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        except services.BudgetConflict as exc:
            status, message = 409, exc.message
        else:
            if not _htmx(request):
                messages.success(request, "Line saved.")
                return redirect("budgets:account", access.production.pk, budget.pk, account.pk)
            context = _account_context(access, budget, account, oob=True)
            context["line"] = next(ln for ln in context["lines"] if ln.pk == line.pk)
            return render(request, f"{T}#saved", context)
    context = _account_context(access, budget, account, line=line, edit_line=line, edit_form=form, conflict=message)
    if status == 409:
        return render(request, f"{T}#conflictrow" if _htmx(request) else T, context, status=409)
    return render(request, f"{T}#editrow" if _htmx(request) else T, context, status=status)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def line_delete(request, access, budget_id: int, line_id: int):
    budget, account, line = _line(access, budget_id, line_id)
    try:
        services.detail_line_delete(access=access, line_id=line.pk, revision=_int(request.POST.get("revision")) or 0)
    except services.BudgetConflict as exc:
        context = _account_context(access, budget, account, line=line, conflict=exc.message)
        return render(request, f"{T}#conflictrow" if _htmx(request) else T, context, status=409)
    if not _htmx(request):
        messages.success(request, f"Line “{line.description}” deleted.")
        return redirect("budgets:account", access.production.pk, budget.pk, account.pk)
    context = _account_context(access, budget, account, oob=True)
    return render(request, f"{T}#deleted", context)


# --- setup: globals, fringes, exchange rates, charges ---------------------------------------------


SETUP_FORMS = {
    "global": forms.GlobalForm, "fringe": forms.FringeForm, "rate": forms.ExchangeRateForm, "charge": forms.ChargeForm,
}


def _setup_context(access, budget, bound: dict | None = None) -> dict[str, Any]:
    bound = bound or {}
    return {
        "budget": budget, "can_edit": access.can(Action.EDIT_BUDGET) and not budget.is_locked,
        "globals": list(budget.globals.all()), "fringes": list(budget.fringes.all()),
        "rates": list(budget.exchange_rates.all()), "charges": list(budget.charges.all()),
        **{f"{name}_form": bound.get(name) or cls(prefix=name) for name, cls in SETUP_FORMS.items()},
        "effect": selectors.budget_schedule_effect(access=access, budget=budget),
    }


@budget_view()
def setup(request, access, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    return render(request, "budgets/setup.html", _setup_context(access, budget))


@budget_view(Action.EDIT_BUDGET)
@require_POST
def setup_save(request, access, budget_id: int, kind: str):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    if kind not in SETUP_FORMS:
        raise Http404("No such setting.")
    form = SETUP_FORMS[kind](request.POST, prefix=kind)
    revision = _int(request.POST.get("revision"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "global":
                services.global_set(access=access, budget_id=budget.pk, revision=revision, **data)
            elif kind == "fringe":
                existing = budget.fringes.filter(code=data["code"].strip()).first()
                if existing:
                    services.fringe_update(access=access, fringe_id=existing.pk, revision=revision, **data)
                else:
                    services.fringe_create(access=access, budget_id=budget.pk, revision=revision, **data)
            elif kind == "rate":
                services.exchange_rate_set(access=access, budget_id=budget.pk, revision=revision, **data)
            else:
                services.charge_set(access=access, budget_id=budget.pk, revision=revision, **form.service_data())
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        except services.BudgetConflict as exc:
            return _conflict_page(request, access, budget, exc.message)
        else:
            messages.success(request, "Saved; every line using it is recalculated.")
            return redirect(reverse("budgets:setup", args=[access.production.pk, budget.pk]) + f"#{kind}")
    budget.refresh_from_db()
    return render(request, "budgets/setup.html", _setup_context(access, budget, {kind: form}), status=422)


@budget_view(Action.EDIT_BUDGET)
@require_POST
def setup_sync_schedule(request, access, budget_id: int):
    """SHOOT_DAYS := the applied schedule's shoot days."""
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    try:
        glob = services.global_sync_schedule(access=access, budget_id=budget.pk, revision=_int(request.POST.get("revision")))
    except ValidationError as exc:
        context = _setup_context(access, budget)
        context["sync_error"] = " ".join(exc.messages)
        return render(request, "budgets/setup.html", context, status=422)
    except services.BudgetConflict as exc:
        return _conflict_page(request, access, budget, exc.message)
    messages.success(request, f"SHOOT_DAYS is now {glob.value.normalize():f}, from the applied schedule.")
    return redirect(reverse("budgets:setup", args=[access.production.pk, budget.pk]) + "#global")


SETUP_DELETES = {"global": "name", "fringe": "fringe_id", "charge": "charge_id"}


@budget_view(Action.EDIT_BUDGET)
@require_POST
def setup_delete(request, access, budget_id: int, kind: str):
    """Delete a global (by name), a fringe or a charge (by id)."""
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    if kind not in SETUP_DELETES:
        raise Http404("No such setting.")
    revision = _int(request.POST.get("revision"))
    try:
        if kind == "global":
            services.global_delete(access=access, budget_id=budget.pk, name=request.POST.get("name", ""), revision=revision)
        elif kind == "fringe":
            services.fringe_delete(access=access, fringe_id=_int(request.POST.get("id")) or 0, revision=revision)
        else:
            services.charge_delete(access=access, charge_id=_int(request.POST.get("id")) or 0, revision=revision)
    except ObjectDoesNotExist:
        raise Http404("No such setting in this budget.") from None
    except ValidationError as exc:
        context = _setup_context(access, budget)
        context["delete_error"] = " ".join(exc.messages)
        return render(request, "budgets/setup.html", context, status=422)
    except services.BudgetConflict as exc:
        return _conflict_page(request, access, budget, exc.message)
    messages.success(request, "Deleted; the totals are recalculated.")
    return redirect(reverse("budgets:setup", args=[access.production.pk, budget.pk]) + f"#{kind}")


# --- compare, export, import -----------------------------------------------------------------------


@budget_view()
def compare(request, access):
    budgets = list(selectors.budget_list(access=access))
    by_id = {b.pk: b for b in budgets}
    left, right = by_id.get(_int(request.GET.get("left"))), by_id.get(_int(request.GET.get("right")))
    context: dict[str, Any] = {"budgets": budgets, "left": left, "right": right}
    if left and right:
        try:
            context["rows"], context["summary"] = selectors.budget_compare(access=access, left=left, right=right)
        except calc.CalcError as exc:
            context["error"] = str(exc)
    return render(request, "budgets/compare.html", context)


@budget_view()
def export_xlsx(request, access, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    sheet, error = _sheet_or_error(access, budget)
    if sheet is None:
        messages.error(request, f"The budget cannot be calculated: {error}")
        return redirect("budgets:topsheet", access.production.pk, budget.pk)
    return exports.xlsx_response(budget, sheet, topsheet_rows(budget, sheet, None))


@budget_view()
def export_pdf(request, access, budget_id: int, what: str):
    """The top sheet (what="topsheet") or every account's lines (what="detail") as PDF."""
    if what not in ("topsheet", "detail"):
        raise Http404("No such export.")
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    sheet, error = _sheet_or_error(access, budget)
    if sheet is None:
        messages.error(request, f"The budget cannot be calculated: {error}")
        return redirect("budgets:topsheet", access.production.pk, budget.pk)
    return exports.budget_pdf_response(budget, sheet, topsheet_rows(budget, sheet, None), detail=what == "detail")


@budget_view(Action.EDIT_BUDGET)
def import_lines(request, access: ProductionAccess, budget_id: int):
    budget = _get(selectors.budget_get, access=access, budget_id=budget_id)
    form = forms.CsvUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                count = services.detail_lines_import_csv(access=access, budget_id=budget.pk,
                                                         text=form.cleaned_data["file"])
            except ValidationError as exc:
                forms.apply_service_errors(form, exc)
            except services.BudgetConflict as exc:
                return _conflict_page(request, access, budget, exc.message)
            else:
                messages.success(request, f"{count} line{'s' if count != 1 else ''} imported.")
                return redirect("budgets:topsheet", access.production.pk, budget.pk)
    return render(request, "budgets/import.html", {"budget": budget, "form": form,
                                                   "columns": services.IMPORT_COLUMNS,
                                                   "optional_columns": list(services.IMPORT_OPTIONAL_COLUMNS)},
                  status=status)
