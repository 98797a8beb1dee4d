from decimal import Decimal

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 -> '1,234.50'; blank for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


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
