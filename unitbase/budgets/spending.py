"""Writes for spending: vendors, purchase orders, invoices, payments, check requests, petty cash,
transactions, estimates to complete and hot cost (docs/budgets.md "Spending and cost report").

Approvals go through `unitbase.approvals` (kinds registered in apps.py): a PO asks for
"purchase_order" approval of its total and, when it would push an account's EFC over budget, also
for "budget_overage" approval of the overage; it becomes approved when both are. Its amounts are
locked while submitted. Every write is atomic, validated and audited.

Other apps post actuals with `transaction_post` (payroll: source="payroll").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from unitbase.core.audit import audit_record
from unitbase.core.money import format_money, round_money
from unitbase.productions.authority import Action
from unitbase.productions.models import Department, Production
from unitbase.productions.permissions import ActionDenied, ProductionAccess

from .closings import posting_period
from .costreport import account_efc, reporting_budget, to_base
from .models import (
    Budget,
    BudgetAccount,
    CheckRequest,
    CostEstimate,
    HotCostDay,
    Invoice,
    InvoiceLine,
    Payment,
    PettyCashCount,
    PettyCashEnvelope,
    PettyCashFloat,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    Transaction,
    Vendor,
)
from .permissions import REQUEST_PURCHASE, can_request_purchase, sees_all_spending
from .services import BudgetConflict

ZERO = Decimal("0.00")
PO_KIND = "purchase_order"
OVERAGE_KIND = "budget_overage"
CHECK_KIND = "check_request"
INVOICE_KIND = "invoice"
PETTY_CASH_KIND = "petty_cash_envelope"
RECEIPT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
DEFAULT_RECEIPT_BYTES = 5 * 1024 * 1024


class PurchaseOrderLocked(BudgetConflict):
    """The PO is under approval (or decided): its amounts cannot change (409)."""


def receipt_max_bytes() -> int:
    """The receipt cap: settings.UNITBASE_MAX_RECEIPT_BYTES (default 5 MB), never above the upload cap."""
    return min(getattr(settings, "UNITBASE_MAX_RECEIPT_BYTES", DEFAULT_RECEIPT_BYTES),
               settings.UNITBASE_MAX_UPLOAD_BYTES)


def _audit(access: ProductionAccess, action: str, obj: Any, changes: dict | None = None) -> None:
    audit_record(production_id=access.production.pk, actor=access.user, action=action, obj=obj, changes=changes)


def _require_edit(access: ProductionAccess) -> None:
    access.require(Action.EDIT_BUDGET)


def _money(value: Any, field: str, *, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter an amount such as 1250.00."}) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        raise ValidationError({field: "Enter an amount such as 1250.00."})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: "Use at most two decimal places."})
    if positive and amount <= 0:
        raise ValidationError({field: "The amount must be more than zero."})
    return amount


def _currency(value: str, default: str) -> str:
    currency = (value or default).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": "Use a three-letter ISO 4217 code, e.g. USD."})
    return currency


def _report_budget(access: ProductionAccess) -> Budget:
    budget = reporting_budget(access.production)
    if budget is None:
        raise ValidationError("Create a budget first: spending is coded to its accounts.")
    return budget


def _check_code(budget: Budget, code: str, field: str = "account_code") -> str:
    code = (code or "").strip()
    if not BudgetAccount.objects.filter(budget=budget, code=code).exists():
        raise ValidationError({field: f"{code or 'An empty code'} is not an account of {budget}."})
    return code


def _department(access: ProductionAccess, department_id: int | None) -> Department | None:
    if department_id is None:
        if not sees_all_spending(access) and access.membership.department_id:
            return access.membership.department
        return None
    dept = Department.objects.filter(production=access.production, pk=department_id).first()
    if dept is None:
        raise ValidationError({"department": "Choose a department of this production."})
    if not sees_all_spending(access) and dept.pk != access.membership.department_id:
        raise ActionDenied(REQUEST_PURCHASE, "You may raise purchase orders for your own department only.")
    return dept


# --- vendors --------------------------------------------------------------------------------------


@transaction.atomic
def vendor_create(*, access: ProductionAccess, name: str, contact: str = "", email: str = "", phone: str = "",
                  tax_id: str = "", address: str = "") -> Vendor:
    if not can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    vendor = Vendor(production=access.production, name=name.strip(), contact=contact, email=email, phone=phone,
                    tax_id=tax_id, address=address)
    vendor.full_clean()
    vendor.save()
    _audit(access, "vendor.create", vendor, {"name": vendor.name})
    return vendor


# --- purchase orders ------------------------------------------------------------------------------


def _po_lines(budget: Budget, lines: list[dict]) -> list[PurchaseOrderLine]:
    if not lines:
        raise ValidationError({"lines": "Add at least one line coded to an account."})
    result = []
    for i, data in enumerate(lines):
        try:
            code = _check_code(budget, data.get("account_code", ""))
            amount = _money(data.get("amount"), "amount")
        except ValidationError as exc:
            raise ValidationError({f"lines.{i}.{k}": v for k, v in exc.message_dict.items()}) from None
        line = PurchaseOrderLine(account_code=code, description=(data.get("description") or "").strip()[:200] or code,
                                 amount=amount, order=i)
        result.append(line)
    return result


def _save_lines(po: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    po.lines.all().delete()
    for line in lines:
        line.purchase_order = po
        line.full_clean()
    PurchaseOrderLine.objects.bulk_create(lines)
    po.total = sum((line.amount for line in lines), ZERO)


@transaction.atomic
def purchase_order_create(*, access: ProductionAccess, vendor_id: int, description: str, lines: list[dict],
                          currency: str = "", department_id: int | None = None) -> PurchaseOrder:
    """A draft PO numbered per production (1, 2, …), its lines coded to the reporting budget."""
    if not can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    budget = _report_budget(access)
    vendor = Vendor.objects.filter(production=access.production, pk=vendor_id).first()
    if vendor is None:
        raise ValidationError({"vendor": "Choose a vendor of this production."})
    department = _department(access, department_id)
    po_lines = _po_lines(budget, lines)
    Production.objects.select_for_update().filter(pk=access.production.pk).exists()  # serialise numbering
    number = (PurchaseOrder.objects.filter(production=access.production).aggregate(m=Max("number"))["m"] or 0) + 1
    po = PurchaseOrder(production=access.production, budget=budget, number=number, vendor=vendor,
                       department=department, description=description.strip(),
                       currency=_currency(currency, budget.base_currency), requested_by=access.user)
    po.full_clean()
    po.save()
    _save_lines(po, po_lines)
    po.save(update_fields=["total"])
    _audit(access, "purchase_order.create", po, {"number": number, "vendor": vendor.name, "total": po.total,
                                                 "currency": po.currency})
    return po


def _po_for_update(access: ProductionAccess, po_id: int) -> PurchaseOrder:
    po = PurchaseOrder.objects.select_for_update().select_related("budget", "vendor").get(
        production=access.production, pk=po_id)
    if not sees_all_spending(access) and po.requested_by_id != access.user.pk and (
            po.department_id is None or po.department_id != access.membership.department_id):
        raise PurchaseOrder.DoesNotExist
    return po


@transaction.atomic
def purchase_order_update_lines(*, access: ProductionAccess, po_id: int, lines: list[dict],
                                revision: int | None = None) -> PurchaseOrder:
    """Replace a draft (or rejected) PO's lines. Refused while under approval: amounts are locked."""
    if not can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    po = _po_for_update(access, po_id)
    if not po.is_editable:
        raise PurchaseOrderLocked(f"{po} is {po.get_status_display().lower()}; its amounts are locked.")
    if revision is not None and revision != po.revision:
        raise PurchaseOrderLocked(f"{po} was changed by someone else; reload it.")
    old = po.total
    _save_lines(po, _po_lines(po.budget, lines))
    po.revision += 1
    po.status = PurchaseOrder.Status.DRAFT
    po.save(update_fields=["total", "revision", "status", "updated_at"])
    _audit(access, "purchase_order.update", po, {"total": [old, po.total]})
    return po


