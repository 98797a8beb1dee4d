"""The pure budget arithmetic, against figures worked out by hand, and sum-of-parts properties."""

import ast
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unitbase.budgets import calc

ACCOUNTS = (
    calc.Account("1301", "Director", "1300", "Direction", "atl", 1),
    calc.Account("2001", "UPM", "2000", "Production Staff", "production", 2),
    calc.Account("5001", "Editor", "5000", "Editing", "post", 3),
    calc.Account("6801", "Legal", "6800", "General Expense", "other", 4),
)
FRINGES = (
    calc.Fringe("FICA", "percent", D("6.2"), cutoff=D("40000")),
    calc.Fringe("IA", "flat", D("1.50")),
    calc.Fringe("PH", "percent", D("10"), cap=D("300")),
)


def worked_example():
    lines = (
        calc.Line(1, "1301", D(10), D(1), D(5000), "USD", "week", ("FICA",), order=1),
        calc.Line(2, "2001", D(7), D(2), D("333.33"), "GBP", "day", ("IA", "PH"), fringe_group="upm", order=2),
        calc.Line(3, "2001", D(1), D(1), D(1000), "USD", "flat", ("IA", "PH"), fringe_group="upm", order=3),
        calc.Line(4, "5001", D(3), D(1), D("0.005"), "USD", "allow", order=4),
        calc.Line(5, "6801", D(1), D(1), D(2500), "USD", "flat", order=5),
    )
    charges = (
        calc.Charge(1, "Contingency", "percent", rate=D(10)),
        calc.Charge(2, "Completion bond", "percent", rate=D(3), basis=("atl", "production")),
        calc.Charge(3, "Overhead", "flat", amount=D(1000)),
        calc.Charge(4, "Insurance", "percent", rate=D("2.5"), applied=False),
    )
    return calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, FRINGES, {"GBP": D("1.2345")}, charges))


def test_line_totals_fringes_caps_and_currency_by_hand():
    sheet = worked_example()
    director = sheet.lines[1]
    assert director.subtotal == D("50000.00")
    assert director.fringes == {"FICA": D("2480.00")}  # 6.2% of the 40,000 cutoff, not of 50,000
    upm = sheet.lines[2]
    assert upm.subtotal_own == D("4666.62")  # 7 x 2 x 333.33 GBP
    assert upm.subtotal == D("5760.94")  # x 1.2345 = 5760.94239
    assert upm.fringes == {"IA": D("252.00"), "PH": D("300.00")}  # 14 days x 12 h x 1.50; 576.09 capped at 300
    upm_flat = sheet.lines[3]
    assert upm_flat.fringes == {"IA": D("0.00"), "PH": D("0.00")}  # no hours in Flat; cap used up by line 2
    assert sheet.lines[4].subtotal == D("0.02")  # 0.015 rounds half up


def test_totals_charges_and_grand_total_by_hand():
    sheet = worked_example()
    assert [lv.total for lv in sheet.levels] == [D("52480.00"), D("7312.94"), D("0.02"), D("2500.00")]
    assert sheet.level("production").fringes == D("552.00")
    assert sheet.accounts["2001"].subtotal == D("6760.94")
    assert sheet.atl == D("52480.00")
    assert sheet.btl == D("9812.96")
    assert sheet.total_before_charges == D("62292.96")
    assert [(c.name, c.basis_amount, c.amount) for c in sheet.charges] == [
        ("Contingency", D("62292.96"), D("6229.30")),
        ("Completion bond", D("59792.94"), D("1793.79")),
        ("Overhead", D("62292.96"), D("1000.00")),  # basis shown for reference only
        ("Insurance", D("62292.96"), D("1557.32")),
    ]
    assert sheet.charges_total == D("9023.09")  # insurance is not applied
    assert sheet.grand_total == D("71316.05")


