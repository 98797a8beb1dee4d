"""Spending and cost-report pages: allowed, denied (changing nothing), 404, 422; PDF and XLSX."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory, make_production, member
from unitbase.budgets import spending
from unitbase.budgets.models import CostEstimate, PurchaseOrder, Receipt, Transaction, Vendor
from unitbase.budgets.tests.test_costreport import report_data  # noqa: F401  (fixture used below)
from unitbase.budgets.tests.test_spending import make_staff
from unitbase.productions.authority import Role

D = Decimal


@pytest.fixture
def staff(db):
    return make_staff()


def client_for(client, user):
    client.force_login(user)
    return client


def url(staff, name, *args):
    return reverse(f"budgets:{name}", args=[staff.production.pk, *args])


@pytest.mark.parametrize("who, code", [("producer", 200), ("accountant", 200), ("camera_head", 403),
                                       ("crew", 403), ("coordinator", 403)])
def test_cost_report_page_access(client, report_data, who, code):  # noqa: F811
    staff = report_data
    response = client_for(client, getattr(staff, who)).get(url(staff, "cost_report", staff.budget.pk),
                                                           {"week": "2025-03-16"})
    assert response.status_code == code
    if code == 200:
        html = response.content.decode()
        assert "10,500.00" in html and '<span class="negative">-500.00</span>' in html
        assert "Forecast: accounts over budget" in html


def test_cost_report_404s(client, staff):
    other = make_production(title="Other")
    outsider = UserFactory()
    member(other, Role.PRODUCER, user=outsider)
    assert client_for(client, outsider).get(url(staff, "cost_report", staff.budget.pk)).status_code == 404
    client.force_login(staff.producer)
    assert client.get(url(staff, "cost_report", 999999)).status_code == 404


def test_bad_week_warns_instead_of_failing(client, staff):
    response = client_for(client, staff.producer).get(url(staff, "cost_report", staff.budget.pk), {"week": "soon"})
    assert response.status_code == 200 and "Enter the week ending as a date" in response.content.decode()


def test_cost_report_pdf_and_xlsx(client, report_data):  # noqa: F811
    staff = report_data
    client.force_login(staff.upm)
    pdf = client.get(url(staff, "cost_report_pdf", staff.budget.pk), {"week": "2025-03-16"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url(staff, "cost_report_xlsx", staff.budget.pk), {"week": "2025-03-16"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    ws = wb["Cost report"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["2510"][2:] == (10000, 2500, 5500, 5000, 10500, 0, 10500, -500)
    grand = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "Grand total")
    assert grand[-1] == -1125
    assert [r[0] for r in wb["Overruns"].iter_rows(min_row=2, values_only=True)] == ["2810", "2510"]


def test_estimate_post_allowed_and_denied(client, staff):
    target = url(staff, "cost_estimate", staff.budget.pk)
    denied = client_for(client, staff.pm).post(target, {"account_code": "2810", "etc": "1"})
    assert denied.status_code == 403 and not CostEstimate.objects.exists()
    client.force_login(staff.accountant)
    bad = client.post(target, {"account_code": "2810", "etc": "-3"})
    assert bad.status_code == 422 and not CostEstimate.objects.exists()
    ok = client.post(target + "?week=2025-03-16", {"account_code": "2810", "etc": "7"})
    assert ok.status_code == 302 and ok["Location"].endswith("?week=2025-03-16")
    assert CostEstimate.objects.get().etc == D("7.00")


def test_po_pages(client, staff):
    client.force_login(staff.camera_head)
    assert client.post(url(staff, "vendor_create"), {"name": "Keslow"}).status_code == 302
    vendor = Vendor.objects.get()
    bad = client.post(url(staff, "po_create"), {"vendor": vendor.pk, "description": "Lens", "account_code": "9999",
                                                "amount": "10"})
    assert bad.status_code == 422 and "9999 is not an account" in bad.content.decode()
    assert not PurchaseOrder.objects.exists()
    ok = client.post(url(staff, "po_create"), {"vendor": vendor.pk, "description": "Lens", "account_code": "2810",
                                               "amount": "400"})
    po = PurchaseOrder.objects.get()
    assert ok.status_code == 302 and ok["Location"] == url(staff, "po", po.pk)
    assert client.post(url(staff, "po_submit", po.pk)).status_code == 302
    po.refresh_from_db()
    assert po.status == "submitted"
    page = client.get(url(staff, "po", po.pk)).content.decode()
    assert "Amounts are locked" in page
    # another department's head sees neither list entry nor page
    client.force_login(staff.sound_head)
    assert client.get(url(staff, "po", po.pk)).status_code == 404
    assert "Lens" not in client.get(url(staff, "spending")).content.decode()
    # crew may not raise POs
    client.force_login(staff.crew)
    assert client.post(url(staff, "po_create"), {"vendor": vendor.pk, "description": "x", "account_code": "2810",
                                                 "amount": "1"}).status_code == 403
    assert PurchaseOrder.objects.count() == 1


def test_close_denied_changes_nothing(client, staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Keslow")
    po = spending.purchase_order_create(access=acc, vendor_id=vendor.pk, description="x",
                                        lines=[{"account_code": "2810", "amount": "10"}])
    client.force_login(staff.camera_head)
    assert client.post(url(staff, "po_close", po.pk)).status_code == 403
    assert PurchaseOrder.objects.get().status == "draft"


def test_transactions_page(client, staff):
    client.force_login(staff.pm)
    data = {"date": "2025-03-14", "account_code": "2510", "amount": "12.50", "currency": "", "source": "manual"}
    assert client.get(url(staff, "transactions")).status_code == 200
    assert client.post(url(staff, "transactions"), data).status_code == 403
    assert not Transaction.objects.exists()
    client.force_login(staff.accountant)
    assert client.post(url(staff, "transactions"), data | {"currency": "XYZ"}).status_code == 422
    assert client.post(url(staff, "transactions"), data).status_code == 302
    assert Transaction.objects.get().base_amount == D("12.50")
    client.force_login(staff.camera_head)
    assert client.get(url(staff, "transactions")).status_code == 403


def test_petty_cash_pages(client, staff, settings):
    cash = spending.petty_cash_float_issue(access=staff.access("accountant"), holder_id=staff.crew.pk, amount="100",
                                           issued_on=dt.date(2025, 3, 1))
    envelope = spending.petty_cash_envelope_open(access=staff.access("crew"), float_id=cash.pk)
    client.force_login(staff.crew)
    assert "Float" in client.get(url(staff, "petty_cash")).content.decode()
    data = {"date": "2025-03-02", "account_code": "2810", "description": "Tape", "amount": "4.00"}
    bad = client.post(url(staff, "receipt_add", envelope.pk),
                      data | {"file": SimpleUploadedFile("r.txt", b"hello", content_type="text/plain")})
    assert bad.status_code == 422 and not Receipt.objects.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    assert client.post(url(staff, "receipt_add", envelope.pk),
                       data | {"file": SimpleUploadedFile("r.png", png, content_type="image/png")}).status_code == 302
    assert Receipt.objects.count() == 1
    client.force_login(staff.coordinator)  # not their float
    assert client.post(url(staff, "receipt_add", envelope.pk),
                       data | {"file": SimpleUploadedFile("r.png", png, content_type="image/png")}).status_code == 404
    assert Receipt.objects.count() == 1


def test_hot_cost_page(client, staff):
    client.force_login(staff.accountant)
    data = {"date": "2025-03-14", "planned_hours": "12", "actual_hours": "14", "overtime_hours": "2",
            "meal_penalties": "1", "planned_cost": "50000", "actual_cost": "53250", "notes": "Rain"}
    assert client.post(url(staff, "hot_cost"), data).status_code == 302
    page = client.get(url(staff, "hot_cost")).content.decode()
    assert '<span class="negative">-3,250.00</span>' in page
    client.force_login(staff.pm)
    assert client.post(url(staff, "hot_cost"), data | {"actual_cost": "1"}).status_code == 403