def cost_overage(budget: Budget, lines: Any, currency: str) -> Decimal:
    """How far new costs (`lines`: objects with account_code and amount, in `currency`) would push
    their accounts' EFC over budget, in base currency.

    The cost first uses up an account's estimate to complete: projected EFC = max(EFC now, total cost
    now + amount). The overage is the growth of (EFC − budget, floored at 0), summed over accounts."""
    by_code: dict[str, Decimal] = {}
    for line in lines:
        by_code[line.account_code] = by_code.get(line.account_code, ZERO) + line.amount
    rows = account_efc(budget, list(by_code))
    overage = ZERO
    for code, amount in by_code.items():
        row = rows[code]
        projected = max(row.efc, row.total_cost + to_base(budget, amount, currency))
        overage += max(projected - row.budget, ZERO) - max(row.efc - row.budget, ZERO)
    return round_money(overage)


def po_overage(po: PurchaseOrder) -> Decimal:
    """How far approving this PO would push its accounts' EFC over budget (see `cost_overage`)."""
    return cost_overage(po.budget, po.lines.all(), po.currency)


@transaction.atomic
def purchase_order_submit(*, access: ProductionAccess, po_id: int) -> PurchaseOrder:
    """Ask for approval: the PO's total, and any overage it causes (see `po_overage`)."""
    from unitbase.approvals.services import approval_request_submit

    if not can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    po = _po_for_update(access, po_id)
    if not po.is_editable:
        raise PurchaseOrderLocked(f"{po} is already {po.get_status_display().lower()}.")
    if not po.lines.exists():
        raise ValidationError({"lines": "Add at least one line before submitting."})
    po.overage = po_overage(po)
    approval_request_submit(access=access, kind=PO_KIND, obj=po, amount=po.total, currency=po.currency,
                            summary=f"{po} · {po.vendor} · {po.description}", department=po.department)
    if po.overage > 0:
        approval_request_submit(access=access, kind=OVERAGE_KIND, obj=po, amount=po.overage,
                                currency=po.budget.base_currency,
                                summary=f"Overage {format_money(po.overage, po.budget.base_currency)} from {po}",
                                department=po.department)
    po.status = PurchaseOrder.Status.SUBMITTED
    po.submitted_at = timezone.now()
    po.save(update_fields=["status", "submitted_at", "overage", "updated_at"])
    _audit(access, "purchase_order.submit", po, {"total": po.total, "overage": po.overage})
    return po


@transaction.atomic
def purchase_order_close(*, access: ProductionAccess, po_id: int) -> PurchaseOrder:
    """Close an approved PO: its open balance is released from commitments."""
    _require_edit(access)
    po = _po_for_update(access, po_id)
    if po.status != PurchaseOrder.Status.APPROVED:
        raise PurchaseOrderLocked(f"Only an approved PO can be closed; {po} is {po.get_status_display().lower()}.")
    po.status = PurchaseOrder.Status.CLOSED
    po.closed_at = timezone.now()
    po.save(update_fields=["status", "closed_at", "updated_at"])
    _audit(access, "purchase_order.close", po)
    return po


# Approval callbacks (run inside approvals' deciding transaction; registered in apps.py).