def test_cutoff_spans_one_persons_lines_in_order():
    fica = calc.Fringe("FICA", "percent", D("6.2"), cutoff=D("40000"))
    lines = (
        calc.Line("prep", "1301", D(1), D(1), D(30000), "USD", fringe_codes=("FICA",), fringe_group="dir", order=1),
        calc.Line("shoot", "1301", D(1), D(1), D(20000), "USD", fringe_codes=("FICA",), fringe_group="dir", order=2),
        calc.Line("other", "1301", D(1), D(1), D(20000), "USD", fringe_codes=("FICA",), order=3),
    )
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (fica,)))
    assert sheet.lines["prep"].fringe_total == D("1860.00")
    assert sheet.lines["shoot"].fringe_total == D("620.00")  # only 10,000 left under the cutoff
    assert sheet.lines["other"].fringe_total == D("1240.00")  # a line without a group is its own person


def test_missing_exchange_rate_and_unknown_global_are_errors():
    line = calc.Line(1, "1301", D(1), D(1), D(10), "EUR")
    with pytest.raises(calc.CalcError, match="No exchange rate from EUR to USD"):
        calc.calculate(calc.BudgetInput("USD", ACCOUNTS, (line,)))
    assert calc.resolve_value("SHOOT_DAYS", {"SHOOT_DAYS": D(32)}) == D(32)
    assert calc.resolve_value(" 2.5 ", {}) == D("2.5")
    with pytest.raises(calc.CalcError, match="No global named PREP_WEEKS"):
        calc.resolve_value("PREP_WEEKS", {})
    with pytest.raises(calc.CalcError):
        calc.resolve_value("2 weeks", {})


def test_calc_module_imports_no_django():
    tree = ast.parse(Path(calc.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m and m.split(".")[0] in {"django", "ninja", "unitbase"} for m in imported)


money = st.decimals(min_value=D("-1000"), max_value=D("100000"), places=2)
qty = st.decimals(min_value=D("0"), max_value=D("60"), places=3)
line_st = st.tuples(st.sampled_from([a.code for a in ACCOUNTS]), qty, qty, money,
                    st.sampled_from(["USD", "GBP"]), st.sampled_from(list(calc.UNIT_HOURS)),
                    st.lists(st.sampled_from(["FICA", "IA", "PH"]), unique=True), st.sampled_from(["", "a", "b"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(line_st, max_size=12), st.decimals(min_value=D(0), max_value=D(20), places=2))
def test_every_total_is_the_sum_of_its_parts(raw, contingency):
    lines = tuple(calc.Line(i, code, a, x, r, cur, unit, tuple(fr), grp, order=i)
                  for i, (code, a, x, r, cur, unit, fr, grp) in enumerate(raw))
    charges = (calc.Charge(1, "Contingency", "percent", rate=contingency),
               calc.Charge(2, "Fee", "flat", amount=D("12.345")))
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, FRINGES, {"GBP": D("1.2345")}, charges))
    results = sheet.lines.values()
    for r in results:
        assert r.subtotal == r.subtotal.quantize(calc.CENT)
        assert r.total == r.subtotal + sum(r.fringes.values(), calc.ZERO)
    for level in sheet.levels:
        in_level = [r for r in results if sheet.accounts[r.account_code].level == level.level]
        assert level.total == sum((r.total for r in in_level), calc.ZERO)
        assert level.total == sum((c.total for c in level.categories), calc.ZERO)
    assert sheet.total_before_charges == sum((r.total for r in results), calc.ZERO)
    assert sheet.atl + sheet.btl == sheet.total_before_charges
    assert sheet.charges[0].amount == calc.round_money(sheet.total_before_charges * contingency / 100)
    assert sheet.charges[1].amount == D("12.35")
    assert sheet.grand_total == sheet.total_before_charges + sheet.charges[0].amount + D("12.35")
    by_group: dict = {}
    for r, line in zip(results, lines, strict=True):
        if "PH" in r.fringes:
            by_group.setdefault(line.fringe_group or line.key, []).append(r.fringes["PH"])
    assert all(sum(v, calc.ZERO) <= D(300) for v in by_group.values())  # the PH cap per engagement


def test_person_cap_spans_all_of_a_persons_engagements_by_hand():
    # PEN: 10% with a 500 cap per engagement and an 800 cap per person.
    pen = calc.Fringe("PEN", "percent", D("10"), cap=D("500"), person_cap=D("800"))
    line = lambda key, rate, group, person, order: calc.Line(  # noqa: E731
        key, "1301", D(1), D(1), D(rate), "USD", fringe_codes=("PEN",), fringe_group=group, person=person,
        order=order)
    lines = (
        line("block1-prep", "3000", "ann-b1", "Ann", 1),  # 300.00
        line("block1-shoot", "4000", "ann-b1", "Ann", 2),  # 400.00, engagement cap leaves 200.00
        line("block2", "5000", "ann-b2", "Ann", 3),  # 500.00, person cap leaves 800 - 500 = 300.00
        line("block3", "1000.05", "ann-b3", "Ann", 4),  # 100.01 (100.005 half up), person cap used up: 0.00
        line("bob", "9000", "bob-b1", "Bob", 5),  # 900.00, engagement cap 500.00; Bob's own person cap
        line("nobody", "9000", "", "", 6),  # no person: only the engagement cap applies
    )
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (pen,)))
    got = {key: sheet.lines[key].fringes["PEN"] for key in sheet.lines}
    assert got == {"block1-prep": D("300.00"), "block1-shoot": D("200.00"), "block2": D("300.00"),
                   "block3": D("0.00"), "bob": D("500.00"), "nobody": D("500.00")}
    assert sheet.fringe_total == D("1800.00")


