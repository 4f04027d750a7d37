"""Reports, exports, imports and open data."""

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samskap.accounts.access import ANONYMOUS, access_for
from samskap.core import import_templates, uploads
from samskap.core.charts import without_phone_copy
from samskap.core.extensions import (
    ReportPeriod,
    initiative_report_sections,
    portfolio_report_sections,
)
from samskap.core.pdf import pdf_response
from samskap.core.tabular import TableError, read_table
from samskap.registry import selectors
from samskap.registry.public import PUBLIC_FIELDS, PUBLISHED_RESULTS_FIELDS, public_only
from samskap.registry.views.work import portfolio_context

from . import builds, exchange
from .models import BuildStatus

FORMATS = ("csv", "xlsx")


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every public initiative, for anyone: JSON or CSV (licence: NLOD 2.0, see docs)."""
    if fmt not in ("json", "csv"):
        raise Http404
    initiatives = exchange.visible_initiatives(ANONYMOUS)
    rows = exchange.initiative_rows(initiatives, request.build_absolute_uri("/")[:-1])
    rows = [public_only(row) for row in rows]  # the public fields only (registry/public.py)
    # Plus what the municipality decided to publish (valuation.publication): public by that
    # decision, and empty for every other initiative.
    exchange.add_published_results(rows, initiatives)
    if fmt == "json":
        response = JsonResponse(
            {
                "licence": "https://data.norge.no/nlod/no/2.0",
                "generated": timezone.now().isoformat(),
                "count": len(rows),
                "initiatives": rows,
            },
            json_dumps_params={"ensure_ascii": False},
        )
        response["Content-Disposition"] = 'inline; filename="initiativ.json"'
        return response
    columns = [c for c in exchange.INITIATIVE_COLUMNS if c in PUBLIC_FIELDS]
    columns += [c for c in exchange.PUBLISHED_COLUMNS if c in PUBLISHED_RESULTS_FIELDS]
    return exchange.table_response(rows, columns, "csv", "initiativ")


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    return render(
        request,
        "reports/hub.html",
        {
            "can_import": access.is_manager,
            "municipalities": selectors.portfolio_municipalities(access),
        },
    )


@login_required
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    access = access_for(request.user)
    if what == "initiativ":
        rows = exchange.initiative_rows(exchange.visible_initiatives(access))
        columns = exchange.INITIATIVE_COLUMNS
    elif what == "partnere":
        rows = exchange.partner_rows(exchange.visible_participations(access))
        columns = exchange.PARTNER_COLUMNS
    else:
        raise Http404
    rows, columns = exchange.with_labels(rows, columns)
    return exchange.table_response(rows, columns, fmt, what)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An .xlsx or .csv file with a header row, at most 5 MB."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=None, required=False
    )

    def __init__(self, *args, municipalities, columns, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].initial = municipalities.first()
        self.columns = columns

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # A header may be the column's code or its name in any of Samskap's languages.
            return read_table(upload, uploads.TABLE, import_templates.aliases(self.columns))
        except TableError as error:
            raise forms.ValidationError(str(error)) from error


@login_required
def import_view(request: HttpRequest, what: str) -> HttpResponse:
    access = access_for(request.user)
    if what not in exchange.IMPORT_COLUMNS:
        raise Http404
    if not access.is_manager:
        raise PermissionDenied(_("Imports are for coordinators and administrators."))
    municipalities = selectors.portfolio_municipalities(access)
    columns = exchange.IMPORT_COLUMNS[what]()
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        municipalities=municipalities,
        columns=columns,
    )
    if what == "partnere":
        del form.fields["municipality"]  # partners are added to initiatives the user steers
    report = None
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["file"]
        if what == "initiativ":
            municipality = form.cleaned_data["municipality"] or municipalities.first()
            report = exchange.import_initiatives(table, access, municipality)
        else:
            report = exchange.import_partners(table, access)
    context = {"form": form, "report": report, "what": what, "columns": columns}
    return render(
        request, "reports/import.html", context, status=400 if report and not report.ok else 200
    )


@login_required
def import_template(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    """The template of an import (CSV or Excel): headers in the reader's language, an example
    row, and in Excel a sheet explaining each column; formula-safe like every export."""
    if what not in exchange.IMPORT_COLUMNS or fmt not in ("csv", "xlsx"):
        raise Http404
    if not access_for(request.user).is_manager:
        raise PermissionDenied(_("Imports are for coordinators and administrators."))
    headings = (_("Columns"), _("Column"), _("Code"), _("Meaning"), _("Required"))
    columns = exchange.IMPORT_COLUMNS[what]()
    return import_templates.response(columns, fmt, f"mal-{what}", headings)


@without_phone_copy()  # a PDF's charts need no copy for phones (core.charts)
@login_required
def initiative_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative report for leaders and politicians, as PDF (insiders only)."""
    access = access_for(request.user)
    initiative = selectors.get_initiative_for(access, slug)
    if not selectors.can_see_internal(access, initiative):
        raise PermissionDenied(_("The report is for those who take part in the initiative."))
    context = {
        "initiative": initiative,
        "municipality": initiative.municipality,
        "logo": logo_data_uri(initiative.municipality),
        "sectors": initiative.sectors.all(),
        "participations": selectors.participations_of(initiative),
        "stories": selectors.visible_stories(access, initiative),
        "history": initiative.stage_changes.all(),
        "sections": initiative_report_sections(request, initiative, access),
        "today": timezone.localdate(),
    }
    # The modules' key figures with their bands, on the first page (core/extensions.py).
    context["key_figures"] = [f for s in context["sections"] for f in s.key_figures]
    return pdf_response(request, "reports/initiative_report.html", context, f"{slug}.pdf")


