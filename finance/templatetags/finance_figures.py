"""`{% load finance_figures %}` … `{{ cell|figure }}`: a stored figure as people read it, with
thousands separators, on the annex pages, the public pages and in the PDFs alike. What is stored
(and signed) stays the plain Decimal text; this only changes how it is shown."""

from __future__ import annotations

from decimal import Decimal

from django import template

from finance.figures import grouped, parse_number

register = template.Library()


@register.filter
def figure(value: object) -> str:
    """A figure with thousands separators; text that is not a figure, as it is; None, empty."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else parse_number(str(value))
    if number is None or not number.is_finite():
        return str(value)
    return grouped(number)
