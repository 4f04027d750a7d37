"""Portfolio reports built by the background worker (``samskap worker``), with progress.

A large portfolio's report takes seconds to lay out; asked for from the portfolio page, it is
built by the worker while the page shows how far it has come, and downloaded when ready. The
direct download (``/rapporter/portefolje.pdf``) stays for scripts and as the fallback the page
offers when no worker has picked the report up.
"""

import datetime
import logging

from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samskap.accounts.access import access_for

from .models import BuildStatus, ReportBuild

logger = logging.getLogger(__name__)

# After this long without a worker, the page offers the direct download.
WAIT_BEFORE_OFFERING_DIRECT = datetime.timedelta(seconds=20)
# A person's finished reports are kept this long (the worker's daily clean-up).
KEPT_FOR = datetime.timedelta(days=7)


def start(*, user, query: dict[str, str], language: str) -> ReportBuild:
    """Store the request and queue it for the worker after the commit."""
    from .tasks import build_portfolio_report

    with transaction.atomic():
        build = ReportBuild.objects.create(user=user, query=query, language=language)
        transaction.on_commit(lambda: build_portfolio_report.enqueue(build.pk))
    return build


def get_for(user, pk: int) -> ReportBuild:
    """One of the user's own builds; anyone else's is as if it did not exist."""
    try:
        return ReportBuild.objects.get(pk=pk, user=user)
    except ReportBuild.DoesNotExist:
        raise Http404 from None


def _progress(pk: int, per_cent: int, step: str) -> None:
    ReportBuild.objects.filter(pk=pk).update(progress=per_cent, step=step)


def run(pk: int) -> str:
    """Build one report (the worker's task): the same context and template as the download,
    as the person who asked, in their language. A build already taken is left alone."""
    from samskap.core.charts import without_phone_copy
    from samskap.core.pdf import render_pdf

    from .views import ReportPeriodForm, portfolio_report_context

    taken = ReportBuild.objects.filter(pk=pk, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, progress=5
    )
    if not taken:
        return "not queued"
    build = ReportBuild.objects.select_related("user").get(pk=pk)
    request = RequestFactory().get("/rapporter/portefolje.pdf", data=build.query)
    request.user = build.user
    request.htmx = False
    try:
        with translation.override(build.language), without_phone_copy():
            _progress(pk, 10, _("Collecting the figures"))
            form = ReportPeriodForm(build.query)
            if not form.is_valid():
                raise ValueError(_("The report period is not valid."))
            context = portfolio_report_context(request, access_for(build.user), form.period())
            _progress(pk, 30, _("Writing the report"))
            pdf = render_pdf(
                "reports/portfolio_report.html",
                context,
                request,
                on_progress=lambda per_cent, step: _progress(pk, per_cent, step),
            )
    except Exception as error:  # the person sees that it failed and why, in words
        logger.exception("Report build %s failed", pk)
        ReportBuild.objects.filter(pk=pk).update(
            status=BuildStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return "failed"
    ReportBuild.objects.filter(pk=pk).update(
        status=BuildStatus.DONE,
        progress=100,
        step="",
        pdf=pdf,
        filename=context["filename"],
        finished_at=timezone.now(),
    )
    return "done"


def clean_up(today: datetime.date) -> str:
    """The worker's daily job: delete report builds asked for more than ``KEPT_FOR`` ago."""
    since = timezone.make_aware(datetime.datetime.combine(today, datetime.time())) - KEPT_FOR
    deleted, _rows = ReportBuild.objects.filter(created_at__lt=since).delete()
    return f"{deleted} old report builds deleted"