def test_without_person_cap_lines_are_unchanged_by_person():
    lines_with = tuple(calc.Line(i, "1301", D(1), D(1), D("5000"), "USD", fringe_codes=("PH",), person="Ann", order=i)
                       for i in range(3))
    lines_without = tuple(calc.Line(i, "1301", D(1), D(1), D("5000"), "USD", fringe_codes=("PH",), order=i)
                          for i in range(3))
    a = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines_with, FRINGES))
    b = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines_without, FRINGES))
    assert [r.fringes for r in a.lines.values()] == [r.fringes for r in b.lines.values()]


person_line_st = st.tuples(money, st.sampled_from(["", "e1", "e2", "e3"]), st.sampled_from(["", "Ann", "Bob"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(person_line_st, max_size=12), st.decimals(min_value=D(0), max_value=D(2000), places=2),
       st.decimals(min_value=D(0), max_value=D(3000), places=2))
def test_person_and_engagement_caps_hold_and_totals_add_up(raw, cap, person_cap):
    pen = calc.Fringe("PEN", "percent", D("12.5"), cap=cap, person_cap=person_cap)
    lines = tuple(calc.Line(i, "1301", D(1), D(1), rate, "USD", fringe_codes=("PEN",), fringe_group=group,
                            person=person, order=i) for i, (rate, group, person) in enumerate(raw))
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (pen,)))
    by_person: dict = {}
    by_engagement: dict = {}
    for line in lines:
        value = sheet.lines[line.key].fringes["PEN"]
        assert value == value.quantize(calc.CENT)  # caps only remove whole cents
        uncapped = calc.round_money(line.rate * D("12.5") / 100)
        assert value <= max(uncapped, calc.ZERO) or value == uncapped  # a cap never adds
        if line.person:
            by_person[line.person] = by_person.get(line.person, calc.ZERO) + value
        by_engagement[line.fringe_group or line.key] = by_engagement.get(line.fringe_group or line.key,
                                                                         calc.ZERO) + value
    assert all(total <= person_cap for total in by_person.values())
    assert all(total <= cap for total in by_engagement.values())
    assert sheet.fringe_total == sum((r.fringe_total for r in sheet.lines.values()), calc.ZERO)


