"""Crew and cast lists as rows for the page, a CSV file and an XLSX workbook.

Pay privacy is decided here once per row (`prepare_rows`), so the page and both exports hide the
same rates: a hidden rate is an em dash on the page and blank cells in the files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from unitbase.core.http import file_response
from unitbase.core.money import Money
from unitbase.productions.models import Production
from unitbase.productions.permissions import ProductionAccess

from . import selectors
from .models import CastMember, CrewMember

RATE_SUFFIX = {"hour": "/ hour", "day": "/ day", "week": "/ week", "flat": "flat"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rate_label(engagement: CrewMember | CastMember) -> str:
    """'USD 2,500.00 / week'; empty when no rate was entered."""
    if engagement.rate_amount is None:
        return ""
    suffix = RATE_SUFFIX.get(engagement.rate_unit, engagement.rate_unit)
    return f"{Money(engagement.rate_amount, engagement.rate_currency)} {suffix}"


def prepare_rows(access: ProductionAccess, engagements: Iterable[Any]) -> list[Any]:
    """Evaluate the queryset and mark each row's pay as shown or hidden for this user."""
    rows = list(engagements)
    for row in rows:
        row.rate_shown = selectors.rate_visible(access, row)
        row.rate_text = rate_label(row) if row.rate_shown else ""
    return rows


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    width: int = 14
    kind: str = "text"  # text, date, money


def _rate_amount(row: Any) -> Decimal | None:
    return row.rate_amount if row.rate_shown else None


def _rate_currency(row: Any) -> str:
    return row.rate_currency if row.rate_shown and row.rate_amount is not None else ""


def _rate_unit(row: Any) -> str:
    return row.get_rate_unit_display() if row.rate_shown and row.rate_amount is not None else ""


_RATE_COLUMNS = [
    Column("Rate", _rate_amount, 12, "money"),
    Column("Currency", _rate_currency, 9),
    Column("Per", _rate_unit, 10),
]

CREW_COLUMNS = [
    Column("Department", lambda r: r.department.name, 16),
    Column("Name", lambda r: r.person.name, 24),
    Column("Position", lambda r: r.position.name, 20),
    Column("Unit", lambda r: r.unit.name if r.unit else "", 12),
    Column("Start", lambda r: r.start_date, 11, "date"),
    Column("End", lambda r: r.end_date, 11, "date"),
    Column("Phone", lambda r: r.person.phone, 16),
    Column("E-mail", lambda r: r.person.email, 28),
    *_RATE_COLUMNS,
]

CAST_COLUMNS = [
    Column("No.", lambda r: r.cast_number, 5),
    Column("Character", lambda r: r.character, 22),
    Column("Actor", lambda r: r.person.name, 24),
    Column("Agency", lambda r: r.person.agency, 20),
    Column("Agent", lambda r: r.person.agent_name, 20),
    Column("Agent contact", lambda r: r.person.agent_contact, 24),
    Column("Unit", lambda r: r.unit.name if r.unit else "", 12),
    Column("Start", lambda r: r.start_date, 11, "date"),
    Column("End", lambda r: r.end_date, 11, "date"),
    *_RATE_COLUMNS,
]


def export_filename(production: Production, kind: str, extension: str, today: date | None = None) -> str:
    today = today or timezone.localdate(timezone=ZoneInfo(production.time_zone))
    return f"{slugify(production.title) or 'production'}-{kind}-{today.isoformat()}.{extension}"



# A phone number such as "+44 (0)20 7946 0000" starts with "+" but is no formula.
_PHONE_LIKE = re.compile(r"[+-]?[\d\s().\-/]*")


def neutralise_formula(text: str) -> str:
    """A contact's name or position typed as "=HYPERLINK(...)" or "@SUM(...)" must not run as a
    formula when the CSV is opened in a spreadsheet: such text gets a leading apostrophe
    (OWASP's advice for CSV injection). Phone-like values keep their "+"."""
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not _PHONE_LIKE.fullmatch(text)):
        return "'" + text
    return text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(str(value))


def csv_response(*, production: Production, kind: str, columns: list[Column], rows: list[Any]) -> HttpResponse:
    """UTF-8 with a byte-order mark so that Excel reads accents right; one header row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([c.title for c in columns])
    for row in rows:
        writer.writerow([_csv_value(c.value(row)) for c in columns])
    return file_response(
        buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", export_filename(production, kind, "csv")
    )


def xlsx_response(*, production: Production, kind: str, columns: list[Column], rows: list[Any]) -> HttpResponse:
    """Bold, frozen header; widths per column; money as numbers beside a currency column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.capitalize()
    sheet.append([c.title for c in columns])
    header_fill = PatternFill("solid", fgColor="EEF1F5")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for row in rows:
        sheet.append([c.value(row) for c in columns])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl stores text starting with "=" as a formula: keep it text
                cell.data_type = "s"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("date", "money"):
            number_format = "yyyy-mm-dd" if column.kind == "date" else "#,##0.00"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return file_response(buffer.getvalue(), XLSX_CONTENT_TYPE, export_filename(production, kind, "xlsx"))
