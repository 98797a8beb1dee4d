"""Spending API beyond api.py's list/create endpoints: a PO's lines (draft), invoices without a PO
(detail, resubmit), payments, check requests (list, create, submit), petty cash floats (list,
count/close) and envelope submission.

Mounted beside `unitbase.budgets.api.router` under /api/v1/productions. Approving and rejecting go
through the approvals API (kinds "purchase_order", "invoice", "petty_cash_envelope")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id, money_str
from unitbase.productions.authority import Action
from unitbase.productions.permissions import access_production

from . import costreport, selectors, spending
from .api import ErrorOut, POLineIn, POOut, _conflict, _invoice_out, _po_out, _visible_pos
from .models import CheckRequest, HotCostDay, Invoice, Payment, PettyCashFloat
from .permissions import REQUEST_PURCHASE, VIEW_BUDGET, access_budget, access_spending

router = Router(tags=["spending"])


class POLinesIn(Schema):
    lines: list[POLineIn] = Field(..., min_length=1, max_length=100)
    revision: int | None = None


class InvoiceLineOut(Schema):
    account_code: str
    description: str
    amount: str
    po_line: int | None


class InvoiceDetailOut(Schema):
    id: int
    vendor: str
    number: str
    date: dt.date
    currency: str
    status: str
    note: str
    total: str
    over_po: str
    paid: str
    purchase_order: int | None
    lines: list[InvoiceLineOut]
    approvals: list[dict]


class CountIn(Schema):
    date: dt.date
    counted: Decimal = Field(..., max_digits=14, decimal_places=2)
    note: str = Field("", max_length=300)
    close: bool = False


class CountOut(Schema):
    id: int
    date: dt.date
    expected: str
    counted: str
    difference: str
    closes_float: bool
    note: str


class EnvelopeOut(Schema):
    id: int
    number: int
    status: str
    total: str
    note: str


class FloatOut(Schema):
    id: int
    holder: str
    amount: str
    currency: str
    issued_on: dt.date
    status: str
    spent: str
    expected_cash: str
    envelopes: list[EnvelopeOut]
    counts: list[CountOut]


def _approvals(obj) -> list[dict]:
    from unitbase.approvals.selectors import approval_requests_for_object

    return [{"id": r.pk, "kind": r.kind, "status": r.status, "amount": money_str(r.amount), "currency": r.currency,
             "version": r.version} for r in approval_requests_for_object(obj=obj)]


def _invoice_detail(invoice: Invoice) -> dict:
    return {**_invoice_out(invoice), "status": invoice.status, "note": invoice.note,
            "lines": [{"account_code": ln.account_code, "description": ln.description, "amount": money_str(ln.amount),
                       "po_line": ln.po_line_id} for ln in invoice.lines.all()],
            "approvals": _approvals(invoice)}


def _count_out(c) -> dict:
    return {"id": c.pk, "date": c.date, "expected": money_str(c.expected), "counted": money_str(c.counted),
            "difference": money_str(c.difference), "closes_float": c.closes_float, "note": c.note}


def _float_out(f: PettyCashFloat) -> dict:
    return {"id": f.pk, "holder": str(f.holder), "amount": money_str(f.amount), "currency": f.currency,
            "issued_on": f.issued_on, "status": f.status, "spent": money_str(spending.float_spent(f)),
            "expected_cash": money_str(spending.float_expected_cash(f)),
            "envelopes": [{"id": e.pk, "number": e.number, "status": e.status, "total": money_str(e.total),
                           "note": e.note} for e in f.envelopes.all()],
            "counts": [_count_out(c) for c in f.counts.all()]}


@router.put("/{production_id}/purchase-orders/{po_id}/lines", response={200: POOut, 409: ErrorOut})
def replace_po_lines(request, production_id: Id, po_id: Id, payload: POLinesIn):
    """Replace a draft (or rejected) PO's lines; 409 while it is under approval or when `revision` is stale."""
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    try:
        po = spending.purchase_order_update_lines(access=access, po_id=po_id, revision=payload.revision,
                                                  lines=[line.dict() for line in payload.lines])
    except ObjectDoesNotExist:
        raise Http404("No such purchase order.") from None
    except spending.PurchaseOrderLocked as exc:
        return _conflict(exc)
    return Status(200, _po_out(_visible_pos(access).get(pk=po.pk)))


