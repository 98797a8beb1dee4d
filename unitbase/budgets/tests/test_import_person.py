"""The detail line's person (and engagement, fringes, tags, notes) travel through the XLSX export and
back through the import, on the page and the `unitbase budget export|import` commands; bad rows in those
columns refuse the whole file, each named."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import member
from unitbase.budgets import services
from unitbase.budgets.models import DetailLine
from unitbase.productions.authority import Role

from .conftest import add_line

pytestmark = pytest.mark.django_db

HEADER = "account code,description,amount,units,x,rate,currency,person,engagement,fringe codes\n"


def signature(budget):
    return sorted(
        (ln.account.code, ln.description, ln.amount, ln.unit, ln.x, ln.rate, ln.currency, ln.person, ln.fringe_group,
         tuple(sorted(f.code for f in ln.fringes.all())), ln.tag_set, ln.tag_location, ln.tag_episode, ln.notes)
        for ln in DetailLine.objects.filter(budget=budget).select_related("account").prefetch_related("fringes"))


def test_export_then_import_reproduces_person_and_the_rest(tmp_path, production, upm, budget):
    member(production, Role.PRODUCER)  # the commands act as the first producer
    for code in ("PEN", "HOL"):
        services.fringe_create(access=upm, budget_id=budget.pk, code=code, name=code, kind="percent", rate=D("10"),
                               person_cap=D("800"))
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(30))
    add_line(upm, budget, description="DP block 1", rate=D("6000"), amount="1", unit="flat", person="Ann Lee",
             fringe_group="Ann b1", fringe_codes=["PEN", "HOL"], tag_set="Boat", tag_episode="101", notes="Prep")
    add_line(upm, budget, description="DP block 2", rate=D("4000.5"), amount="SHOOT_DAYS / 3", unit="day",
             person="Ann Lee", fringe_group="Ann b2", fringe_codes=["PEN"], tag_location="Harbour")
    add_line(upm, budget, code="2001", description="UPM", rate=D("2500"), amount="10", unit="week", x="1.5")
    target = tmp_path / "budget.xlsx"
    call_command("budget", "export", "--production", "low-water", "--budget", str(budget.pk), "-o", str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())
    detail = load_workbook(target)["Detail"]
    header = [c.value for c in detail[1]]
    assert "Person" in header and "Engagement" in header
    assert {row[header.index("Person")] for row in detail.iter_rows(min_row=2, values_only=True)} == {
        "Ann Lee", None}
    # A fresh budget with the same fringes and globals reads the export back line for line.
    copy = services.budget_create(access=upm, chart_id=budget.chart_id, name="Copy", base_currency="USD")
    for code in ("PEN", "HOL"):
        services.fringe_create(access=upm, budget_id=copy.pk, code=code, name=code, kind="percent", rate=D("10"))
    services.global_set(access=upm, budget_id=copy.pk, name="SHOOT_DAYS", value=D(30))
    call_command("budget", "import", "--production", "low-water", "--budget", str(copy.pk), str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert signature(copy) == signature(budget)
    assert DetailLine.objects.filter(budget=copy, person="Ann Lee").count() == 2


def test_csv_import_with_person_columns(upm, budget):
    services.fringe_create(access=upm, budget_id=budget.pk, code="PEN", name="Pension", kind="percent",
                           rate=D("10"), person_cap=D("800"))
    text = HEADER + '3301,Block 1,1,flat,1,6000,USD,Ann Lee,b1,PEN\n3301,Block 2,1,flat,1,"4,000",,Ann Lee,b2,PEN\n'
    assert services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=text) == 2
    assert sorted(DetailLine.objects.values_list("person", "fringe_group")) == [("Ann Lee", "b1"), ("Ann Lee", "b2")]
    # Without the optional columns the import works as before: no person.
    plain = "account code,description,amount,units,x,rate,currency\n2001,UPM,10,week,1,2000,USD\n"
    services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=plain)
    assert DetailLine.objects.get(description="UPM").person == ""


def test_bad_person_rows_are_refused_whole_and_named(upm, budget):
    services.fringe_create(access=upm, budget_id=budget.pk, code="PEN", name="Pension", kind="percent", rate=D("10"))
    text = (HEADER + "3301,Good,1,flat,1,100,USD,Ann Lee,b1,PEN\n"
            f"3301,Long name,1,flat,1,100,USD,{'A' * 61},b1,PEN\n"
            "3301,Bad fringe,1,flat,1,100,USD,Ann Lee,b1,NOPE\n"
            f"3301,Long group,1,flat,1,100,USD,Ann Lee,{'g' * 61},PEN\n"
            "3301,Neg,1,flat,1,-5,USD,Ann Lee,b1,PEN\n")
    with pytest.raises(ValidationError) as info:
        services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=text)
    messages = info.value.message_dict["file"]
    assert messages[0] == "Nothing was imported (4 problem(s))."
    assert [m.split(":")[0] for m in messages[1:]] == [
        "Row 3, column person", "Row 4, column fringe codes", "Row 5, column engagement", "Row 6, column rate"]
    assert "No fringe NOPE" in messages[2]
    assert not DetailLine.objects.exists()
