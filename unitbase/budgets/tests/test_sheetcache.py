"""A working budget's figures are cached (sheetcache) and every kind of edit shows at once.

These tests run outside a wrapping transaction (transaction=True), as pages do, so the cache really
stores figures: each test first shows that a second view is served from the cache, then makes one
kind of edit and checks the pages against a fresh, uncached calculation."""

from decimal import Decimal as D
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from unitbase.budgets import calc, costreport, selectors, services
from unitbase.budgets.models import Budget, DetailLine, Fringe

from .conftest import account, add_line
from .test_schedule_link import applied_schedule

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(upm, budget):
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(30))
    services.fringe_create(access=upm, budget_id=budget.pk, code="HOL", name="Holiday", kind="percent",
                           rate=D("12.07"), cap=D("20000"))
    services.exchange_rate_set(access=upm, budget_id=budget.pk, currency="EUR", rate=D("1.08"))
    services.charge_set(access=upm, budget_id=budget.pk, name="Contingency", rate=D(10),
                        basis=["atl", "production", "post", "other"])
    add_line(upm, budget, code="2001", description="UPM", amount="SHOOT_DAYS + 10", unit="day", rate=D("800"),
             fringe_codes=["HOL"])
    add_line(upm, budget, code="3301", description="DP", amount="SHOOT_DAYS", unit="day", rate=D("1500"),
             fringe_codes=["HOL"], person="Ann")
    add_line(upm, budget, code="3310", description="Camera package", amount="SHOOT_DAYS / 5", unit="week",
             rate=D("4000"), currency="EUR")
    return budget


def fresh(budget) -> calc.TopSheet:
    """The figures calculated from the database now, bypassing the cache."""
    return calc.calculate(selectors.budget_input(Budget.objects.get(pk=budget.pk)))


@pytest.fixture
def pages(upm, setup):
    """A client on the top sheet and an account page, with the cache shown to be in use."""
    client = Client()
    client.force_login(upm.user)
    pid = upm.production.pk
    sheet_url = reverse("budgets:topsheet", args=[pid, setup.pk])
    account_url = reverse("budgets:account", args=[pid, setup.pk, account(setup, "3301").pk])

    def view(url=sheet_url):
        response = client.get(url)
        assert response.status_code == 200
        return response

    before = view().context["sheet"]
    view(account_url)
    with patch.object(calc, "calculate", wraps=calc.calculate) as calculate:
        assert view().context["sheet"].grand_total == before.grand_total
        view(account_url)
    assert calculate.call_count == 0, "the second views should be served from the cache"
    return view, sheet_url, account_url, before


def assert_shows_now(pages, budget):
    view, sheet_url, account_url, before = pages
    expected = fresh(budget)
    assert expected.grand_total != before.grand_total, "the edit should change the grand total"
    sheet = view(sheet_url).context["sheet"]
    assert sheet.grand_total == expected.grand_total
    assert [lv.total for lv in sheet.levels] == [lv.total for lv in expected.levels]
    assert sheet.accounts == expected.accounts and sheet.lines == expected.lines
    response = view(account_url)
    assert response.context["totals"] == expected.accounts["3301"]
    for line in response.context["lines"]:
        assert line.result == expected.lines[line.pk]
    # and the cost report's budget column, cached under the same stamp
    by_account = costreport.budget_by_account(Budget.objects.get(pk=budget.pk))
    assert by_account["3301"] == expected.accounts["3301"].subtotal
    return sheet


def test_line_add(upm, setup, pages):
    add_line(upm, setup, code="3301", description="Operator", amount="SHOOT_DAYS", unit="day", rate=D("900"))
    assert_shows_now(pages, setup)


def test_line_edit(upm, setup, pages):
    line = DetailLine.objects.get(budget=setup, description="DP")
    services.detail_line_update(access=upm, line_id=line.pk, revision=line.revision, rate=D("1650"))
    assert_shows_now(pages, setup)