@router.get("/{production_id}/invoices/{invoice_id}", response=InvoiceDetailOut)
def get_invoice(request, production_id: Id, invoice_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    invoice = Invoice.objects.filter(production=access.production, pk=invoice_id).select_related(
        "vendor", "purchase_order").first()
    if invoice is None:
        raise Http404("No such invoice.")
    return _invoice_detail(invoice)


@router.post("/{production_id}/invoices/{invoice_id}/resubmit", response={200: InvoiceDetailOut, 409: ErrorOut})
def resubmit_invoice(request, production_id: Id, invoice_id: Id):
    """Send a rejected invoice without a PO for approval again (409 if it is not rejected)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    try:
        invoice = spending.invoice_resubmit(access=access, invoice_id=invoice_id)
    except ObjectDoesNotExist:
        raise Http404("No such invoice.") from None
    except spending.PurchaseOrderLocked as exc:
        return _conflict(exc)
    return Status(200, _invoice_detail(invoice))


@router.get("/{production_id}/petty-cash/floats", response=list[FloatOut])
def list_floats(request, production_id: Id):
    """Accounting sees every float; any other member their own."""
    access = access_production(request.user, production_id)
    floats = PettyCashFloat.objects.filter(production=access.production).select_related("holder").prefetch_related(
        "envelopes", "counts")
    if not access.can(Action.EDIT_BUDGET):
        floats = floats.filter(holder=access.user)
    return [_float_out(f) for f in floats[:500]]


@router.post("/{production_id}/petty-cash/floats/{float_id}/count", response={201: CountOut})
def count_float(request, production_id: Id, float_id: Id, payload: CountIn):
    """Reconcile a float (cash counted vs expected); `close` returns the cash and closes it."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    try:
        count = spending.petty_cash_float_count(access=access, float_id=float_id, **payload.dict())
    except ObjectDoesNotExist:
        raise Http404("No such float.") from None
    return Status(201, _count_out(count))


@router.post("/{production_id}/petty-cash/envelopes/{envelope_id}/submit", response={200: EnvelopeOut, 409: ErrorOut})
def submit_envelope(request, production_id: Id, envelope_id: Id):
    """The float holder submits an envelope for approval (409 when already submitted)."""
    access = access_production(request.user, production_id)
    try:
        e = spending.petty_cash_envelope_submit(access=access, envelope_id=envelope_id)
    except ObjectDoesNotExist:
        raise Http404("No such envelope.") from None
    except spending.PurchaseOrderLocked as exc:
        return _conflict(exc)
    return Status(200, {"id": e.pk, "number": e.number, "status": e.status, "total": money_str(e.total),
                        "note": e.note})



class PaymentIn(Schema):
    date: dt.date
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    method: Literal["check", "wire", "card", "cash"] = "check"
    reference: str = Field("", max_length=60)


class PaymentOut(Schema):
    id: int
    invoice: int
    date: dt.date
    amount: str
    currency: str
    method: str
    reference: str
    invoice_balance: str


def _payment_out(p: Payment) -> dict:
    return {"id": p.pk, "invoice": p.invoice_id, "date": p.date, "amount": money_str(p.amount),
            "currency": p.invoice.currency, "method": p.method, "reference": p.reference,
            "invoice_balance": money_str(p.invoice.balance)}


@router.get("/{production_id}/invoices/{invoice_id}/payments", response=list[PaymentOut])
def list_payments(request, production_id: Id, invoice_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    invoice = Invoice.objects.filter(production=access.production, pk=invoice_id).first()
    if invoice is None:
        raise Http404("No such invoice.")
    return [_payment_out(p) for p in invoice.payments.select_related("invoice")]


@router.post("/{production_id}/invoices/{invoice_id}/payments", response={201: PaymentOut})
def create_payment(request, production_id: Id, invoice_id: Id, payload: PaymentIn):
    """Pay part or all of an approved invoice's balance (422: more than the balance, a pending or
    rejected invoice, a negative amount; 403 without edit_budget)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    try:
        payment = spending.payment_record(access=access, invoice_id=invoice_id, **payload.dict())
    except ObjectDoesNotExist:
        raise Http404("No such invoice.") from None
    payment = Payment.objects.select_related("invoice").get(pk=payment.pk)
    return Status(201, _payment_out(payment))


class CheckRequestIn(Schema):
    payee: str = Field(..., min_length=1, max_length=160)
    account_code: str = Field(..., max_length=20)
    description: str = Field(..., min_length=1, max_length=200)
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    currency: str = Field("", max_length=3)
    date: dt.date
    department_id: int | None = None


class CheckRequestOut(Schema):
    id: int
    payee: str
    account_code: str
    description: str
    amount: str
    currency: str
    date: dt.date
    department_id: int | None
    requested_by: str
    status: str
    approval_id: int | None


def _check_out(req: CheckRequest) -> dict:
    from unitbase.approvals.selectors import approval_latest_for

    approval = approval_latest_for(obj=req, kind=spending.CHECK_KIND)
    return {"id": req.pk, "payee": req.payee, "account_code": req.account_code, "description": req.description,
            "amount": money_str(req.amount), "currency": req.currency, "date": req.date,
            "department_id": req.department_id, "requested_by": str(req.requested_by), "status": req.status,
            "approval_id": approval.pk if approval else None}


@router.get("/{production_id}/check-requests", response=list[CheckRequestOut])
def list_check_requests(request, production_id: Id, status: str = ""):
    """Budget readers see every check request; department heads their department's and their own."""
    access = access_spending(request.user, production_id)
    qs = selectors.check_requests_visible(access)
    if status:
        qs = qs.filter(status=status)
    return [_check_out(r) for r in qs[:500]]


@router.post("/{production_id}/check-requests", response={201: CheckRequestOut})
def create_check_request(request, production_id: Id, payload: CheckRequestIn):
    """A draft check request (422: unknown account code, a currency without a rate, amount ≤ 0)."""
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    req = spending.check_request_create(access=access, **payload.dict())
    return Status(201, _check_out(req))


@router.post("/{production_id}/check-requests/{check_request_id}/submit",
             response={200: CheckRequestOut, 409: ErrorOut})
def submit_check_request(request, production_id: Id, check_request_id: Id):
    """Ask for approval (the "check_request" kind; decide through the approvals API). 409 when already
    submitted or approved."""
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    if not selectors.check_requests_visible(access).filter(pk=check_request_id).exists():
        raise Http404("No such check request.")
    try:
        req = spending.check_request_submit(access=access, check_request_id=check_request_id)
    except spending.PurchaseOrderLocked as exc:
        return _conflict(exc)
    return Status(200, _check_out(req))


# --- hot cost -------------------------------------------------------------------------------------


class HotCostDayOut(Schema):
    date: dt.date
    planned_hours: str
    actual_hours: str
    overtime_hours: str
    meal_penalties: int
    planned_cost: str
    actual_cost: str
    over_under: str
    extra_day: bool
    notes: str


class HotCostListOut(Schema):
    currency: str
    days: list[HotCostDayOut]
    cumulative_over_under: str
    extra_days: int
    extra_days_cost: str


class HotCostDayIn(Schema):
    """Only the figures given change; the day is made (zeros) if it has no row yet."""

    planned_hours: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    actual_hours: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    overtime_hours: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    meal_penalties: int | None = None
    planned_cost: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    actual_cost: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    extra_day: bool | None = None
    notes: str | None = Field(None, max_length=300)


def _hot_day_out(day) -> dict:
    return {"date": day.date, "planned_hours": str(day.planned_hours), "actual_hours": str(day.actual_hours),
            "overtime_hours": str(day.overtime_hours), "meal_penalties": day.meal_penalties,
            "planned_cost": money_str(day.planned_cost), "actual_cost": money_str(day.actual_cost),
            "over_under": money_str(day.over_under), "extra_day": day.extra_day, "notes": day.notes}


def _hot_date(day: str) -> dt.date:
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        raise ValidationError({"date": f"Give the day as YYYY-MM-DD, not {day[:20]!r}."}) from None


@router.get("/{production_id}/hot-cost", response=HotCostListOut)
def list_hot_cost(request, production_id: Id, start: dt.date | None = None, end: dt.date | None = None):
    """The entered hot cost days (planned, actual, over/under = planned − actual, extra-day mark),
    optionally from `start` to `end`; the cumulative over/under and the extra days' count and cost."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    days = HotCostDay.objects.filter(production=access.production).order_by("date")
    if start:
        days = days.filter(date__gte=start)
    if end:
        days = days.filter(date__lte=end)
    days = list(days)
    extra = [d for d in days if d.extra_day]
    return {"currency": (costreport.reporting_budget(access.production) or access.production).base_currency,
            "days": [_hot_day_out(d) for d in days],
            "cumulative_over_under": money_str(sum((d.over_under for d in days), Decimal("0.00"))),
            "extra_days": len(extra), "extra_days_cost": money_str(sum((d.actual_cost for d in extra), Decimal("0.00")))}


@router.get("/{production_id}/hot-cost/{day}", response=HotCostDayOut)
def get_hot_cost_day(request, production_id: Id, day: str):
    """One entered day (404 when the day has no hot cost yet; 422 for a date not YYYY-MM-DD)."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    row = HotCostDay.objects.filter(production=access.production, date=_hot_date(day)).first()
    if row is None:
        raise Http404("No hot cost for that day.")
    return _hot_day_out(row)


@router.patch("/{production_id}/hot-cost/{day}", response=HotCostDayOut)
def update_hot_cost_day(request, production_id: Id, day: str, payload: HotCostDayIn):
    """Change a day's planned/actual figures, extra-day mark or notes (edit_budget, as on the page;
    403 without it; 422 on a negative or malformed figure, nothing saved)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    row = spending.hot_cost_day_update(access=access, date=_hot_date(day), changes=changes)
    return _hot_day_out(row)


@router.post("/{production_id}/hot-cost/{day}/fill", response=HotCostDayOut)
def fill_hot_cost_day(request, production_id: Id, day: str):
    """Fill the day's actuals from the timecards and the production report (hot_cost_day_fill; 422
    when neither has the day; 403 without edit_budget)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    row = spending.hot_cost_day_fill(access=access, date=_hot_date(day))
    return _hot_day_out(row)
