"""REST endpoints for budgets: list, top sheet, and an account's detail lines (CRUD).

Reading needs the budget view rule (pay scope "all" or edit_budget, see permissions.py); writing
needs edit_budget. Money is a decimal string in the budget's base currency. A stale line
`revision` or a locked budget answers 409 with {"detail": [{"loc": [], "msg": ...}]}.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id, money_str, set_fields
from unitbase.productions.authority import Action

from . import calc, closings, selectors, services, spending
from .models import Budget, BudgetAccount, DetailLine, Invoice, PurchaseOrder, Transaction, Unit, Vendor
from .permissions import REQUEST_PURCHASE, VIEW_BUDGET, VIEW_SPENDING, access_budget, access_spending

router = Router(tags=["budgets"])

UnitName = Literal[tuple(Unit.values)]


class ErrorOut(Schema):
    detail: list[dict]


class BudgetOut(Schema):
    id: int
    name: str
    version: int
    status: str
    base_currency: str
    chart: str
    parent_id: int | None
    revision: int

    @staticmethod
    def resolve_chart(obj) -> str:
        return obj.chart.name


class AccountTotalOut(Schema):
    code: str
    name: str
    subtotal: str
    fringes: str
    total: str


class CategoryOut(Schema):
    code: str
    name: str
    subtotal: str
    fringes: str
    total: str
    accounts: list[AccountTotalOut]


class LevelOut(Schema):
    level: str
    label: str
    subtotal: str
    fringes: str
    total: str
    categories: list[CategoryOut]


class ChargeOut(Schema):
    name: str
    code: str
    kind: str
    rate: str
    basis_amount: str
    amount: str
    applied: bool


class TopSheetOut(Schema):
    budget: BudgetOut
    base_currency: str
    levels: list[LevelOut]
    above_the_line: str
    below_the_line: str
    total_before_charges: str
    charges: list[ChargeOut]
    charges_total: str
    grand_total: str


class LineOut(Schema):
    id: int
    account: str = Field(..., description="Account code")
    description: str
    amount: str = Field(..., description="A number or a global name")
    unit: str
    x: str
    rate: str
    currency: str
    fringes: list[str]
    fringe_group: str
    person: str = ""
    tag_set: str
    tag_location: str
    tag_episode: str
    notes: str
    revision: int
    subtotal: str | None = Field(None, description="In base currency; null when the budget cannot be totalled")
    fringe_total: str | None = None
    total: str | None = None


class LineIn(Schema):
    description: str = Field(..., min_length=1, max_length=200)
    amount: str = Field("1", max_length=40)
    unit: UnitName = Unit.FLAT.value
    x: str = Field("1", max_length=40)
    rate: Decimal = Field(..., max_digits=14, decimal_places=2)
    currency: str = Field("", max_length=3, description="ISO 4217; the budget's base currency when empty")
    fringes: list[str] = Field(default_factory=list, description="Fringe codes")
    fringe_group: str = Field("", max_length=60)
    person: str = Field("", max_length=60, description="Per-person fringe caps apply across a person's lines")
    tag_set: str = Field("", max_length=100)
    tag_location: str = Field("", max_length=100)
    tag_episode: str = Field("", max_length=20)
    notes: str = ""


class LinePatch(Schema):
    revision: int = Field(..., ge=0, description="The line's revision as you read it")
    description: str | None = Field(None, min_length=1, max_length=200)
    amount: str | None = Field(None, max_length=40)
    unit: UnitName | None = None
    x: str | None = Field(None, max_length=40)
    rate: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    fringes: list[str] | None = None
    fringe_group: str | None = Field(None, max_length=60)
    person: str | None = Field(None, max_length=60)
    tag_set: str | None = Field(None, max_length=100)
    tag_location: str | None = Field(None, max_length=100)
    tag_episode: str | None = Field(None, max_length=20)
    notes: str | None = None


def _conflict(exc: services.BudgetConflict):
    return Status(409, {"detail": [{"loc": [], "msg": exc.message}]})


def _budget(access, budget_id: int) -> Budget:
    budget = Budget.objects.select_related("chart").filter(production=access.production, pk=budget_id).first()
    if budget is None:
        raise Http404("No such budget.")
    return budget


def _sheet(access, budget) -> calc.TopSheet | None:
    try:
        return selectors.budget_topsheet(access=access, budget=budget)
    except calc.CalcError:
        return None


def _line_out(line: DetailLine, sheet: calc.TopSheet | None) -> dict:
    result = sheet.lines.get(line.pk) if sheet else None
    return {
        "id": line.pk, "account": line.account.code, "description": line.description, "amount": line.amount,
        "unit": line.unit, "x": line.x, "rate": money_str(line.rate), "currency": line.currency,
        "fringes": sorted(f.code for f in line.fringes.all()), "fringe_group": line.fringe_group,
        "person": line.person, "tag_set": line.tag_set, "tag_location": line.tag_location, "tag_episode": line.tag_episode,
        "notes": line.notes, "revision": line.revision,
        "subtotal": money_str(result.subtotal) if result else None,
        "fringe_total": money_str(result.fringe_total) if result else None,
        "total": money_str(result.total) if result else None,
    }


@router.get("/{production_id}/budgets", response=list[BudgetOut])
def list_budgets(request, production_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return list(selectors.budget_list(access=access))


@router.get("/{production_id}/budgets/{budget_id}/topsheet", response={200: TopSheetOut, 409: ErrorOut})
def topsheet(request, production_id: Id, budget_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    budget = _budget(access, budget_id)
    try:
        sheet = selectors.budget_topsheet(access=access, budget=budget)
    except calc.CalcError as exc:
        return Status(409, {"detail": [{"loc": [], "msg": f"The budget cannot be totalled: {exc}"}]})
    m = money_str

    def totals(obj) -> dict:
        return {"subtotal": m(obj.subtotal), "fringes": m(obj.fringes), "total": m(obj.total)}

    return {
        "budget": budget, "base_currency": sheet.base_currency,
        "levels": [{"level": lv.level, "label": lv.label, **totals(lv), "categories": [
            {"code": c.code, "name": c.name, **totals(c),
             "accounts": [{"code": a.code, "name": a.name, **totals(a)} for a in c.accounts]}
            for c in lv.categories]} for lv in sheet.levels],
        "above_the_line": m(sheet.atl), "below_the_line": m(sheet.btl),
        "total_before_charges": m(sheet.total_before_charges),
        "charges": [{"name": c.name, "code": c.code, "kind": c.kind, "rate": f"{c.rate.normalize():f}",
                     "basis_amount": m(c.basis_amount), "amount": m(c.amount), "applied": c.applied}
                    for c in sheet.charges],
        "charges_total": m(sheet.charges_total), "grand_total": m(sheet.grand_total),
    }


def _account(budget: Budget, code: str) -> BudgetAccount:
    account = BudgetAccount.objects.filter(budget=budget, code=code).first()
    if account is None:
        raise Http404("No such account in this budget.")
    return account


@router.get("/{production_id}/budgets/{budget_id}/accounts/{code}/lines", response=list[LineOut])
def list_lines(request, production_id: Id, budget_id: Id, code: str):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    budget = _budget(access, budget_id)
    account = _account(budget, code)
    sheet = _sheet(access, budget)
    return [_line_out(line, sheet) for line in selectors.account_lines(access=access, account=account)]


@router.post("/{production_id}/budgets/{budget_id}/accounts/{code}/lines", response={201: LineOut, 409: ErrorOut})
def create_line(request, production_id: Id, budget_id: Id, code: str, payload: LineIn):
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    account = _account(budget, code)
    data = payload.dict()
    data["fringe_codes"] = data.pop("fringes")
    try:
        line = services.detail_line_add(access=access, budget_id=budget.pk, account_id=account.pk, **data)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(201, _line_out(line, _sheet(access, budget)))


def _line(budget: Budget, line_id: int) -> DetailLine:
    line = DetailLine.objects.filter(budget=budget, pk=line_id).select_related("account").first()
    if line is None:
        raise Http404("No such line in this budget.")
    return line


@router.patch("/{production_id}/budgets/{budget_id}/lines/{line_id}", response={200: LineOut, 409: ErrorOut})
def update_line(request, production_id: Id, budget_id: Id, line_id: Id, payload: LinePatch):
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    line = _line(budget, line_id)
    data = set_fields(payload)
    revision = data.pop("revision")
    if "fringes" in data:
        data["fringe_codes"] = data.pop("fringes") or []
    data = {k: v for k, v in data.items() if v is not None or k == "fringe_codes"}
    try:
        line = services.detail_line_update(access=access, line_id=line.pk, revision=revision, **data)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(200, _line_out(line, _sheet(access, budget)))


@router.delete("/{production_id}/budgets/{budget_id}/lines/{line_id}", response={204: None, 409: ErrorOut})
def delete_line(request, production_id: Id, budget_id: Id, line_id: Id, revision: int):
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    line = _line(budget, line_id)
    try:
        services.detail_line_delete(access=access, line_id=line.pk, revision=revision)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(204, None)


# --- spending and the cost report (docs/budgets.md "Spending and cost report") -------------------
# Reading POs: budget readers see all; department heads their department's and their own.
# Raising POs / vendors: edit_budget or approve_purchase. Invoices and transactions: edit_budget.
# A PO under approval answers 409 to changes. Money is a decimal string.

class VendorIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    contact: str = Field("", max_length=160)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    tax_id: str = Field("", max_length=40)
    address: str = ""


class VendorOut(Schema):
    id: int
    name: str
    contact: str
    email: str
    phone: str


class POLineIn(Schema):
    account_code: str = Field(..., max_length=20)
    description: str = Field("", max_length=200)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


class POIn(Schema):
    vendor_id: int
    description: str = Field(..., min_length=1, max_length=200)
    currency: str = Field("", max_length=3)
    department_id: int | None = None
    lines: list[POLineIn] = Field(..., min_length=1)


class POLineOut(Schema):
    account_code: str
    description: str
    amount: str


class POOut(Schema):
    id: int
    number: int
    vendor: str
    department: str | None
    description: str
    currency: str
    status: str
    total: str
    overage: str
    requested_by: str
    budget_id: int
    lines: list[POLineOut]
    approvals: list[dict]


class InvoiceLineIn(Schema):
    account_code: str = Field("", max_length=20)
    description: str = Field("", max_length=200)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


class InvoiceIn(Schema):
    vendor_id: int
    number: str = Field(..., min_length=1, max_length=60)
    date: dt.date
    currency: str = Field("", max_length=3)
    purchase_order_id: int | None = None
    department_id: int | None = None
    lines: list[InvoiceLineIn] = Field(..., min_length=1)


class InvoiceOut(Schema):
    id: int
    vendor: str
    number: str
    date: dt.date
    currency: str
    total: str
    over_po: str
    paid: str
    purchase_order: int | None
    status: str
    overage: str = "0.00"
    notice: str = ""


class TransactionIn(Schema):
    date: dt.date
    account_code: str = Field(..., max_length=20)
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    currency: str = Field("", max_length=3)
    source: Literal[tuple(Transaction.Source.values)] = "manual"
    reference: str = Field("", max_length=80)
    description: str = Field("", max_length=200)


class TransactionOut(Schema):
    id: int
    date: dt.date
    account_code: str
    amount: str
    currency: str
    base_amount: str
    source: str
    reference: str
    description: str
    posted_period_ending: dt.date | None = None
    notice: str = ""


def _po_out(po: PurchaseOrder) -> dict:
    from unitbase.approvals.selectors import approval_requests_for_object

    return {
        "id": po.pk, "number": po.number, "vendor": po.vendor.name,
        "department": po.department.name if po.department else None, "description": po.description,
        "currency": po.currency, "status": po.status, "total": money_str(po.total), "overage": money_str(po.overage),
        "requested_by": str(po.requested_by), "budget_id": po.budget_id,
        "lines": [{"account_code": ln.account_code, "description": ln.description, "amount": money_str(ln.amount)}
                  for ln in po.lines.all()],
        "approvals": [{"id": r.pk, "kind": r.kind, "status": r.status, "amount": money_str(r.amount),
                       "currency": r.currency, "version": r.version} for r in approval_requests_for_object(obj=po)],
    }


def _visible_pos(access):
    return selectors.purchase_orders_visible(access).prefetch_related("lines")


def _txn_out(t: Transaction) -> dict:
    return {"id": t.pk, "date": t.date, "account_code": t.account_code, "amount": money_str(t.amount),
            "currency": t.currency, "base_amount": money_str(t.base_amount), "source": t.source,
            "reference": t.reference, "description": t.description, "posted_period_ending": t.posted_period_ending}


def _invoice_out(i: Invoice) -> dict:
    return {"id": i.pk, "vendor": i.vendor.name, "number": i.number, "date": i.date, "currency": i.currency,
            "total": money_str(i.total), "over_po": money_str(i.over_po), "paid": money_str(i.paid),
            "purchase_order": i.purchase_order.number if i.purchase_order else None, "status": i.status,
            "overage": money_str(i.overage)}


@router.get("/{production_id}/vendors", response=list[VendorOut])
def list_vendors(request, production_id: Id):
    access = access_spending(request.user, production_id, VIEW_SPENDING)
    return list(Vendor.objects.filter(production=access.production))


@router.post("/{production_id}/vendors", response={201: VendorOut})
def create_vendor(request, production_id: Id, payload: VendorIn):
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    return Status(201, spending.vendor_create(access=access, **payload.dict()))


@router.get("/{production_id}/purchase-orders", response=list[POOut])
def list_purchase_orders(request, production_id: Id, status: str = ""):
    access = access_spending(request.user, production_id, VIEW_SPENDING)
    qs = _visible_pos(access)
    if status:
        qs = qs.filter(status=status)
    return [_po_out(po) for po in qs[:500]]


@router.post("/{production_id}/purchase-orders", response={201: POOut})
def create_purchase_order(request, production_id: Id, payload: POIn):
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    data = payload.dict()
    po = spending.purchase_order_create(access=access, **data)
    return Status(201, _po_out(po))


@router.get("/{production_id}/purchase-orders/{po_id}", response=POOut)
def get_purchase_order(request, production_id: Id, po_id: Id):
    access = access_spending(request.user, production_id, VIEW_SPENDING)
    po = _visible_pos(access).filter(pk=po_id).first()
    if po is None:
        raise Http404("No such purchase order.")
    return _po_out(po)


@router.post("/{production_id}/purchase-orders/{po_id}/submit", response={200: POOut, 409: ErrorOut})
def submit_purchase_order(request, production_id: Id, po_id: Id):
    access = access_spending(request.user, production_id, REQUEST_PURCHASE)
    try:
        po = spending.purchase_order_submit(access=access, po_id=po_id)
    except ObjectDoesNotExist:
        raise Http404("No such purchase order.") from None
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(200, _po_out(PurchaseOrder.objects.get(pk=po.pk)))


@router.get("/{production_id}/invoices", response=list[InvoiceOut])
def list_invoices(request, production_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    qs = Invoice.objects.filter(production=access.production).select_related("vendor", "purchase_order")
    return [_invoice_out(i) for i in qs[:500]]


@router.post("/{production_id}/invoices", response={201: InvoiceOut})
def create_invoice(request, production_id: Id, payload: InvoiceIn):
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    data = payload.dict()
    invoice = spending.invoice_record(access=access, **data)
    notice = closings.late_posting_notice(access.production, invoice.date,
                                          pending=invoice.status == Invoice.Status.SUBMITTED)
    return Status(201, _invoice_out(invoice) | {"notice": notice})


@router.get("/{production_id}/transactions", response=list[TransactionOut])
def list_transactions(request, production_id: Id, account_code: str = "", limit: int = 200, offset: int = 0):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    qs = Transaction.objects.filter(production=access.production)
    if account_code:
        qs = qs.filter(account_code=account_code)
    offset, limit = max(offset, 0), min(max(limit, 1), 1000)
    return [_txn_out(t) for t in qs[offset:offset + limit]]


@router.post("/{production_id}/transactions", response={201: TransactionOut})
def create_transaction(request, production_id: Id, payload: TransactionIn):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    txn = spending.transaction_post(access=access, **payload.dict())
    notice = closings.late_posting_notice(access.production, txn.date) if txn.posted_period_ending else ""
    return Status(201, _txn_out(txn) | {"notice": notice})


# GET budgets/{id}/cost-report moved to costreport_api.py with the closings and the summary.


# --- globals, fringes, charges and the schedule link ----------------------------------------------


class GlobalOut(Schema):
    name: str
    value: str
    description: str


class GlobalIn(Schema):
    value: Decimal = Field(..., max_digits=14, decimal_places=4)
    description: str = Field("", max_length=200)
    revision: int | None = None


class FringeOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    rate: str
    cutoff: str | None
    cap: str | None
    person_cap: str | None = None
    person_cutoff: str | None = None


class ScheduleEffectOut(Schema):
    unit: str
    version: str
    schedule_days: int
    budget_days: str | None
    in_step: bool
    current_total: str | None
    scheduled_total: str | None
    difference: str | None


def _global_out(g) -> dict:
    return {"name": g.name, "value": f"{g.value.normalize():f}", "description": g.description}


@router.get("/{production_id}/budgets/{budget_id}/globals", response=list[GlobalOut])
def list_globals(request, production_id: Id, budget_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return [_global_out(g) for g in _budget(access, budget_id).globals.all()]


@router.put("/{production_id}/budgets/{budget_id}/globals/{name}", response={200: GlobalOut, 409: ErrorOut})
def set_global(request, production_id: Id, budget_id: Id, name: str, payload: GlobalIn):
    """Create or change a global; every line naming it recalculates."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    try:
        glob = services.global_set(access=access, budget_id=budget.pk, name=name, value=payload.value,
                                   description=payload.description, revision=payload.revision)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return _global_out(glob)


