"""`{% load money_tags %}`: `{{ amount|money }}` -> "4,800.00", `{{ amount|money:currency }}` ->
"USD 4,800.00" (core.money.format_money, the project's one way of writing money)."""

from decimal import InvalidOperation

from django import template

from unitbase.core.money import format_money

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    try:
        return format_money(value, currency or "")
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
