"""Cell expressions: numbers, globals, + - * / and parentheses over Decimal, nothing else."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unitbase.budgets import calc

G = {"SHOOT_DAYS": D(32), "PREP_WEEKS": D(6), "RATE_HALF": D("0.5")}


@pytest.mark.parametrize(("text", "expected"), [
    ("SHOOT_DAYS * 2", D(64)),
    ("SHOOT_DAYS*2", D(64)),
    ("(PREP_WEEKS + 1) * 5", D(35)),
    ("PREP_WEEKS + SHOOT_DAYS / 4", D(14)),
    ("-SHOOT_DAYS + 40", D(8)),
    ("0.1 + 0.2", D("0.3")),  # Decimal from the typed text: never 0.30000000000000004
    ("10 / 4", D("2.5")),
    ("SHOOT_DAYS * RATE_HALF", D(16)),
    ("1_000 * 2", D(2000)),
])
def test_expressions_evaluate_on_decimal(text, expected):
    assert calc.resolve_value(text, G) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("SHOOT_DAYS ** 2", "numbers, global names"),
    ("__import__('os').system('true')", "numbers, global names"),
    ("SHOOT_DAYS.real", "numbers, global names"),
    ("abs(-2)", "numbers, global names"),
    ("[1, 2]", "numbers, global names"),
    ("'2' * 3", "numbers, global names"),
    ("2 if 1 else 3", "numbers, global names"),
    ("shoot_days * 2", "not a global name"),
    ("PREP_DAYS * 2", "No global named PREP_DAYS"),
    ("SHOOT_DAYS / (PREP_WEEKS - 6)", "divides by zero"),
    ("2 weeks", "neither a number"),
    ("1e13", "too large"),
    ("9" * 7 + " * " + "9" * 7, "too large"),
    ("NaN", "not a finite number"),
    ("1 + " * 60 + "1", "at most 200"),
])
def test_expressions_outside_the_whitelist_are_refused(text, message):
    with pytest.raises(calc.CalcError, match=message):
        calc.resolve_value(text, G)


@given(st.integers(-10_000, 10_000), st.integers(1, 500), st.integers(-999, 999))
def test_expression_matches_hand_arithmetic(a, b, c):
    assert calc.resolve_value(f"({a} + SHOOT_DAYS) * {b} - {c}", G) == (D(a) + 32) * b - c


def test_line_with_expression_totals_like_the_hand_computation():
    accounts = (calc.Account("2001", "UPM", "2000", "Production staff", "production"),)
    line = calc.Line(1, "2001", calc.resolve_value("SHOOT_DAYS + PREP_WEEKS * 5", G), calc.resolve_value("1", G),
                     D("612.50"), "USD", unit="day")
    sheet = calc.calculate(calc.BudgetInput("USD", accounts, (line,)))
    assert sheet.grand_total == D("37975.00")  # (32 + 30) days x 612.50