@router.delete("/{production_id}/budgets/{budget_id}/globals/{name}", response={204: None, 409: ErrorOut})
def delete_global(request, production_id: Id, budget_id: Id, name: str, revision: int | None = None):
    """Refused (422) while a line names the global."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    try:
        services.global_delete(access=access, budget_id=budget.pk, name=name, revision=revision)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(204, None)


@router.get("/{production_id}/budgets/{budget_id}/fringes", response=list[FringeOut])
def list_fringes(request, production_id: Id, budget_id: Id):
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return [_fringe_out(f) for f in _budget(access, budget_id).fringes.all()]


class FringeIn(Schema):
    name: str = Field(..., max_length=120)
    kind: Literal["percent", "flat"] = "percent"
    rate: Decimal = Field(..., max_digits=12, decimal_places=4)
    cutoff: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    person_cutoff: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    cap: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    person_cap: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    revision: int | None = None


def _fringe_out(f) -> dict:
    return {"id": f.pk, "code": f.code, "name": f.name, "kind": f.kind, "rate": f"{f.rate.normalize():f}",
            "cutoff": money_str(f.cutoff), "cap": money_str(f.cap), "person_cap": money_str(f.person_cap),
            "person_cutoff": money_str(f.person_cutoff)}


@router.put("/{production_id}/budgets/{budget_id}/fringes/{code}", response={200: FringeOut, 409: ErrorOut})
def set_fringe(request, production_id: Id, budget_id: Id, code: str, payload: FringeIn):
    """Create or change the fringe with this code; every line applying it recalculates (422 on a bad
    value: a negative rate, a percentage over 100, a cutoff on a flat fringe)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    data = payload.dict(exclude={"revision"})
    try:
        existing = budget.fringes.filter(code=code.strip()).first()
        if existing:
            fringe = services.fringe_update(access=access, fringe_id=existing.pk, revision=payload.revision, **data)
        else:
            fringe = services.fringe_create(access=access, budget_id=budget.pk, code=code, revision=payload.revision,
                                            **data)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return _fringe_out(fringe)


