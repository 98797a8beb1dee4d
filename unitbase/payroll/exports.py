"""Payroll export (CSV, one line per person per pay element) and the PDF timecard report.

CSV layout (documented in docs/payroll-rules.md, "Timecards"): a header row, then per approved
timecard one row per pay element (the stored pay lines grouped by rule id, in calculation order),
then its fringes:

    production, week_ending, person, department, position, pay_element, rule_id, hours, rate,
    rate_unit, amount, currency, timecard_id, revision

`rate` is the effective rate (rate x multiplier) when every line of the element has the same one,
else empty, and `rate_unit` says what it is per: `hour`, `day` (a day-rate deal's day, a weekly
deal's day share or extra day), `week` (weekly salary) or `percent` (a percentage fringe). `hours` is the hours the element covers,
empty for elements not measured in hours.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from unitbase.productions.permissions import ProductionAccess

from .models import PayLineRow, Timecard

CSV_COLUMNS = [
    "production", "week_ending", "person", "department", "position", "pay_element", "rule_id", "hours", "rate",
    "rate_unit", "amount", "currency", "timecard_id", "revision",
]
_PER_DAY = {"day_rate", "weekly_day_share", "sixth_day", "seventh_day", "holiday"}


def rate_unit_of(line: PayLineRow) -> str:
    """What a line's rate is per: 'day' for a day rate, a weekly deal's day share or extra day,
    'week' for the weekly salary, 'hour' for everything priced by the hour, 'percent' for a
    percentage fringe; '' without a rate."""
    if line.rate is None:
        return ""
    if line.is_fringe:  # a percentage of pay, or an amount per hour worked or guaranteed
        return "percent" if "% of " in line.explanation else "hour"
    rule = line.rule_id.rsplit(":", 1)[-1]
    if rule == "weekly_salary":
        return "week"
    if rule in _PER_DAY and line.kind in ("base", "day_share"):
        return "day"
    return "hour"


def _plain(value: str) -> str:
    """Neutralise spreadsheet formulas in text cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def element_rows(card: Timecard) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    lines: Sequence[PayLineRow] = sorted(card.pay_lines.all(), key=lambda line: (line.is_fringe, line.order))
    for line in lines:
        row = grouped.get(line.rule_id)
        effective = (line.rate * (line.multiplier or 1)).quantize(Decimal("0.0001")) if line.rate is not None else None
        if row is None:
            grouped[line.rule_id] = row = {
                "pay_element": "fringe" if line.is_fringe else line.kind, "rule_id": line.rule_id,
                "hours": None, "rates": set(), "amount": Decimal("0.00"), "rate_unit": rate_unit_of(line),
            }
        if line.hours is not None:
            row["hours"] = (row["hours"] or Decimal(0)) + line.hours
        row["rates"].add(effective)
        row["amount"] += line.amount
    deal = card.deal
    result = []
    for row in grouped.values():
        rates = row.pop("rates")
        rate = next(iter(rates)) if len(rates) == 1 else None
        result.append({
            "production": card.production.title, "week_ending": card.week_ending.isoformat(), "person": deal.person_name,
            "department": deal.department_name, "position": deal.role_label, **row,
            "hours": _num(row["hours"]), "rate": _num(rate), "amount": f"{row['amount']:.2f}", "currency": card.currency,
            "timecard_id": card.pk, "revision": card.revision,
        })
    return result


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


def csv_text(cards: Sequence[Timecard]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for card in cards:
        for row in element_rows(card):
            writer.writerow({k: _plain(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()


def _filename(access: ProductionAccess, stem: str) -> str:
    return f"{slugify(access.production.title) or 'production'}-{stem}"


def csv_response(*, access: ProductionAccess, cards: Sequence[Timecard], week_ending=None) -> HttpResponse:
    stem = f"payroll-{week_ending:%Y-%m-%d}.csv" if week_ending else "payroll.csv"
    response = HttpResponse(csv_text(cards), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(access, stem)}"'
    return response


def report_context(*, access: ProductionAccess, cards: Sequence[Timecard]) -> dict[str, Any]:
    pages = []
    for card in cards:
        lines = list(card.pay_lines.all())
        days = list(card.days.all())
        by_date: dict[Any, list[PayLineRow]] = {}
        for line in lines:
            if not line.is_fringe:
                by_date.setdefault(line.date, []).append(line)
        pages.append({
            "card": card, "deal": card.deal, "days": days,
            "day_lines": [(d, by_date.get(d.date, [])) for d in days], "week_lines": by_date.get(None, []),
            "fringes": [line for line in lines if line.is_fringe],
            "violations": sum(1 for line in lines if line.is_violation),
            "worked": sum((d.worked_hours or Decimal(0) for d in days), Decimal(0)),
        })
    return {"production": access.production, "pages": pages, "generated": timezone.localtime()}


def pdf_bytes(*, access: ProductionAccess, cards: Sequence[Timecard]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("payroll/report_pdf.html", report_context(access=access, cards=cards))
    return HTML(string=html).write_pdf()


def pdf_response(*, access: ProductionAccess, cards: Sequence[Timecard], filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(access=access, cards=cards), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(access, filename)}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(cards: Sequence[Timecard]) -> bytes:
    """The same layout as the CSV, as a workbook: sheet "Payroll" with numbers as numbers (hours,
    rate, amount; amounts formatted to 2 decimals) and the week ending as a date."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Payroll"
    sheet.append(CSV_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    numeric = {"hours", "rate", "amount"}
    for card in cards:
        for row in element_rows(card):
            values = []
            for column in CSV_COLUMNS:
                value = row[column]
                if column in numeric:
                    value = Decimal(value) if value != "" else None
                elif column == "week_ending":
                    value = dt.date.fromisoformat(value)
                elif isinstance(value, str):
                    value = _plain(value)
                values.append(value)
            sheet.append(values)
            sheet.cell(row=sheet.max_row, column=CSV_COLUMNS.index("amount") + 1).number_format = "#,##0.00"
            sheet.cell(row=sheet.max_row, column=CSV_COLUMNS.index("week_ending") + 1).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHIJKLMN", (24, 12, 24, 16, 22, 16, 44, 8, 10, 9, 12, 8, 11, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(*, access: ProductionAccess, cards: Sequence[Timecard], week_ending=None) -> HttpResponse:
    stem = f"payroll-{week_ending:%Y-%m-%d}.xlsx" if week_ending else "payroll.xlsx"
    response = HttpResponse(xlsx_bytes(cards), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(access, stem)}"'
    return response