def _po_locked(obj: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().get(pk=obj.pk)


def _po_settle(obj: PurchaseOrder, actor: Any) -> None:
    from unitbase.approvals.models import ApprovalRequest
    from unitbase.approvals.selectors import approval_latest_for

    po = _po_locked(obj)
    if po.status != PurchaseOrder.Status.SUBMITTED:
        return
    main = approval_latest_for(obj=po, kind=PO_KIND)
    overage = approval_latest_for(obj=po, kind=OVERAGE_KIND) if po.overage > 0 else None
    approved = ApprovalRequest.Status.APPROVED
    if main and main.status == approved and (overage is None or overage.status == approved):
        po.status = PurchaseOrder.Status.APPROVED
        po.approved_at = timezone.now()
        po.save(update_fields=["status", "approved_at", "updated_at"])
        audit_record(production_id=po.production_id, actor=actor, action="purchase_order.approve", obj=po,
                     changes={"total": po.total, "currency": po.currency, "overage": po.overage})


def po_on_approved(obj: PurchaseOrder, request: Any, actor: Any) -> None:
    _po_settle(obj, actor)


def po_on_rejected(obj: PurchaseOrder, request: Any, actor: Any, reason: str) -> None:
    po = _po_locked(obj)
    if po.status == PurchaseOrder.Status.SUBMITTED:
        po.status = PurchaseOrder.Status.REJECTED
        po.save(update_fields=["status", "updated_at"])
        audit_record(production_id=po.production_id, actor=actor, action="purchase_order.reject", obj=po,
                     changes={"reason": reason, "kind": request.kind})


def po_on_withdrawn(obj: PurchaseOrder, request: Any, actor: Any) -> None:
    po = _po_locked(obj)
    if po.status == PurchaseOrder.Status.SUBMITTED:
        po.status = PurchaseOrder.Status.DRAFT
        po.save(update_fields=["status", "updated_at"])


# The "budget_overage" kind is asked for by POs and by direct invoices: its callbacks dispatch.


def overage_describe(obj: Any) -> str:
    return f"Overage from {invoice_describe(obj) if isinstance(obj, Invoice) else po_describe(obj)}"


def overage_url(obj: Any) -> str:
    return invoice_url(obj) if isinstance(obj, Invoice) else po_url(obj)


def overage_on_approved(obj: Any, request: Any, actor: Any) -> None:
    (invoice_on_approved if isinstance(obj, Invoice) else po_on_approved)(obj, request, actor)


def overage_on_rejected(obj: Any, request: Any, actor: Any, reason: str) -> None:
    (invoice_on_rejected if isinstance(obj, Invoice) else po_on_rejected)(obj, request, actor, reason)


def overage_on_withdrawn(obj: Any, request: Any, actor: Any) -> None:
    (invoice_on_withdrawn if isinstance(obj, Invoice) else po_on_withdrawn)(obj, request, actor)


def po_describe(po: PurchaseOrder) -> str:
    return f"{po} · {po.vendor} · {po.description}"


def po_url(po: PurchaseOrder) -> str:
    from django.urls import reverse

    return reverse("budgets:po", args=[po.production_id, po.pk])


# --- transactions (actuals) -----------------------------------------------------------------------


def _post(production: Production, budget: Budget, *, actor: Any, account_code: str, amount: Decimal, currency: str,
          date: dt.date, source: str, reference: str = "", description: str = "") -> Transaction:
    """Every posting goes through here. A cost dated inside a closed period (closings.posting_period)
    is posted to the first open period: `posted_period_ending` records it and the cost report counts
    it there, so a closed report never changes and the cost shows in the next report's "this period".
    The production row is locked so that a posting never races a closing."""
    Production.objects.select_for_update().filter(pk=production.pk).exists()
    _closed, posted_in = posting_period(production, date)
    txn = Transaction(production=production, date=date, account_code=account_code, amount=amount,
                      currency=currency, base_amount=to_base(budget, amount, currency), source=source,
                      reference=reference[:80], description=description[:200], posted_period_ending=posted_in,
                      posted_by=actor if getattr(actor, "is_authenticated", False) else None)
    txn.full_clean()
    txn.save()
    return txn


@transaction.atomic
def transaction_post(*, access: ProductionAccess, account_code: str, amount: Decimal | str, currency: str,
                     date: dt.date, source: str = Transaction.Source.MANUAL, reference: str = "",
                     description: str = "") -> Transaction:
    """Post one actual cost (the public entry point for other apps, e.g. payroll's labour actuals).

    Needs edit_budget, or approve_timecards for source="payroll". The account code must exist in the
    reporting budget; amounts in another currency need an exchange rate there. Negative amounts
    (credits, reversals) are allowed; zero is not."""
    if not (access.can(Action.EDIT_BUDGET)
            or (source == Transaction.Source.PAYROLL and access.can(Action.APPROVE_TIMECARDS))):
        raise ActionDenied(Action.EDIT_BUDGET)
    if source not in Transaction.Source.values:
        raise ValidationError({"source": f"Choose one of {', '.join(Transaction.Source.values)}."})
    budget = _report_budget(access)
    value = _money(amount, "amount", positive=False)
    if value == 0:
        raise ValidationError({"amount": "A transaction cannot be zero."})
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "Enter a date."})
    txn = _post(access.production, budget, actor=access.user, account_code=_check_code(budget, account_code),
                amount=value, currency=_currency(currency, budget.base_currency), date=date, source=source,
                reference=reference, description=description)
    _audit(access, "transaction.post", txn, {"account": txn.account_code, "amount": txn.amount,
                                              "currency": txn.currency, "source": source,
                                              "posted_period_ending": txn.posted_period_ending})
    return txn


# --- invoices and payments ------------------------------------------------------------------------


