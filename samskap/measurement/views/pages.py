"""Overview (results chain, indicators, surveys), indicator pages and value review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.core.confirm import confirm_first
from samskap.registry.selectors import can_edit, can_steer

from .. import imports, services
from .. import queries as selectors
from ..forms import AdoptForm, ChainItemForm, PeriodForm, PeriodReportForm, ReturnForm, UploadForm
from ..models import Level, Unit
from .common import add_errors, flash_error


def _overview_url(initiative) -> str:
    return redirect("measurement:overview", slug=initiative.slug).url


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug)
    editable = can_edit(access, initiative)
    chain_items = initiative.chain_items.filter(level__in=[Level.OUTPUT, Level.OUTCOME])
    indicators = list(initiative.indicators.select_related("chain_item", "library"))
    context = {
        "initiative": initiative,
        "chain": selectors.chain_of(initiative),
        "chain_actions": [("up", _("Move up")), ("down", _("Move down")), ("delete", _("Delete"))],
        "rows": selectors.indicator_table(indicators),
        "indicators": indicators,
        "surveys": initiative.surveys.all(),
        "can_edit": editable,
        "can_steer": can_steer(access, initiative),
        "pending": selectors.pending_review(initiative),
        "municipality": initiative.municipality
        if initiative.municipality_id in access.staff_municipality_ids
        else None,
        "chain_form": ChainItemForm() if editable else None,
        "adopt_form": AdoptForm(library=selectors.library_for(initiative), chain_items=chain_items)
        if editable
        else None,
    }
    return render(request, "measurement/overview.html", context)


@login_required
@require_POST
def chain_add(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    form = ChainItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.chain_item_add(
                access=access,
                initiative=initiative,
                level=data["level"],
                text=data["text"],
                for_whom=data["for_whom"],
                intended=data["intended"] == "yes",
                valence=data["valence"],
            )
            messages.success(request, _("Added to the results chain."))
        except ValidationError as error:
            flash_error(request, error)
    else:
        messages.error(request, _("Fill in the level and the text."))
    return redirect(_overview_url(initiative) + "#chain")


@login_required
@require_POST
def chain_change(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    item = get_object_or_404(initiative.chain_items, pk=pk)
    if action == "delete":
        confirmation = confirm_first(
            request,
            title=_("Delete from the results chain"),
            question=_("Delete “%(text)s” from the results chain?") % {"text": item.text},
            consequence=_("Indicators that measure it lose the link to it."),
            button=_("Yes, delete it"),
            cancel_url=_overview_url(initiative) + "#chain",
        )
        if confirmation:
            return confirmation
    try:
        if action == "delete":
            services.chain_item_delete(access=access, item=item)
            messages.success(request, _("Deleted from the results chain."))
        else:
            services.chain_item_move(access=access, item=item, up=action == "up")
    except ValidationError as error:
        flash_error(request, error)
    return redirect(_overview_url(initiative) + "#chain")


@login_required
@require_POST
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    form = AdoptForm(
        request.POST,
        library=selectors.library_for(initiative),
        chain_items=initiative.chain_items.filter(level__in=[Level.OUTPUT, Level.OUTCOME]),
    )
    if form.is_valid():
        try:
            indicator = services.indicator_adopt(
                access=access, initiative=initiative, **form.cleaned_data
            )
            messages.success(request, _("Indicator adopted: %(name)s") % {"name": indicator})
        except ValidationError as error:
            flash_error(request, error)
    else:
        messages.error(request, _("Choose an indicator and the output or outcome it measures."))
    return redirect(_overview_url(initiative) + "#indicators")


@login_required
def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug)
    indicator = selectors.get_indicator(initiative, pk)
    editable = can_edit(access, initiative)
    periods = indicator.periods.all()
    period_form = report_form = None
    if editable:
        period_form = PeriodForm(request.POST if "add_period" in request.POST else None)
        report_form = PeriodReportForm(
            request.POST if "report" in request.POST else None,
            periods=periods,
            percentage=indicator.unit == Unit.PERCENTAGE,
            initial={"period": periods.last()},
        )
    if request.method == "POST":
        if not editable:
            return redirect(request.path)
        form = period_form if "add_period" in request.POST else report_form
        if form.is_valid():
            try:
                if form is period_form:
                    services.period_add(access=access, indicator=indicator, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                else:
                    submit = request.POST.get("report") == "submit"
                    saved = services.period_report(
                        access=access,
                        period=form.cleaned_data["period"],
                        entries=form.entries(),
                        measured_on=form.cleaned_data["measured_on"],
                        method=form.cleaned_data["method"],
                        submit=submit,
                    )
                    done = (
                        _("%(count)s values sent for approval.")
                        if submit
                        else _("%(count)s values saved as drafts.")
                    )
                    messages.success(request, done % {"count": len(saved)})
                return redirect(request.path)
            except ValidationError as error:
                add_errors(form, error)
    values = selectors.IndicatorValue.objects.filter(period__indicator=indicator).select_related(
        "period", "reported_by", "reviewed_by"
    )
    context = {
        "initiative": initiative,
        "indicator": indicator,
        "rows": selectors.indicator_table([indicator]),
        "values": values,
        "periods": periods,
        "can_edit": editable,
        "can_steer": can_steer(access, initiative),
        "period_form": period_form,
        "report_form": report_form,
        "four_eyes": services.four_eyes_wanted(initiative),
        "user_id": request.user.pk,
        "return_form": ReturnForm(),
    }
    return render(request, "measurement/indicator_detail.html", context)


@login_required
@require_POST
def value_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug)
    value = selectors.get_value(initiative, pk)
    try:
        if action == "submit":
            services.value_submit(access=access, value=value)
        elif action == "approve":
            services.value_approve(access=access, value=value)
        else:
            services.value_return(
                access=access, value=value, comment=request.POST.get("comment", "")
            )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        flash_error(request, error)
    return redirect("measurement:indicator", slug=slug, pk=value.period.indicator_id)


@login_required
def values_import(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative = selectors.measurement_initiative(access, slug, "edit")
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and "submit_drafts" in request.POST:
        count = services.values_submit_drafts(access=access, initiative=initiative)
        messages.success(request, _("%(count)s values submitted for approval.") % {"count": count})
        return redirect(_overview_url(initiative) + "#indicators")
    if request.method == "POST" and form.is_valid():
        report = imports.import_indicator_values(
            access=access, initiative=initiative, source=form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(
                request, _("%(count)s values imported as drafts.") % {"count": report.created}
            )
    context = {
        "initiative": initiative,
        "form": form,
        "report": report,
        "indicators": initiative.indicators.all(),
        "columns": imports.value_columns(),
    }
    return render(request, "measurement/values_import.html", context)


@login_required
def import_template(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    """A template for the survey-answer ("svar") or indicator-value ("verdier") import."""
    from samskap.core import import_templates

    selectors.measurement_initiative(access_for(request.user), slug, "edit")
    columns = {"svar": imports.answer_columns, "verdier": imports.value_columns}.get(what)
    if columns is None or fmt not in ("csv", "xlsx"):
        raise Http404
    headings = (_("Columns"), _("Column"), _("Code"), _("Meaning"), _("Required"))
    return import_templates.response(columns(), fmt, f"mal-{what}", headings)
