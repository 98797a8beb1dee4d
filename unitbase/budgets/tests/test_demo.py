"""The demo budget: built on the real demo production, locked, POs in several approval states, a
cost report with a variance; calling it twice changes nothing."""

import datetime as dt

import pytest

from unitbase.budgets import costreport, selectors
from unitbase.budgets.demo import demo_seed_budget
from unitbase.budgets.models import Budget, CheckRequest, Invoice, PettyCashEnvelope, PurchaseOrder, Transaction
from unitbase.demo.services import demo_create
from unitbase.productions.authority import Role
from unitbase.productions.models import Membership
from unitbase.productions.permissions import access_production


@pytest.mark.django_db
def test_demo_budget_has_pos_in_every_state_and_a_variance():
    production, _ = demo_create()
    producer = Membership.objects.get(production=production, role=Role.PRODUCER).user
    access = access_production(producer, production.pk)
    budget = demo_seed_budget(access=access)
    assert budget.is_locked and budget.lines.count() >= 35
    assert budget.globals.get(name="SHOOT_DAYS").value == selectors.schedule_shoot_days(access=access)[0] == 13
    states = set(PurchaseOrder.objects.filter(production=production).values_list("status", flat=True))
    assert {"approved", "submitted", "rejected", "draft"} <= states
    # as docs/budgets.md says: camera and lighting approved (lighting's overage too), catering pending
    pos = dict(PurchaseOrder.objects.filter(production=production).values_list("vendor__name", "status"))
    assert pos["Clyde Lighting Hire"] == pos["Lumière Location Caméra"] == "approved"
    assert pos["Firth Kitchen"] == "submitted" and pos["Ardmore Harbour Trust"] == "rejected"
    assert list(CheckRequest.objects.filter(production=production).values_list("status", flat=True)) == ["submitted"]
    week = costreport.default_week(production, today=dt.date(2026, 1, 1))
    assert week == dt.date(2027, 3, 14)
    report = costreport.compute(budget, week)
    assert report.total.atd > 0 and report.total.committed > 0
    # 3303 is over on the camera crew's deals (labour commitments) and the accountant's ETC; labour
    # actuals come only from approved timecards, never also posted by hand.
    assert "3303" in [a.code for a in report.overruns]
    assert not Transaction.objects.filter(production=production, description="Weekly labour").exists()
    # The first shoot week (w/e 7 March) is closed: the report shows the change in EFC since.
    assert report.prior_closing.week_ending == dt.date(2027, 3, 7)
    assert report.total.prior_efc is not None and report.total.efc_change == report.total.efc - report.total.prior_efc
    # an invoice without a PO waits for approval; the petty cash float has an approved and a pending envelope
    assert Invoice.objects.get(number="OH-3381").status == "submitted"
    assert sorted(PettyCashEnvelope.objects.values_list("status", flat=True)) == ["approved", "submitted"]
    assert Transaction.objects.filter(source="petty_cash").count() == 2
    count = Transaction.objects.count()
    assert demo_seed_budget(access=access).pk == budget.pk and Transaction.objects.count() == count
    assert Budget.objects.filter(production=production).count() == 1