@router.delete("/{production_id}/budgets/{budget_id}/fringes/{code}", response={204: None, 409: ErrorOut})
def delete_fringe(request, production_id: Id, budget_id: Id, code: str, revision: int | None = None):
    """Remove the fringe from the budget and from every line applying it."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    fringe = _budget(access, budget_id).fringes.filter(code=code).first()
    if fringe is None:
        raise Http404(f"No fringe {code} in this budget.")
    try:
        services.fringe_delete(access=access, fringe_id=fringe.pk, revision=revision)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return Status(204, None)


def _effect_out(effect) -> dict:
    return {"unit": effect.unit, "version": effect.version, "schedule_days": effect.schedule_days,
            "budget_days": None if effect.budget_days is None else f"{effect.budget_days.normalize():f}",
            "in_step": effect.in_step, "current_total": money_str(effect.current_total),
            "scheduled_total": money_str(effect.scheduled_total), "difference": money_str(effect.difference)}


@router.get("/{production_id}/budgets/{budget_id}/schedule-effect", response={200: ScheduleEffectOut, 404: ErrorOut})
def schedule_effect(request, production_id: Id, budget_id: Id):
    """The applied schedule's shoot days against the budget's SHOOT_DAYS, and the grand total both ways
    (404 when no schedule version is applied)."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    effect = selectors.budget_schedule_effect(access=access, budget=_budget(access, budget_id))
    if effect is None:
        return Status(404, {"detail": [{"loc": [], "msg": "No schedule version is applied yet."}]})
    return _effect_out(effect)


