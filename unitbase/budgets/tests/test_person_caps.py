"""Fringe caps per person across all of a person's lines (every engagement), through the services,
the pages (line form, Globals & fringes, account detail, top sheet) and the API."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import selectors, services
from unitbase.budgets.models import DetailLine, Fringe
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role

from .conftest import account, add_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def pen(upm, budget):
    return services.fringe_create(access=upm, budget_id=budget.pk, code="PEN", name="Pension", kind="percent",
                                  rate=D("10"), cap=D("500"), person_cap=D("800"))


def ann_lines(upm, budget):
    # Ann, DP, three engagements (blocks); 10% each: 600 (capped 500), 400, 300 -> person cap 800 total
    kw = {"amount": "1", "unit": "flat", "fringe_codes": ["PEN"], "person": "Ann Lee"}
    return [add_line(upm, budget, rate=D("6000"), fringe_group="Ann block 1", description="Block 1", **kw),
            add_line(upm, budget, rate=D("4000"), fringe_group="Ann block 2", description="Block 2", **kw),
            add_line(upm, budget, rate=D("3000"), fringe_group="Ann block 3", description="Block 3", **kw)]


def test_person_cap_through_services(upm, budget, pen):
    lines = ann_lines(upm, budget)
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert [sheet.lines[ln.pk].fringes["PEN"] for ln in lines] == [D("500.00"), D("300.00"), D("0.00")]
    assert sheet.fringe_total == D("800.00")
    event = AuditEvent.objects.get(action="budget_fringe.create", object_id=str(pen.pk))
    assert event.changes["person_cap"] == "800"
    # Moving a line to another person frees the cap for the rest.
    services.detail_line_update(access=upm, line_id=lines[0].pk, revision=lines[0].revision, person="Bo Park")
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert [sheet.lines[ln.pk].fringes["PEN"] for ln in lines] == [D("500.00"), D("400.00"), D("300.00")]
    # A revision copies person and person cap.
    services.budget_lock(access=upm, budget_id=budget.pk)
    revised = services.budget_revise(access=upm, budget_id=budget.pk)
    assert revised.fringes.get().person_cap == D("800.00")
    assert sorted(revised.lines.values_list("person", flat=True)) == ["Ann Lee", "Ann Lee", "Bo Park"]


def test_pages_show_and_edit_person_caps(client, production, upm, budget, pen):
    lines = ann_lines(upm, budget)
    client.force_login(member(production, Role.PRODUCTION_ACCOUNTANT).user)
    setup = client.get(reverse("budgets:setup", args=[production.pk, budget.pk])).content.decode()
    assert "Cap per person" in setup and "Cap / person" in setup and "800.00" in setup
    ok = client.post(reverse("budgets:setup_save", args=[production.pk, budget.pk, "fringe"]), {
        "revision": Fringe.objects.get().budget.revision, "fringe-code": "PEN",
        "fringe-name": "Pension", "fringe-kind": "percent", "fringe-rate": "10", "fringe-cap": "500",
        "fringe-person_cap": "900"})
    assert ok.status_code == 302 and Fringe.objects.get().person_cap == D("900.00")
    detail = client.get(reverse("budgets:account", args=[production.pk, budget.pk, account(budget, "3301").pk]))
    html = detail.content.decode()
    assert "Person: Ann Lee" in html and 'name="person"' in html
    added = client.post(reverse("budgets:line_add", args=[production.pk, budget.pk, account(budget, "3301").pk]), {
        "description": "Block 4", "amount": "1", "unit": "flat", "x": "1", "rate": "1000", "currency": "USD",
        "fringes": ["PEN"], "fringe_group": "Ann block 4", "person": "Ann Lee"})
    assert added.status_code in (200, 302)
    new = DetailLine.objects.get(description="Block 4")
    assert new.person == "Ann Lee"
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert sum(sheet.lines[ln.pk].fringes["PEN"] for ln in [*lines, new]) == D("900.00")


def test_denied_roles_change_nothing(client, production, upm, budget, pen):
    line = ann_lines(upm, budget)[0]
    before = (list(Fringe.objects.values()), list(DetailLine.objects.order_by("pk").values()))
    client.force_login(member(production, Role.DEPARTMENT_HEAD).user)
    denied = client.post(reverse("budgets:setup_save", args=[production.pk, budget.pk, "fringe"]), {
        "revision": budget.revision, "fringe-code": "PEN", "fringe-name": "Pension", "fringe-kind": "percent",
        "fringe-rate": "10", "fringe-person_cap": "1"})
    assert denied.status_code == 403
    client.force_login(member(production, Role.PRODUCTION_MANAGER).user)  # reads the budget, may not edit it
    assert client.post(reverse("budgets:setup_save", args=[production.pk, budget.pk, "fringe"]), {
        "revision": budget.revision, "fringe-code": "PEN", "fringe-name": "Pension", "fringe-kind": "percent",
        "fringe-rate": "10", "fringe-person_cap": "1"}).status_code == 403
    assert (list(Fringe.objects.values()), list(DetailLine.objects.order_by("pk").values())) == before
    assert line.person == "Ann Lee"


def api(production, role):
    _, raw = api_token_create(user=member(production, role).user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_lines_and_fringes_carry_person(production, upm, budget, pen):
    base = f"/api/v1/productions/{production.pk}/budgets/{budget.pk}"
    client = api(production, Role.UPM)
    created = client.post(f"{base}/accounts/3301/lines", {
        "description": "Block 1", "amount": "1", "unit": "flat", "rate": "9000", "fringes": ["PEN"],
        "fringe_group": "b1", "person": "Ann Lee"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert (body["person"], body["fringe_total"]) == ("Ann Lee", "500.00")
    second = client.post(f"{base}/accounts/3301/lines", {
        "description": "Block 2", "amount": "1", "unit": "flat", "rate": "9000", "fringes": ["PEN"],
        "fringe_group": "b2", "person": "Ann Lee"}, content_type="application/json").json()
    assert second["fringe_total"] == "300.00"  # 800 per person - 500
    fringes = client.get(f"{base}/fringes").json()
    assert (fringes[0]["cap"], fringes[0]["person_cap"]) == ("500.00", "800.00")
    before = list(DetailLine.objects.order_by("pk").values())
    denied = api(production, Role.DEPARTMENT_HEAD).patch(
        f"{base}/lines/{second['id']}", {"revision": second["revision"], "person": "Someone"},
        content_type="application/json")
    assert denied.status_code == 403 and list(DetailLine.objects.order_by("pk").values()) == before
    moved = client.patch(f"{base}/lines/{second['id']}", {"revision": second["revision"], "person": "Bo Park"},
                         content_type="application/json")
    assert moved.status_code == 200 and moved.json()["fringe_total"] == "500.00"
