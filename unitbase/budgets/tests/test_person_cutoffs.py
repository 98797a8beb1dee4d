"""Fringe wage cutoffs per person across all of a person's lines (every engagement), through the
services, the Globals & fringes page, the top-sheet PDF data and the API, with bad input refused."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import selectors, services
from unitbase.budgets.models import Fringe
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role

from .conftest import add_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def fica(upm, budget):
    return services.fringe_create(access=upm, budget_id=budget.pk, code="FICA", name="Social security",
                                  kind="percent", rate=D("6.2"), cutoff=D("7000"), person_cutoff=D("10000"))


def ann_lines(upm, budget):
    # Ann over three engagements; 6.2% on 6,000 + 5,000 (person room 4,000) + 2,000 (none left)
    kw = {"amount": "1", "unit": "flat", "fringe_codes": ["FICA"], "person": "Ann Lee"}
    return [add_line(upm, budget, rate=D("6000"), fringe_group="Ann block 1", description="Block 1", **kw),
            add_line(upm, budget, rate=D("5000"), fringe_group="Ann block 2", description="Block 2", **kw),
            add_line(upm, budget, rate=D("2000"), fringe_group="Ann block 3", description="Block 3", **kw)]


def test_person_cutoff_through_services(upm, budget, fica):
    lines = ann_lines(upm, budget)
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    # 6,000 x 6.2% = 372.00; 4,000 x 6.2% = 248.00; 0
    assert [sheet.lines[ln.pk].fringes["FICA"] for ln in lines] == [D("372.00"), D("248.00"), D("0.00")]
    assert sheet.fringe_total == D("620.00")
    event = AuditEvent.objects.get(action="budget_fringe.create", object_id=str(fica.pk))
    assert event.changes["person_cutoff"] == "10000"
    services.fringe_update(access=upm, fringe_id=fica.pk, person_cutoff=None)
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert [sheet.lines[ln.pk].fringes["FICA"] for ln in lines] == [D("372.00"), D("310.00"), D("124.00")]
    assert AuditEvent.objects.filter(action="budget_fringe.update", object_id=str(fica.pk)).exists()
    services.fringe_update(access=upm, fringe_id=fica.pk, person_cutoff=D("10000"))
    services.budget_lock(access=upm, budget_id=budget.pk)
    revised = services.budget_revise(access=upm, budget_id=budget.pk)
    assert revised.fringes.get().person_cutoff == D("10000.00")


def test_bad_person_cutoffs_are_refused_and_change_nothing(upm, budget, fica):
    before = list(Fringe.objects.values())
    with pytest.raises(ValidationError) as negative:
        services.fringe_update(access=upm, fringe_id=fica.pk, person_cutoff=D("-1"))
    assert "person_cutoff" in negative.value.message_dict
    with pytest.raises(ValidationError) as flat:
        services.fringe_create(access=upm, budget_id=budget.pk, code="IA", name="Hourly", kind="flat",
                               rate=D("1.5"), person_cutoff=D("100"))
    assert "percent fringes" in flat.value.message_dict["person_cutoff"][0]
    assert list(Fringe.objects.values()) == before


def test_fringes_page_and_pdf_show_and_edit_person_cutoffs(client, production, upm, budget, fica):
    ann_lines(upm, budget)
    client.force_login(member(production, Role.PRODUCTION_ACCOUNTANT).user)
    setup = client.get(reverse("budgets:setup", args=[production.pk, budget.pk])).content.decode()
    assert "Cutoff per person" in setup and "Cutoff / person" in setup and "10,000.00" in setup
    save = reverse("budgets:setup_save", args=[production.pk, budget.pk, "fringe"])
    fields = {"fringe-code": "FICA", "fringe-name": "Social security", "fringe-kind": "percent",
              "fringe-rate": "6.2", "fringe-cutoff": "7000"}
    budget.refresh_from_db()
    ok = client.post(save, {**fields, "revision": budget.revision, "fringe-person_cutoff": "12000"})
    assert ok.status_code == 302 and Fringe.objects.get().person_cutoff == D("12000.00")
    before = list(Fringe.objects.values())
    budget.refresh_from_db()
    bad = client.post(save, {**fields, "revision": budget.revision, "fringe-person_cutoff": "lots"})
    assert bad.status_code == 422 and "Enter a number" in bad.content.decode()
    flat = client.post(save, {**fields, "fringe-kind": "flat", "revision": budget.revision,
                              "fringe-cutoff": "", "fringe-person_cutoff": "500"})
    assert flat.status_code == 422 and "only applies to percent fringes" in flat.content.decode()
    assert list(Fringe.objects.values()) == before
    client.force_login(member(production, Role.PRODUCTION_MANAGER).user)  # reads, may not edit
    assert client.post(save, {**fields, "revision": budget.revision, "fringe-person_cutoff": "1"}).status_code == 403
    assert list(Fringe.objects.values()) == before


def test_topsheet_pdf_fringe_table_has_the_person_cutoff(production, upm, budget, fica):
    from unitbase.budgets import exports

    html = exports.budget_pdf_html(budget, selectors.budget_topsheet(access=upm, budget=budget), [], detail=False)
    assert "Cut-off / person" in html and "10,000.00" in html and "7,000.00" in html


def api(production, role):
    _, raw = api_token_create(user=member(production, role).user, name="tests")
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_sets_lists_and_deletes_fringes_with_person_cutoffs(production, upm, budget):
    base = f"/api/v1/productions/{production.pk}/budgets/{budget.pk}"
    client = api(production, Role.UPM)
    put = client.put(f"{base}/fringes/FICA", {"name": "Social security", "rate": "6.2", "cutoff": "7000",
                                              "person_cutoff": "10000"}, content_type="application/json")
    assert put.status_code == 200
    assert (put.json()["person_cutoff"], put.json()["cutoff"]) == ("10000.00", "7000.00")
    lines = ann_lines(upm, budget)
    sheet = selectors.budget_topsheet(access=upm, budget=budget)
    assert sheet.lines[lines[1].pk].fringes["FICA"] == D("248.00")
    changed = client.put(f"{base}/fringes/FICA", {"name": "Social security", "rate": "6.2",
                                                  "person_cutoff": "20000"}, content_type="application/json")
    assert changed.status_code == 200 and Fringe.objects.get().person_cutoff == D("20000.00")
    listed = client.get(f"{base}/fringes").json()
    assert listed[0]["person_cutoff"] == "20000.00" and listed[0]["cutoff"] is None
    before = list(Fringe.objects.values())
    for body in ({"name": "X", "rate": "6.2", "person_cutoff": "-5"},
                 {"name": "X", "rate": "6.2", "person_cutoff": "abc"},
                 {"name": "X", "kind": "flat", "rate": "2", "person_cutoff": "100"},
                 {"name": "X", "rate": "150"}):
        bad = client.put(f"{base}/fringes/FICA", body, content_type="application/json")
        assert bad.status_code == 422, body
        assert bad.json()["detail"]
    denied = api(production, Role.DEPARTMENT_HEAD).put(f"{base}/fringes/FICA", {"name": "X", "rate": "1"},
                                                       content_type="application/json")
    assert denied.status_code == 403
    assert list(Fringe.objects.values()) == before
    stale = client.delete(f"{base}/fringes/FICA?revision=0")
    assert stale.status_code == 409 and Fringe.objects.exists()
    assert client.delete(f"{base}/fringes/NOPE").status_code == 404
    assert client.delete(f"{base}/fringes/FICA").status_code == 204
    assert not Fringe.objects.exists()