@router.post("/{production_id}/budgets/{budget_id}/schedule-effect/apply", response={200: GlobalOut, 409: ErrorOut})
def sync_schedule(request, production_id: Id, budget_id: Id, revision: int | None = None):
    """SHOOT_DAYS := the applied schedule's shoot-day count (422 without an applied version)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    budget = _budget(access, budget_id)
    try:
        glob = services.global_sync_schedule(access=access, budget_id=budget.pk, revision=revision)
    except services.BudgetConflict as exc:
        return _conflict(exc)
    return _global_out(glob)


# --- charts of accounts ----------------------------------------------------------------------------


class ChartAccountOut(Schema):
    id: int
    code: str
    name: str


class ChartCategoryOut(Schema):
    id: int
    code: str
    name: str
    level: str
    code_from: str
    code_to: str
    is_fringe: bool
    markup_applies: bool
    accounts: list[ChartAccountOut]


class ChartOut(Schema):
    id: int
    name: str
    kind: str
    code_pattern: str
    account_count: int


class ChartDetailOut(ChartOut):
    categories: list[ChartCategoryOut]


class ChartLoadIn(Schema):
    kind: Literal["feature", "series", "commercial"]


class ChartImportIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    csv: str = Field(..., description="Columns code, name, category (e.g. '2000 Production Staff'), level")
    code_pattern: str = Field(r"^\d{4}$", max_length=200)


class ChartAccountIn(Schema):
    category_id: int
    code: str = Field(..., max_length=20)
    name: str = Field(..., max_length=120)


class ChartAccountNameIn(Schema):
    name: str = Field(..., max_length=120)


def _chart_out(chart, detail: bool = False) -> dict:
    data = {"id": chart.pk, "name": chart.name, "kind": chart.kind, "code_pattern": chart.code_pattern,
            "account_count": chart.accounts.count()}
    if detail:
        accounts: dict[int, list] = {}
        for a in chart.accounts.order_by("order", "code"):
            accounts.setdefault(a.category_id, []).append({"id": a.pk, "code": a.code, "name": a.name})
        data["categories"] = [
            {"id": c.pk, "code": c.code, "name": c.name, "level": c.level, "code_from": c.code_from,
             "code_to": c.code_to, "is_fringe": c.is_fringe, "markup_applies": c.markup_applies,
             "accounts": accounts.get(c.pk, [])}
            for c in chart.categories.order_by("order", "code")]
    return data


def _chart(access, chart_id: int):
    from .models import ChartOfAccounts

    chart = ChartOfAccounts.objects.filter(production=access.production, pk=chart_id).first()
    if chart is None:
        raise Http404("No such chart of accounts.")
    return chart


@router.get("/{production_id}/charts", response=list[ChartOut])
def list_charts(request, production_id: Id):
    from .models import ChartOfAccounts

    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return [_chart_out(c) for c in ChartOfAccounts.objects.filter(production=access.production)]


@router.post("/{production_id}/charts/standard", response={201: ChartDetailOut})
def load_standard_chart(request, production_id: Id, payload: ChartLoadIn):
    """Copy a standard chart (feature, series, AICP commercial) into the production (422 if loaded)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    chart = services.chart_load_standard(access=access, kind=payload.kind)
    return Status(201, _chart_out(chart, detail=True))


@router.post("/{production_id}/charts/import", response={201: ChartDetailOut})
def import_chart(request, production_id: Id, payload: ChartImportIn):
    """A custom chart from CSV text; everything or nothing (422 names the row and column)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    chart = services.chart_import_csv(access=access, name=payload.name, text=payload.csv,
                                      code_pattern=payload.code_pattern)
    return Status(201, _chart_out(chart, detail=True))


@router.get("/{production_id}/charts/{chart_id}", response=ChartDetailOut)
def get_chart(request, production_id: Id, chart_id: Id):
    """A chart with its categories (level, code range, fringe and markup flags) and their accounts."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    return _chart_out(_chart(access, chart_id), detail=True)


@router.post("/{production_id}/charts/{chart_id}/accounts", response={201: ChartAccountOut})
def add_chart_account(request, production_id: Id, chart_id: Id, payload: ChartAccountIn):
    """Add an account (its code must match the chart's pattern and fall in the category's range)."""
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    chart = _chart(access, chart_id)
    account = services.chart_account_add(access=access, chart_id=chart.pk, category_id=payload.category_id,
                                         code=payload.code, name=payload.name)
    return Status(201, {"id": account.pk, "code": account.code, "name": account.name})


@router.patch("/{production_id}/charts/{chart_id}/accounts/{account_id}", response=ChartAccountOut)
def rename_chart_account(request, production_id: Id, chart_id: Id, account_id: Id, payload: ChartAccountNameIn):
    access = access_budget(request.user, production_id, Action.EDIT_BUDGET)
    chart = _chart(access, chart_id)
    if not chart.accounts.filter(pk=account_id).exists():
        raise Http404("No such account in this chart.")
    account = services.chart_account_rename(access=access, account_id=account_id, name=payload.name)
    return {"id": account.pk, "code": account.code, "name": account.name}


