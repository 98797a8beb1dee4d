"""Budget services: charts as data, lines with globals and currencies, concurrency, lock/revise, imports."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from unitbase.budgets import selectors, services
from unitbase.budgets.models import Budget, ChartAccount, ChartOfAccounts, DetailLine
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied

from .conftest import add_line

pytestmark = pytest.mark.django_db


def snapshot():
    return list(DetailLine.objects.order_by("pk").values()), list(Budget.objects.order_by("pk").values())


def test_standard_charts_load_with_their_numbering(upm):
    feature = services.chart_load_standard(access=upm, kind="feature")
    cats = list(feature.categories.values_list("code", "level"))
    assert cats[0] == ("1100", "atl") and cats[-1] == ("7900", "other")
    assert [c for c, lv in cats if lv == "post"] == ["5000", "5100", "5200", "5300", "5400", "5900"]
    assert set(feature.categories.filter(is_fringe=True).values_list("code", flat=True)) == {"1900", "4900", "5900", "7900"}
    assert ChartAccount.objects.get(chart=feature, code="2001").name == "Unit production manager"
    aicp = services.chart_load_standard(access=upm, kind="commercial")
    assert aicp.code_pattern == r"^[A-P]\d{2}$"
    assert list(aicp.categories.filter(markup_applies=True).values_list("code", flat=True)) == list("ABCDEFGHIJK")
    series = services.chart_load_standard(access=upm, kind="series")
    assert series.accounts.filter(code="1103", name="Writers' room").exists()
    with pytest.raises(ValidationError, match="already loaded"):
        services.chart_load_standard(access=upm, kind="feature")
    assert AuditEvent.objects.filter(action="chart.load_standard").count() == 3


def test_chart_accounts_follow_pattern_and_range(upm):
    chart = services.chart_load_standard(access=upm, kind="feature")
    camera = chart.categories.get(code="3300")
    added = services.chart_account_add(access=upm, chart_id=chart.pk, category_id=camera.pk, code="3320", name="Drones")
    assert added.category == camera
    with pytest.raises(ValidationError, match="outside category 3300"):
        services.chart_account_add(access=upm, chart_id=chart.pk, category_id=camera.pk, code="3420", name="X")
    with pytest.raises(ValidationError, match="does not match"):
        services.chart_account_add(access=upm, chart_id=chart.pk, category_id=camera.pk, code="33A", name="X")
    services.chart_account_rename(access=upm, account_id=added.pk, name="Drone unit")
    assert ChartAccount.objects.get(pk=added.pk).name == "Drone unit"


def test_chart_csv_import_all_or_nothing(upm):
    good = "code,name,category,level\n1101,Writer,1100 Story,atl\n2001,UPM,2000 Staff,production\n2002,1st AD,2000 Staff,production\n"
    chart = services.chart_import_csv(access=upm, name="House chart", text=good)
    staff = chart.categories.get(code="2000")
    assert (staff.name, staff.level, staff.code_from, staff.code_to) == ("Staff", "production", "2001", "2002")
    bad = "code,name,category,level\n1101,Writer,1100 Story,atl\n2001,UPM,2000 Staff,middle\n"
    with pytest.raises(ValidationError, match="Row 3, column level"):
        services.chart_import_csv(access=upm, name="Broken", text=bad)
    assert not ChartOfAccounts.objects.filter(name="Broken").exists()


def test_budget_create_copies_the_chart(budget):
    assert budget.version == 1 and budget.status == "working"
    assert budget.accounts.count() == ChartAccount.objects.filter(chart=budget.chart).count()
    first = budget.accounts.order_by("order").first()
    assert (first.code, first.category_code, first.level) == ("1101", "1100", "atl")


def test_lines_use_globals_currencies_and_recalculate(upm, budget):
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(5))
    line = add_line(upm, budget, "3302", description="Operator", amount="SHOOT_DAYS", unit="day", x="2", rate=D("100"))
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert sheet.lines[line.pk].subtotal == D("1000.00")
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(6))
    assert selectors.budget_topsheet(access=upm, budget=budget).lines[line.pk].subtotal == D("1200.00")
    with pytest.raises(ValidationError) as err:
        add_line(upm, budget, amount="PREP_WEEKS", currency="EUR")
    assert set(err.value.message_dict) == {"amount", "currency"}
    services.exchange_rate_set(access=upm, budget_id=budget.pk, currency="EUR", rate=D("1.1"))
    eur = add_line(upm, budget, amount="2", unit="flat", rate=D("100.05"), currency="eur")
    assert eur.currency == "EUR"
    assert selectors.budget_topsheet(access=upm, budget=budget).lines[eur.pk].subtotal == D("220.11")


def test_fringes_caps_and_charges_through_services(upm, budget):
    services.fringe_create(access=upm, budget_id=budget.pk, code="PH", name="Pension & health", kind="percent",
                           rate=D("10"), cap=D("300"))
    services.charge_set(access=upm, budget_id=budget.pk, name="Contingency", rate=D(10),
                        basis=["atl", "production", "post", "other"])
    add_line(upm, budget, "1401", description="Lead prep", amount="1", unit="week", rate=D(2000),
             fringe_codes=["PH"], fringe_group="lead")
    add_line(upm, budget, "1401", description="Lead shoot", amount="1", unit="week", rate=D(2000),
             fringe_codes=["PH"], fringe_group="lead")
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert sheet.accounts["1401"].fringes == D("300.00")  # 200 + 200 capped at 300 for the engagement
    assert sheet.atl == D("4300.00")
    assert sheet.grand_total == D("4730.00")
    with pytest.raises(ValidationError, match="No fringe XX"):
        add_line(upm, budget, fringe_codes=["XX"])


def test_stale_line_revision_is_refused_and_changes_nothing(upm, budget):
    line = add_line(upm, budget)
    services.detail_line_update(access=upm, line_id=line.pk, revision=1, rate=D(5500))
    before = snapshot()
    with pytest.raises(services.StaleRevision, match="changed by someone else"):
        services.detail_line_update(access=upm, line_id=line.pk, revision=1, rate=D(1))
    with pytest.raises(services.StaleRevision):
        services.detail_line_delete(access=upm, line_id=line.pk, revision=1)
    assert snapshot() == before
    services.detail_line_delete(access=upm, line_id=line.pk, revision=2)
    assert not DetailLine.objects.filter(pk=line.pk).exists()
    actions = list(AuditEvent.objects.filter(object_type="detailline").values_list("action", flat=True))
    assert sorted(actions) == ["budget_line.add", "budget_line.delete", "budget_line.update"]


def test_stale_budget_revision_refused_for_settings(upm, budget):
    services.global_set(access=upm, budget_id=budget.pk, name="PREP_WEEKS", value=D(4), revision=1)
    with pytest.raises(services.StaleRevision):
        services.global_set(access=upm, budget_id=budget.pk, name="PREP_WEEKS", value=D(5), revision=1)
    assert budget.globals.get(name="PREP_WEEKS").value == D(4)


def test_lock_refuses_edits_and_revise_copies(upm, budget):
    services.fringe_create(access=upm, budget_id=budget.pk, code="FICA", name="FICA", kind="percent", rate=D("6.2"))
    line = add_line(upm, budget, fringe_codes=["FICA"])
    services.budget_lock(access=upm, budget_id=budget.pk)
    before = snapshot()
    with pytest.raises(services.BudgetLocked, match="locked"):
        add_line(upm, budget)
    with pytest.raises(services.BudgetLocked):
        services.detail_line_update(access=upm, line_id=line.pk, revision=line.revision, rate=D(1))
    assert snapshot() == before
    new = services.budget_revise(access=upm, budget_id=budget.pk)
    assert (new.version, new.parent_id, new.status) == (2, budget.pk, "working")
    copied = new.lines.get()
    assert copied.rate == D(5000) and list(copied.fringes.values_list("code", flat=True)) == ["FICA"]
    assert copied.fringes.get().budget_id == new.pk
    services.detail_line_update(access=upm, line_id=copied.pk, revision=1, rate=D(6000))
    rows, summary = selectors.budget_compare(access=upm, left=budget, right=new)
    dp = next(r for r in rows if r.code == "3301")
    assert (dp.left, dp.right, dp.difference, dp.variance) == (D("53100.00"), D("63720.00"), D("10620.00"), D("-10620.00"))
    assert summary["grand"] == (D("53100.00"), D("63720.00"), D("-10620.00"))


def test_roles_without_edit_budget_cannot_write(access_for, budget):
    before = snapshot()
    for role in (Role.CREW, Role.DEPARTMENT_HEAD, Role.FINANCIER):
        with pytest.raises(ActionDenied):
            add_line(access_for(role), budget)
    assert snapshot() == before


def test_csv_line_import_all_or_nothing(upm, budget):
    good = ("account code,description,amount,units,x,rate,currency\n"
            "3301,DP,10,week,1,5000,USD\n3302,Operator,10,Week,1,\"3,500.00\",\n")
    assert services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=good) == 2
    assert list(budget.lines.values_list("description", "rate", "currency")) == [
        ("DP", D("5000.00"), "USD"), ("Operator", D("3500.00"), "USD")]
    before = snapshot()
    for bad, message in [
        ("account code,description,amount,units,x,rate,currency\n3301,A,1,week,1,1,USD\n9999,B,1,week,1,1,USD\n",
         "Row 3, column account code"),
        ("account code,description,amount,units,x,rate,currency\n3301,A,1,fortnight,1,1,USD\n", "Row 2, column units"),
        ("account code,description,amount,units,x,rate,currency\n3301,A,DAYS,week,1,1,USD\n", "Row 2, column amount"),
        ("account code,description,amount,units,x,rate,currency\n3301,A,1,week,1,abc,USD\n", "Row 2, column rate"),
        ("account,description\n3301,A\n", "missing column"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.detail_lines_import_csv(access=upm, budget_id=budget.pk, text=bad)
    assert snapshot() == before
