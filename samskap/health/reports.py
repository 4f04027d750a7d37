"""The health-check sections of the PDF reports (see ``samskap.core.extensions``).

Both read ``RoundResult``s from ``queries.results``, whose suppressed figures are already
``None`` (groups under the threshold, and secondary suppression), so the print shows exactly
what the round page shows.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from samskap.core.extensions import ReportPeriod

from . import presentation, queries
from .models import Round, RoundStatus


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


def closing_day(round_: Round, today: datetime.date) -> datetime.date:
    """The day a closed round closed: when it was closed by hand, else its closing date."""
    if round_.closed_at is not None:
        return timezone.localdate(round_.closed_at)
    return round_.closes_on or today


def portfolio_section(initiatives, period: ReportPeriod) -> dict:
    """Per initiative, the latest round that closed in the period, if its dimensions are
    flagged (a fixed number of queries)."""
    today = timezone.localdate()
    candidates = (
        Round.objects.filter(initiative__in=initiatives)
        .filter(Q(status=RoundStatus.CLOSED) | Q(closes_on__lt=today))
        .select_related("municipality", "initiative")
        .order_by("initiative_id", "-number")
    )
    latest: dict[int, Round] = {}
    for round_ in candidates:
        if round_.initiative_id not in latest and period.contains(closing_day(round_, today)):
            latest[round_.initiative_id] = round_
    rows = []
    for result in queries.results(list(latest.values())):
        flagged = result.score.flagged
        if not flagged:
            continue
        rows.append(
            {
                "initiative": result.round.initiative,
                "round": result.round,
                "closed": closing_day(result.round, today),
                "flags": [
                    (
                        result.dimensions[d.dimension].name,
                        presentation.fmt(d.gap),
                        [presentation.FLAG_TEXT[f]() for f in d.flags],
                    )
                    for d in flagged
                ],
            }
        )
    rows.sort(key=lambda row: row["initiative"].title)
    return {"template": "health/report_portfolio.html", "rows": rows, "checked": len(latest)}