@transaction.atomic
def invoice_record(*, access: ProductionAccess, vendor_id: int, number: str, date: dt.date, lines: list[dict],
                   currency: str = "", purchase_order_id: int | None = None,
                   department_id: int | None = None) -> Invoice:
    """Record a vendor invoice.

    Matched to a PO: the PO must be approved and from the same vendor and currency; each line is
    matched to the PO line with its account code (a line without a code takes the PO's first line's)
    and relieves that line's open balance; the lines post as actuals at once (the PO was approved).
    Invoicing beyond the PO is allowed but flagged: `over_po` is how far the PO's invoices now exceed it.

    Without a PO (a direct invoice) every line needs an account; the invoice asks for "invoice"
    approval of its total (the same chain and matrix limits as a PO) and posts its lines only when
    approved. The recorder never approves it (separation of duties, in approvals)."""
    _require_edit(access)
    budget = _report_budget(access)
    vendor = Vendor.objects.filter(production=access.production, pk=vendor_id).first()
    if vendor is None:
        raise ValidationError({"vendor": "Choose a vendor of this production."})
    po = None
    if purchase_order_id is not None:
        po = PurchaseOrder.objects.select_for_update().filter(production=access.production,
                                                              pk=purchase_order_id).first()
        if po is None:
            raise ValidationError({"purchase_order": "No such purchase order in this production."})
        if po.status != PurchaseOrder.Status.APPROVED:
            raise ValidationError({"purchase_order": f"{po} is {po.get_status_display().lower()}; "
                                                     "only approved, open POs take invoices."})
        if po.vendor_id != vendor.pk:
            raise ValidationError({"vendor": f"{po} is with {po.vendor}, not {vendor}."})
        budget = po.budget
    currency = _currency(currency, po.currency if po else budget.base_currency)
    if po and currency != po.currency:
        raise ValidationError({"currency": f"{po} is in {po.currency}; invoice it in the same currency."})
    if not lines:
        raise ValidationError({"lines": "Add at least one line."})
    po_lines = list(po.lines.all()) if po else []
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "Enter the invoice date."})
    department = None
    if po is None and department_id is not None:
        department = Department.objects.filter(production=access.production, pk=department_id).first()
        if department is None:
            raise ValidationError({"department": "Choose a department of this production."})
    if po is None and budget.base_currency != currency and not budget.exchange_rates.filter(currency=currency).exists():
        raise ValidationError({"currency": f"{budget} has no exchange rate for {currency}; add one first."})
    invoice = Invoice(production=access.production, vendor=vendor, purchase_order=po, number=(number or "").strip(),
                      date=date, currency=currency, recorded_by=access.user, department=department,
                      status=Invoice.Status.APPROVED if po else Invoice.Status.SUBMITTED)
    try:
        invoice.full_clean()
    except ValidationError as exc:
        if "__all__" in exc.message_dict:  # the vendor/number constraint
            raise ValidationError({"number": f"{vendor} already has an invoice {invoice.number}."}) from None
        raise
    built = []
    for i, data in enumerate(lines):
        try:
            code = (data.get("account_code") or "").strip() or (po_lines[0].account_code if po_lines else "")
            code = _check_code(budget, code)
            amount = _money(data.get("amount"), "amount")
        except ValidationError as exc:
            raise ValidationError({f"lines.{i}.{k}": v for k, v in exc.message_dict.items()}) from None
        match = next((pl for pl in po_lines if pl.account_code == code), None)
        built.append(InvoiceLine(account_code=code, amount=amount, po_line=match,
                                 description=(data.get("description") or "").strip()[:200]))
    invoice.total = sum((line.amount for line in built), ZERO)
    if po:
        before = InvoiceLine.objects.filter(invoice__purchase_order=po).aggregate(s=Sum("amount"))["s"] or ZERO
        invoice.over_po = max(before + invoice.total - po.total, ZERO)
    invoice.save()
    for line in built:
        line.invoice = invoice
        line.full_clean()
        line.save()
    if po:
        _invoice_post(invoice, budget, access.user)
    _audit(access, "invoice.record", invoice, {"total": invoice.total, "currency": currency,
                                                "purchase_order": po.number if po else None,
                                                "over_po": invoice.over_po, "status": invoice.status})
    if po is None:
        _invoice_ask_approval(access, invoice)
    return invoice


def _invoice_post(invoice: Invoice, budget: Budget, actor: Any) -> None:
    po = invoice.purchase_order
    for line in invoice.lines.all():
        _post(invoice.production, budget, actor=actor, account_code=line.account_code, amount=line.amount,
              currency=invoice.currency, date=invoice.date, source=Transaction.Source.INVOICE,
              reference=f"INV {invoice.number}" + (f" / {po}" if po else ""),
              description=line.description or f"{invoice.vendor} invoice {invoice.number}")


def _invoice_ask_approval(access: ProductionAccess, invoice: Invoice) -> None:
    """A direct invoice asks for "invoice" approval of its total and, like a PO, for "budget_overage"
    approval when it would push its accounts' EFC over budget (`cost_overage`, reckoned now against
    the reporting budget). It posts only when both are approved."""
    from unitbase.approvals.selectors import approval_is_locked
    from unitbase.approvals.services import approval_request_submit

    budget = _report_budget(access)
    if not approval_is_locked(obj=invoice, kind=INVOICE_KIND):  # never ask twice for the same kind
        approval_request_submit(access=access, kind=INVOICE_KIND, obj=invoice, amount=invoice.total,
                                currency=invoice.currency, summary=invoice_describe(invoice),
                                department=invoice.department)
    if approval_is_locked(obj=invoice, kind=OVERAGE_KIND):
        return  # still waiting: its amount is locked
    invoice.overage = cost_overage(budget, invoice.lines.all(), invoice.currency)
    invoice.save(update_fields=["overage", "updated_at"])
    if invoice.overage > 0:
        approval_request_submit(access=access, kind=OVERAGE_KIND, obj=invoice, amount=invoice.overage,
                                currency=budget.base_currency,
                                summary=f"Overage {format_money(invoice.overage, budget.base_currency)} from {invoice}",
                                department=invoice.department)


@transaction.atomic
def invoice_resubmit(*, access: ProductionAccess, invoice_id: int) -> Invoice:
    """Ask again for approval of a rejected (or withdrawn) direct invoice."""
    _require_edit(access)
    invoice = Invoice.objects.select_for_update().get(production=access.production, pk=invoice_id)
    if invoice.purchase_order_id is not None or invoice.status != Invoice.Status.REJECTED:
        raise PurchaseOrderLocked(f"{invoice} is {invoice.get_status_display().lower()}; only a rejected direct "
                                  "invoice can be resubmitted.")
    invoice.status, invoice.note = Invoice.Status.SUBMITTED, ""
    invoice.save(update_fields=["status", "note", "updated_at"])
    _invoice_ask_approval(access, invoice)
    _audit(access, "invoice.resubmit", invoice, {"total": invoice.total, "overage": invoice.overage})
    return invoice


def invoice_describe(invoice: Invoice) -> str:
    return f"Invoice {invoice.number} · {invoice.vendor} (no PO)"


def invoice_url(invoice: Invoice) -> str:
    from django.urls import reverse

    return reverse("budgets:invoice", args=[invoice.production_id, invoice.pk])


