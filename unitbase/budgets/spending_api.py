"""Spending API beyond api.py's list/create endpoints: a PO's lines (draft), invoices without a PO
(detail, resubmit), petty cash floats (list, count/close) and envelope submission.

Mounted beside `unitbase.budgets.api.router` under /api/v1/productions. Approving and rejecting go
through the approvals API (kinds "purchase_order", "invoice", "petty_cash_envelope")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id, money_str
from unitbase.productions.authority import Action
from unitbase.productions.permissions import access_production

from . import spending
from .api import ErrorOut, POLineIn, POOut, _conflict, _invoice_out, _po_out, _visible_pos
from .models import Invoice, PettyCashFloat
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

