"""Weekly closing (frozen snapshots, prior EFC and change), commitments as of a date, the budget
cache, the financier's summary; through services, pages, the API and the command line."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory, make_production, member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import closings, costreport, sheetcache, spending
from unitbase.budgets.models import CostReportClosing, CostReportSnapshotLine, PurchaseOrder
from unitbase.budgets.tests.test_costreport import WEEK, report_data  # noqa: F401  (fixture)
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production

D = Decimal
NEXT = WEEK + dt.timedelta(days=7)


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def data(report_data):  # noqa: F811
    staff = report_data
    staff.financier = member(staff.production, Role.FINANCIER).user
    return staff


def acc(staff, who):
    return access_production(getattr(staff, who), staff.production.pk)


def row(report, code):
    return next(r for r in report.accounts if r.code == code)


# --- commitments as of a date ---------------------------------------------------------------------

def test_commitments_are_as_of_the_week(data):
    po = PurchaseOrder.objects.get()
    before = costreport.commitments_by_account(data.production, data.budget, as_of=dt.date(2025, 3, 10))
    assert before.get("2510", D(0)) == D(0)  # approved on 11 March
    at_approval = costreport.commitments_by_account(data.production, data.budget, as_of=dt.date(2025, 3, 11))
    assert at_approval["2510"] == D("6000.00")  # the 13 March invoice had not relieved it yet
    assert costreport.commitments_by_account(data.production, data.budget, as_of=WEEK)["2510"] == D("5000.00")
    spending.purchase_order_close(access=acc(data, "accountant"), po_id=po.pk)
    PurchaseOrder.objects.filter(pk=po.pk).update(closed_at=dt.datetime(2025, 3, 20, 9, tzinfo=dt.UTC))
    assert costreport.commitments_by_account(data.production, data.budget, as_of=WEEK)["2510"] == D("5000.00")
    assert costreport.commitments_by_account(data.production, data.budget, as_of=NEXT).get("2510", D(0)) == D(0)


# --- closing --------------------------------------------------------------------------------------

def test_close_freezes_the_report_and_feeds_prior_efc(data):
    accountant = acc(data, "accountant")
    live = costreport.cost_report(access=accountant, budget=data.budget, week_ending=WEEK)
    assert live.prior_closing is None and row(live, "2510").prior_efc is None
    closing = closings.cost_report_close(access=accountant, budget_id=data.budget.pk, week_ending=WEEK, note="wk 11")
    assert (closing.week_ending, closing.period_start, closing.closed_by) == (WEEK, dt.date(2025, 3, 10), data.accountant)
    assert closing.lines.count() == len(live.accounts)
    assert AuditEvent.objects.filter(action="cost_report.close", object_id=str(closing.pk)).exists()
    # Later spending dated inside the closed week and a new ETC do not change the frozen report...
    spending.transaction_post(access=accountant, account_code="2510", amount="700", currency="USD",
                              date=dt.date(2025, 3, 14), source="manual")
    spending.cost_estimate_set(access=accountant, budget_id=data.budget.pk, account_code="3301", etc="41000")
    frozen = costreport.cost_report(access=accountant, budget=data.budget, week_ending=WEEK)
    assert frozen.closing == closing
    assert [(r.code, r.atd, r.efc) for r in frozen.accounts] == [(r.code, r.atd, r.efc) for r in live.accounts]
    assert frozen.total.efc == live.total.efc == D("56125.00")
    # ...nor the live figures for that week: the late posting is reported in the first open period...
    assert row(costreport.cost_report(access=accountant, budget=data.budget, week_ending=WEEK, live=True),
               "2510").atd == D("5500.00")
    after = costreport.cost_report(access=accountant, budget=data.budget, week_ending=NEXT)
    assert after.prior_closing == closing
    r2510 = row(after, "2510")
    assert r2510.atd == D("6200.00") + D("2000.00")  # ...where it shows in ATD and in this period
    assert r2510.period == D("700.00") + D("2000.00")
    assert r2510.prior_efc == D("10500.00")
    assert r2510.efc == D("6200.00") + D("2000.00") + D("5000.00")  # ATD incl. 20 March + open PO; ETC 0
    assert r2510.efc_change == D("2700.00")
    assert row(after, "3301").efc_change == D("1000.00")
    assert after.total.prior_efc == D("56125.00")
    assert after.total.efc_change == after.total.efc - D("56125.00")


def test_closing_order_and_duplicates_refused_changing_nothing(data):
    accountant = acc(data, "accountant")
    closings.cost_report_close(access=accountant, budget_id=data.budget.pk, week_ending=WEEK)
    for week, words in [(WEEK, "already closed"), (WEEK - dt.timedelta(days=7), "before the latest closed")]:
        with pytest.raises(ValidationError) as exc:
            closings.cost_report_close(access=accountant, budget_id=data.budget.pk, week_ending=week)
        assert words in str(exc.value)
    assert CostReportClosing.objects.count() == 1
    with pytest.raises(ValidationError):
        closings.cost_report_close(access=accountant, budget_id=999999, week_ending=NEXT)
    assert CostReportClosing.objects.count() == 1


@pytest.mark.parametrize("who", ["financier", "pm", "camera_head", "crew"])
def test_close_denied_changes_nothing(data, who):
    with pytest.raises(ActionDenied):
        closings.cost_report_close(access=acc(data, who), budget_id=data.budget.pk, week_ending=WEEK)
    assert not CostReportClosing.objects.exists() and not CostReportSnapshotLine.objects.exists()
    assert not AuditEvent.objects.filter(action="cost_report.close").exists()


def test_snapshot_rows_cannot_be_edited(data):
    closing = closings.cost_report_close(access=acc(data, "accountant"), budget_id=data.budget.pk, week_ending=WEEK)
    line = closing.lines.first()
    line.atd = D("1")
    with pytest.raises(ValidationError):
        line.save()
    closing.note = "changed"
    with pytest.raises(ValidationError):
        closing.save()


# --- the cached budget figures ---------------------------------------------------------------------

def test_locked_budget_figures_are_cached(data):
    costreport.budget_by_account(data.budget)
    with CaptureQueriesContext(connection) as queries:
        figures = costreport.budget_by_account(data.budget)
    assert len(queries) == 0 and figures["2510"] == D("10000.00")
    assert sheetcache.budget_cache_key(data.budget, "x") is not None
    # working versions are cached too, keyed by the figures stamp read from the database
    # (tests/test_sheetcache.py shows every kind of edit changing the figures at once)
    data.budget.status = "working"
    assert sheetcache.budget_cache_key(data.budget, "x") is not None


# --- pages ----------------------------------------------------------------------------------------

def url(staff, name, **query):
    base = reverse(f"budgets:{name}", args=[staff.production.pk, staff.budget.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_close_page_flow(client, data):
    client.force_login(data.accountant)
    page = client.get(url(data, "cost_report", week=WEEK))
    assert page.status_code == 200 and "Close the period" in page.content.decode()
    response = client.post(url(data, "cost_report_close"), {"week_ending": WEEK.isoformat(), "note": "w11"})
    assert response.status_code == 302 and response["Location"].endswith(f"?week={WEEK}")
    html = client.get(response["Location"]).content.decode()
    assert "Closed period." in html and "Close the period" not in html
    nxt = client.get(url(data, "cost_report", week=NEXT)).content.decode()
    assert "Prior EFC: the period closed w/e 16 Mar 2025" in nxt and "+2,000.00" in nxt  # 2510: 20 March spend
    again = client.post(url(data, "cost_report_close"), {"week_ending": WEEK.isoformat()})
    assert again.status_code == 422 and "already closed" in again.content.decode()
    bad = client.post(url(data, "cost_report_close"), {"week_ending": "next friday"})
    assert bad.status_code == 422 and "Enter a valid date" in bad.content.decode()
    assert CostReportClosing.objects.count() == 1


@pytest.mark.parametrize("who", ["financier", "pm", "crew"])
def test_close_page_denied_changes_nothing(client, data, who):
    client.force_login(getattr(data, who))
    response = client.post(url(data, "cost_report_close"), {"week_ending": WEEK.isoformat()})
    assert response.status_code == 403 and not CostReportClosing.objects.exists()


def test_closed_report_exports_say_so(client, data):
    closings.cost_report_close(access=acc(data, "accountant"), budget_id=data.budget.pk, week_ending=WEEK)
    client.force_login(data.upm)
    xlsx = client.get(url(data, "cost_report_xlsx", week=WEEK))
    ws = load_workbook(io.BytesIO(xlsx.content))["Cost report"]
    assert ws["A3"].value.startswith("Closed period: frozen on")
    pdf = client.get(url(data, "cost_report_pdf", week=WEEK))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- the financier's summary -----------------------------------------------------------------------

@pytest.mark.parametrize("who, code", [("financier", 200), ("producer", 200), ("camera_head", 403), ("crew", 403),
                                       ("coordinator", 403)])
def test_summary_access(client, data, who, code):
    client.force_login(getattr(data, who))
    for name in ("cost_summary", "cost_summary_pdf", "cost_summary_xlsx"):
        assert client.get(url(data, name, week=WEEK)).status_code == code


def test_summary_404_for_outsiders(client, data):
    outsider = UserFactory()
    member(make_production(title="Elsewhere"), Role.FINANCIER, user=outsider)
    client.force_login(outsider)
    assert client.get(url(data, "cost_summary")).status_code == 404


def test_summary_shows_categories_only_and_the_closing(client, data):
    client.force_login(data.financier)
    provisional = client.get(url(data, "cost_summary", week=WEEK)).content.decode()
    assert "Provisional" in provisional
    closings.cost_report_close(access=acc(data, "accountant"), budget_id=data.budget.pk, week_ending=WEEK)
    html = client.get(url(data, "cost_summary")).content.decode()  # default: the latest closed period
    assert "Week ending 16 Mar 2025" in html and "Closed period" in html
    assert "Set Operations" in html and "10,500.00" in html  # category 2500 with its EFC
    assert ">2510<" not in html and "Estimate to complete" not in html  # no accounts, no editing
    wb = load_workbook(io.BytesIO(client.get(url(data, "cost_summary_xlsx")).content))
    ws = wb["Cost summary"]
    codes = [r[0] for r in ws.iter_rows(min_row=6, values_only=True) if r[0]]
    assert "2500" in codes and "2510" not in codes
    grand = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[1] == "Grand total")
    assert grand[2:8] == (55000, 2625, 5625, 5000, 56125, -1125)
    pdf = client.get(url(data, "cost_summary_pdf"))
    assert pdf.content.startswith(b"%PDF")


# --- API ------------------------------------------------------------------------------------------

def api(user):
    _, raw = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_closings_and_summary(data):
    base = f"/api/v1/productions/{data.production.pk}"
    path = f"{base}/budgets/{data.budget.pk}/cost-report/closings"
    denied = api(data.financier).post(path, {"week_ending": WEEK.isoformat()}, content_type="application/json")
    assert denied.status_code == 403 and not CostReportClosing.objects.exists()
    accountant = api(data.accountant)
    created = accountant.post(path, {"week_ending": WEEK.isoformat(), "note": "w11"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["week_ending"] == WEEK.isoformat()
    dup = accountant.post(path, {"week_ending": WEEK.isoformat()}, content_type="application/json")
    assert dup.status_code == 422 and "already closed" in dup.json()["detail"][0]["msg"]
    assert [c["note"] for c in accountant.get(f"{base}/cost-report/closings").json()] == ["w11"]
    report = accountant.get(f"{base}/budgets/{data.budget.pk}/cost-report", {"week": NEXT.isoformat()}).json()
    assert report["prior_week_ending"] == WEEK.isoformat() and not report["closed"]
    assert report["total"]["prior_efc"] == "56125.00"
    frozen = accountant.get(f"{base}/budgets/{data.budget.pk}/cost-report", {"week": WEEK.isoformat()}).json()
    assert frozen["closed"] and frozen["total"]["efc"] == "56125.00" and frozen["total"]["prior_efc"] is None
    summary = api(data.financier).get(f"{base}/budgets/{data.budget.pk}/cost-summary").json()
    assert summary["closed"] and summary["week_ending"] == WEEK.isoformat()
    assert all("accounts" not in c for lv in summary["levels"] for c in lv["categories"])
    assert summary["total"]["variance"] == "-1125.00"
    assert api(data.crew).get(f"{base}/budgets/{data.budget.pk}/cost-summary").status_code == 403


# --- command line ---------------------------------------------------------------------------------

def test_cli_close_and_summary(data, tmp_path):
    slug = str(data.production.pk)
    out = io.StringIO()
    with pytest.raises(Exception, match="may not close"):
        call_command("costreport", "--production", slug, "--period", "2025-11", "--close",
                     "--as", data.financier.email, stdout=out, stderr=io.StringIO())
    assert not CostReportClosing.objects.exists()
    call_command("costreport", "--production", slug, "--period", "2025-11", "--close", "--as", data.accountant.email,
                 "--summary", "-o", str(tmp_path / "s.json"), stdout=out, stderr=io.StringIO())
    payload = json.loads((tmp_path / "s.json").read_text())
    assert payload["closed"] and payload["week_ending"] == WEEK.isoformat()
    assert "accounts" not in payload["levels"][0]["categories"][0] and "overruns" not in payload
    assert CostReportClosing.objects.get().week_ending == WEEK