def invoice_on_approved(obj: Invoice, request: Any, actor: Any) -> None:
    """Approved (and posted) once the "invoice" request and, when it has an overage, the
    "budget_overage" request are both approved."""
    from unitbase.approvals.models import ApprovalRequest
    from unitbase.approvals.selectors import approval_latest_for

    invoice = Invoice.objects.select_for_update().select_related("production", "vendor").get(pk=obj.pk)
    if invoice.status != Invoice.Status.SUBMITTED:
        return
    approved = ApprovalRequest.Status.APPROVED
    main = approval_latest_for(obj=invoice, kind=INVOICE_KIND)
    overage = approval_latest_for(obj=invoice, kind=OVERAGE_KIND) if invoice.overage > 0 else None
    if not (main and main.status == approved and (overage is None or overage.status == approved)):
        return
    budget = reporting_budget(invoice.production)
    if budget is None:
        raise ValidationError("The production has no budget to post this invoice to.")
    invoice.status = Invoice.Status.APPROVED
    invoice.save(update_fields=["status", "updated_at"])
    _invoice_post(invoice, budget, actor)
    audit_record(production_id=invoice.production_id, actor=actor, action="invoice.approve", obj=invoice,
                 changes={"total": invoice.total, "currency": invoice.currency, "overage": invoice.overage})


def invoice_on_rejected(obj: Invoice, request: Any, actor: Any, reason: str) -> None:
    invoice = Invoice.objects.select_for_update().get(pk=obj.pk)
    if invoice.status == Invoice.Status.SUBMITTED:
        invoice.status, invoice.note = Invoice.Status.REJECTED, reason.strip()[:300]
        invoice.save(update_fields=["status", "note", "updated_at"])
        audit_record(production_id=invoice.production_id, actor=actor, action="invoice.reject", obj=invoice,
                     changes={"reason": reason})


def invoice_on_withdrawn(obj: Invoice, request: Any, actor: Any) -> None:
    Invoice.objects.filter(pk=obj.pk, status=Invoice.Status.SUBMITTED).update(
        status=Invoice.Status.REJECTED, note="Withdrawn by the person who recorded it.")


@transaction.atomic
def payment_record(*, access: ProductionAccess, invoice_id: int, date: dt.date, amount: Decimal | str,
                   method: str = Payment.Method.CHECK, reference: str = "") -> Payment:
    """Pay (part of) an invoice. Paying more than its balance is refused. Payments do not change
    actuals (the invoice posted them)."""
    _require_edit(access)
    invoice = Invoice.objects.select_for_update().get(production=access.production, pk=invoice_id)
    if invoice.status != Invoice.Status.APPROVED:
        raise ValidationError({"amount": f"{invoice} is {invoice.get_status_display().lower()}; "
                                         "only approved invoices are paid."})
    value = _money(amount, "amount")
    if value > invoice.balance:
        raise ValidationError({"amount": f"That is more than the invoice's balance of {format_money(invoice.balance, invoice.currency)}."})
    payment = Payment(invoice=invoice, date=date, amount=value, method=method, reference=reference,
                      paid_by=access.user)
    payment.full_clean()
    payment.save()
    Invoice.objects.filter(pk=invoice.pk).update(paid=F("paid") + value)
    _audit(access, "payment.record", payment, {"invoice": invoice.number, "amount": value})
    return payment


# --- check requests -------------------------------------------------------------------------------


@transaction.atomic
def check_request_create(*, access: ProductionAccess, payee: str, account_code: str, description: str,
                         amount: Decimal | str, date: dt.date, currency: str = "",
                         department_id: int | None = None) -> CheckRequest:
    if not can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    budget = _report_budget(access)
    req = CheckRequest(production=access.production, payee=payee.strip(), account_code=_check_code(budget, account_code),
                       description=description.strip(), amount=_money(amount, "amount"), date=date,
                       currency=_currency(currency, budget.base_currency), requested_by=access.user,
                       department=_department(access, department_id))
    req.full_clean()
    to_base(budget, req.amount, req.currency)  # a currency without a rate is refused now, not at approval
    req.save()
    _audit(access, "check_request.create", req, {"amount": req.amount, "currency": req.currency})
    return req


@transaction.atomic
def check_request_submit(*, access: ProductionAccess, check_request_id: int) -> CheckRequest:
    from unitbase.approvals.services import approval_request_submit

    req = CheckRequest.objects.select_for_update().get(production=access.production, pk=check_request_id)
    if req.requested_by_id != access.user.pk and not access.can(Action.EDIT_BUDGET):
        raise ActionDenied(REQUEST_PURCHASE, "Only the requester or accounting may submit this.")
    if req.status not in (CheckRequest.Status.DRAFT, CheckRequest.Status.REJECTED):
        raise PurchaseOrderLocked(f"{req} is already {req.get_status_display().lower()}.")
    approval_request_submit(access=access, kind=CHECK_KIND, obj=req, amount=req.amount, currency=req.currency,
                            summary=f"{req}: {req.description}", department=req.department)
    req.status = CheckRequest.Status.SUBMITTED
    req.save(update_fields=["status", "updated_at"])
    _audit(access, "check_request.submit", req)
    return req


def check_url(req: CheckRequest) -> str:
    from django.urls import reverse

    return reverse("budgets:check_requests", args=[req.production_id]) + f"#cr-{req.pk}"


def check_on_approved(obj: CheckRequest, request: Any, actor: Any) -> None:
    req = CheckRequest.objects.select_for_update().select_related("production").get(pk=obj.pk)
    if req.status != CheckRequest.Status.SUBMITTED:
        return
    req.status = CheckRequest.Status.APPROVED
    req.save(update_fields=["status", "updated_at"])
    budget = reporting_budget(req.production)
    _post(req.production, budget, actor=actor, account_code=req.account_code, amount=req.amount,
          currency=req.currency, date=req.date, source=Transaction.Source.CHECK_REQUEST,
          reference=f"CR {req.pk}", description=f"{req.payee}: {req.description}")


