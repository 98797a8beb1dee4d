"""core.money.format_money and the `money` template filter: grouping, two decimals, currency code."""

from decimal import Decimal as D

from django.template import Context, Template

from unitbase.core.money import Money, format_money


def test_format_money_groups_rounds_and_prefixes_the_currency():
    assert format_money(D("4800.0000"), "USD") == "USD 4,800.00"
    assert format_money(D("1234567.005")) == "1,234,567.01"  # half up, once
    assert format_money("-1234.5", "EUR") == "EUR -1,234.50"
    assert format_money(0) == "0.00"
    assert format_money(None, "USD") == "" and format_money("") == ""
    assert str(Money(D("4800.0000"), "GBP")) == "GBP 4,800.00"


def test_money_filter():
    template = Template("{% load money_tags %}[{{ a|money:cur }}][{{ a|money }}][{{ none|money:cur }}][{{ bad|money }}]")
    out = template.render(Context({"a": D("4800.0000"), "cur": "USD", "none": None, "bad": "n/a"}))
    assert out == "[USD 4,800.00][4,800.00][][n/a]"
