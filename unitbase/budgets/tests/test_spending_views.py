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
from unitbase.budgets.models import (
    CostEstimate,
    Invoice,
    PettyCashCount,
    PettyCashEnvelope,
    PettyCashFloat,
    PurchaseOrder,
    Receipt,
    Transaction,
    Vendor,
)
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
    assert rows["2510"][2:10] == (10000, 2500, 5500, 5000, 10500, 0, 10500, -500)
    grand = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "Grand total")
    assert grand[9] == -1125  # variance; then prior EFC and change (none: no closed period)
    assert grand[10:] == (None, None)
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


def po_data(vendor, description, lines, **extra):
    """The new-PO form's POST: header plus a "lines" formset of (account, description, amount)."""
    data = {"vendor": vendor.pk, "description": description, "currency": "", "department": "",
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "100"}
    for i, (code, desc, amount) in enumerate(lines):
        data.update({f"lines-{i}-account_code": code, f"lines-{i}-description": desc, f"lines-{i}-amount": amount})
    data.update(extra)
    return data


def test_po_pages(client, staff):
    client.force_login(staff.camera_head)
    assert client.post(url(staff, "vendor_create"), {"name": "Keslow"}).status_code == 302
    vendor = Vendor.objects.get()
    bad = client.post(url(staff, "po_create"), po_data(vendor, "Lens", [("9999", "", "10")]))
    assert bad.status_code == 422 and "9999 is not an account" in bad.content.decode()
    assert not PurchaseOrder.objects.exists()
    ok = client.post(url(staff, "po_create"), po_data(vendor, "Lens", [("2810", "", "400")]))
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
    assert client.post(url(staff, "po_create"), po_data(vendor, "x", [("2810", "", "1")])).status_code == 403
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
    # the holder submits; the page then links to the approval request
    client.force_login(staff.crew)
    assert client.post(url(staff, "envelope_action", envelope.pk, "approve")).status_code == 404
    assert client.post(url(staff, "envelope_action", envelope.pk, "submit")).status_code == 302
    assert PettyCashEnvelope.objects.get().status == "submitted"
    page = client.get(url(staff, "petty_cash")).content.decode()
    assert "Approval: <strong>Pending</strong>" in page and "chain and history, approve or reject" in page


def test_float_count_page(client, staff):
    cash = spending.petty_cash_float_issue(access=staff.access("accountant"), holder_id=staff.crew.pk, amount="100",
                                           issued_on=dt.date(2025, 3, 1))
    target = url(staff, "float_count", cash.pk)
    client.force_login(staff.crew)  # the holder may not reconcile their own float
    assert client.post(target, {"date": "2025-03-05", "counted": "90"}).status_code == 403
    assert not PettyCashCount.objects.exists()
    client.force_login(staff.accountant)
    bad = client.post(target, {"date": "2025-03-05", "counted": "-4"})
    assert bad.status_code == 422 and "cannot be negative" in bad.content.decode()
    ok = client.post(target, {"date": "2025-03-05", "counted": "97.50", "note": "Counted with Sam"}, follow=True)
    html = ok.content.decode()
    assert "is short by 2.50" in html and '<span class="negative">-2.50</span>' in html
    assert client.post(target, {"date": "2025-03-06", "counted": "97.50", "close": "on"}).status_code == 302
    assert PettyCashFloat.objects.get().status == "closed" and PettyCashCount.objects.count() == 2


def _invoice_data(vendor, number, lines, **extra):
    data = {"vendor": vendor.pk, "number": number, "date": "2025-03-10", "currency": "", "department": "",
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "100"}
    for i, (code, desc, amount) in enumerate(lines):
        data.update({f"lines-{i}-account_code": code, f"lines-{i}-description": desc, f"lines-{i}-amount": amount})
    return data | extra


