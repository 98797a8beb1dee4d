"""Budget pages: who sees and edits them, inline line editing (201/422/409), export and import."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_production, member
from unitbase.budgets import services
from unitbase.budgets.models import Budget, ChartOfAccounts, DetailLine
from unitbase.productions.authority import Role
from unitbase.productions.permissions import access_production

from .conftest import account, add_line

pytestmark = pytest.mark.django_db

READERS = [Role.PRODUCER, Role.EXECUTIVE_PRODUCER, Role.UPM, Role.LINE_PRODUCER, Role.PRODUCTION_MANAGER,
           Role.PRODUCTION_ACCOUNTANT, Role.FINANCIER]
DENIED = [Role.CREW, Role.CAST, Role.DEPARTMENT_HEAD, Role.PRODUCTION_COORDINATOR, Role.FIRST_AD]


def url(name, production, *args):
    return reverse(f"budgets:{name}", args=[production.pk, *args])


def snapshot():
    return list(DetailLine.objects.order_by("pk").values()), list(Budget.objects.order_by("pk").values())


@pytest.fixture
def login(client, production):
    def _login(role):
        user = member(production, role).user
        client.force_login(user)
        return user

    return _login


@pytest.fixture
def line(upm, budget):
    return add_line(upm, budget)


HTMX = {"HTTP_HX_REQUEST": "true"}


def line_post(**overrides):
    data = {"description": "Camera operator", "amount": "10", "unit": "week", "x": "1", "rate": "4000",
            "currency": "USD"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", READERS)
def test_readers_see_every_budget_page(client, login, production, budget, line, role):
    login(role)
    pages = [url("list", production), url("topsheet", production, budget.pk), url("setup", production, budget.pk),
             url("account", production, budget.pk, line.account_id), url("compare", production),
             url("chart", production, budget.chart_id)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    assert client.get(url("export_xlsx", production, budget.pk)).status_code == 200


@pytest.mark.parametrize("role", DENIED)
def test_crew_cast_and_department_heads_get_403_and_change_nothing(client, login, production, budget, line, role):
    login(role)
    for page in [url("list", production), url("topsheet", production, budget.pk),
                 url("account", production, budget.pk, line.account_id), url("export_xlsx", production, budget.pk)]:
        assert client.get(page).status_code == 403, page
    before = snapshot()
    posts = [
        (url("line_add", production, budget.pk, line.account_id), line_post()),
        (url("line_edit", production, budget.pk, line.pk), line_post(revision=line.revision)),
        (url("line_delete", production, budget.pk, line.pk), {"revision": line.revision}),
        (url("lock", production, budget.pk), {}),
        (url("setup_save", production, budget.pk, "global"), {"global-name": "X", "global-value": "1"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    assert snapshot() == before


def test_financier_reads_but_may_not_edit(client, login, production, budget, line):
    login(Role.FINANCIER)
    response = client.get(url("account", production, budget.pk, line.account_id))
    assert b"Add a line" not in response.content and b">Edit<" not in response.content
    before = snapshot()
    assert client.post(url("line_add", production, budget.pk, line.account_id), line_post()).status_code == 403
    assert snapshot() == before


def test_non_member_gets_404(client, production, budget, line):
    client.force_login(member(make_production(title="Other"), Role.PRODUCER).user)
    assert client.get(url("topsheet", production, budget.pk)).status_code == 404
    assert client.post(url("line_delete", production, budget.pk, line.pk), {"revision": 1}).status_code == 404
    assert DetailLine.objects.filter(pk=line.pk).exists()


def test_other_productions_budget_is_404(client, login, production, budget):
    other = make_production(title="Other")
    other_upm = access_production(member(other, Role.UPM).user, other.pk)
    chart = services.chart_load_standard(access=other_upm, kind="series")
    foreign = services.budget_create(access=other_upm, chart_id=chart.pk, name="Theirs")
    login(Role.UPM)
    assert client.get(url("topsheet", production, foreign.pk)).status_code == 404


def test_topsheet_layout_levels_fringes_charges_and_grand_total(client, login, production, upm, budget):
    services.fringe_create(access=upm, budget_id=budget.pk, code="FICA", name="FICA", kind="percent", rate=D("6.2"))
    services.charge_set(access=upm, budget_id=budget.pk, name="Contingency", rate=D(10),
                        basis=["atl", "production", "post", "other"])
    add_line(upm, budget, "1301", description="Director", amount="1", unit="flat", rate=D(100000), fringe_codes=["FICA"])
    add_line(upm, budget, "3301", amount="1", unit="flat", rate=D(20000))
    login(Role.PRODUCTION_ACCOUNTANT)
    html = client.get(url("topsheet", production, budget.pk)).content.decode()
    assert "Above-the-line" in html and "1900" in html and "Fringe Benefits (ATL)" in html
    assert "100,000.00" in html and "6,200.00" in html  # direction, then ATL fringes on 1900
    assert "Total Above-the-line</th><td class=\"num\">106,200.00" in html
    assert "Contingency (10% of 126,200.00)" in html
    assert 'id="grand-total">138,820.00' in html


def test_revision_topsheet_shows_red_negative_variance(client, login, production, upm, budget, line):
    services.budget_lock(access=upm, budget_id=budget.pk)
    new = services.budget_revise(access=upm, budget_id=budget.pk)
    copied = new.lines.get()
    services.detail_line_update(access=upm, line_id=copied.pk, revision=1, rate=D(6000))
    login(Role.UPM)
    html = client.get(url("topsheet", production, new.pk)).content.decode()
    assert "Variance" in html
    assert '<span class="negative" title="Over the previous version">-10,000.00</span>' in html
    compare = client.get(url("compare", production) + f"?left={budget.pk}&right={new.pk}").content.decode()
    assert "50,000.00" in compare and "60,000.00" in compare and 'class="negative"' in compare


def test_htmx_add_line_returns_row_and_updates_totals(client, login, production, budget):
    login(Role.LINE_PRODUCER)
    acc = account(budget, "3302")
    response = client.post(url("line_add", production, budget.pk, acc.pk), line_post(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    created = DetailLine.objects.get(account=acc)
    assert f'id="line-{created.pk}"' in html and "40,000.00" in html
    assert 'id="account-totals" hx-swap-oob="true"' in html and 'id="line-add"' in html


def test_invalid_line_is_422_with_field_errors_and_nothing_saved(client, login, production, budget):
    login(Role.UPM)
    acc = account(budget, "3302")
    response = client.post(url("line_add", production, budget.pk, acc.pk),
                           line_post(amount="SHOOT_DAYS", rate="lots", currency="EUR"), **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#line-add"
    html = response.content.decode()
    assert "Enter a number." in html  # rate, from the form
    assert not DetailLine.objects.exists()
    response = client.post(url("line_add", production, budget.pk, acc.pk), line_post(amount="SHOOT_DAYS"), **HTMX)
    assert response.status_code == 422
    assert "No global named SHOOT_DAYS." in response.content.decode()
    assert not DetailLine.objects.exists()


def test_edit_line_inline_then_stale_revision_is_409(client, login, production, budget, line):
    login(Role.UPM)
    edit = url("line_edit", production, budget.pk, line.pk)
    form = client.get(edit, **HTMX)
    assert form.status_code == 200 and b'name="revision"' in form.content
    response = client.post(edit, line_post(description="DP (weekly)", rate="5200", revision=1), **HTMX)
    assert response.status_code == 200 and b"DP (weekly)" in response.content and b"Saved" in response.content
    before = snapshot()
    stale = client.post(edit, line_post(description="Mine", rate="1", revision=1), **HTMX)
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode() and b"Reload this account" in stale.content
    assert snapshot() == before
    invalid = client.post(edit, line_post(unit="fortnight", revision=2), **HTMX)
    assert invalid.status_code == 422 and b"fortnight" in invalid.content
    assert client.post(url("line_delete", production, budget.pk, line.pk), {"revision": 1}, **HTMX).status_code == 409
    deleted = client.post(url("line_delete", production, budget.pk, line.pk), {"revision": 2}, **HTMX)
    assert deleted.status_code == 200 and not DetailLine.objects.filter(pk=line.pk).exists()


def test_locked_budget_add_is_409(client, login, production, upm, budget, line):
    services.budget_lock(access=upm, budget_id=budget.pk)
    login(Role.UPM)
    response = client.post(url("line_add", production, budget.pk, line.account_id), line_post(), **HTMX)
    assert response.status_code == 409 and b"is locked" in response.content
    assert DetailLine.objects.count() == 1


def test_setup_forms_save_and_422(client, login, production, budget):
    login(Role.PRODUCTION_ACCOUNTANT)
    ok = client.post(url("setup_save", production, budget.pk, "fringe"), {
        "revision": 1, "fringe-code": "FICA", "fringe-name": "Social security", "fringe-kind": "percent",
        "fringe-rate": "6.2", "fringe-cutoff": "168600"})
    assert ok.status_code == 302 and budget.fringes.get().cutoff == D("168600")
    bad = client.post(url("setup_save", production, budget.pk, "charge"), {
        "revision": 2, "charge-name": "Bond", "charge-kind": "percent", "charge-rate": "3"})
    assert bad.status_code == 422 and b"Choose at least one level" in bad.content
    stale = client.post(url("setup_save", production, budget.pk, "global"),
                        {"revision": 1, "global-name": "SHOOT_DAYS", "global-value": "30"})
    assert stale.status_code == 409 and not budget.globals.exists()


def test_list_loads_chart_and_creates_budget(client, login, production):
    login(Role.UPM)
    html = client.get(url("list", production)).content.decode()
    assert "No budget yet" in html and "Load a standard chart" in html
    assert client.post(url("chart_load", production), {"kind": "commercial"}).status_code == 302
    chart = ChartOfAccounts.objects.get(production=production)
    response = client.post(url("create", production), {"name": "Bid", "chart": chart.pk, "base_currency": "EUR"})
    budget = Budget.objects.get(production=production)
    assert response.status_code == 302 and budget.base_currency == "EUR"
    assert client.post(url("create", production), {"name": "", "chart": chart.pk, "base_currency": "EU"}).status_code == 422


def test_xlsx_export_has_topsheet_and_details(client, login, production, upm, budget, line):
    login(Role.UPM)
    response = client.get(url("export_xlsx", production, budget.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    top = [row for row in wb["Top sheet"].iter_rows(values_only=True)]
    figures = {(r[0], r[1]): r[2] for r in top if len(r) > 2 and isinstance(r[2], int | float)}
    assert figures[("3300", "Camera")] == 50000
    assert top[-1][1] == "GRAND TOTAL" and D(str(top[-1][2])) == D("50000.00")
    detail = list(wb["Detail"].iter_rows(values_only=True))
    assert detail[1][:3] == ("3301", "Director of photography", "DP") and D(str(detail[1][11])) == D("50000.00")


def test_csv_import_page_all_or_nothing(client, login, production, budget):
    login(Role.UPM)
    bad = b"account code,description,amount,units,x,rate,currency\n3301,DP,10,week,1,5000,USD\n3301,Op,x y,week,1,1,USD\n"
    response = client.post(url("import", production, budget.pk), {"file": SimpleUploadedFile("l.csv", bad)})
    assert response.status_code == 422 and b"Row 3, column amount" in response.content
    assert not DetailLine.objects.exists()
    good = b"account code,description,amount,units,x,rate,currency\n3301,DP,10,week,1,5000,USD\n"
    response = client.post(url("import", production, budget.pk), {"file": SimpleUploadedFile("l.csv", good)})
    assert response.status_code == 302 and DetailLine.objects.count() == 1


def test_topsheet_and_detail_pdf(client, production, upm, budget, access_for):
    """Top sheet and detail as PDF (WeasyPrint): the figures are in the document; 403 for crew."""
    import pdfplumber

    add_line(upm, budget, "3301", description="Director of photography", amount="10", rate=D("5000"))
    client.force_login(upm.user)
    top = client.get(reverse("budgets:export_topsheet_pdf", args=[production.pk, budget.pk]))
    assert top.status_code == 200 and top["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(top.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    from unitbase.budgets import selectors

    grand = selectors.budget_topsheet(access=upm, budget=budget).grand_total
    assert "Top sheet — Low Water" in text and "3300 Camera 50,000.00" in text
    assert f"Grand total {grand:,.2f}" in text and grand == D("50000.00")
    detail = client.get(reverse("budgets:export_detail_pdf", args=[production.pk, budget.pk]))
    with pdfplumber.open(io.BytesIO(detail.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Director of photography" in text and "Total 3301" in text
    crew = access_for(Role.CREW)
    client.force_login(crew.user)
    assert client.get(reverse("budgets:export_topsheet_pdf", args=[production.pk, budget.pk])).status_code == 403
