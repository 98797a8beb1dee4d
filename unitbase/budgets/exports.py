"""The budget as an XLSX workbook (the top sheet, then every detail line with its totals) and as
PDF (WeasyPrint): the top sheet on A4 portrait, the detail (every account's lines) on A4 landscape."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import calc
from .models import Budget, DetailLine

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0.00;[Red]-#,##0.00"


def workbook(budget: Budget, sheet: calc.TopSheet, rows: list[dict[str, Any]]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Top sheet"
    ws.append([f"{budget.production.title} — {budget} ({budget.get_status_display()})"])
    ws.append([f"Base currency {budget.base_currency}; printed {timezone.localdate():%d %b %Y}"])
    ws.append([])
    ws.append(["Acct", "Description", f"Total ({budget.base_currency})"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        if row["kind"] == "level":
            ws.append([None, row["name"].upper()])
            ws.cell(ws.max_row, 2).font = Font(bold=True)
        else:
            ws.append([row.get("code") or None, row["name"], row["amount"]])
            if row["kind"] == "total":
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
    summary = [("Total above-the-line", sheet.atl), ("Total below-the-line", sheet.btl),
               ("Total above and below-the-line", sheet.total_before_charges)]
    summary += [(f"{c.name}" + (f" ({c.rate.normalize():f}%)" if c.kind == "percent" else ""), c.amount)
                for c in sheet.charges if c.applied]
    summary += [("Total charges", sheet.charges_total), ("GRAND TOTAL", sheet.grand_total)]
    ws.append([])
    for name, amount in summary:
        ws.append([None, name, amount])
        ws.cell(ws.max_row, 2).font = Font(bold=True)
    for row in ws.iter_rows(min_row=5, min_col=3, max_col=3):
        row[0].number_format = MONEY
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 16

    detail = wb.create_sheet("Detail")
    header = ["Acct", "Account", "Description", "Amount", "Units", "X", "Rate", "Currency",
              f"Subtotal ({budget.base_currency})", "Fringes", "Fringe codes", f"Total ({budget.base_currency})",
              "Set", "Location", "Episode", "Notes", "Person", "Engagement"]
    detail.append(header)
    for cell in detail[1]:
        cell.font = Font(bold=True)
    lines = (DetailLine.objects.filter(budget=budget).select_related("account").prefetch_related("fringes")
             .order_by("account__order", "order", "id"))
    for line in lines:
        result = sheet.lines[line.pk]
        detail.append([
            line.account.code, line.account.name, line.description, line.amount, line.get_unit_display(), line.x,
            line.rate, line.currency, result.subtotal, result.fringe_total,
            ", ".join(sorted(f.code for f in line.fringes.all())), result.total,
            line.tag_set, line.tag_location, line.tag_episode, line.notes, line.person, line.fringe_group,
        ])
    for row in detail.iter_rows(min_row=2):
        for idx in (6, 8, 9, 11):
            row[idx].number_format = MONEY
        for idx in (3, 5):
            row[idx].alignment = Alignment(horizontal="right")
    for letter, width in zip("ABCDEFGHIJKLMNOPQR", (8, 28, 34, 10, 8, 8, 12, 9, 15, 12, 14, 15, 14, 14, 9, 30, 20, 20),
                             strict=True):
        detail.column_dimensions[letter].width = width
    detail.freeze_panes = "A2"
    return wb


def xlsx_response(budget: Budget, sheet: calc.TopSheet, rows: list[dict[str, Any]]) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(budget, sheet, rows).save(buffer)
    name = slugify(f"{budget.production.title} {budget.name} v{budget.version}") or "budget"
    return HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def _detail_sections(budget: Budget, sheet: calc.TopSheet) -> list[dict[str, Any]]:
    """Level → category → account → (line, result), accounts without lines left out."""
    by_account: dict[str, list] = {}
    lines = (DetailLine.objects.filter(budget=budget).select_related("account")
             .order_by("account__order", "order", "id"))
    for line in lines:
        by_account.setdefault(line.account.code, []).append((line, sheet.lines[line.pk]))
    sections = []
    for level in sheet.levels:
        categories = []
        for cat in level.categories:
            accounts = [{"code": acc.code, "name": acc.name, "result": acc, "lines": by_account[acc.code]}
                        for acc in cat.accounts if by_account.get(acc.code)]
            if accounts:
                categories.append({"code": cat.code, "name": cat.name, "accounts": accounts})
        if categories:
            sections.append({"label": level.label, "categories": categories})
    return sections


def budget_pdf_html(budget: Budget, sheet: calc.TopSheet, rows: list[dict[str, Any]], *, detail: bool) -> str:
    return render_to_string("budgets/budget_pdf.html", {
        "budget": budget, "sheet": sheet, "rows": rows, "detail": detail,
        "title": "Budget detail" if detail else "Top sheet", "printed": timezone.localtime(),
        "globals": list(budget.globals.all()), "fringes": list(budget.fringes.all()),
        "rates": list(budget.exchange_rates.all()),
        "sections": _detail_sections(budget, sheet) if detail else [],
    })


def budget_pdf_bytes(budget: Budget, sheet: calc.TopSheet, rows: list[dict[str, Any]], *, detail: bool) -> bytes:
    from weasyprint import HTML

    return HTML(string=budget_pdf_html(budget, sheet, rows, detail=detail)).write_pdf()


def budget_pdf_response(budget: Budget, sheet: calc.TopSheet, rows: list[dict[str, Any]], *,
                        detail: bool) -> HttpResponse:
    what = "detail" if detail else "topsheet"
    name = slugify(f"{budget.production.title} {budget.name} v{budget.version} {what}") or what
    return HttpResponse(budget_pdf_bytes(budget, sheet, rows, detail=detail), content_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


# --- the cost report (docs/budgets.md "Spending and cost report") --------------------------------

COST_COLUMNS = [("budget", "Budget"), ("period", "This period"), ("atd", "Actual to date"),
                ("committed", "PO commitments"), ("total_cost", "Total cost"), ("etc", "Est. to complete"),
                ("efc", "Est. final cost"), ("variance", "Variance")]


def cost_report_rows(report, include_empty: bool = False) -> list[tuple[str, str, str, Any]]:
    """(kind, code, name, figures) in reading order: level headings, accounts, category and level
    totals, then the grand total. Accounts with nothing in any column are left out."""
    rows: list[tuple[str, str, str, Any]] = []
    for level in report.levels:
        level_rows: list[tuple[str, str, str, Any]] = []
        for cat in level.categories:
            shown = [acc for acc in cat.accounts
                     if include_empty or any(getattr(acc, key) for key, _ in COST_COLUMNS)]
            if shown:
                level_rows += [("account", acc.code, acc.name, acc) for acc in shown]
                level_rows.append(("category", cat.code, f"Total {cat.name}", cat))
        if level_rows:
            rows += [("level", "", level.label, None), *level_rows, ("total", "", f"Total {level.label}", level)]
    rows.append(("grand", "", "Grand total", report.total))
    return rows