def test_direct_invoice_pages(client, staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Caterer")
    target = url(staff, "invoice_new")
    data = _invoice_data(vendor, "C-1", [("2510", "Lunch", "300"), ("2810", "", "50.25")])
    client.force_login(staff.pm)  # may approve purchases but not record invoices
    assert client.get(target).status_code == 403
    assert client.post(target, data).status_code == 403 and not Invoice.objects.exists()
    client.force_login(staff.accountant)
    assert client.get(target).status_code == 200
    bad = client.post(target, _invoice_data(vendor, "C-1", [("2510", "", "300"), ("4444", "", "1")]))
    assert bad.status_code == 422 and "4444 is not an account" in bad.content.decode()
    assert not Invoice.objects.exists()
    added = client.post(target + "?part=lines", data | {"line_action": "add"}, HTTP_HX_REQUEST="true")
    assert 'name="lines-TOTAL_FORMS" value="3"' in added.content.decode() and not Invoice.objects.exists()
    ok = client.post(target, data)
    invoice = Invoice.objects.get()
    assert ok.status_code == 302 and ok["Location"] == url(staff, "invoice", invoice.pk)
    assert (invoice.status, invoice.total) == ("submitted", D("350.25")) and not Transaction.objects.exists()
    page = client.get(url(staff, "invoice", invoice.pk)).content.decode()
    assert "Pending approval" in page and "Record payment" not in page
    listing = client.get(url(staff, "invoices")).content.decode()
    assert "C-1" in listing and "no PO" in listing
    client.force_login(staff.camera_head)  # may not read the budget's invoices
    assert client.get(url(staff, "invoice", invoice.pk)).status_code == 403
    assert client.get(url(staff, "invoices")).status_code == 403


def test_hot_cost_page(client, staff):
    client.force_login(staff.accountant)
    data = {"date": "2025-03-14", "planned_hours": "12", "actual_hours": "14", "overtime_hours": "2",
            "meal_penalties": "1", "planned_cost": "50000", "actual_cost": "53250", "notes": "Rain"}
    assert client.post(url(staff, "hot_cost"), data).status_code == 302
    page = client.get(url(staff, "hot_cost")).content.decode()
    assert '<span class="negative">-3,250.00</span>' in page
    client.force_login(staff.pm)
    assert client.post(url(staff, "hot_cost"), data | {"actual_cost": "1"}).status_code == 403


def test_new_po_page_with_several_lines(client, staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Keslow")
    client.force_login(staff.accountant)
    page = client.get(url(staff, "po_create"))
    assert page.status_code == 200 and '<option value="2810">2810' in page.content.decode()
    lines = [("2510", "Dolly", "1200.00"), ("2810", "", "300.50"), ("2510", "Track", "99.50")]
    ok = client.post(url(staff, "po_create"), po_data(vendor, "Grip package", lines))
    po = PurchaseOrder.objects.get()
    assert ok.status_code == 302 and ok["Location"] == url(staff, "po", po.pk)
    assert po.total == D("1600.00")
    assert [(line.account_code, line.description, line.amount) for line in po.lines.all()] == [
        ("2510", "Dolly", D("1200.00")), ("2810", "Grip package", D("300.50")), ("2510", "Track", D("99.50"))]


def test_po_lines_add_remove_and_total_fragments(client, staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Keslow")
    client.force_login(staff.accountant)
    target = url(staff, "po_create")
    two = po_data(vendor, "Gels", [("2510", "A", "10"), ("2810", "B", "2.5")])
    added = client.post(target + "?part=lines", {**two, "line_action": "add"}, HTTP_HX_REQUEST="true")
    html = added.content.decode()
    assert added.status_code == 200 and 'name="lines-TOTAL_FORMS" value="3"' in html
    assert "<html" not in html and "Total 12.50" in html
    removed = client.post(target + "?part=lines", {**two, "line_action": "remove-0"}, HTTP_HX_REQUEST="true")
    html = removed.content.decode()
    assert 'name="lines-TOTAL_FORMS" value="1"' in html and 'value="2810"' in html and 'value="2510"' not in html
    total = client.post(target + "?part=total", po_data(vendor, "Gels", [("2510", "", "10"), ("2810", "", "x")]),
                        HTTP_HX_REQUEST="true")
    assert 'id="po-total"' in total.content.decode() and "some amounts are not numbers" in total.content.decode()
    # without htmx "add" re-renders the whole page, keeping the header as typed; nothing is saved
    full = client.post(target, {**two, "line_action": "add"})
    assert full.status_code == 200 and 'value="Gels"' in full.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_po_bad_line_refuses_whole_po_with_error_beside_the_line(client, staff):
    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Keslow")
    client.force_login(staff.accountant)
    bad = client.post(url(staff, "po_create"), po_data(vendor, "Mix", [("2510", "", "10"), ("7777", "", "5"),
                                                                        ("2810", "", "-3")]))
    html = bad.content.decode()
    assert bad.status_code == 422
    assert "Ensure this value is greater than or equal to 0.01" in html
    assert not PurchaseOrder.objects.exists()
    bad = client.post(url(staff, "po_create"), po_data(vendor, "Mix", [("2510", "", "10"), ("7777", "", "5")]))
    assert bad.status_code == 422 and "7777 is not an account" in bad.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_po_edit_lines_and_lock_while_submitted(client, staff):
    acc = staff.access("camera_head")
    vendor = spending.vendor_create(access=acc, name="Keslow")
    po = spending.purchase_order_create(access=acc, vendor_id=vendor.pk, description="Lens",
                                        lines=[{"account_code": "2810", "amount": "10"}])
    client.force_login(staff.camera_head)
    edit = url(staff, "po_edit", po.pk)
    page = client.get(edit)
    assert page.status_code == 200 and 'value="10.00"' in page.content.decode()
    data = po_data(vendor, "Lens", [("2810", "Filters", "10"), ("2510", "Sandbags", "40")], revision=po.revision)
    assert client.post(edit, data)["Location"] == url(staff, "po", po.pk)
    po.refresh_from_db()
    assert po.total == D("50.00") and po.lines.count() == 2
    # a stale revision changes nothing (409)
    stale = client.post(edit, po_data(vendor, "Lens", [("2810", "", "1")], revision=po.revision - 1))
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    po.refresh_from_db()
    assert po.total == D("50.00")
    # another department's head may not edit it, and nothing changes
    client.force_login(staff.sound_head)
    assert client.post(edit, po_data(vendor, "Lens", [("2810", "", "1")], revision=po.revision)).status_code == 404
    po.refresh_from_db()
    assert po.total == D("50.00")
    # under approval the amounts are locked
    spending.purchase_order_submit(access=acc, po_id=po.pk)
    client.force_login(staff.camera_head)
    locked = client.post(edit, po_data(vendor, "Lens", [("2810", "", "1")], revision=po.revision))
    assert locked.status_code == 302 and locked["Location"] == url(staff, "po", po.pk)
    po.refresh_from_db()
    assert po.total == D("50.00") and po.status == "submitted"