def check_on_rejected(obj: CheckRequest, request: Any, actor: Any, reason: str) -> None:
    CheckRequest.objects.filter(pk=obj.pk, status=CheckRequest.Status.SUBMITTED).update(
        status=CheckRequest.Status.REJECTED)


def check_on_withdrawn(obj: CheckRequest, request: Any, actor: Any) -> None:
    CheckRequest.objects.filter(pk=obj.pk, status=CheckRequest.Status.SUBMITTED).update(
        status=CheckRequest.Status.DRAFT)


# --- petty cash -----------------------------------------------------------------------------------


@transaction.atomic
def petty_cash_float_issue(*, access: ProductionAccess, holder_id: int, amount: Decimal | str, issued_on: dt.date,
                           currency: str = "") -> PettyCashFloat:
    _require_edit(access)
    if not access.production.memberships.filter(user_id=holder_id, is_active=True).exists():
        raise ValidationError({"holder": "The float holder must be a member of this production."})
    budget = _report_budget(access)
    cash = PettyCashFloat(production=access.production, holder_id=holder_id, amount=_money(amount, "amount"),
                          currency=_currency(currency, budget.base_currency), issued_on=issued_on,
                          issued_by=access.user)
    cash.full_clean()
    cash.save()
    _audit(access, "petty_cash_float.issue", cash, {"holder": holder_id, "amount": cash.amount})
    return cash


def _float_for(access: ProductionAccess, float_id: int, *, lock: bool = False) -> PettyCashFloat:
    qs = PettyCashFloat.objects.filter(production=access.production, pk=float_id)
    cash = (qs.select_for_update() if lock else qs).get()
    if cash.holder_id != access.user.pk and not access.can(Action.EDIT_BUDGET):
        raise PettyCashFloat.DoesNotExist
    return cash


@transaction.atomic
def petty_cash_envelope_open(*, access: ProductionAccess, float_id: int) -> PettyCashEnvelope:
    cash = _float_for(access, float_id, lock=True)
    if cash.status != PettyCashFloat.Status.OPEN:
        raise ValidationError("That float is closed.")
    number = (cash.envelopes.aggregate(m=Max("number"))["m"] or 0) + 1
    envelope = PettyCashEnvelope.objects.create(cash_float=cash, number=number)
    _audit(access, "petty_cash_envelope.open", envelope, {"float": cash.pk})
    return envelope


def _envelope(access: ProductionAccess, envelope_id: int) -> PettyCashEnvelope:
    envelope = PettyCashEnvelope.objects.select_for_update().select_related("cash_float").get(
        cash_float__production=access.production, pk=envelope_id)
    if envelope.cash_float.holder_id != access.user.pk and not access.can(Action.EDIT_BUDGET):
        raise PettyCashEnvelope.DoesNotExist
    return envelope


def receipt_check_file(upload: Any) -> str:
    """Size and type of an uploaded receipt; returns its content type or raises ValidationError."""
    if upload is None:
        raise ValidationError({"file": "Attach the receipt (PDF, JPEG or PNG)."})
    cap = receipt_max_bytes()
    if upload.size > cap:
        raise ValidationError({"file": f"The receipt is {upload.size:,} bytes; the limit is {cap:,} bytes."})
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    magic = RECEIPT_TYPES.get(content_type)
    head = upload.read(16)
    upload.seek(0)
    if magic is None or not head.startswith(magic):
        raise ValidationError({"file": "A receipt must be a PDF, JPEG or PNG file."})
    return content_type


@transaction.atomic
def receipt_add(*, access: ProductionAccess, envelope_id: int, date: dt.date, account_code: str, description: str,
                amount: Decimal | str, file: Any) -> Receipt:
    """Add a receipt (size-capped PDF/JPEG/PNG) to an open envelope; a refused one saves nothing."""
    envelope = _envelope(access, envelope_id)
    if envelope.status not in (PettyCashEnvelope.Status.OPEN, PettyCashEnvelope.Status.REJECTED):
        raise ValidationError("This envelope has been submitted; open a new one.")
    content_type = receipt_check_file(file)
    budget = _report_budget(access)
    receipt = Receipt(envelope=envelope, date=date, account_code=_check_code(budget, account_code),
                      description=description.strip(), amount=_money(amount, "amount"), content_type=content_type,
                      size=file.size)
    receipt.file.save(getattr(file, "name", "receipt") or "receipt", file, save=False)
    try:
        receipt.full_clean()
    except ValidationError:
        receipt.file.delete(save=False)
        raise
    receipt.save()
    PettyCashEnvelope.objects.filter(pk=envelope.pk).update(total=F("total") + receipt.amount)
    _audit(access, "receipt.add", receipt, {"envelope": envelope.number, "amount": receipt.amount})
    return receipt


@transaction.atomic
def petty_cash_envelope_submit(*, access: ProductionAccess, envelope_id: int) -> PettyCashEnvelope:
    """The float holder hands in an envelope: it asks for "petty_cash_envelope" approval of its total
    (defaults: line producer or UPM, then the production accountant). Its receipts are locked while
    it is pending; approval posts each receipt as an actual and tops the float back up."""
    from unitbase.approvals.services import approval_request_submit

    envelope = _envelope(access, envelope_id)
    cash = envelope.cash_float
    if cash.holder_id != access.user.pk:
        raise ActionDenied(Action.VIEW_PRODUCTION, "Only the float's holder submits its envelopes.")
    if envelope.status not in (PettyCashEnvelope.Status.OPEN, PettyCashEnvelope.Status.REJECTED):
        raise PurchaseOrderLocked(f"{envelope} is already {envelope.get_status_display().lower()}.")
    if not envelope.receipts.exists():
        raise ValidationError("Add the receipts before submitting the envelope.")
    envelope.status = PettyCashEnvelope.Status.SUBMITTED
    envelope.note = ""
    envelope.save(update_fields=["status", "note", "updated_at"])
    approval_request_submit(access=access, kind=PETTY_CASH_KIND, obj=envelope, amount=envelope.total,
                            currency=cash.currency, summary=envelope_describe(envelope),
                            department=access.membership.department)
    _audit(access, "petty_cash_envelope.submit", envelope, {"total": envelope.total})
    return envelope


