"""Editing an adopted indicator and its periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samskap.accounts.access import access_for

from .. import indicator_edits
from .. import queries as selectors
from ..forms import IndicatorForm, PeriodForm, disaggregations_text
from ..models import Level
from .common import add_errors


@login_required
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    indicator = selectors.get_indicator(initiative, pk)
    initial = {name: getattr(indicator, name) for name in indicator_edits.EDITABLE_FIELDS}
    initial["disaggregations"] = disaggregations_text(indicator.disaggregations or {})
    initial["version"] = indicator.version
    chain_items = initiative.chain_items.filter(level__in=[Level.OUTPUT, Level.OUTCOME])
    form = IndicatorForm(request.POST or None, initial=initial, chain_items=chain_items)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            indicator_edits.indicator_update(
                access=access,
                indicator=indicator,
                expected_version=data.pop("version"),
                **data,
            )
            messages.success(request, _("The indicator is saved."))
            return redirect("measurement:indicator", slug=slug, pk=pk)
        except ValidationError as error:
            add_errors(form, error)
    heading = _("Edit indicator: %(name)s") % {"name": indicator.name}
    return render(
        request,
        "measurement/indicator_form.html",
        {"initiative": initiative, "indicator": indicator, "form": form, "heading": heading},
    )


@login_required
def period_edit(request: HttpRequest, slug: str, pk: int, period: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    indicator = selectors.get_indicator(initiative, pk)
    found = get_object_or_404(indicator.periods, pk=period)
    initial = {"label": found.label, "start": found.start, "end": found.end}
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_edits.period_update(access=access, period=found, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("measurement:indicator", slug=slug, pk=pk)
        except ValidationError as error:
            add_errors(form, error)
    heading = _("Edit period %(label)s: %(name)s") % {"label": found.label, "name": indicator}
    return render(
        request,
        "measurement/indicator_form.html",
        {"initiative": initiative, "indicator": indicator, "form": form, "heading": heading},
    )
