"""Breakdown sheets: CSV and XLSX (one row per scene and element) and PDF (one page per scene,
the industry layout: a header strip with scene, INT/EXT, set, D/N and pages, then a colour-coded
box per category)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from unitbase.core.http import file_response
from unitbase.productions.permissions import ProductionAccess

from . import selectors
from .models import ScriptRevision

# The boxes a printed sheet always shows (empty ones are for pencil notes); others only when used.
SHEET_BOXES = {"cast", "background_actors", "stunts", "vehicles", "props", "special_effects", "wardrobe",
               "makeup_hair", "animals", "music", "sound", "special_equipment", "set_dressing", "notes"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Scene", "INT/EXT", "Set", "Time of day", "D/N", "Page", "Pages (eighths)", "Eighths", "Category",
          "Element", "Tag source"]


def _filename(revision: ScriptRevision, suffix: str) -> str:
    return f"{slugify(revision.production.title) or 'production'}-breakdown-{revision.colour}-{revision.sequence}.{suffix}"



def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def breakdown_rows(*, access: ProductionAccess, revision: ScriptRevision) -> list[list[Any]]:
    """One row per scene and accepted element (elements in category order); a scene without
    elements still gets one row, so the sheet lists every scene. An OMITTED placeholder (locked
    numbers) is a row with its number, "OMITTED" as the set and no pages."""
    rows: list[list[Any]] = []
    scenes = list(selectors.breakdown_rows(access=access, revision=revision))
    for scene in selectors.scene_index(access=access, revision=revision, scenes=scenes):
        if scene.omitted:
            rows.append([scene.number, "", "OMITTED", "", "", "", "", 0, "", "", ""])
            continue
        head = [scene.number, scene.int_ext, scene.set_name, scene.time_of_day, scene.day_night, scene.page_start,
                scene.pages_label, scene.eighths]
        seen: set[int] = set()
        tags = sorted(scene.accepted_tags, key=lambda t: (t.element.category.order, t.element.name))
        for tag in tags:
            if tag.element_id in seen:
                continue
            seen.add(tag.element_id)
            rows.append([*head, tag.element.category.name, tag.element.name, tag.get_source_display()])
        if not seen:
            rows.append([*head, "", "", ""])
    return rows


def csv_response(*, access: ProductionAccess, revision: ScriptRevision) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in breakdown_rows(access=access, revision=revision):
        writer.writerow([_safe(v) for v in row])
    return file_response(buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", _filename(revision, "csv"))


def xlsx_response(*, access: ProductionAccess, revision: ScriptRevision) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakdown"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    colours = {c.name: c.colour.lstrip("#") for c in selectors.category_list(access=access)}
    for row in breakdown_rows(access=access, revision=revision):
        sheet.append([_safe(v) for v in row])
        colour = colours.get(row[8])
        if colour:
            sheet.cell(row=sheet.max_row, column=9).fill = PatternFill("solid", fgColor=colour)
    for col, width in zip("ABCDEFGHIJK", [8, 9, 34, 14, 5, 6, 10, 8, 20, 30, 18], strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return file_response(buffer.getvalue(), XLSX_CONTENT_TYPE, _filename(revision, "xlsx"))


def sheet_context(*, access: ProductionAccess, revision: ScriptRevision, scene_id: int | None = None) -> dict:
    categories = list(selectors.category_list(access=access))
    scenes = selectors.breakdown_rows(access=access, revision=revision)
    if scene_id is not None:
        scenes = scenes.filter(pk=scene_id)
    sheets = []
    for scene in scenes:
        by_cat: dict[int, list[str]] = {}
        for tag in sorted(scene.accepted_tags, key=lambda t: t.element.name):
            names = by_cat.setdefault(tag.element.category_id, [])
            if tag.element.name not in names:
                names.append(tag.element.name)
        boxes = [
            {"category": c, "names": by_cat.get(c.pk, [])}
            for c in categories
            if c.key != "sets" and (c.pk in by_cat or c.key in SHEET_BOXES)
        ]
        sheets.append({"scene": scene, "boxes": boxes})
    omitted = selectors.omitted_list(revision=revision) if scene_id is None else []
    return {"production": access.production, "revision": revision, "sheets": sheets, "omitted": omitted,
            "printed": timezone.now()}


def pdf_bytes(*, access: ProductionAccess, revision: ScriptRevision, scene_id: int | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("scripts/sheet_pdf.html", sheet_context(access=access, revision=revision,
                                                                      scene_id=scene_id))
    # No base URL: the template carries its own styles and refers to nothing outside itself.
    return HTML(string=html).write_pdf()


def pdf_response(*, access: ProductionAccess, revision: ScriptRevision, scene_id: int | None = None) -> HttpResponse:
    content = pdf_bytes(access=access, revision=revision, scene_id=scene_id)
    name = _filename(revision, "pdf") if scene_id is None else f"breakdown-sheet-scene-{scene_id}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
