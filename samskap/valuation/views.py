"""Pages of the value map: the map, its editing forms, the results, exports and the proxy library.

Thin views: ``selectors.get_initiative_and_map`` (404/403) -> form -> service -> redirect."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskap.accounts.access import access_for
from samskap.core import uploads
from samskap.core.charts import without_phone_copy
from samskap.core.coded_texts import translated
from samskap.core.confirm import confirm_first
from samskap.core.params import whole_number
from samskap.core.pdf import pdf_response
from samskap.registry.selectors import can_edit

from . import excel, labels, selectors, services
from .files import load
from .forms import ImportForm, InputForm, OutcomeForm, ProxyForm, ValueMapForm
from .models import Proxy
from .results import results_context
from .valuemap import ValueMapError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _map_url(slug: str) -> str:
    return reverse("valuation:map", args=[slug])


def _map_or_404(access, slug: str, action: str = "view"):
    initiative, value_map = selectors.get_initiative_and_map(access, slug, action)
    if value_map is None:
        raise Http404
    return initiative, value_map


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def value_map(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = selectors.get_initiative_and_map(access, slug)
    context = {
        "initiative": initiative,
        "value_map": vmap,
        "can_edit": can_edit(access, initiative),
        "summary": vmap.summary if vmap else None,
        "convention": translated(selectors.convention_of(vmap)) if vmap else "",
    }
    return render(request, "valuation/map.html", context)


@login_required
@require_POST
def value_map_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, _vmap = selectors.get_initiative_and_map(access, slug, "edit")
    try:
        services.value_map_create(access=access, initiative=initiative)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_map_url(slug))


@login_required
def value_map_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug, "edit")
    form = ValueMapForm(
        request.POST or None,
        request.FILES or None,
        instance=vmap,
        initial={"expected_version": vmap.version},
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["expected_version"]
        try:
            services.value_map_update(
                access=access, value_map=vmap, expected_version=version, **form.changes()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(_map_url(slug))
    heading = _("Value map settings")
    context = {"initiative": initiative, "form": form, "heading": heading}
    return render(request, "valuation/form.html", context)


def _row_edit(request: HttpRequest, slug: str, pk: int | None, kind: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug, "edit")
    rows = vmap.inputs if kind == "input" else vmap.outcomes
    item = get_object_or_404(rows, pk=pk) if pk else None
    form_class, save = (
        (InputForm, services.input_save)
        if kind == "input"
        else (OutcomeForm, services.outcome_save)
    )
    form = form_class(
        request.POST or None, instance=item, initial={"expected_version": vmap.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("expected_version")
        try:
            save(access=access, value_map=vmap, expected_version=version, item=item, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(_map_url(slug))
    if kind == "input":
        heading = _("Change input") if item else _("Add input")
    else:
        heading = _("Change outcome") if item else _("Add outcome")
    context = {"initiative": initiative, "form": form, "heading": heading}
    return render(request, "valuation/form.html", context)


@login_required
def input_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    return _row_edit(request, slug, pk, "input")


@login_required
def outcome_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    return _row_edit(request, slug, pk, "outcome")


@login_required
@require_POST
def row_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access = access_for(request.user)
    _initiative, vmap = _map_or_404(access, slug, "edit")
    rows = {"innsats": vmap.inputs, "utfall": vmap.outcomes}.get(kind)
    if rows is None:
        raise Http404
    item = get_object_or_404(rows, pk=pk)
    label = getattr(item, "outcome", "") or getattr(item, "description", "") or item.stakeholder
    confirmation = confirm_first(
        request,
        title=_("Delete a row of the value map"),
        question=_("Delete “%(row)s” (%(stakeholder)s) from the value map?")
        % {"row": label, "stakeholder": item.stakeholder},
        consequence=_("The map's results change; the row stays in the map's history."),
        button=_("Yes, delete the row"),
        cancel_url=_map_url(slug),
    )
    if confirmation:
        return confirmation
    try:
        version = whole_number(request.POST.get("expected_version", ""))
        if version is None:
            raise ValueError
        services.row_delete(access=access, value_map=vmap, expected_version=version, item=item)
        messages.success(request, _("The row was deleted."))
    except ValueError:
        messages.error(request, _("The form lacked the map's version; reload and try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_map_url(slug))


@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug)
    view = "cba" if request.GET.get("view") == "cba" else "sroi"
    context = results_context(initiative, vmap, view)
    context["can_review_links"] = can_edit(access, initiative)
    return render(request, "valuation/results.html", context)


@login_required
@require_POST
def links_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    """Record the linked numbers' current values as reviewed (a later change flags them)."""
    access = access_for(request.user)
    _initiative, vmap = selectors.get_initiative_and_map(access, slug, "edit")
    if vmap is None:
        raise Http404
    count = services.links_mark_reviewed(access=access, value_map=vmap)
    messages.success(request, _("%(count)s linked numbers marked reviewed.") % {"count": count})
    return redirect("valuation:results", slug=slug)


@login_required
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    _initiative, vmap = _map_or_404(access, slug)
    try:
        sroi, cba, why = selectors.compute_both(vmap)
        content = excel.results_bytes(sroi, cba, str(why))
    except ValueMapError as error:
        messages.error(request, " ".join(translated(message) for _place, message in error.problems))
        return redirect(_map_url(slug))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="verdikart-{slugify(slug)}.xlsx"'
    return response


@without_phone_copy()  # a PDF's charts need no copy for phones (core.charts)
@login_required
def export_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug)
    context = results_context(initiative, vmap)
    return pdf_response(request, "valuation/report_pdf.html", context, f"verdikart-{slug}.pdf")


