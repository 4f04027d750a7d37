"""``{% load error_summary %}``: the lines of the GOV.UK error summary for one form, or for a
page of several forms and formsets (the agreement section editor).

    {% error_summary_items form=form forms=forms messages=errors as items %}

Each item is ``(anchor, text)``: ``anchor`` is the id of the field's first input (the first
radio button of a group, as GOV.UK links it), or "" for an error that belongs to no visible
field (the form's own errors, a formset's, a hidden field's, or a service's ``messages``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms as django_forms
from django import template
from django.utils.translation import gettext

register = template.Library()

Item = tuple[str, str]


def _form_items(form: django_forms.BaseForm, prefix: str = "") -> list[Item]:
    items: list[Item] = [("", f"{prefix}{error}") for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:
            items += [("", f"{prefix}{error}") for error in field.errors]
            continue
        subwidgets = field.subwidgets
        anchor = (subwidgets[0].id_for_label if subwidgets else "") or field.id_for_label
        items += [(anchor, f"{prefix}{field.label}: {error}") for error in field.errors]
    return items


def _items(form: Any) -> list[Item]:
    if isinstance(form, django_forms.BaseFormSet):
        items: list[Item] = [("", str(error)) for error in form.non_form_errors()]
        for number, row in enumerate(form.forms, start=1):
            row_name = gettext("Row %(n)s") % {"n": number}
            items += _form_items(row, f"{row_name} – ")
        return items
    # A form that stands for one of several alike (a party's contact) names which one.
    prefix = getattr(form, "error_summary_prefix", "")
    return _form_items(form, f"{prefix} – " if prefix else "")


@register.simple_tag
def error_summary_items(
    form: Any = None, forms: Iterable[Any] = (), messages: Iterable[Any] = ()
) -> list[Item]:
    """Every error on the page, in page order: the ``messages`` first, then each form's."""
    items: list[Item] = [("", str(message)) for message in messages or ()]
    for each in [form, *(forms or ())]:
        if each is not None and each != "":
            items += _items(each)
    return items
