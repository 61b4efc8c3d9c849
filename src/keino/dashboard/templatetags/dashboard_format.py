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
