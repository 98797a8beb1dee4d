"""CSV and XLSX exports of the crew and cast lists: same filters and same pay privacy as the pages."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CastMemberFactory, CrewMemberFactory, PersonFactory, department, make_production, member
from unitbase.people.exports import export_filename, neutralise_formula
from unitbase.productions.authority import Role
from unitbase.productions.models import Position

pytestmark = pytest.mark.django_db

CREW_HEADER = ["Department", "Name", "Position", "Unit", "Start", "End", "Phone", "E-mail", "Rate", "Currency", "Per"]
CAST_HEADER = ["No.", "Character", "Actor", "Agency", "Agent", "Agent contact", "Unit", "Start", "End", "Rate",
               "Currency", "Per"]


@pytest.fixture
def production():
    return make_production(title="Night Train: Part 2")


def hire(production, dept, position, name, **kwargs):
    dep = department(production, dept)
    pos = Position.objects.get_or_create(production=production, department=dep, name=position)[0]
    person = kwargs.pop("person", None) or PersonFactory(production=production, name=name)
    return CrewMemberFactory(production=production, department=dep, position=pos, person=person, **kwargs)


@pytest.fixture
def crew(production):
    unit = production.units.first()
    hire(production, "Camera", "DP", "Zoë Ångström", start_date=date(2026, 11, 2), end_date=date(2026, 12, 18),
         unit=unit, rate_amount=Decimal("4200.50"))
    hire(production, "Grip", "Key grip", "Bo Grant", rate_amount=Decimal("3100"), rate_currency="EUR",
         rate_unit="day")
    return production


def get(client, production, name, query=""):
    return client.get(reverse(f"people:{name}", args=[production.pk]) + (f"?{query}" if query else ""))


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


def test_crew_csv_has_bom_header_and_rows(client, crew):
    client.force_login(member(crew, Role.PRODUCTION_MANAGER).user)
    response = get(client, crew, "crew_csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()  # the production's time zone is UTC, like the settings
    assert response["Content-Disposition"] == f'attachment; filename="night-train-part-2-crew-{today}.csv"'
    rows = read_csv(response)
    assert rows[0] == CREW_HEADER
    assert rows[1] == ["Camera", "Zoë Ångström", "DP", "Main unit", "2026-11-02", "2026-12-18", "+1 555 0100",
                       rows[1][7], "4200.50", "USD", "per week"]
    assert rows[2][:3] == ["Grip", "Bo Grant", "Key grip"] and rows[2][8:] == ["3100.00", "EUR", "per day"]
    assert len(rows) == 3


def test_crew_csv_honours_filters(client, crew):
    client.force_login(member(crew, Role.PRODUCTION_MANAGER).user)
    grip = department(crew, "Grip")
    rows = read_csv(get(client, crew, "crew_csv", f"department={grip.pk}"))
    assert [r[1] for r in rows[1:]] == ["Bo Grant"]
    rows = read_csv(get(client, crew, "crew_csv", "q=zo"))
    assert [r[1] for r in rows[1:]] == ["Zoë Ångström"]
    rows = read_csv(get(client, crew, "crew_csv", f"unit={crew.units.first().pk}"))
    assert [r[1] for r in rows[1:]] == ["Zoë Ångström"]


def test_crew_csv_blanks_hidden_rates(client, crew):
    user = member(crew, Role.CREW).user
    hire(crew, "Camera", "2nd AC", "Me Myself", person=PersonFactory(production=crew, name="Me Myself", user=user),
         rate_amount=Decimal("1500"))
    client.force_login(user)
    rows = {r[1]: r for r in read_csv(get(client, crew, "crew_csv"))[1:]}
    assert rows["Me Myself"][8:] == ["1500.00", "USD", "per week"]
    assert rows["Zoë Ångström"][8:] == ["", "", ""]
    assert rows["Bo Grant"][8:] == ["", "", ""]


def test_crew_xlsx_layout_numbers_and_filters(client, crew):
    client.force_login(member(crew, Role.PRODUCTION_MANAGER).user)
    response = get(client, crew, "crew_xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(r'attachment; filename="night-train-part-2-crew-\d{4}-\d{2}-\d{2}\.xlsx"',
                        response["Content-Disposition"])
    sheet = read_xlsx(response)
    assert [c.value for c in sheet[1]] == CREW_HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 24
    first = [c.value for c in sheet[2]]
    assert first[:4] == ["Camera", "Zoë Ångström", "DP", "Main unit"]
    assert first[4].date() == date(2026, 11, 2)
    assert first[8] == pytest.approx(4200.50) and isinstance(first[8], float | int)
    assert sheet.cell(row=2, column=9).number_format == "#,##0.00"
    assert first[9:] == ["USD", "per week"]
    assert sheet.max_row == 3
    dept_head = member(crew, Role.DEPARTMENT_HEAD, department_name="Grip").user
    client.force_login(dept_head)
    sheet = read_xlsx(get(client, crew, "crew_xlsx", "q=grant"))
    assert sheet.max_row == 2
    assert [c.value for c in sheet[2]][8:] == [3100, "EUR", "per day"]
    sheet = read_xlsx(get(client, crew, "crew_xlsx", f"department={department(crew, 'Camera').pk}"))
    assert sheet.max_row == 2
    assert [c.value for c in sheet[2]][8:] == [None, None, None]


def test_cast_exports_honour_filters_and_privacy(client, production):
    unit2 = production.units.create(name="Second unit", kind="second")
    agent = PersonFactory(production=production, name="Lena Holt", agency="Holt & Co", agent_name="Max Holt",
                          agent_contact="max@holt.test")
    CastMemberFactory(production=production, person=agent, cast_number=1, character="VERA", rate_amount=Decimal("900"))
    CastMemberFactory(production=production, cast_number=2, character="IVAN", unit=unit2)
    client.force_login(member(production, Role.PRODUCER).user)
    rows = read_csv(get(client, production, "cast_csv"))
    assert rows[0] == CAST_HEADER
    assert rows[1] == ["1", "VERA", "Lena Holt", "Holt & Co", "Max Holt", "max@holt.test", "", "", "", "900.00",
                       "USD", "per day"]
    assert [r[1] for r in read_csv(get(client, production, "cast_csv", f"unit={unit2.pk}"))[1:]] == ["IVAN"]
    sheet = read_xlsx(get(client, production, "cast_xlsx", "q=vera"))
    assert [c.value for c in sheet[1]] == CAST_HEADER
    assert [c.value for c in sheet[2]][:3] == [1, "VERA", "Lena Holt"]
    assert sheet.max_row == 2
    client.force_login(member(production, Role.CREW).user)
    rows = read_csv(get(client, production, "cast_csv"))
    assert all(r[9:] == ["", "", ""] for r in rows[1:])


def test_empty_export_still_has_a_header(client, production):
    client.force_login(member(production, Role.CREW).user)
    assert read_csv(get(client, production, "crew_csv")) == [CREW_HEADER]
    sheet = read_xlsx(get(client, production, "cast_xlsx"))
    assert [c.value for c in sheet[1]] == CAST_HEADER and sheet.max_row == 1


def test_export_filename_falls_back_for_titles_without_letters(production):
    production.title = "!!!"
    assert export_filename(production, "crew", "csv", today=date(2026, 11, 25)) == "production-crew-2026-11-25.csv"


def test_exports_never_carry_a_formula_from_typed_text(client, production):
    """Text a contact editor typed (a name, a position) is data in the files, never a formula a
    spreadsheet would run; phone numbers keep their leading "+"."""
    hire(production, "Camera", '=HYPERLINK("http://evil.example","x")', "@SUM(A1:A9)", rate_amount=Decimal("10"))
    client.force_login(member(production, Role.PRODUCTION_MANAGER).user)
    row = read_csv(get(client, production, "crew_csv"))[1]
    assert row[1] == "'@SUM(A1:A9)"
    assert row[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[6] == "+1 555 0100"
    sheet = read_xlsx(get(client, production, "crew_xlsx"))
    name, position = sheet.cell(row=2, column=2), sheet.cell(row=2, column=3)
    assert (name.value, name.data_type) == ("@SUM(A1:A9)", "s")
    assert (position.value, position.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")


@pytest.mark.parametrize(("text", "expected"), [
    ("+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
    ("-5", "-5"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd", "'-2+3+cmd"),
    ("=1+1", "'=1+1"),
    ("\tx", "'\tx"),
    ("Plain name", "Plain name"),
])
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected
