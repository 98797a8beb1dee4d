"""REST endpoints for budgets: list, top sheet, and an account's detail lines (CRUD).

Reading needs the budget view rule (pay scope "all" or edit_budget, see permissions.py); writing
needs edit_budget. Money is a decimal string in the budget's base currency. A stale line
`revision` or a locked budget answers 409 with {"detail": [{"loc": [], "msg": ...}]}.
"""

from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from unitbase.productions.api import Id, money_str, set_fields
from unitbase.productions.authority import Action

from . import calc, selectors, services
from .models import Budget, BudgetAccount, DetailLine, Unit
from .permissions import VIEW_BUDGET, access_budget

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
        "tag_set": line.tag_set, "tag_location": line.tag_location, "tag_episode": line.tag_episode,
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
