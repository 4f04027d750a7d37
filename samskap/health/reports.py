"""The health-check sections of the PDF reports (see ``samskap.core.extensions``).

Both read ``RoundResult``s from ``queries.results``, whose suppressed figures are already
``None`` (groups under the threshold, and secondary suppression), so the print shows exactly
what the round page shows.
"""

from django.utils import timezone

from samskap.core.extensions import ReportPeriod

from . import presentation, queries


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
    }


def portfolio_section(initiatives, period: ReportPeriod) -> dict:
    """Per initiative, the latest round that closed in the period, if its dimensions are
    flagged (a fixed number of queries)."""
    latest = queries.latest_results(initiatives, timezone.localdate(), period)
    rows = presentation.flagged_rows(latest, timezone.localdate())
    return {"template": "health/report_portfolio.html", "rows": rows, "checked": len(latest)}
