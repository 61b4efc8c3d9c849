"""Shares of indicator rows, for templates (which cannot call a method with an argument)."""

from django import template

register = template.Library()


@register.filter
def get_share(row, aim):
    """The share of a row's lots with the aim."""
    return row.count_share(aim)


@register.filter
def get_value_share(row, aim):
    """The share of a row's value in lots with the aim."""
    return row.value_share(aim)


@register.filter
def link_share(link, aim):
    """The share of all spend that went to winners of lots with the aim."""
    return link.share(aim)
