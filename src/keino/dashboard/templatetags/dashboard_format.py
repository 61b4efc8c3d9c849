"""Numbers as a Finnish, Swedish or English reader expects them (grouping, decimal comma)."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def eur(value) -> str:
    """1234567.5 → "1 234 567,50 €" in Finnish, "1,234,567.50 €" in English."""
    if value is None or value == "":
        return "–"
    return f"{floatformat(value, '2g')} €"


@register.filter
def percent(value) -> str:
    """A fraction as a percentage with one decimal: 0.1234 → "12,3 %"."""
    if value is None or value == "":
        return "–"
    return f"{floatformat(Decimal(value) * 100, '1g')} %"


@register.filter
def count(value) -> str:
    """A whole number with grouping: 80340 → "80 340"."""
    if value is None or value == "":
        return "–"
    return floatformat(value, "0g")


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent."""
    return mapping.get(key) if mapping else None


@register.filter
def decimals(value, places=1) -> str:
    """A number with grouping and a fixed number of decimals: (1234.56, 1) → "1 234,6"."""
    if value is None or value == "":
        return "–"
    return floatformat(value, f"{int(places)}g")


@register.filter
def tonnes(kg) -> str:
    """kg as tonnes with one decimal: 1234567 → "1 234,6"."""
    if kg is None or kg == "":
        return "–"
    return floatformat(Decimal(kg) / 1000, "1g")
