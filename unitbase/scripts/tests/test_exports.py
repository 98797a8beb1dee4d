"""Breakdown sheets: CSV and XLSX rows per scene and element, PDF rendered with WeasyPrint."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import member
from unitbase.productions.authority import Role
from unitbase.scripts import exports

from .test_services import import_fixture, producer_access  # noqa: F401


@pytest.fixture
def revision(producer_access):  # noqa: F811
    return import_fixture(producer_access)


def test_csv_has_one_row_per_scene_and_element(client, revision):
    crew = member(revision.production, Role.CREW)
    client.force_login(crew.user)
    response = client.get(reverse("scripts:breakdown_csv", args=[revision.production_id, revision.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports.HEADER
    first = [r for r in rows[1:] if r[0] == "1"]
    assert [(r[8], r[9]) for r in first] == [
        ("Cast Members", "MAGGIE"), ("Cast Members", "TOM"), ("Background Actors", "CROWD"),
        ("Background Actors", "PASSERS-BY"), ("Sets", "HARBOUR"),
    ]
    assert first[0][:5] == ["1", "EXT", "HARBOUR", "DAY", "D"]
    assert {r[0] for r in rows[1:]} == {"1", "2", "3", "4"}


def test_xlsx_opens_with_the_same_rows(client, revision, producer_access):  # noqa: F811
    client.force_login(producer_access.user)
    response = client.get(reverse("scripts:breakdown_xlsx", args=[revision.production_id, revision.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == exports.HEADER
    assert len(values) - 1 == len(exports.breakdown_rows(access=producer_access, revision=revision))


def test_pdf_sheet_renders(client, revision, producer_access):  # noqa: F811
    scene = revision.scenes.get(order=1)
    client.force_login(producer_access.user)
    response = client.get(reverse("scripts:scene_pdf", args=[revision.production_id, scene.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html_context = exports.sheet_context(access=producer_access, revision=revision, scene_id=scene.pk)
    boxes = {b["category"].name: b["names"] for b in html_context["sheets"][0]["boxes"] if b["names"]}
    assert boxes == {"Cast Members": ["MAGGIE", "TOM"], "Background Actors": ["CROWD", "PASSERS-BY"]}
    assert len(html_context["sheets"][0]["boxes"]) == len(exports.SHEET_BOXES)
