"""Cost report exports: the accountant's full report and the financier's summary, as XLSX
(openpyxl) and PDF (WeasyPrint). Both say whether the figures are a closed period's frozen
snapshot (with its closing date) or live, and carry the prior EFC and its change."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .exports import MONEY, XLSX_CONTENT_TYPE, cost_report_rows

COLUMNS = [("budget", "Budget"), ("period", "This period"), ("atd", "Actual to date"),
           ("committed", "Commitments"), ("total_cost", "Total cost"), ("etc", "Est. to complete"),
           ("efc", "Est. final cost"), ("variance", "Variance"), ("prior_efc", "Prior EFC"),
           ("efc_change", "Change in EFC")]

SUMMARY_COLUMNS = [("budget", "Budget"), ("period", "This period"), ("atd", "Actual to date"),
                   ("committed", "Commitments"), ("efc", "Est. final cost"), ("variance", "Variance"),
                   ("efc_change", "Change in EFC")]


def status_line(report) -> str:
    if report.closing is not None:
        closed_at = timezone.localtime(report.closing.closed_at)
        who = f" by {report.closing.closed_by.get_full_name() or report.closing.closed_by.email}" \
            if report.closing.closed_by else ""
        return f"Closed period: frozen on {closed_at:%d %b %Y %H:%M}{who}"
    return "Live figures: this period is not closed"


def prior_line(report) -> str:
    if report.prior_closing is None:
        return "No earlier closed period: no prior EFC."
    return f"Prior EFC from the period closed w/e {report.prior_closing.week_ending:%d %b %Y}."


def cells(rows, columns) -> list[tuple[str, str, str, Any, list[tuple[str, Any]]]]:
    """Rows with their column values in order, for templates: (kind, code, name, figures, [(key, value)])."""
    return [(kind, code, name, fig, [(key, getattr(fig, key)) for key, _ in columns] if fig is not None else [])
            for kind, code, name, fig in rows]


def summary_rows(report) -> list[tuple[str, str, str, Any]]:
    """Top-sheet level: categories, level totals and the grand total; no accounts, no lines."""
    rows: list[tuple[str, str, str, Any]] = []
    for level in report.levels:
        rows.append(("level", "", level.label, None))
        rows += [("category", cat.code, cat.name, cat) for cat in level.categories]
        rows.append(("total", "", f"Total {level.label}", level))
    rows.append(("grand", "", "Grand total", report.total))
    return rows


def _workbook(report, title: str, columns, rows) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    budget = report.budget
    ws.append([f"{budget.production.title} — {title.lower()} against {budget}"])
    ws.append([f"Week ending {report.week_ending:%d %b %Y} (period {report.period_start:%d %b}–"
               f"{report.week_ending:%d %b %Y}); {budget.base_currency}"])
    ws.append([f"{status_line(report)}. {prior_line(report)}"])
    ws.append([])
    ws.append(["Acct", "Description", *[label for _, label in columns]])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for kind, code, name, fig in rows:
        if fig is None:
            ws.append([None, name.upper()])
            ws.cell(ws.max_row, 2).font = Font(bold=True)
            continue
        ws.append([code or None, name, *[getattr(fig, key) for key, _ in columns]])
        if kind not in ("account", "category") or (kind == "category" and title == "Cost report"):
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=header_row + 1, min_col=3, max_col=2 + len(columns)):
        for cell in row:
            cell.number_format = MONEY
            cell.alignment = Alignment(horizontal="right")
    ws.column_dimensions["B"].width = 34
    for i in range(len(columns)):
        ws.column_dimensions[chr(ord("C") + i)].width = 15
    return wb


def workbook(report) -> Workbook:
    wb = _workbook(report, "Cost report", COLUMNS, cost_report_rows(report))
    over = wb.create_sheet("Overruns")
    over.append(["Acct", "Description", "Budget", "Est. final cost", "Variance"])
    for acc in report.overruns:
        over.append([acc.code, acc.name, acc.budget, acc.efc, acc.variance])
    for row in over.iter_rows(min_row=2, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = MONEY
    return wb


def summary_workbook(report) -> Workbook:
    return _workbook(report, "Cost summary", SUMMARY_COLUMNS, summary_rows(report))


def _name(report, what: str, ext: str) -> str:
    return f"{what}-{slugify(report.budget.production.title)}-{report.week_ending:%Y-%m-%d}.{ext}"


def _xlsx(wb: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf(html: str, filename: str) -> HttpResponse:
    from weasyprint import HTML

    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_bytes(report) -> bytes:
    from weasyprint import HTML

    return HTML(string=_pdf_html(report)).write_pdf()


def _pdf_html(report) -> str:
    return render_to_string("budgets/costreport_pdf.html", {
        "report": report, "rows": cells(cost_report_rows(report), COLUMNS), "columns": COLUMNS, "title": "Cost report",
        "status": status_line(report), "prior": prior_line(report), "printed": timezone.localtime()})


def summary_pdf_html(report) -> str:
    return render_to_string("budgets/costreport_pdf.html", {
        "report": report, "rows": cells(summary_rows(report), SUMMARY_COLUMNS), "columns": SUMMARY_COLUMNS,
        "title": "Cost summary",
        "summary": True, "status": status_line(report), "prior": prior_line(report),
        "printed": timezone.localtime()})


def xlsx_response(report) -> HttpResponse:
    return _xlsx(workbook(report), _name(report, "cost-report", "xlsx"))


def pdf_response(report) -> HttpResponse:
    return _pdf(_pdf_html(report), _name(report, "cost-report", "pdf"))


def summary_xlsx_response(report) -> HttpResponse:
    return _xlsx(summary_workbook(report), _name(report, "cost-summary", "xlsx"))


def summary_pdf_response(report) -> HttpResponse:
    return _pdf(summary_pdf_html(report), _name(report, "cost-summary", "pdf"))
