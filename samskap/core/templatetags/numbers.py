"""``{% load numbers %}``: figures written by ``samskap.core.numbers`` in the active language,
and engine messages translated by ``samskap.core.coded_texts``.

    {{ value|decimal:2 }}  {{ n|integer }}  {{ share|percent }}  {{ amount|money:currency }}
    {{ ratio|ratio }}  {{ change|signed:1 }}  {{ x|number }}  {% interval low high 2 %}
    {{ warning.message|translated }}

A missing value (None, "") gives an empty string, as ``floatformat`` did.
"""

from __future__ import annotations

from typing import Any

from django import template

from samskap.core import coded_texts, numbers

register = template.Library()


def _digits(arg: Any, default: int) -> int:
    try:
        return int(arg)
    except (TypeError, ValueError):
        return default


@register.filter
def decimal(value: Any, digits: Any = 2) -> str:
    return numbers.decimal(value, _digits(digits, 2))


@register.filter
def number(value: Any, digits: Any = 2) -> str:
    return numbers.number(value, _digits(digits, 2))


@register.filter
def integer(value: Any) -> str:
    return numbers.integer(value)


@register.filter
def significant(value: Any, figures: Any = 3) -> str:
    return numbers.significant(value, _digits(figures, 3))


@register.filter
def percent(share: Any, digits: Any = 0) -> str:
    return numbers.percent(share, _digits(digits, 0))


@register.filter
def percent_points(value: Any, digits: Any = 0) -> str:
    return numbers.percent_points(value, _digits(digits, 0))


@register.filter
def money(value: Any, currency: Any = "NOK") -> str:
    return numbers.money(value, str(currency or "NOK"))


@register.filter
def amount(value: Any, currency: Any = "NOK") -> str:
    return numbers.amount(value, str(currency or "NOK"))


@register.filter
def ratio(value: Any, digits: Any = 2) -> str:
    return numbers.ratio(value, _digits(digits, 2))


@register.filter
def signed(value: Any, digits: Any = 1) -> str:
    return numbers.signed(value, _digits(digits, 1))


@register.filter
def p_value(value: Any) -> str:
    return numbers.p_value(value)


@register.simple_tag
def interval(low: Any, high: Any, digits: Any = 2) -> str:
    return numbers.interval(low, high, _digits(digits, 2))


@register.filter
def translated(message: Any) -> str:
    return coded_texts.translated(message)
