"""The health-check sections of the PDF reports (see ``samskap.core.extensions``).

Both read ``RoundResult``s from ``queries.results``, whose suppressed figures are already
``None`` (groups under the threshold, and secondary suppression), so the print shows exactly
what the round page shows.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.core import numbers
from samskap.core.extensions import KeyFigure, ReportPeriod

from . import presentation, queries, scoring


def initiative_section(initiative) -> dict:
    results = queries.results(queries.closed_rounds(initiative, timezone.localdate()))
    context: dict = {"template": "health/report_initiative.html", "latest": None}
    if not results:
        return context
    latest = results[-1]
    return context | {
        "latest": latest,
        "summary": presentation.summary(latest),
        "chart": presentation.round_chart(latest),
        "dimension_rows": presentation.dimension_rows(latest),
        "party_names": [presentation.party_name(p) for p in latest.score.parties],
        "all_name": presentation.party_name("all"),
        "too_few": presentation.too_few(latest.score.threshold),
        "results": results,
        "trend_rows": presentation.trend_rows(results),
        "key_figures": key_figures(latest),
    }


def key_figures(latest) -> list[KeyFigure]:
    """The first page's health-check figures from the latest closed round: everyone's mean
    agreement per dimension where it may be shown (a suppressed cell's mean is ``None``), and
    how many dimensions are flagged."""
    score = latest.score
    figures = []
    for dimension in score.dimensions:
        cell = dimension.cells.get(scoring.ALL)
        if cell is None or cell.mean is None:
            continue
        label = _("Partnership health, %(dimension)s: mean agreement") % {
            "dimension": latest.dimensions[dimension.dimension].name
        }
        figures.append(KeyFigure(label, cell.mean, digits=1, unit=_("of 5")))
    if figures:
        figures.append(
            KeyFigure(
                _("Health-check dimensions flagged"),
                len(score.flagged),
                unit=_("of %(n)s") % {"n": numbers.integer(len(score.dimensions))},
            )
        )
    return figures


def portfolio_section(initiatives, period: ReportPeriod) -> dict:
    """Per initiative, the latest round that closed in the period, if its dimensions are
    flagged (a fixed number of queries)."""
    latest = queries.latest_results(initiatives, timezone.localdate(), period)
    rows = presentation.flagged_rows(latest, timezone.localdate())
    return {"template": "health/report_portfolio.html", "rows": rows, "checked": len(latest)}