def envelope_describe(envelope: PettyCashEnvelope) -> str:
    cash = envelope.cash_float
    return f"Petty cash {envelope} of float {cash.pk} · {cash.holder} · {format_money(envelope.total, cash.currency)}"


def envelope_url(envelope: PettyCashEnvelope) -> str:
    from django.urls import reverse

    return reverse("budgets:petty_cash", args=[envelope.cash_float.production_id]) + f"#envelope-{envelope.pk}"


def _envelope_locked(obj: PettyCashEnvelope) -> PettyCashEnvelope:
    return PettyCashEnvelope.objects.select_for_update().select_related("cash_float__production").get(pk=obj.pk)


def envelope_on_approved(obj: PettyCashEnvelope, request: Any, actor: Any) -> None:
    envelope = _envelope_locked(obj)
    if envelope.status != PettyCashEnvelope.Status.SUBMITTED:
        return
    cash = envelope.cash_float
    if getattr(actor, "pk", None) == cash.holder_id:
        raise ValidationError("The float holder never approves their own envelope.")
    budget = reporting_budget(cash.production)
    if budget is None:
        raise ValidationError("The production has no budget to post these receipts to.")
    envelope.status = PettyCashEnvelope.Status.APPROVED
    envelope.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    envelope.save(update_fields=["status", "decided_by", "updated_at"])
    for receipt in envelope.receipts.all():
        _post(cash.production, budget, actor=actor, account_code=receipt.account_code, amount=receipt.amount,
              currency=cash.currency, date=receipt.date, source=Transaction.Source.PETTY_CASH,
              reference=f"PC {cash.pk}/{envelope.number}", description=receipt.description)
    audit_record(production_id=cash.production_id, actor=actor, action="petty_cash_envelope.approve", obj=envelope,
                 changes={"total": envelope.total, "currency": cash.currency})


def envelope_on_rejected(obj: PettyCashEnvelope, request: Any, actor: Any, reason: str) -> None:
    envelope = _envelope_locked(obj)
    if envelope.status == PettyCashEnvelope.Status.SUBMITTED:
        envelope.status, envelope.note = PettyCashEnvelope.Status.REJECTED, reason.strip()[:300]
        envelope.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        envelope.save(update_fields=["status", "note", "decided_by", "updated_at"])
        audit_record(production_id=envelope.cash_float.production_id, actor=actor,
                     action="petty_cash_envelope.reject", obj=envelope, changes={"reason": reason})


def envelope_on_withdrawn(obj: PettyCashEnvelope, request: Any, actor: Any) -> None:
    PettyCashEnvelope.objects.filter(pk=obj.pk, status=PettyCashEnvelope.Status.SUBMITTED).update(
        status=PettyCashEnvelope.Status.OPEN)


def float_spent(cash: PettyCashFloat) -> Decimal:
    """Receipts in approved or submitted envelopes: above `cash.amount` means overspent (flagged)."""
    return Receipt.objects.filter(envelope__cash_float=cash).exclude(
        envelope__status=PettyCashEnvelope.Status.REJECTED).aggregate(s=Sum("amount"))["s"] or ZERO


def float_expected_cash(cash: PettyCashFloat) -> Decimal:
    """Cash the holder should have: the float less every receipt not yet reimbursed (an approved
    envelope is reimbursed: the float is topped back up by its total). Receipts in open, pending or
    rejected envelopes are money spent but not yet paid back."""
    unpaid = Receipt.objects.filter(envelope__cash_float=cash).exclude(
        envelope__status=PettyCashEnvelope.Status.APPROVED).aggregate(s=Sum("amount"))["s"] or ZERO
    return cash.amount - unpaid


@transaction.atomic
def petty_cash_float_count(*, access: ProductionAccess, float_id: int, counted: Decimal | str, date: dt.date,
                           note: str = "", close: bool = False) -> PettyCashCount:
    """Reconcile a float: accounting records the cash counted; the difference against the expected
    cash (see `float_expected_cash`) is kept (negative = short). With close=True the cash is returned
    and the float closed; refused while an envelope is pending approval or open with receipts."""
    _require_edit(access)
    cash = PettyCashFloat.objects.select_for_update().get(production=access.production, pk=float_id)
    if cash.status == PettyCashFloat.Status.CLOSED:
        raise ValidationError("This float is already closed.")
    value = _money(counted, "counted", positive=False)
    if value < 0:
        raise ValidationError({"counted": "Cash counted cannot be negative."})
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "Enter the date of the count."})
    if close:
        busy = [env for env in cash.envelopes.all()
                if env.status == PettyCashEnvelope.Status.SUBMITTED
                or (env.status == PettyCashEnvelope.Status.OPEN and env.total > 0)]
        if busy:
            names = ", ".join(f"{env} ({env.get_status_display().lower()})" for env in busy)
            raise ValidationError({"close": f"Settle {names} before closing the float."})
    expected = float_expected_cash(cash)
    count = PettyCashCount(cash_float=cash, date=date, expected=expected, counted=value, difference=value - expected,
                           closes_float=close, note=note.strip()[:300], counted_by=access.user)
    count.full_clean()
    count.save()
    if close:
        cash.status = PettyCashFloat.Status.CLOSED
        cash.save(update_fields=["status", "updated_at"])
    _audit(access, "petty_cash_float.close" if close else "petty_cash_float.count", count,
           {"float": cash.pk, "expected": expected, "counted": value, "difference": count.difference})
    return count


# --- estimates to complete and hot cost -----------------------------------------------------------