class ReportPeriodForm(forms.Form):
    """The period a portfolio report covers (either end may be left open)."""

    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def period(self) -> ReportPeriod:
        return ReportPeriod(self.cleaned_data.get("start"), self.cleaned_data.get("end"))


def portfolio_report_context(request: HttpRequest, access, period: ReportPeriod) -> dict:
    """Everything the portfolio report prints (the page's filters are in ``request.GET``);
    shared by the download and the report the worker builds (``reports.builds``)."""
    context = portfolio_context(request, access)
    context["period"] = period
    context["sections"] = portfolio_report_sections(request, access, context["initiatives"], period)
    context["stage_changes"] = selectors.stage_changes_in(context["initiatives"], period)
    context["stories"] = selectors.stories_in(context["initiatives"], period)
    context["logo"] = logo_data_uri(context["municipality"])
    name = "-".join(m.slug for m in context["selected"])[:60]
    context["filename"] = f"portefolje-{name}.pdf"
    return context


@without_phone_copy()  # a PDF's charts need no copy for phones (core.charts)
@login_required
def portfolio_report(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    period_form = ReportPeriodForm(request.GET)
    if not period_form.is_valid():
        context = portfolio_context(request, access)
        context["period_form"] = period_form
        return render(request, "reports/period_invalid.html", context, status=400)
    context = portfolio_report_context(request, access, period_form.period())
    return pdf_response(request, "reports/portfolio_report.html", context, context["filename"])


@login_required
@require_POST
def portfolio_report_build(request: HttpRequest) -> HttpResponse:
    """Ask the background worker for the portfolio report (the page's filters and period, as
    the download takes them); then its page shows how far it has come."""
    access = access_for(request.user)
    query = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    period_form = ReportPeriodForm(query)
    request.GET = QueryDict(urlencode(query))
    if not period_form.is_valid():
        context = portfolio_context(request, access)
        context["period_form"] = period_form
        return render(request, "reports/period_invalid.html", context, status=400)
    portfolio_context(request, access)  # the same permission and municipality checks
    build = builds.start(user=request.user, query=query, language=translation.get_language())
    return redirect("reports:build", pk=build.pk)


@login_required
def report_build(request: HttpRequest, pk: int) -> HttpResponse:
    """How far the worker has come with one of the user's reports (htmx polls the status)."""
    build = builds.get_for(request.user, pk)
    context = {
        "build": build,
        "direct_url": reverse("reports:portfolio_report") + "?" + urlencode(build.query),
        "waiting_long": build.status == BuildStatus.QUEUED
        and timezone.now() - build.created_at > builds.WAIT_BEFORE_OFFERING_DIRECT,
    }
    template = "reports/build.html#status" if request.htmx else "reports/build.html"
    return render(request, template, context)


@login_required
def report_build_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    build = builds.get_for(request.user, pk)
    if build.status != BuildStatus.DONE:
        raise Http404
    response = HttpResponse(bytes(build.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
    return response


def logo_data_uri(municipality) -> str:
    """The municipality's logo inlined for the PDF cover (no file or network access there)."""
    if municipality is None or not municipality.logo:
        return ""
    try:
        with municipality.logo.open("rb") as logo:
            data = logo.read()
    except OSError:
        return ""
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()