# --- version compare -------------------------------------------------------------------------------


class CompareAccountOut(Schema):
    code: str
    name: str
    level: str
    from_total: str
    to_total: str
    difference: str  # to − from: positive when the second version costs more


class CompareTotalOut(Schema):
    label: str
    from_total: str
    to_total: str
    difference: str


class CompareOut(Schema):
    from_budget: int
    to_budget: int
    accounts: list[CompareAccountOut]
    totals: list[CompareTotalOut]


@router.get("/{production_id}/budgets/{budget_id}/compare/{other_id}", response={200: CompareOut, 409: ErrorOut})
def compare_budgets(request, production_id: Id, budget_id: Id, other_id: Id):
    """Two versions side by side by account code (totals incl. fringes), then level, charge and grand
    totals; `difference` = the second (`other_id`) − the first. 409 if either cannot be totalled."""
    access = access_budget(request.user, production_id, VIEW_BUDGET)
    left, right = _budget(access, budget_id), _budget(access, other_id)
    try:
        rows, summary = selectors.budget_compare(access=access, left=left, right=right)
    except calc.CalcError as exc:
        return Status(409, {"detail": [{"loc": [], "msg": str(exc)}]})
    totals = [{"label": label, "from_total": money_str(a), "to_total": money_str(b), "difference": money_str(b - a)}
              for label, a, b, _ in summary["levels"]]
    for label, key in (("Charges", "charges"), ("Grand total", "grand")):
        a, b, _ = summary[key]
        totals.append({"label": label, "from_total": money_str(a), "to_total": money_str(b),
                       "difference": money_str(b - a)})
    return {"from_budget": left.pk, "to_budget": right.pk, "totals": totals,
            "accounts": [{"code": r.code, "name": r.name, "level": r.level, "from_total": money_str(r.left),
                          "to_total": money_str(r.right), "difference": money_str(r.difference)} for r in rows]}
