"""Writes for charts of accounts and budgets: atomic, validated, audited, refused on a locked budget.

Concurrency (docs/budgets.md): each detail line carries its own `revision`, and an update or delete
must send the revision it was read at; `Budget.revision` counts changes to budget-wide settings
(globals, fringes, exchange rates, charges, status) and those services refuse a stale one when it
is given. A refusal raises `StaleRevision` (HTTP 409), an edit of a locked budget `BudgetLocked`.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from unitbase.core.audit import audit_record, diff_fields
from unitbase.productions.authority import Action
from unitbase.productions.permissions import ProductionAccess

from . import calc
from .charts import STANDARD_CHARTS
from .models import (
    Budget,
    BudgetAccount,
    Charge,
    ChartAccount,
    ChartCategory,
    ChartOfAccounts,
    DetailLine,
    ExchangeRate,
    Fringe,
    Global,
    Level,
    Unit,
    code_key,
    new_figures_stamp,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20000


class BudgetConflict(Exception):
    """An edit that cannot be applied to the budget as it now stands (answered with 409)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class StaleRevision(BudgetConflict):
    pass


class BudgetLocked(BudgetConflict):
    pass


def _audit(access: ProductionAccess, action: str, obj: Any, changes: dict | None = None) -> None:
    audit_record(production_id=access.production.pk, actor=access.user, action=action, obj=obj, changes=changes)


# --- charts of accounts --------------------------------------------------------------------------


def _chart_from_data(access: ProductionAccess, data: dict, name: str | None = None) -> ChartOfAccounts:
    chart = ChartOfAccounts(
        production=access.production, name=name or data["name"], kind=data["kind"], code_pattern=data["code_pattern"]
    )
    chart.full_clean()
    chart.save()
    order = 0
    for cat_order, (code, cat_name, level, code_from, code_to, flags, accounts) in enumerate(data["categories"]):
        category = ChartCategory(
            chart=chart, code=code, name=cat_name, level=level, code_from=code_from, code_to=code_to,
            is_fringe="fringe" in flags, markup_applies="markup" in flags, order=cat_order,
        )
        category.full_clean()
        category.save()
        for acc_code, acc_name in accounts:
            order += 1
            account = ChartAccount(chart=chart, category=category, code=acc_code, name=acc_name, order=order)
            account.full_clean()
            account.save()
    return chart


@transaction.atomic
def chart_load_standard(*, access: ProductionAccess, kind: str) -> ChartOfAccounts:
    """Copy one of the standard charts (feature, series, commercial) into the production."""
    access.require(Action.EDIT_BUDGET)
    data = STANDARD_CHARTS.get(kind)
    if data is None:
        raise ValidationError({"kind": f"Choose one of: {', '.join(STANDARD_CHARTS)}."})
    if ChartOfAccounts.objects.filter(production=access.production, name=data["name"]).exists():
        raise ValidationError({"kind": f"“{data['name']}” is already loaded in this production."})
    chart = _chart_from_data(access, data)
    _audit(access, "chart.load_standard", chart, {"kind": kind, "accounts": chart.accounts.count()})
    return chart


CHART_CSV_COLUMNS = ["code", "name", "category", "level"]


def xlsx_to_csv_text(data: bytes) -> str:
    """The sheet named "Detail" (as in our own XLSX export), else the first sheet, of an XLSX
    workbook as CSV text (numbers written without float noise), so an XLSX import goes through
    exactly the same checks as a CSV one."""
    from openpyxl import load_workbook

    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB."})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book["Detail"] if "Detail" in book.sheetnames else book.worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out)
        for count, row in enumerate(sheet.iter_rows(values_only=True)):
            if count > MAX_IMPORT_ROWS:
                raise ValidationError({"file": f"More than {MAX_IMPORT_ROWS} rows."})
            writer.writerow(["" if v is None else (format(Decimal(str(v)), "f") if isinstance(v, int | float) else str(v))
                             for v in row])
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or non-XLSX file
        raise ValidationError({"file": "That file is not a readable XLSX workbook."}) from None
    return out.getvalue()