def test_line_edit_through_the_page_answers_with_the_new_totals(upm, setup, pages):
    line = DetailLine.objects.get(budget=setup, description="DP")
    client = Client()
    client.force_login(upm.user)
    response = client.post(reverse("budgets:line_edit", args=[upm.production.pk, setup.pk, line.pk]), {
        "description": "DP", "amount": "SHOOT_DAYS", "unit": "day", "x": "1", "rate": "1700", "currency": "USD",
        "fringes": ["HOL"], "revision": line.revision}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    expected = fresh(setup)
    html = response.content.decode()
    for figure in (expected.lines[line.pk].subtotal, expected.lines[line.pk].total, expected.accounts["3301"].total):
        assert f"{figure:,.2f}" in html
    assert_shows_now(pages, setup)


def test_line_delete(upm, setup, pages):
    line = DetailLine.objects.get(budget=setup, description="UPM")
    services.detail_line_delete(access=upm, line_id=line.pk, revision=line.revision)
    assert_shows_now(pages, setup)


def test_fringe_change(upm, setup, pages):
    fringe = Fringe.objects.get(budget=setup, code="HOL")
    services.fringe_update(access=upm, fringe_id=fringe.pk, rate=D("13.5"))
    assert_shows_now(pages, setup)


def test_fringe_cap_and_delete(upm, setup, pages):
    fringe = Fringe.objects.get(budget=setup, code="HOL")
    services.fringe_update(access=upm, fringe_id=fringe.pk, person_cap=D("100"))
    assert_shows_now(pages, setup)
    services.fringe_delete(access=upm, fringe_id=fringe.pk)
    assert fresh(setup).fringe_total == 0
    assert pages[0]().context["sheet"].fringe_total == 0


def test_fringe_person_cutoff(upm, setup, pages):
    fringe = Fringe.objects.get(budget=setup, code="HOL")
    services.fringe_update(access=upm, fringe_id=fringe.pk, person_cutoff=D("10000"))
    assert_shows_now(pages, setup)


def test_global_change(upm, setup, pages):
    services.global_set(access=upm, budget_id=setup.pk, name="SHOOT_DAYS", value=D(35))
    assert_shows_now(pages, setup)


def test_exchange_rate_change(upm, setup, pages):
    services.exchange_rate_set(access=upm, budget_id=setup.pk, currency="EUR", rate=D("1.12"))
    assert_shows_now(pages, setup)


def test_charge_change(upm, setup, pages):
    services.charge_set(access=upm, budget_id=setup.pk, name="Contingency", rate=D(12),
                        basis=["atl", "production", "post", "other"])
    assert_shows_now(pages, setup)


def test_schedule_apply_changing_shoot_days(production, upm, setup, pages):
    applied_schedule(production, days=33)
    effect = selectors.budget_schedule_effect(access=upm, budget=setup)
    assert effect.current_total == pages[3].grand_total
    services.global_sync_schedule(access=upm, budget_id=setup.pk)
    sheet = assert_shows_now(pages, setup)
    assert sheet.grand_total == effect.scheduled_total
    applied_schedule(production, days=31, name="Pink")  # the what-if follows the newly applied version
    effect = selectors.budget_schedule_effect(access=upm, budget=setup)
    assert effect.scheduled_total == calc.calculate(selectors.budget_input(setup, {"SHOOT_DAYS": D(31)})).grand_total
    assert effect.scheduled_total != sheet.grand_total


def test_csv_import(upm, setup, pages):
    count = services.detail_lines_import_csv(access=upm, budget_id=setup.pk, text=(
        "account code,description,amount,units,x,rate,currency\n"
        "3301,Focus puller,SHOOT_DAYS,day,1,600,\n"
        "3310,Lenses,2,week,1,\"1,500\",EUR\n"))
    assert count == 2
    assert_shows_now(pages, setup)


def test_a_refused_import_changes_nothing(upm, setup, pages):
    with pytest.raises(ValidationError):
        services.detail_lines_import_csv(access=upm, budget_id=setup.pk, text=(
            "account code,description,amount,units,x,rate,currency\n3301,Focus puller,5,day,1,600,\n"
            "9999,Nowhere,1,flat,1,1,\n"))
    assert pages[0]().context["sheet"].grand_total == pages[3].grand_total == fresh(setup).grand_total


def test_a_stale_budget_instance_still_gets_the_new_figures(upm, setup, pages):
    loaded_before = Budget.objects.get(pk=setup.pk)
    selectors.budget_topsheet(access=upm, budget=loaded_before)
    services.global_set(access=upm, budget_id=setup.pk, name="SHOOT_DAYS", value=D(20))
    assert selectors.budget_topsheet(access=upm, budget=loaded_before).grand_total == fresh(setup).grand_total


def test_figures_read_inside_a_rolled_back_edit_are_not_kept(upm, setup, pages):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.global_set(access=upm, budget_id=setup.pk, name="SHOOT_DAYS", value=D(99))
        inside = selectors.budget_topsheet(access=upm, budget=setup)
        assert inside.grand_total == fresh(setup).grand_total != pages[3].grand_total
        raise Undo
    assert pages[0]().context["sheet"].grand_total == pages[3].grand_total == fresh(setup).grand_total


def test_a_locked_version_and_its_revision(upm, setup, pages):
    services.budget_lock(access=upm, budget_id=setup.pk)
    locked = Budget.objects.get(pk=setup.pk)
    assert selectors.budget_topsheet(access=upm, budget=locked).grand_total == pages[3].grand_total
    revision = services.budget_revise(access=upm, budget_id=setup.pk)
    assert selectors.budget_topsheet(access=upm, budget=revision).grand_total == pages[3].grand_total
    services.global_set(access=upm, budget_id=revision.pk, name="SHOOT_DAYS", value=D(40))
    assert selectors.budget_topsheet(access=upm, budget=revision).grand_total == fresh(revision).grand_total
    assert selectors.budget_topsheet(access=upm, budget=locked).grand_total == pages[3].grand_total