def _load_outcome(path: Path, aliases: dict[str, str]) -> tuple[str, object]:
    try:
        return "map", load(path, aliases)
    except ValueMapError as error:
        return "problems", error.problems


def _load_upload(upload, path: Path):
    """The uploaded value map through the upload gate: size, an .xlsx archive inspected, and
    the parsing (Excel, YAML or JSON) done within the time and memory budget."""
    limits = uploads.VALUE_MAP
    data = uploads.read_bytes(upload, limits)
    if path.suffix == ".xlsx":
        uploads.inspect_xlsx(data, limits)
    path.write_bytes(data)
    # A workbook may be headed in any of Samskap's languages (the template is in the reader's).
    aliases = labels.workbook_aliases()
    kind, value = uploads.run_bounded(_load_outcome, path, aliases, limits=limits)
    if kind == "problems":
        raise ValueMapError(value)
    return value


@login_required
def import_file(request: HttpRequest, slug: str) -> HttpResponse:
    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug, "edit")
    form = ImportForm(request.POST or None, request.FILES or None)
    form.initial["expected_version"] = vmap.version
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            try:
                source = _load_upload(upload, path)
                services.value_map_import(
                    access=access,
                    value_map=vmap,
                    expected_version=form.cleaned_data["expected_version"],
                    source=source,
                )
            except ValueMapError as error:
                problems = error.problems
            except uploads.UploadError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The value map was replaced by the file's."))
                return redirect(_map_url(slug))
    context = {"initiative": initiative, "form": form, "problems": problems}
    return render(request, "valuation/import.html", context)


def template_download(request: HttpRequest) -> HttpResponse:
    content = excel.template_bytes(headers=labels.workbook_headers())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="verdikart-mal.xlsx"'
    return response


@login_required
def proxy_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    context = {
        "proxies": Proxy.objects.all(),
        "can_add": bool(access.manager_municipality_ids),
    }
    return render(request, "valuation/proxies.html", context)


@login_required
def proxy_create(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.manager_municipality_ids:
        raise PermissionDenied(_("Only coordinators and administrators can add proxies."))
    form = ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_create(access=access, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("valuation:proxies")
    context = {"form": form, "heading": _("Add a financial proxy")}
    return render(request, "valuation/form.html", context)


@login_required
def contributor_inputs(request: HttpRequest) -> HttpResponse:
    """The inputs behind one row of the portfolio's "inputs by contributor": the value maps of
    the initiatives in the user's portfolio (after the same filters), for coordinators."""
    from samskap.registry.views.work import portfolio_context

    from .reports import inputs_of

    access = access_for(request.user)
    portfolio = portfolio_context(request, access)  # 403 for others, 404 for a foreign filter
    stakeholder = request.GET.get("stakeholder", "")
    rows = (
        inputs_of(portfolio["initiatives"])
        .filter(stakeholder=stakeholder)
        .select_related("value_map__initiative")
        .order_by("value_map__initiative__title", "year", "pk")
    )
    context = {"stakeholder": stakeholder, "rows": rows, "filters": portfolio["filters"]}
    return render(request, "valuation/contributor_inputs.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (``publish=1``) or withdraw an initiative's results on its public page."""
    from samskap.registry.selectors import get_initiative_for

    from .publication import can_publish, results_publish

    access = access_for(request.user)
    initiative = get_initiative_for(access, slug, "view")
    if not can_publish(access, initiative):
        raise PermissionDenied(_("Only the municipality's coordinators can publish results."))
    chosen = request.POST.get("publish") == "1"
    if chosen:
        wording = {
            "title": _("Publish the results"),
            "question": _("Publish the measured results of “%(title)s” on its public page?"),
            "consequence": _(
                "Anyone can then read them, on the public page and in the open data, and "
                "other municipalities may pool them. No figure about fewer people than the "
                "privacy threshold is shown. You can stop publishing later."
            ),
            "button": _("Yes, publish"),
        }
    else:
        wording = {
            "title": _("Stop publishing the results"),
            "question": _("Stop publishing the measured results of “%(title)s”?"),
            "consequence": _(
                "The public page and the open data no longer show them. You can publish "
                "them again later."
            ),
            "button": _("Yes, stop publishing"),
        }
    wording["question"] %= {"title": initiative.title}
    confirmation = confirm_first(request, **wording, cancel_url=initiative.get_absolute_url())
    if confirmation:
        return confirmation
    results_publish(access=access, initiative=initiative, publish=chosen)
    messages.success(
        request,
        _("The results are published.") if chosen else _("The results are no longer published."),
    )
    return redirect(initiative.get_absolute_url())


@login_required
def link_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Link an outcome's quantity (or life-satisfaction change) to a measurement."""
    from .forms import LinkForm

    access = access_for(request.user)
    initiative, vmap = _map_or_404(access, slug, "edit")
    outcome = get_object_or_404(vmap.outcomes, pk=pk)
    form = LinkForm(
        request.POST or None, initiative=initiative, initial={"expected_version": vmap.version}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("expected_version")
        try:
            services.link_set(
                access=access, value_map=vmap, expected_version=version, outcome=outcome, **data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The number is linked to the measurement."))
            return redirect("valuation:results", slug=slug)
    heading = _("Link “%(outcome)s” to a measurement") % {"outcome": outcome.outcome}
    context = {"initiative": initiative, "form": form, "heading": heading}
    return render(request, "valuation/form.html", context)
