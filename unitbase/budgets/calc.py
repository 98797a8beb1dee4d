"""Budget arithmetic: pure Python on Decimal, no Django (the services and pages feed it plain data).

The one rounding rule (see docs/budgets.md):
- each detail line's subtotal is computed exactly (amount x X x rate x exchange rate) and rounded
  half up to the cent once, in the budget's base currency;
- each fringe on each line is computed from that rounded subtotal and rounded half up to the cent
  once (a cap then only ever removes whole cents);
- every account, category, level and summary total is a plain sum of those rounded values;
- each top-sheet charge is computed from its (already rounded) basis and rounded once.
So every figure on the top sheet is exactly the sum of the figures beneath it.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

LEVELS = ("atl", "production", "post", "other")
LEVEL_LABELS = {
    "atl": "Above-the-line",
    "production": "Production",
    "post": "Post-production",
    "other": "Other",
}
# Hours in one unit, used by flat (per-hour) fringes; Allow and Flat carry no hours.
UNIT_HOURS: dict[str, Decimal | None] = {
    "hour": Decimal(1),
    "day": Decimal(12),
    "week": Decimal(60),
    "month": Decimal(240),
    "allow": None,
    "flat": None,
}
GLOBAL_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


class CalcError(ValueError):
    """Input the arithmetic cannot use (unknown global, missing exchange rate, ...)."""


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


MAX_EXPRESSION = 200
MAX_MAGNITUDE = Decimal("1e12")
_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _evaluate(node: ast.AST, text: str, global_values: dict[str, Decimal]) -> Decimal:
    """Walk a whitelisted expression tree: numbers, global names, + - * / and parentheses."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, text, global_values)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        literal = ast.get_source_segment(text, node) or str(node.value)
        return Decimal(literal.replace("_", ""))  # from the typed text, never through a float
    if isinstance(node, ast.Name):
        if not GLOBAL_NAME.match(node.id):
            raise CalcError(f"{node.id!r} is not a global name (globals are in capitals, e.g. SHOOT_DAYS).")
        if node.id not in global_values:
            raise CalcError(f"No global named {node.id}.")
        return Decimal(global_values[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand, text, global_values)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left = _evaluate(node.left, text, global_values)
        right = _evaluate(node.right, text, global_values)
        if isinstance(node.op, ast.Div) and right == 0:
            raise CalcError(f"{text!r} divides by zero.")
        return _BINOPS[type(node.op)](left, right)
    raise CalcError(f"{text!r}: use numbers, global names, + - * / and parentheses only.")


def resolve_value(expression: str, global_values: dict[str, Decimal]) -> Decimal:
    """A cell value: a decimal number ("12", "1.5", "-2"), the name of a global ("SHOOT_DAYS") or a
    simple expression of those ("SHOOT_DAYS * 2", "(PREP_WEEKS + 1) * 5", "10 / 3").

    Safe by construction: the text is parsed with `ast` and only numbers, global names, unary
    minus/plus, + - * / and parentheses are evaluated, on Decimal (no eval, no floats, no calls,
    no attributes, no powers). Division keeps the Decimal context's 28 digits; the line's subtotal
    is then rounded once as usual."""
    text = (expression or "").strip()
    if not text:
        raise CalcError("Enter a number or the name of a global.")
    if len(text) > MAX_EXPRESSION:
        raise CalcError(f"An expression may be at most {MAX_EXPRESSION} characters.")
    if GLOBAL_NAME.match(text):
        if text not in global_values:
            raise CalcError(f"No global named {text}.")
        return global_values[text]
    try:
        value = Decimal(text)
    except InvalidOperation:
        try:
            tree = ast.parse(text, mode="eval")
        except (SyntaxError, ValueError):
            raise CalcError(f"{text!r} is neither a number, a global name (in capitals, e.g. SHOOT_DAYS) "
                            "nor an expression such as SHOOT_DAYS * 2.") from None
        try:
            value = _evaluate(tree, text, global_values)
        except (InvalidOperation, ArithmeticError, RecursionError):
            raise CalcError(f"{text!r} cannot be calculated.") from None
    if not value.is_finite():
        raise CalcError(f"{text!r} is not a finite number.")
    if abs(value) >= MAX_MAGNITUDE:
        raise CalcError(f"{text!r} is too large.")
    return value


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    category_code: str
    category_name: str
    level: str
    order: int = 0


@dataclass(frozen=True)
class Fringe:
    code: str
    kind: str  # "percent" (rate is a percentage of wages) or "flat" (rate is an amount per hour)
    rate: Decimal
    cutoff: Decimal | None = None  # percent fringes stop applying once the person's wages reach this
    cap: Decimal | None = None  # the most this fringe may cost for one person's engagement
    person_cap: Decimal | None = None  # the most this fringe may cost for one person, all engagements
    person_cutoff: Decimal | None = None  # percent fringes stop once the person's wages, all engagements, reach this


@dataclass(frozen=True)
class Line:
    key: int | str
    account_code: str
    amount: Decimal
    x: Decimal
    rate: Decimal
    currency: str
    unit: str = "flat"
    fringe_codes: tuple[str, ...] = ()
    fringe_group: str = ""  # lines sharing a non-blank group are one person's engagement (caps apply jointly)
    person: str = ""  # lines sharing a non-blank person: a fringe's person_cap applies across them
    order: int = 0


@dataclass(frozen=True)
class Charge:
    key: int | str
    name: str
    kind: str  # "percent" or "flat"
    rate: Decimal = ZERO  # percentage, for percent charges
    amount: Decimal = ZERO  # base-currency amount, for flat charges
    basis: tuple[str, ...] = ("atl", "production", "post", "other")
    applied: bool = True
    code: str = ""


@dataclass(frozen=True)
class BudgetInput:
    base_currency: str
    accounts: tuple[Account, ...]
    lines: tuple[Line, ...] = ()
    fringes: tuple[Fringe, ...] = ()
    exchange_rates: dict[str, Decimal] = field(default_factory=dict)  # currency -> base units per 1
    charges: tuple[Charge, ...] = ()


# --- results -----------------------------------------------------------------------------------


@dataclass
class LineResult:
    key: int | str
    account_code: str
    subtotal_own: Decimal  # in the line's currency, rounded
    subtotal: Decimal  # in base currency, rounded
    fringes: dict[str, Decimal]
    fringe_total: Decimal
    total: Decimal

    def __reduce__(self):
        # Pickled (sheetcache) with its amounts as text: a Decimal pickles several times slower
        # than its string, and a 2,000-line top sheet holds over 10,000 of them. Exact both ways.
        return (_line_result, (self.key, self.account_code, str(self.subtotal_own), str(self.subtotal),
                               tuple((code, str(value)) for code, value in self.fringes.items()),
                               str(self.fringe_total), str(self.total)))


def _line_result(key, account_code, subtotal_own, subtotal, fringes, fringe_total, total) -> LineResult:
    return LineResult(key=key, account_code=account_code, subtotal_own=Decimal(subtotal_own),
                      subtotal=Decimal(subtotal), fringes={code: Decimal(value) for code, value in fringes},
                      fringe_total=Decimal(fringe_total), total=Decimal(total))


@dataclass
class AccountResult:
    code: str
    name: str
    category_code: str
    level: str
    subtotal: Decimal = ZERO
    fringes: Decimal = ZERO
    line_count: int = 0

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.fringes


@dataclass
class CategoryResult:
    code: str
    name: str
    level: str
    accounts: list[AccountResult] = field(default_factory=list)
    subtotal: Decimal = ZERO
    fringes: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.fringes


@dataclass
class LevelResult:
    level: str
    label: str
    categories: list[CategoryResult] = field(default_factory=list)
    subtotal: Decimal = ZERO  # sum of line subtotals
    fringes: Decimal = ZERO  # fringes posted to this level

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.fringes


@dataclass
class ChargeResult:
    key: int | str
    name: str
    code: str
    kind: str
    rate: Decimal
    basis_amount: Decimal
    amount: Decimal
    applied: bool


@dataclass
class TopSheet:
    base_currency: str
    lines: dict[int | str, LineResult]
    accounts: dict[str, AccountResult]
    levels: list[LevelResult]
    charges: list[ChargeResult]

    def level(self, name: str) -> LevelResult:
        return next(level for level in self.levels if level.level == name)

    @property
    def atl(self) -> Decimal:
        return self.level("atl").total

    @property
    def btl(self) -> Decimal:
        return sum((lv.total for lv in self.levels if lv.level != "atl"), ZERO)

    @property
    def fringe_total(self) -> Decimal:
        return sum((lv.fringes for lv in self.levels), ZERO)

    @property
    def total_before_charges(self) -> Decimal:
        return sum((lv.total for lv in self.levels), ZERO)

    @property
    def charges_total(self) -> Decimal:
        return sum((c.amount for c in self.charges if c.applied), ZERO)

    @property
    def grand_total(self) -> Decimal:
        return self.total_before_charges + self.charges_total


# --- calculation -------------------------------------------------------------------------------


def line_subtotals(line: Line, exchange_rates: dict[str, Decimal], base_currency: str) -> tuple[Decimal, Decimal]:
    """(subtotal in the line's currency, subtotal in base currency), each rounded once."""
    exact = line.amount * line.x * line.rate
    if line.currency == base_currency:
        own = exact.quantize(CENT, ROUND_HALF_UP)
        return own, own  # x 1 changes nothing: one rounding serves both
    fx = exchange_rates.get(line.currency)
    if fx is None:
        raise CalcError(f"No exchange rate from {line.currency} to {base_currency}.")
    return exact.quantize(CENT, ROUND_HALF_UP), (exact * fx).quantize(CENT, ROUND_HALF_UP)


def _fringe_raw(fringe: Fringe, line: Line, subtotal: Decimal, wages_so_far: Decimal,
                person_wages_so_far: Decimal | None = None) -> Decimal:
    """The line's fringe before the caps, rounded to the cent. `person_wages_so_far` is None for a
    line without a person (no per-person cutoff then)."""
    if fringe.kind == "percent":
        base = subtotal
        if fringe.cutoff is not None:
            room = max(fringe.cutoff - wages_so_far, ZERO)
            base = min(max(subtotal, ZERO), room) if subtotal > 0 else subtotal
        if fringe.person_cutoff is not None and person_wages_so_far is not None and subtotal > 0:
            base = min(base, max(fringe.person_cutoff - person_wages_so_far, ZERO))
        return round_money(base * fringe.rate / HUNDRED)
    hours = UNIT_HOURS.get(line.unit)
    if hours is None:
        return ZERO
    return round_money(line.amount * line.x * hours * fringe.rate)


def calculate(budget: BudgetInput) -> TopSheet:
    fringes = {f.code: f for f in budget.fringes}
    accounts = {a.code: a for a in budget.accounts}
    ordered = sorted(budget.lines, key=lambda ln: (ln.order, str(ln.key)))

    line_results: dict[int | str, LineResult] = {}
    # per (fringe, engagement) running wages and fringe cost, for cutoffs and caps
    wages: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    # per (fringe, person) wages and fringe cost, for person cutoffs and caps (a line without a
    # person has neither)
    wages_person: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    spent_person: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for line in ordered:
        if line.account_code not in accounts:
            raise CalcError(f"Line {line.key} is on unknown account {line.account_code}.")
        own, subtotal = line_subtotals(line, budget.exchange_rates, budget.base_currency)
        engagement = line.fringe_group or f"line:{line.key}"
        person = line.person.strip()
        per_fringe: dict[str, Decimal] = {}
        for code in line.fringe_codes:
            fringe = fringes.get(code)
            if fringe is None:
                raise CalcError(f"Line {line.key} applies unknown fringe {code}.")
            slot = (code, engagement)
            value = _fringe_raw(fringe, line, subtotal, wages[slot],
                                wages_person[(code, person)] if person else None)
            wages[slot] += subtotal
            if person:
                wages_person[(code, person)] += subtotal
            if fringe.cap is not None:
                value = min(value, max(fringe.cap - spent[slot], ZERO))
            if fringe.person_cap is not None and person:
                value = min(value, max(fringe.person_cap - spent_person[(code, person)], ZERO))
                spent_person[(code, person)] += value
            spent[slot] += value
            per_fringe[code] = value
        fringe_total = sum(per_fringe.values(), ZERO)
        line_results[line.key] = LineResult(
            key=line.key, account_code=line.account_code, subtotal_own=own, subtotal=subtotal,
            fringes=per_fringe, fringe_total=fringe_total, total=subtotal + fringe_total,
        )

    account_results: dict[str, AccountResult] = {
        a.code: AccountResult(code=a.code, name=a.name, category_code=a.category_code, level=a.level)
        for a in sorted(budget.accounts, key=lambda a: (a.order, a.code))
    }
    for result in line_results.values():
        acc = account_results[result.account_code]
        acc.subtotal += result.subtotal
        acc.fringes += result.fringe_total
        acc.line_count += 1

    levels = {name: LevelResult(level=name, label=LEVEL_LABELS[name]) for name in LEVELS}
    categories: dict[str, CategoryResult] = {}
    for acc_in in sorted(budget.accounts, key=lambda a: (a.order, a.code)):
        if acc_in.level not in levels:
            raise CalcError(f"Account {acc_in.code} has unknown level {acc_in.level}.")
        cat = categories.get(acc_in.category_code)
        if cat is None:
            cat = categories[acc_in.category_code] = CategoryResult(
                code=acc_in.category_code, name=acc_in.category_name, level=acc_in.level
            )
            levels[acc_in.level].categories.append(cat)
        acc = account_results[acc_in.code]
        cat.accounts.append(acc)
        cat.subtotal += acc.subtotal
        cat.fringes += acc.fringes
    for level in levels.values():
        level.subtotal = sum((c.subtotal for c in level.categories), ZERO)
        level.fringes = sum((c.fringes for c in level.categories), ZERO)

    charge_results = []
    for charge in budget.charges:
        basis = sum((levels[name].total for name in charge.basis if name in levels), ZERO)
        amount = round_money(basis * charge.rate / HUNDRED if charge.kind == "percent" else charge.amount)
        charge_results.append(ChargeResult(
            key=charge.key, name=charge.name, code=charge.code, kind=charge.kind, rate=charge.rate,
            basis_amount=basis, amount=amount, applied=charge.applied,
        ))

    return TopSheet(
        base_currency=budget.base_currency, lines=line_results, accounts=account_results,
        levels=[levels[name] for name in LEVELS], charges=charge_results,
    )