def test_person_cutoff_stops_the_wage_base_across_a_persons_engagements_by_hand():
    # PEN: 10%, wage cutoff 7,000 per engagement and 10,000 per person (all engagements).
    pen = calc.Fringe("PEN", "percent", D("10"), cutoff=D("7000"), person_cutoff=D("10000"))
    line = lambda key, rate, group, person, order: calc.Line(  # noqa: E731
        key, "1301", D(1), D(1), D(rate), "USD", fringe_codes=("PEN",), fringe_group=group, person=person,
        order=order)
    lines = (
        line("ann-prep", "6000", "ann-b1", "Ann", 1),  # base 6,000 -> 600.00
        line("ann-shoot", "3000", "ann-b1", "Ann", 2),  # engagement room 1,000 -> 100.00
        line("ann-b2", "5000", "ann-b2", "Ann", 3),  # Ann has 9,000 of wages: person room 1,000 -> 100.00
        line("ann-b3", "2000.05", "ann-b3", "Ann", 4),  # Ann's 10,000 reached: 0.00
        line("bob", "12000", "bob-b1", "Bob", 5),  # engagement cutoff first: 7,000 -> 700.00
        line("bob-b2", "3333.33", "bob-b2", "Bob", 6),  # Bob at 12,000 of wages: past his 10,000 -> 0.00
        line("nobody", "12000", "", "", 7),  # no person: only the engagement cutoff, 700.00
    )
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (pen,)))
    got = {key: sheet.lines[key].fringes["PEN"] for key in sheet.lines}
    assert got == {"ann-prep": D("600.00"), "ann-shoot": D("100.00"), "ann-b2": D("100.00"), "ann-b3": D("0.00"),
                   "bob": D("700.00"), "bob-b2": D("0.00"), "nobody": D("700.00")}
    assert sheet.fringe_total == D("2200.00")


def test_person_cutoff_rounds_once_and_combines_with_the_person_cap_by_hand():
    # 6.2% with a person cutoff of 1,000.10 and a person cap of 50: Cy's first line 999.99 -> 62.00 (61.99938
    # half up) capped at 50.00; second line 500: room 0.11 -> 0.0068 -> 0.01, cap used up -> 0.00.
    fica = calc.Fringe("FICA", "percent", D("6.2"), person_cutoff=D("1000.10"), person_cap=D("50"))
    lines = (calc.Line(1, "1301", D(1), D(1), D("999.99"), "USD", fringe_codes=("FICA",), person="Cy", order=1),
             calc.Line(2, "1301", D(1), D(1), D("500"), "USD", fringe_codes=("FICA",), person="Cy", order=2))
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (fica,)))
    assert [sheet.lines[k].fringes["FICA"] for k in (1, 2)] == [D("50.00"), D("0.00")]
    uncapped = calc.Fringe("FICA", "percent", D("6.2"), person_cutoff=D("1000.10"))
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (uncapped,)))
    assert [sheet.lines[k].fringes["FICA"] for k in (1, 2)] == [D("62.00"), D("0.01")]


@settings(max_examples=60, deadline=None)
@given(st.lists(person_line_st, max_size=12), st.decimals(min_value=D(0), max_value=D(30000), places=2))
def test_person_cutoff_bounds_each_persons_fringe(raw, person_cutoff):
    # Wages only (a credit line lowers the wages counted so far, as it does for the engagement cutoff).
    pen = calc.Fringe("PEN", "percent", D("12.5"), person_cutoff=person_cutoff)
    lines = tuple(calc.Line(i, "1301", D(1), D(1), abs(rate), "USD", fringe_codes=("PEN",), fringe_group=group,
                            person=person, order=i) for i, (rate, group, person) in enumerate(raw))
    sheet = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (pen,)))
    plain = calc.calculate(calc.BudgetInput("USD", ACCOUNTS, lines, (calc.Fringe("PEN", "percent", D("12.5")),)))
    positive: dict = {}
    for line in lines:
        value = sheet.lines[line.key].fringes["PEN"]
        if not line.person:  # no person: the person cutoff does not apply
            assert value == plain.lines[line.key].fringes["PEN"]
        elif line.rate > 0:
            assert D(0) <= value <= plain.lines[line.key].fringes["PEN"]
            positive.setdefault(line.person, []).append(value)
    for values in positive.values():  # each line rounds once: at most half a cent over per line
        assert sum(values, calc.ZERO) <= person_cutoff * D("0.125") + D("0.005") * len(values)
