"""The cost report's sums over the ledger are cached (ledgercache) and every posting shows at once.

Outside a wrapping transaction (transaction=True), as pages run, so the cache really stores: the
second view is served without aggregating the transactions again; a posting (through the service,
as every posting is) changes the page's actuals and the spend chart straight away."""

import datetime as dt
from decimal import Decimal as D
from unittest.mock import patch

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from unitbase.budgets import costreport, ledgercache, spending, svgcharts
from unitbase.budgets.tests import test_costreport
from unitbase.budgets.tests.test_costreport import WEEK

# the hand-made production of the cost report tests (fixtures)
staff = test_costreport.staff
report_data = test_costreport.report_data

pytestmark = pytest.mark.django_db(transaction=True)


def post(staff, code, amount, day):
    return spending.transaction_post(access=staff.access("accountant"), account_code=code, amount=amount,
                                     currency="USD", date=day, source="manual")


@pytest.fixture
def page(report_data):
    staff = report_data
    client = Client()
    client.force_login(staff.access("producer").user)
    url = reverse("budgets:cost_report", args=[staff.budget.production_id, staff.budget.pk]) + f"?week={WEEK}"

    def view():
        response = client.get(url)
        assert response.status_code == 200
        report = response.context["report"]
        return {r.code: (r.period, r.atd) for r in report.accounts}, svgcharts.weekly_spend(report)

    first = view()
    with (patch.object(costreport, "_actuals_by_account", wraps=costreport._actuals_by_account) as actuals,
          patch.object(svgcharts, "_weekly_spend", wraps=svgcharts._weekly_spend) as weekly):
        assert view() == first
    assert actuals.call_count == 0 and weekly.call_count == 0, "the second view should be served from the cache"
    return staff, view, first


def test_a_posting_shows_at_once(page):
    staff, view, (actuals, weekly) = page
    assert actuals["2510"] == (D("2500"), D("5500"))  # with the 1,000 invoice
    post(staff, "2510", "250", dt.date(2025, 3, 11))
    actuals_now, weekly_now = view()
    assert actuals_now["2510"] == (D("2750"), D("5750"))
    assert weekly_now[-1][1] == weekly[-1][1] + D("250")


def test_a_posting_after_the_report_week_changes_nothing_shown(page):
    staff, view, first = page
    post(staff, "2510", "999", dt.date(2025, 4, 1))
    assert view() == first


def test_a_rolled_back_posting_is_never_shown(page):
    staff, view, first = page
    with pytest.raises(RuntimeError), transaction.atomic():
        post(staff, "2510", "700", dt.date(2025, 3, 11))
        # read inside the posting's transaction: includes it, and must not be kept
        report = costreport.cost_report(access=staff.access("producer"), budget=staff.budget, week_ending=WEEK)
        assert {r.code: r.atd for r in report.accounts}["2510"] == D("6200")
        raise RuntimeError("roll back")
    assert view() == first
    post(staff, "2510", "1", dt.date(2025, 3, 11))  # same count as the rolled-back state, a later id
    assert view()[0]["2510"] == (D("2501"), D("5501"))


def test_the_stamp_changes_with_every_posting(report_data):
    staff = report_data
    pid = staff.budget.production_id
    before = ledgercache.ledger_stamp(pid)
    post(staff, "2510", "5", dt.date(2025, 3, 11))
    assert ledgercache.ledger_stamp(pid) != before
