from django import template
from django.utils.html import format_html

from unitbase.core.money import format_money

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    """1234.5 -> '1,234.50'; with a currency 'USD 1,234.50'; blank for None (core.money.format_money)."""
    return format_money(value, currency or "")


@register.filter
def variance(value):
    """A variance cell: red (and marked with a minus sign) when negative."""
    if value is None:
        return ""
    if value < 0:
        return format_html('<span class="negative" title="Over the previous version">{}</span>', f"{value:,.2f}")
    return f"{value:,.2f}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
