"""Spending fixtures (imported by the other test_spending*/test_purchase_orders/... modules) and
transaction posting tests."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_production, member
from unitbase.budgets import services, spending
from unitbase.budgets.models import BudgetAccount, Transaction
from unitbase.core.models import AuditEvent
from unitbase.productions.authority import Role
from unitbase.productions.permissions import ActionDenied, access_production

D = Decimal
DAY = dt.date(2025, 3, 14)  # a Friday; week ending 2025-03-16


@dataclass
class Staff:
    production: object
    budget: object
    producer: object
    upm: object
    pm: object
    line_producer: object
    accountant: object
    camera_head: object
    sound_head: object
    crew: object
    coordinator: object

    def access(self, who):
        return access_production(getattr(self, who), self.production.pk)


def flat_line(access, budget, code, rate, currency="USD", description="Line"):
    account = BudgetAccount.objects.get(budget=budget, code=code)
    return services.detail_line_add(access=access, budget_id=budget.pk, account_id=account.pk, description=description,
                                    amount="1", unit="flat", x="1", rate=D(rate), currency=currency)


def make_staff():
    """A production with a locked feature budget: 2510 grip rental 10,000; 2810 props 5,000;
    3301 DP 40,000 (+ a GBP rate of 1.25)."""
    production = make_production(title="Cost Report Feature")
    users = {}
    for role, name, dept in [(Role.PRODUCER, "producer", None), (Role.UPM, "upm", None),
                             (Role.PRODUCTION_MANAGER, "pm", None), (Role.LINE_PRODUCER, "line_producer", None),
                             (Role.PRODUCTION_ACCOUNTANT, "accountant", None),
                             (Role.DEPARTMENT_HEAD, "camera_head", "Camera"),
                             (Role.DEPARTMENT_HEAD, "sound_head", "Sound"), (Role.CREW, "crew", "Camera"),
                             (Role.PRODUCTION_COORDINATOR, "coordinator", None)]:
        users[name] = member(production, role, department_name=dept).user
    upm = access_production(users["upm"], production.pk)
    chart = services.chart_load_standard(access=upm, kind="feature")
    budget = services.budget_create(access=upm, chart_id=chart.pk, name="Shooting", base_currency="USD")
    flat_line(upm, budget, "2510", "10000")
    flat_line(upm, budget, "2810", "5000")
    flat_line(upm, budget, "3301", "40000")
    services.exchange_rate_set(access=upm, budget_id=budget.pk, currency="GBP", rate=D("1.25"))
    budget = services.budget_lock(access=upm, budget_id=budget.pk)
    return Staff(production=production, budget=budget, **users)


@pytest.fixture
def staff(db):
    return make_staff()


def test_transaction_post_converts_and_audits(staff):
    acc = staff.access("accountant")
    txn = spending.transaction_post(access=acc, account_code="2510", amount="100.10", currency="GBP", date=DAY,
                                    source="manual", reference="JE 1", description="Gel")
    assert (txn.amount, txn.currency, txn.base_amount) == (D("100.10"), "GBP", D("125.13"))
    assert AuditEvent.objects.filter(action="transaction.post", object_id=str(txn.pk)).exists()


@pytest.mark.parametrize("kwargs, field", [
    ({"account_code": "9999"}, "account_code"),
    ({"currency": "EUR"}, "currency"),
    ({"amount": "abc"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"amount": "1.234"}, "amount"),
    ({"source": "magic"}, "source"),
])
def test_transaction_post_refuses_bad_input(staff, kwargs, field):
    data = {"account_code": "2510", "amount": "10", "currency": "USD", "date": DAY, "source": "manual"} | kwargs
    with pytest.raises(ValidationError) as exc:
        spending.transaction_post(access=staff.access("accountant"), **data)
    assert field in exc.value.message_dict
    assert not Transaction.objects.exists()


def test_transaction_post_permissions(staff):
    with pytest.raises(ActionDenied):
        spending.transaction_post(access=staff.access("pm"), account_code="2510", amount="10", currency="USD",
                                  date=DAY, source="manual")
    # payroll may be posted by whoever approves timecards (the PM), not other sources
    txn = spending.transaction_post(access=staff.access("pm"), account_code="2001", amount="-50", currency="USD",
                                    date=DAY, source="payroll", reference="TC 7")
    assert txn.base_amount == D("-50.00")
    assert Transaction.objects.count() == 1


def test_deleting_the_production_removes_its_spending(staff):
    from unitbase.approvals.selectors import approval_latest_for
    from unitbase.approvals.services import approval_decide
    from unitbase.budgets.models import Invoice, Payment, PurchaseOrder, Vendor

    acc = staff.access("accountant")
    vendor = spending.vendor_create(access=acc, name="Grip Co")
    po = spending.purchase_order_create(access=acc, vendor_id=vendor.pk, description="x",
                                        lines=[{"account_code": "2510", "amount": "100"}])
    spending.purchase_order_submit(access=acc, po_id=po.pk)
    approval_decide(access=staff.access("pm"), request_id=approval_latest_for(obj=po, kind="purchase_order").pk,
                    decision="approve")
    invoice = spending.invoice_record(access=acc, vendor_id=vendor.pk, number="G-1", date=DAY,
                                      purchase_order_id=po.pk, lines=[{"amount": "50"}])
    spending.payment_record(access=acc, invoice_id=invoice.pk, date=DAY, amount="10")
    staff.production.delete()  # RESTRICT inside the production, never PROTECT: nothing blocks the cascade
    assert not any(m.objects.exists() for m in (Vendor, PurchaseOrder, Invoice, Payment, Transaction))
