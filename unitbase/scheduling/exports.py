"""A report as CSV, XLSX or PDF (WeasyPrint, from the same data as the page)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

from .reports import Report

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

CODE_FILLS = {"SW": "C8E6C9", "SWF": "C8E6C9", "WF": "C8E6C9", "W": "E8F5E9", "H": "FFF3C4", "T": "D6E4F5",
              "R": "E1D5F0", "F": "F5D5E4", "PW": "C8E6C9", "WD": "FFD8CC", "SWD": "FFD8CC", "PWF": "C8E6C9", "/": "DDDDDD"}


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not value.startswith("— "):
        return "'" + value
    return value


def csv_bytes(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.production.title, report.title, report.version.schedule.unit.name, report.version.name])
    writer.writerow(report.headers)
    for row in report.rows:
        writer.writerow([_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = report.kind[:31]
    ws.append([f"{report.production.title} — {report.title} — {report.version.schedule.unit.name}, {report.version.name}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(report.headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F5")
    is_dood = report.kind.startswith("dood")
    for row in report.rows:
        ws.append([_safe(v) for v in row])
        if is_dood:
            for cell in ws[ws.max_row][2 : len(report.headers) - 9]:
                fill = CODE_FILLS.get(str(cell.value or ""))
                cell.alignment = Alignment(horizontal="center")
                if fill:
                    cell.fill = PatternFill("solid", fgColor=fill)
    ws.freeze_panes = "C3" if is_dood else "A3"
    for i, header in enumerate(report.headers, start=1):
        width = 6 if is_dood and 2 < i <= len(report.headers) - 9 else min(max(len(str(header)) + 2, 8), 60)
        if not is_dood and header in ("Set", "Synopsis", "Elements"):
            width = 40
        if header in ("Cast",) or (is_dood and i == 2):
            width = 28
        ws.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf_bytes(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string(report.pdf_template, {"report": report, **report.context})
    return HTML(string=html).write_pdf()


def respond(report: Report, fmt: str) -> HttpResponse:
    content = {"csv": csv_bytes, "xlsx": xlsx_bytes, "pdf": pdf_bytes}[fmt](report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report.filename}.{fmt}"'
    return response
