"""Imports that list every bad row, XLSX import, and the `costreport` / `budget` commands."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from unitbase.budgets import services, spending
from unitbase.budgets.models import DetailLine

from .conftest import add_line

HEADER = "account code,description,amount,units,x,rate,currency\n"


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_bad_rows_are_all_listed_and_nothing_is_imported(upm, budget):
    text = (HEADER + "3301,Good,1,week,1,100,USD\n9999,Unknown,1,week,1,1,USD\n3301,Neg,1,week,1,-5,USD\n"
            "3301,Text,1,week,1,lots,USD\n3301,No rate,1,week,1,10,JPY\n3301,Expr,SHOOT_DAYS*2,day,1,10,USD\n")
    with pytest.raises(ValidationError) as info:
        services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=text)
    messages = info.value.message_dict["file"]
    assert messages[0] == "Nothing was imported (5 problem(s))."
    assert [m.split(":")[0] for m in messages[1:]] == [
        "Row 3, column account code", "Row 4, column rate", "Row 5, column rate", "Row 6, column currency",
        "Row 7, column amount"]
    assert not DetailLine.objects.exists()


@pytest.mark.django_db
def test_xlsx_import_through_the_page(client, production, upm, budget):
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(20))
    data = xlsx([["account code", "description", "amount", "units", "x", "rate", "currency"],
                 [3301, "DP", "SHOOT_DAYS * 1", "day", 1, 1250.5, "USD"], ["2001", "UPM", 10, "week", 1, 2000, None]])
    client.force_login(upm.user)
    response = client.post(reverse("budgets:import", args=[production.pk, budget.pk]),
                           {"file": SimpleUploadedFile("lines.xlsx", data)})
    assert response.status_code == 302
    assert sorted(DetailLine.objects.values_list("description", "amount", "rate")) == [
        ("DP", "SHOOT_DAYS * 1", D("1250.50")), ("UPM", "10", D("2000.00"))]
    bad = client.post(reverse("budgets:import", args=[production.pk, budget.pk]),
                      {"file": SimpleUploadedFile("lines.xlsx", b"PK\x03\x04 not really")})
    assert bad.status_code == 422 and "not a readable XLSX" in bad.content.decode()
    assert DetailLine.objects.count() == 2


@pytest.mark.django_db
def test_costreport_command_json_xlsx_and_bad_period(tmp_path, production, upm, budget):
    add_line(upm, budget, code="3301", amount="10", unit="week", rate=D(5000))
    spending.transaction_post(access=upm, account_code="3301", amount=D("60000"), currency="USD",
                              date=__import__("datetime").date(2027, 3, 10))
    out = io.StringIO()
    call_command("costreport", "--production", "low-water", "--period", "2027-10", stdout=out)
    data = json.loads(out.getvalue())
    assert data["week_ending"] == "2027-03-14"
    assert data["total"]["atd"] == "60000.00" and data["total"]["variance"] == "-10000.00"
    assert [o["code"] for o in data["overruns"]] == ["3301"]
    target = tmp_path / "cr.xlsx"
    call_command("costreport", "--production", str(production.pk), "--period", "2027-10", "--format", "xlsx",
                 "-o", str(target), stderr=io.StringIO())
    assert load_workbook(target).sheetnames == ["Cost report", "Overruns"]
    with pytest.raises(CommandError, match="not a week"):
        call_command("costreport", "--production", "low-water", "--period", "2027-99")
    with pytest.raises(CommandError, match="No production"):
        call_command("costreport", "--production", "nope")


@pytest.mark.django_db
def test_budget_command_export_and_import(tmp_path, production, upm, budget):
    add_line(upm, budget, code="3301", amount="10", unit="week", rate=D(5000))
    exported = tmp_path / "b.xlsx"
    call_command("budget", "export", "--production", "low-water", "--budget", str(budget.pk), "-o", str(exported),
                 stderr=io.StringIO())
    assert load_workbook(exported).sheetnames == ["Top sheet", "Detail"]
    pdf = tmp_path / "b.pdf"
    call_command("budget", "export", "--production", "low-water", "--budget", str(budget.pk), "-o", str(pdf),
                 "--detail", stderr=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match=r"Write a \.xlsx or \.pdf file"):
        call_command("budget", "export", "--production", "low-water", "--budget", str(budget.pk), "-o",
                     str(tmp_path / "b.txt"))
    assert not (tmp_path / "b.txt").exists()
    source = tmp_path / "lines.csv"
    source.write_text(HEADER + "2001,UPM,10,week,1,2000,USD\n")
    out = io.StringIO()
    call_command("budget", "import", "--production", "low-water", "--budget", str(budget.pk), str(source), stdout=out)
    assert "1 line" in out.getvalue() and DetailLine.objects.count() == 2
    source.write_text(HEADER + "2001,UPM,10,week,1,-1,USD\n")
    with pytest.raises(CommandError, match="Row 2, column rate"):
        call_command("budget", "import", "--production", "low-water", "--budget", str(budget.pk), str(source))
    assert DetailLine.objects.count() == 2


@pytest.mark.django_db
def test_cost_report_page_has_server_side_svg_charts(client, production, upm, budget):
    import datetime as dt

    add_line(upm, budget, code="3301", amount="10", unit="week", rate=D(5000))
    add_line(upm, budget, code="2001", description="UPM <b>", amount="10", unit="week", rate=D(2000))
    for day, amount in ((dt.date(2027, 3, 3), "30000"), (dt.date(2027, 3, 10), "30000")):
        spending.transaction_post(access=upm, account_code="3301", amount=D(amount), currency="USD", date=day)
    client.force_login(upm.user)
    page = client.get(reverse("budgets:cost_report", args=[production.pk, budget.pk])).content.decode()
    assert page.count("<svg class=\"chart\"") == 2 and "<script" not in page.split("<main")[-1]
    assert "w/e 07 Mar" in page and "w/e 14 Mar 2027" in page  # opened on the latest posted week
    assert 'class="bar-efc over"' in page  # camera: 60,000 spent against 50,000
    assert "UPM <b>" not in page
