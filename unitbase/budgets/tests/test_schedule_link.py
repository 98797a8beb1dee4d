"""SHOOT_DAYS against the applied stripboard: the effect, the sync (service, page, API), and
deleting globals, fringes and charges."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import member
from unitbase.accounts.services import api_token_create
from unitbase.budgets import selectors, services
from unitbase.budgets.models import Charge, Fringe, Global
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.models import Unit
from unitbase.scheduling.models import Schedule, ScheduleVersion, Strip

from .conftest import add_line


def applied_schedule(production, days: int, name="Blue"):
    unit = Unit.objects.filter(production=production).order_by("id").first()
    schedule, _ = Schedule.objects.get_or_create(production=production, unit=unit)
    ScheduleVersion.objects.filter(schedule=schedule, is_applied=True).update(is_applied=False)
    version = ScheduleVersion.objects.create(schedule=schedule, name=name, status="published", is_applied=True)
    Strip.objects.bulk_create([Strip(version=version, position=i, kind=Strip.Kind.DAY_BREAK) for i in range(days)])
    return version


@pytest.fixture
def day_budget(upm, budget):
    services.global_set(access=upm, budget_id=budget.pk, name="SHOOT_DAYS", value=D(30))
    add_line(upm, budget, code="2001", description="UPM", amount="SHOOT_DAYS + 10", unit="day", rate=D("800"))
    add_line(upm, budget, code="3301", description="DP", amount="SHOOT_DAYS * 1", unit="day", rate=D("1500"))
    return budget


@pytest.mark.django_db
def test_effect_without_an_applied_schedule_is_none(upm, day_budget):
    assert selectors.budget_schedule_effect(access=upm, budget=day_budget) is None
    with pytest.raises(ValidationError, match="No schedule version is applied"):
        services.global_sync_schedule(access=upm, budget_id=day_budget.pk)
    assert Global.objects.get(budget=day_budget, name="SHOOT_DAYS").value == D(30)


@pytest.mark.django_db
def test_schedule_change_shows_its_budget_effect_and_sync_applies_it(production, upm, day_budget):
    applied_schedule(production, days=33)
    effect = selectors.budget_schedule_effect(access=upm, budget=day_budget)
    assert (effect.schedule_days, effect.budget_days, effect.in_step) == (33, D(30), False)
    assert effect.current_total == D("77000.00")  # 40 x 800 + 30 x 1500, no fringes
    assert effect.scheduled_total == D("83900.00")  # 43 x 800 + 33 x 1500
    assert effect.difference == D("6900.00")

    services.global_sync_schedule(access=upm, budget_id=day_budget.pk)
    assert Global.objects.get(budget=day_budget, name="SHOOT_DAYS").value == D(33)
    assert selectors.budget_topsheet(access=upm, budget=day_budget).grand_total == D("83900.00")
    assert selectors.budget_schedule_effect(access=upm, budget=day_budget).in_step
    assert AuditEvent.objects.filter(action="budget_global.set").count() == 2

    applied_schedule(production, days=31, name="Pink")  # a new applied version: 2 days fewer
    assert selectors.budget_schedule_effect(access=upm, budget=day_budget).difference == D("-4600.00")


@pytest.mark.django_db
def test_setup_page_shows_effect_and_button_syncs(client, production, upm, day_budget):
    applied_schedule(production, days=33)
    client.force_login(upm.user)
    page = client.get(reverse("budgets:setup", args=[production.pk, day_budget.pk])).content.decode()
    assert "33</strong> shoot days" in page and "+6,900.00" in page.replace("&nbsp;", " ")
    response = client.post(reverse("budgets:setup_sync_schedule", args=[production.pk, day_budget.pk]),
                           {"revision": day_budget.revision + 1})  # global_set above bumped it once
    assert response.status_code == 302
    assert Global.objects.get(budget=day_budget, name="SHOOT_DAYS").value == D(33)


@pytest.mark.django_db
def test_financier_may_see_the_effect_but_not_sync(client, production, upm, day_budget):
    applied_schedule(production, days=33)
    client.force_login(member(production, Role.FINANCIER).user)
    assert client.get(reverse("budgets:setup", args=[production.pk, day_budget.pk])).status_code == 200
    response = client.post(reverse("budgets:setup_sync_schedule", args=[production.pk, day_budget.pk]))
    assert response.status_code == 403
    assert Global.objects.get(budget=day_budget, name="SHOOT_DAYS").value == D(30)


@pytest.mark.django_db
def test_delete_global_refused_while_used_then_allowed(client, production, upm, day_budget):
    services.global_set(access=upm, budget_id=day_budget.pk, name="PREP_WEEKS", value=D(6))
    with pytest.raises(ValidationError, match="SHOOT_DAYS is used by 2 line"):
        services.global_delete(access=upm, budget_id=day_budget.pk, name="SHOOT_DAYS")
    client.force_login(upm.user)
    target = reverse("budgets:setup_delete", args=[production.pk, day_budget.pk, "global"])
    assert client.post(target, {"name": "SHOOT_DAYS"}).status_code == 422
    assert client.post(target, {"name": "PREP_WEEKS"}).status_code == 302
    assert sorted(Global.objects.filter(budget=day_budget).values_list("name", flat=True)) == ["SHOOT_DAYS"]
    assert AuditEvent.objects.filter(action="budget_global.delete").count() == 1


@pytest.mark.django_db
def test_delete_fringe_and_charge_recalculate(client, production, upm, budget, access_for):
    fica = services.fringe_create(access=upm, budget_id=budget.pk, code="FICA", name="FICA", kind="percent", rate=D("6.2"))
    charge = services.charge_set(access=upm, budget_id=budget.pk, name="Contingency", rate=D(10), basis=["production"])
    add_line(upm, budget, code="3301", amount="10", unit="week", rate=D(5000), fringe_codes=["FICA"])
    assert selectors.budget_topsheet(access=upm, budget=budget).grand_total == D("58410.00")  # 53100 + 5310
    client.force_login(access_for(Role.CREW).user)
    denied = client.post(reverse("budgets:setup_delete", args=[production.pk, budget.pk, "fringe"]), {"id": fica.pk})
    assert denied.status_code == 403 and Fringe.objects.filter(pk=fica.pk).exists()
    client.force_login(upm.user)
    for kind, obj in (("fringe", fica), ("charge", charge)):
        assert client.post(reverse("budgets:setup_delete", args=[production.pk, budget.pk, kind]),
                           {"id": obj.pk}).status_code == 302
    assert not Fringe.objects.exists() and not Charge.objects.exists()
    assert selectors.budget_topsheet(access=upm, budget=budget).grand_total == D("50000.00")


@pytest.mark.django_db
@pytest.mark.urls("unitbase.budgets.tests.api_urls")
def test_api_globals_fringes_and_schedule_effect(production, upm, day_budget):
    def client_for(role):
        _, raw = api_token_create(user=member(production, role).user, name="t")
        return Client(headers={"authorization": f"Bearer {raw}"})

    base = f"/api/v1/productions/{production.pk}/budgets/{day_budget.pk}"
    upm_client, financier = client_for(Role.UPM), client_for(Role.FINANCIER)
    assert financier.get(f"{base}/schedule-effect").status_code == 404
    applied_schedule(production, days=33)
    effect = financier.get(f"{base}/schedule-effect").json()
    assert effect["difference"] == "6900.00" and effect["budget_days"] == "30"
    assert financier.post(f"{base}/schedule-effect/apply").status_code == 403
    assert upm_client.post(f"{base}/schedule-effect/apply").json()["value"] == "33"
    put = upm_client.put(f"{base}/globals/PREP_WEEKS", {"value": "6.5"}, content_type="application/json")
    assert put.status_code == 200 and put.json()["value"] == "6.5"
    assert upm_client.put(f"{base}/globals/PREP_WEEKS", {"value": "lots"},
                          content_type="application/json").status_code == 422
    assert [g["name"] for g in financier.get(f"{base}/globals").json()] == ["PREP_WEEKS", "SHOOT_DAYS"]
    assert upm_client.delete(f"{base}/globals/SHOOT_DAYS").status_code == 422
    assert upm_client.delete(f"{base}/globals/PREP_WEEKS").status_code == 204
    assert financier.get(f"{base}/fringes").json() == []