def _csv_rows(text: str, columns: list[str], aliases: dict[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB."})
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    header = [(aliases or {}).get(h, h) for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValidationError({"file": f"Row 1 (header): missing column(s) {', '.join(missing)}; "
                                       f"expected {', '.join(columns)}."})
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_IMPORT_ROWS:
            raise ValidationError({"file": f"More than {MAX_IMPORT_ROWS} rows."})
        cleaned = {k: (v or "").strip() for k, v in row.items() if k}
        if any(cleaned.values()):
            rows.append((number, cleaned))
    if not rows:
        raise ValidationError({"file": "The file has no rows under its header."})
    return rows


@transaction.atomic
def chart_import_csv(*, access: ProductionAccess, name: str, text: str, code_pattern: str = r"^\d{4}$") -> ChartOfAccounts:
    """A custom chart from CSV columns code, name, category, level. The category cell is
    "<code> <name>" (e.g. "2000 Production Staff"); a category's range spans its accounts.
    Everything is imported or nothing (the first bad row and column are named)."""
    access.require(Action.EDIT_BUDGET)
    rows = _csv_rows(text, CHART_CSV_COLUMNS)
    if ChartOfAccounts.objects.filter(production=access.production, name=name.strip()).exists():
        raise ValidationError({"name": "A chart with this name already exists in this production."})
    categories: dict[str, dict] = {}
    for number, row in rows:
        level = row["level"].lower().replace("above-the-line", "atl")
        if level not in Level.values:
            raise ValidationError({"file": f"Row {number}, column level: {row['level']!r} is not one of "
                                           f"{', '.join(Level.values)}."})
        if not row["code"] or not row["name"] or not row["category"]:
            col = next(c for c in ("code", "name", "category") if not row[c])
            raise ValidationError({"file": f"Row {number}, column {col}: empty."})
        cat_code, _, cat_name = row["category"].partition(" ")
        cat = categories.setdefault(cat_code, {"name": cat_name.strip() or cat_code, "level": level, "accounts": []})
        if cat["level"] != level:
            raise ValidationError({"file": f"Row {number}, column level: category {cat_code} is already {cat['level']}."})
        cat["accounts"].append((number, row["code"], row["name"]))
    data = {"name": name.strip(), "kind": ChartOfAccounts.Kind.CUSTOM, "code_pattern": code_pattern, "categories": []}
    for cat_code, cat in categories.items():
        codes = sorted((c for _, c, _ in cat["accounts"]), key=code_key)
        flags = ("fringe",) if "fringe" in cat["name"].lower() else ()
        data["categories"].append((cat_code, cat["name"], cat["level"], codes[0], codes[-1], flags,
                                   [(c, n) for _, c, n in cat["accounts"]]))
    try:
        chart = _chart_from_data(access, data)
    except ValidationError as exc:
        raise ValidationError({"file": f"Import refused: {'; '.join(exc.messages)}"}) from exc
    _audit(access, "chart.import_csv", chart, {"accounts": len(rows)})
    return chart


@transaction.atomic
def chart_account_add(*, access: ProductionAccess, chart_id: int, category_id: int, code: str, name: str) -> ChartAccount:
    access.require(Action.EDIT_BUDGET)
    chart = ChartOfAccounts.objects.get(production=access.production, pk=chart_id)
    category = ChartCategory.objects.filter(chart=chart, pk=category_id).first()
    if category is None:
        raise ValidationError({"category": "Choose a category of this chart."})
    order = (chart.accounts.aggregate(m=Max("order"))["m"] or 0) + 1
    account = ChartAccount(chart=chart, category=category, code=code.strip(), name=name.strip(), order=order)
    account.full_clean()
    account.save()
    _audit(access, "chart_account.add", account, {"chart": chart.name})
    return account


@transaction.atomic
def chart_account_rename(*, access: ProductionAccess, account_id: int, name: str) -> ChartAccount:
    access.require(Action.EDIT_BUDGET)
    account = ChartAccount.objects.select_for_update().get(chart__production=access.production, pk=account_id)
    changes = diff_fields(account, {"name": name.strip()})
    account.name = name.strip()
    account.full_clean()
    account.save()
    _audit(access, "chart_account.rename", account, changes)
    return account


# --- budgets -------------------------------------------------------------------------------------


def _budget_for_edit(access: ProductionAccess, budget_id: int, revision: int | None = None, bump: bool = False) -> Budget:
    access.require(Action.EDIT_BUDGET)
    budget = Budget.objects.select_for_update().get(production=access.production, pk=budget_id)
    if budget.is_locked:
        raise BudgetLocked(f"{budget} is locked; create a revision to change it.")
    if revision is not None and revision != budget.revision:
        raise StaleRevision(
            f"{budget} was changed by someone else since you loaded it (revision {revision}, now "
            f"{budget.revision}). Reload the page to see their changes, then make yours again."
        )
    # Every write to a budget's lines, globals, fringes, rates or charges comes through here: a new
    # figures stamp, in the same transaction, retires the figures sheetcache holds for the budget.
    budget.figures_stamp = new_figures_stamp()
    if bump:
        budget.revision += 1
        budget.save(update_fields=["revision", "figures_stamp", "updated_at"])
    else:
        budget.save(update_fields=["figures_stamp"])
    return budget


@transaction.atomic
def budget_create(*, access: ProductionAccess, chart_id: int, name: str, base_currency: str | None = None) -> Budget:
    access.require(Action.EDIT_BUDGET)
    chart = ChartOfAccounts.objects.filter(production=access.production, pk=chart_id).first()
    if chart is None:
        raise ValidationError({"chart": "Choose a chart of accounts of this production."})
    budget = Budget(
        production=access.production, chart=chart, name=name.strip(),
        base_currency=(base_currency or access.production.base_currency).upper(),
    )
    budget.full_clean()
    budget.save()
    BudgetAccount.objects.bulk_create([
        BudgetAccount(budget=budget, code=a.code, name=a.name, category_code=a.category.code,
                      category_name=a.category.name, level=a.category.level, order=i)
        for i, a in enumerate(sorted(chart.accounts.select_related("category"),
                                     key=lambda a: (a.category.order, code_key(a.code))))
    ])
    _audit(access, "budget.create", budget, {"chart": chart.name, "base_currency": budget.base_currency})
    return budget


LINE_FIELDS = {
    "description", "amount", "unit", "x", "rate", "currency", "fringe_group", "person", "tag_set",
    "tag_location", "tag_episode", "notes", "fringe_codes", "order",
}


def _clean_line(budget: Budget, line: DetailLine, fringe_codes: list[str] | None) -> list[Fringe] | None:
    """Validate a line's cells against the budget's globals, rates and fringes; return its fringes."""
    errors: dict[str, str] = {}
    globals_ = dict(budget.globals.values_list("name", "value"))
    for field in ("amount", "x"):
        try:
            calc.resolve_value(str(getattr(line, field)), globals_)
        except calc.CalcError as exc:
            errors[field] = str(exc)
        setattr(line, field, str(getattr(line, field)).strip())
    line.currency = (line.currency or budget.base_currency).strip().upper()
    if (line.currency != budget.base_currency and len(line.currency) == 3
            and not budget.exchange_rates.filter(currency=line.currency).exists()):
        errors["currency"] = (f"No exchange rate from {line.currency} to {budget.base_currency}; "
                              "add one under Setup first.")
    fringes = None
    if fringe_codes is not None:
        codes = [c.strip() for c in fringe_codes if c and c.strip()]
        fringes = list(budget.fringes.filter(code__in=codes))
        unknown = sorted(set(codes) - {f.code for f in fringes})
        if unknown:
            errors["fringes"] = f"No fringe {', '.join(unknown)} in this budget."
    try:
        line.full_clean(exclude=["budget", "account"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    return fringes


def _line_state(line: DetailLine) -> dict[str, Any]:
    return {
        "description": line.description, "amount": line.amount, "unit": line.unit, "x": line.x, "rate": line.rate,
        "currency": line.currency, "person": line.person,
        "fringes": sorted(line.fringes.values_list("code", flat=True)) if line.pk else [],
    }


@transaction.atomic
def detail_line_add(
    *, access: ProductionAccess, budget_id: int, account_id: int, description: str, rate: Decimal,
    amount: str = "1", unit: str = Unit.FLAT, x: str = "1", currency: str = "", fringe_codes: list[str] | None = None,
    fringe_group: str = "", tag_set: str = "", tag_location: str = "", tag_episode: str = "", notes: str = "",
    person: str = "",
) -> DetailLine:
    budget = _budget_for_edit(access, budget_id)
    account = BudgetAccount.objects.filter(budget=budget, pk=account_id).first()
    if account is None:
        raise ValidationError({"account": "No such account in this budget."})
    order = (account.lines.aggregate(m=Max("order"))["m"] or 0) + 1
    line = DetailLine(
        budget=budget, account=account, description=description.strip(), amount=amount, unit=unit, x=x,
        rate=rate, currency=currency, fringe_group=fringe_group.strip(), person=person.strip(), tag_set=tag_set.strip(),
        tag_location=tag_location.strip(), tag_episode=tag_episode.strip(), notes=notes, order=order,
    )
    fringes = _clean_line(budget, line, fringe_codes or [])
    line.save()
    line.fringes.set(fringes or [])
    _audit(access, "budget_line.add", line, {"budget": str(budget), "account": account.code, **_line_state(line)})
    return line


def _line_for_edit(access: ProductionAccess, line_id: int, revision: int) -> tuple[Budget, DetailLine]:
    access.require(Action.EDIT_BUDGET)
    line = DetailLine.objects.filter(budget__production=access.production, pk=line_id).first()
    if line is None:
        raise DetailLine.DoesNotExist("No such line in this production.")
    budget = _budget_for_edit(access, line.budget_id)
    line = DetailLine.objects.select_for_update().get(pk=line.pk)
    if revision != line.revision:
        raise StaleRevision(
            f"Line “{line.description}” was changed by someone else since you loaded it (revision {revision}, "
            f"now {line.revision}). Reload the account to see their change, then make yours again."
        )
    return budget, line


@transaction.atomic
def detail_line_update(*, access: ProductionAccess, line_id: int, revision: int, **data: Any) -> DetailLine:
    unknown = set(data) - LINE_FIELDS
    if unknown:
        raise ValidationError({field: "Unknown field." for field in sorted(unknown)})
    budget, line = _line_for_edit(access, line_id, revision)
    before = _line_state(line)
    fringe_codes = data.pop("fringe_codes", None)
    for key, value in data.items():
        setattr(line, key, value.strip() if isinstance(value, str) and key != "notes" else value)
    fringes = _clean_line(budget, line, fringe_codes)
    line.revision += 1
    line.save()
    if fringes is not None:
        line.fringes.set(fringes)
    after = _line_state(line)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    _audit(access, "budget_line.update", line, changes)
    return line


@transaction.atomic
def detail_line_delete(*, access: ProductionAccess, line_id: int, revision: int) -> None:
    budget, line = _line_for_edit(access, line_id, revision)
    _audit(access, "budget_line.delete", line, {"budget": str(budget), "account": line.account.code, **_line_state(line)})
    line.delete()


def _quantize_error(field: str, value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter a number."}) from None


@transaction.atomic
def global_set(*, access: ProductionAccess, budget_id: int, name: str, value: Decimal, description: str = "",
               revision: int | None = None) -> Global:
    """Create or change a global; every line using it recalculates."""
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    name = name.strip().upper()
    glob = Global.objects.filter(budget=budget, name=name).first() or Global(budget=budget, name=name)
    changes = {"value": [str(glob.value) if glob.pk else None, str(value)]}
    glob.value, glob.description = _quantize_error("value", value), description.strip()
    glob.full_clean()
    glob.save()
    _audit(access, "budget_global.set", glob, changes)
    return glob


@transaction.atomic
def global_sync_schedule(*, access: ProductionAccess, budget_id: int, revision: int | None = None) -> Global:
    """Set SHOOT_DAYS to the applied schedule's shoot-day count (the stripboard's days)."""
    from .selectors import SHOOT_DAYS, schedule_shoot_days

    found = schedule_shoot_days(access=access)
    if found is None:
        raise ValidationError({"SHOOT_DAYS": "No schedule version is applied yet; apply one on the stripboard first."})
    days, unit, version = found
    return global_set(access=access, budget_id=budget_id, name=SHOOT_DAYS, value=Decimal(days), revision=revision,
                      description=f"From the applied schedule: {unit}, {version}")


@transaction.atomic
def global_delete(*, access: ProductionAccess, budget_id: int, name: str, revision: int | None = None) -> None:
    """Delete a global no line uses (a line naming it would no longer total)."""
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    glob = Global.objects.filter(budget=budget, name=name.strip().upper()).first()
    if glob is None:
        raise ValidationError({"name": f"No global named {name} in this budget."})
    pattern = re.compile(rf"\b{re.escape(glob.name)}\b")
    users = [line.description for line in budget.lines.only("description", "amount", "x")
             if pattern.search(line.amount) or pattern.search(line.x)]
    if users:
        raise ValidationError({"name": f"{glob.name} is used by {len(users)} line(s), e.g. “{users[0]}”; "
                                       "change those lines first."})
    _audit(access, "budget_global.delete", glob, {"value": [str(glob.value), None]})
    glob.delete()


@transaction.atomic
def fringe_delete(*, access: ProductionAccess, fringe_id: int, revision: int | None = None) -> None:
    """Delete a fringe; the lines it was applied to lose it (and their totals drop accordingly)."""
    fringe = Fringe.objects.get(budget__production=access.production, pk=fringe_id)
    _budget_for_edit(access, fringe.budget_id, revision, bump=True)
    _audit(access, "budget_fringe.delete", fringe, {"code": fringe.code, "lines": fringe.lines.count()})
    fringe.delete()


@transaction.atomic
def charge_delete(*, access: ProductionAccess, charge_id: int, revision: int | None = None) -> None:
    charge = Charge.objects.get(budget__production=access.production, pk=charge_id)
    _budget_for_edit(access, charge.budget_id, revision, bump=True)
    _audit(access, "budget_charge.delete", charge, {"name": charge.name})
    charge.delete()


FRINGE_FIELDS = {"code", "name", "kind", "rate", "cutoff", "cap", "person_cap", "person_cutoff"}


@transaction.atomic
def fringe_create(*, access: ProductionAccess, budget_id: int, code: str, name: str, kind: str, rate: Decimal,
                  cutoff: Decimal | None = None, cap: Decimal | None = None, person_cap: Decimal | None = None,
                  person_cutoff: Decimal | None = None, revision: int | None = None) -> Fringe:
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    fringe = Fringe(budget=budget, code=code.strip(), name=name.strip(), kind=kind, rate=rate, cutoff=cutoff, cap=cap,
                    person_cap=person_cap, person_cutoff=person_cutoff)
    fringe.full_clean()
    fringe.save()
    _audit(access, "budget_fringe.create", fringe, {"kind": kind, "rate": rate, "cutoff": cutoff, "cap": cap,
                                                     "person_cap": person_cap, "person_cutoff": person_cutoff})
    return fringe


@transaction.atomic
def fringe_update(*, access: ProductionAccess, fringe_id: int, revision: int | None = None, **data: Any) -> Fringe:
    unknown = set(data) - FRINGE_FIELDS
    if unknown:
        raise ValidationError({field: "Unknown field." for field in sorted(unknown)})
    fringe = Fringe.objects.get(budget__production=access.production, pk=fringe_id)
    _budget_for_edit(access, fringe.budget_id, revision, bump=True)
    changes = diff_fields(fringe, data)
    for key, value in data.items():
        setattr(fringe, key, value)
    fringe.full_clean()
    fringe.save()
    _audit(access, "budget_fringe.update", fringe, changes)
    return fringe


@transaction.atomic
def charge_set(*, access: ProductionAccess, budget_id: int, name: str, kind: str = Charge.Kind.PERCENT,
               rate: Decimal = Decimal(0), amount: Decimal = Decimal(0), basis: list[str] | None = None,
               applied: bool = True, code: str = "", revision: int | None = None) -> Charge:
    """Create or change the top-sheet charge called `name`."""
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    charge = Charge.objects.filter(budget=budget, name=name.strip()).first()
    if charge is None:
        charge = Charge(budget=budget, name=name.strip(), order=budget.charges.count() + 1)
    data = {"kind": kind, "rate": rate, "amount": amount, "basis": list(basis or []), "applied": applied,
            "code": code.strip()}
    changes = diff_fields(charge, data) if charge.pk else data
    for key, value in data.items():
        setattr(charge, key, value)
    charge.full_clean()
    charge.save()
    _audit(access, "budget_charge.set", charge, changes)
    return charge


@transaction.atomic
def exchange_rate_set(*, access: ProductionAccess, budget_id: int, currency: str, rate: Decimal,
                      revision: int | None = None) -> ExchangeRate:
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    currency = currency.strip().upper()
    obj = ExchangeRate.objects.filter(budget=budget, currency=currency).first() or ExchangeRate(
        budget=budget, currency=currency)
    changes = {"rate": [str(obj.rate) if obj.pk else None, str(rate)]}
    obj.rate = rate
    obj.full_clean()
    obj.save()
    _audit(access, "budget_exchange_rate.set", obj, changes)
    return obj


@transaction.atomic
def budget_lock(*, access: ProductionAccess, budget_id: int, revision: int | None = None) -> Budget:
    budget = _budget_for_edit(access, budget_id, revision, bump=True)
    budget.status = Budget.Status.LOCKED
    budget.locked_at = timezone.now()
    budget.locked_by = access.user if getattr(access.user, "is_authenticated", False) else None
    budget.save(update_fields=["status", "locked_at", "locked_by", "updated_at"])
    _audit(access, "budget.lock", budget, {"status": ["working", "locked"]})
    return budget


@transaction.atomic
def budget_revise(*, access: ProductionAccess, budget_id: int) -> Budget:
    """A new working version copied from a locked one (accounts, setup and lines)."""
    access.require(Action.EDIT_BUDGET)
    old = Budget.objects.select_for_update().get(production=access.production, pk=budget_id)
    if not old.is_locked:
        raise BudgetConflict(f"{old} is still being worked on; lock it before revising it.")
    latest = Budget.objects.filter(production=old.production, name=old.name).aggregate(m=Max("version"))["m"]
    new = Budget(production=old.production, chart=old.chart, name=old.name, base_currency=old.base_currency,
                 version=latest + 1, parent=old)
    new.full_clean()
    new.save()
    accounts = {}
    for acc in old.accounts.all():
        accounts[acc.pk] = BudgetAccount.objects.create(
            budget=new, code=acc.code, name=acc.name, category_code=acc.category_code,
            category_name=acc.category_name, level=acc.level, order=acc.order)
    Global.objects.bulk_create([Global(budget=new, name=g.name, value=g.value, description=g.description)
                                for g in old.globals.all()])
    ExchangeRate.objects.bulk_create([ExchangeRate(budget=new, currency=r.currency, rate=r.rate)
                                      for r in old.exchange_rates.all()])
    Charge.objects.bulk_create([Charge(budget=new, code=c.code, name=c.name, kind=c.kind, rate=c.rate,
                                       amount=c.amount, basis=c.basis, applied=c.applied, order=c.order)
                                for c in old.charges.all()])
    fringes = {}
    for f in old.fringes.all():
        fringes[f.pk] = Fringe.objects.create(budget=new, code=f.code, name=f.name, kind=f.kind, rate=f.rate,
                                              cutoff=f.cutoff, cap=f.cap, person_cap=f.person_cap,
                                              person_cutoff=f.person_cutoff)
    for line in old.lines.prefetch_related("fringes"):
        copy = DetailLine.objects.create(
            budget=new, account=accounts[line.account_id], description=line.description, amount=line.amount,
            unit=line.unit, x=line.x, rate=line.rate, currency=line.currency, fringe_group=line.fringe_group,
            person=line.person, tag_set=line.tag_set, tag_location=line.tag_location, tag_episode=line.tag_episode, notes=line.notes,
            order=line.order)
        copy.fringes.set([fringes[f.pk] for f in line.fringes.all()])
    _audit(access, "budget.revise", new, {"from": str(old)})
    return new


IMPORT_COLUMNS = ["account code", "description", "amount", "units", "x", "rate", "currency"]
# Optional columns (as the XLSX export's "Detail" sheet writes them) -> detail_line_add's argument.
IMPORT_OPTIONAL_COLUMNS = {
    "person": "person", "engagement": "fringe_group", "fringe codes": "fringe_codes", "set": "tag_set",
    "location": "tag_location", "episode": "tag_episode", "notes": "notes",
}
IMPORT_ALIASES = {"acct": "account code", "person / engagement": "engagement"}


@transaction.atomic
def detail_lines_import_csv(*, access: ProductionAccess, budget_id: int, text: str) -> int:
    """Add detail lines from CSV (columns: account code, description, amount, units, x, rate,
    currency; optionally person, engagement, fringe codes, set, location, episode, notes, so the
    XLSX export's "Detail" sheet reads back). Every row is imported or none is; the refusal lists
    every bad row with its number, column and problem. (XLSX: convert with `xlsx_to_csv_text` first.)"""
    budget = _budget_for_edit(access, budget_id)
    rows = _csv_rows(text, IMPORT_COLUMNS, IMPORT_ALIASES)
    accounts = {a.code: a for a in budget.accounts.all()}
    column_of = {"account": "account code", "units": "units", "unit": "units", "fringes": "fringe codes",
                 **{field: column for column, field in IMPORT_OPTIONAL_COLUMNS.items()}}
    count = 0
    problems: list[str] = []
    for number, row in rows:
        account = accounts.get(row["account code"])
        if account is None:
            problems.append(f"Row {number}, column account code: no account {row['account code']!r} in this budget.")
            continue
        unit = row["units"].lower() or Unit.FLAT
        optional = {field: row.get(column, "") for column, field in IMPORT_OPTIONAL_COLUMNS.items()}
        optional["fringe_codes"] = [c for c in optional["fringe_codes"].split(",") if c.strip()]
        rate = row["rate"].replace(",", "")
        try:
            rate_value = Decimal(rate)
            if not rate_value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"Row {number}, column rate: {row['rate']!r} is not a number.")
            continue
        if rate_value < 0:
            problems.append(f"Row {number}, column rate: {row['rate']!r} is negative; a budget line's rate must "
                            "be zero or more.")
            continue
        try:
            detail_line_add(access=access, budget_id=budget.pk, account_id=account.pk, description=row["description"],
                            amount=row["amount"] or "1", unit=unit, x=row["x"] or "1", rate=rate_value,
                            currency=row["currency"], **optional)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.append(f"Row {number}, column {column_of.get(field, field)}: {' '.join(messages)}")
            continue
        count += 1
    if problems:
        # every row is imported or none is: the outer transaction rolls back the good rows too
        raise ValidationError({"file": [f"Nothing was imported ({len(problems)} problem(s)).", *problems[:200]]})
    _audit(access, "budget.import_lines", budget, {"lines": count})
    return count