@transaction.atomic
def cost_estimate_set(*, access: ProductionAccess, budget_id: int, account_code: str, etc: Decimal | str | None,
                      note: str = "") -> CostEstimate | None:
    """Set an account's estimate to complete (>= 0); None (or "") returns it to the default rule."""
    _require_edit(access)
    budget = Budget.objects.get(production=access.production, pk=budget_id)
    code = _check_code(budget, account_code)
    existing = CostEstimate.objects.select_for_update().filter(budget=budget, account_code=code).first()
    old = existing.etc if existing else None
    if etc is None or str(etc).strip() == "":
        if existing:
            existing.delete()
        _audit(access, "cost_estimate.reset", budget, {"account": code, "etc": [old, None]})
        return None
    value = _money(etc, "etc", positive=False)
    if value < 0:
        raise ValidationError({"etc": "An estimate to complete cannot be negative."})
    estimate = existing or CostEstimate(budget=budget, account_code=code)
    estimate.etc, estimate.note, estimate.updated_by = value, note.strip()[:200], access.user
    estimate.full_clean()
    estimate.save()
    _audit(access, "cost_estimate.set", estimate, {"account": code, "etc": [old, value]})
    return estimate


@transaction.atomic
def hot_cost_day_save(*, access: ProductionAccess, date: dt.date, planned_hours: Decimal = ZERO,
                      actual_hours: Decimal = ZERO, overtime_hours: Decimal = ZERO, meal_penalties: int = 0,
                      planned_cost: Decimal = ZERO, actual_cost: Decimal = ZERO, notes: str = "",
                      extra_day: bool = False) -> HotCostDay:
    """Create or update one shooting day's hot cost (every figure given; see hot_cost_day_update to
    change only some)."""
    _require_edit(access)
    day = HotCostDay.objects.select_for_update().filter(production=access.production, date=date).first()
    day = day or HotCostDay(production=access.production, date=date)
    for name, value in [("planned_hours", planned_hours), ("actual_hours", actual_hours),
                        ("overtime_hours", overtime_hours), ("meal_penalties", meal_penalties),
                        ("planned_cost", planned_cost), ("actual_cost", actual_cost), ("notes", notes),
                        ("extra_day", extra_day)]:
        setattr(day, name, value)
    day.full_clean()
    day.save()
    _audit(access, "hot_cost.save", day, {"date": date.isoformat(), "actual_cost": day.actual_cost,
                                          "extra_day": day.extra_day})
    return day


HOT_COST_FIELDS = ("planned_hours", "actual_hours", "overtime_hours", "meal_penalties", "planned_cost",
                   "actual_cost", "notes", "extra_day")


@transaction.atomic
def hot_cost_day_update(*, access: ProductionAccess, date: dt.date, changes: dict[str, Any]) -> HotCostDay:
    """Change some figures of one shooting day's hot cost (the day is made if it has no row yet);
    fields not in `changes` are kept. Unknown fields or bad values: ValidationError, nothing saved."""
    _require_edit(access)
    unknown = sorted(set(changes) - set(HOT_COST_FIELDS))
    if unknown:
        raise ValidationError({name: "Not a hot cost figure." for name in unknown})
    if not changes:
        raise ValidationError({"__all__": f"Give at least one of: {', '.join(HOT_COST_FIELDS)}."})
    day = HotCostDay.objects.select_for_update().filter(production=access.production, date=date).first()
    day = day or HotCostDay(production=access.production, date=date)
    old = {name: getattr(day, name) for name in changes}
    for name, value in changes.items():
        setattr(day, name, value)
    day.full_clean()
    day.save()
    _audit(access, "hot_cost.update", day, {"date": date.isoformat(), "old": old, "new": dict(changes)})
    return day


@transaction.atomic
def hot_cost_day_fill(*, access: ProductionAccess, date: dt.date) -> HotCostDay:
    """Fill a day's actuals from the registered sources (hotcost_sources.day_figures); the planned
    figures and notes are kept.

    - Actual hours are the day's length, set against the planned (budgeted) day length: the production
      report's crew call to wrap when there is one, else the longest worked day among the timecards.
    - Timecards for the date (submitted or approved): overtime (the crew's hours, added up), meal
      penalties and actual cost from them (cost in base currency): they win over the production report.
    - No timecards, a production report with times: actual hours = the DPR's crew call to wrap;
      overtime = those hours beyond the day's planned hours (when planned hours are entered); meal
      penalties and the actual cost are kept (the DPR records no pay).
    - The extra-day mark is set from the production report (kept as entered when no report says so).
    Refused with a message when no source has figures for that date."""
    from .hotcost_sources import day_figures

    _require_edit(access)
    total = day_figures(access.production, date, date).get(date)
    if total is None:
        raise ValidationError({"date": f"No submitted or approved timecard and no production report has "
                                       f"{date:%a %d %b %Y}; enter the day by hand."})
    if not total.has_hours and not total.extra_day:
        raise ValidationError({"date": f"The production report of {date:%a %d %b %Y} has no crew call or wrap "
                                       "time and there are no timecards for that day; enter the times on the "
                                       "report or the day by hand."})
    day = HotCostDay.objects.select_for_update().filter(production=access.production, date=date).first()
    day = day or HotCostDay(production=access.production, date=date)
    old = {"actual_hours": day.actual_hours, "overtime_hours": day.overtime_hours,
           "meal_penalties": day.meal_penalties, "actual_cost": day.actual_cost, "extra_day": day.extra_day}
    if total.from_pay:
        # the day's length: the production report's call to wrap when there is one, else the longest card
        day.actual_hours = round_money(total.report_hours if total.report_hours is not None else total.hours)
        day.overtime_hours = round_money(total.overtime_hours)
        day.meal_penalties = total.meal_penalties
        day.actual_cost = round_money(total.cost)
    elif total.has_hours:
        day.actual_hours = round_money(total.hours)
        if day.planned_hours:
            day.overtime_hours = max(day.actual_hours - day.planned_hours, ZERO)
    if total.extra_day:
        day.extra_day = True
    day.full_clean()
    day.save()
    _audit(access, "hot_cost.fill", day, {"date": date.isoformat(), "sources": total.sources, "people": total.people,
                                          "from_pay": total.from_pay, "old": old, "actual_cost": day.actual_cost,
                                          "actual_hours": day.actual_hours, "extra_day": day.extra_day,
                                          "extra_reasons": total.extra_reasons})
    return day
