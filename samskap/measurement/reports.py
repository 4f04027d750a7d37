"""The measurement sections of the PDF reports (see ``samskap.core.extensions``).

The initiative section shows what the web pages show, laid out for print: the results chain,
the indicator table (``queries.indicator_table``) and each survey's paired results
(``results.survey_results``, with the same privacy suppression as the results page). The
portfolio section counts indicators on and behind target per initiative, from the values of
periods that overlap the report's period (one query whatever the portfolio's size).
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from samskap.core import numbers
from samskap.core.extensions import KeyFigure, ReportPeriod

from . import queries, results
from .models import IndicatorValue, ValueKind


def initiative_section(initiative) -> dict:
    indicators = list(initiative.indicators.select_related("chain_item", "library"))
    surveys = []
    for survey in initiative.surveys.all():
        found = results.survey_results(survey)
        if found:
            surveys.append(
                {"survey": survey, "results": found, "chart": results.change_chart(found)}
            )
    instruments = {}
    for indicator in indicators:
        if indicator.library_id:
            instruments[indicator.library_id] = indicator.library
    for entry in surveys:
        for row in entry["results"]:
            instruments[row.item.library_id] = row.item.library
    sources = [
        _("%(name)s: %(source)s. Licence: %(licence)s")
        % {"name": lib.text("name"), "source": lib.source, "licence": lib.licence}
        for lib in sorted(instruments.values(), key=lambda lib: lib.text("name"))
    ]
    rows = queries.indicator_table(indicators)
    return {
        "template": "measurement/report_initiative.html",
        "initiative": initiative,
        "chain": queries.chain_of(initiative),
        "rows": rows,
        "surveys": surveys,
        "sources": sources,
        "key_figures": key_figures(rows, surveys),
    }


def key_figures(rows: list[dict], surveys: list[dict]) -> list[KeyFigure]:
    """The first page's measurement figures: how many indicators have reached their target in
    their latest period with values (as the portfolio report counts them), each indicator's
    progress there, and each participant outcome's change (the mean with its 95 % interval;
    the median below 10 pairs, as the summary sentence says). An outcome suppressed for
    privacy (fewer people than the threshold) gives no figure."""
    latest: dict[int, dict] = {}
    for row in rows:  # each indicator's periods in date order: the last with progress wins
        if row["progress"] is not None:
            latest[row["indicator"].pk] = row
    figures = []
    if latest:
        reached = sum(1 for row in latest.values() if row["on_track"])
        figures.append(
            KeyFigure(
                _("Indicators at target (latest period)"),
                reached,
                unit=_("of %(n)s") % {"n": numbers.integer(len(latest))},
            )
        )
    for row in latest.values():
        label = _("%(indicator)s (%(period)s): progress to target") % {
            "indicator": row["indicator"].name,
            "period": row["period"].label,
        }
        figures.append(KeyFigure(label, row["progress"], kind="percent"))
    for entry in surveys:
        for row in entry["results"]:
            result, name = row.result, row.item.library.text("name")
            if result.suppressed or result.mean_change is None:
                continue
            low = high = None
            if result.small_sample:
                label = _("%(measure)s: median change (%(n)s pairs)")
                value = result.median_change
            else:
                label = _("%(measure)s: mean change (%(n)s pairs)")
                value = result.mean_change
                if result.ci95:
                    low, high = result.ci95
            figures.append(
                KeyFigure(
                    label % {"measure": name, "n": numbers.integer(result.n)},
                    value,
                    low,
                    high,
                    _("95 % CI") if low is not None else "",
                    2,
                    _("points"),
                    "signed",
                )
            )
    return figures


def portfolio_section(initiatives, period: ReportPeriod) -> dict | None:
    """Per initiative: indicators on and behind target in their latest period that overlaps
    the report period and has values; the indicators behind are named."""
    rows = (
        IndicatorValue.objects.filter(
            period__indicator__initiative__in=initiatives,
            dimension="",
        )
        .filter(period.q("period__start", "period__end"))
        .order_by("period__indicator_id", "period__start", "period_id")
        .values_list(
            "period__indicator__initiative_id",
            "period__indicator__initiative__title",
            "period__indicator_id",
            "period__indicator__name",
            "period_id",
            "period__label",
            "kind",
            "value",
        )
    )
    latest: dict[int, dict] = {}
    titles: dict[int, str] = {}
    for initiative_id, title, indicator_id, name, period_id, label, kind, value in rows:
        titles[initiative_id] = title
        current = latest.get(indicator_id)
        if current is None or current["period_id"] != period_id:
            latest[indicator_id] = current = {
                "initiative_id": initiative_id,
                "name": name,
                "period_id": period_id,
                "label": label,
                "values": {},
            }
        current["values"][kind] = value
    per_initiative: dict[int, dict] = defaultdict(
        lambda: {"on_target": 0, "behind": [], "unknown": 0}
    )
    for entry in latest.values():
        found = entry["values"]
        share = queries.progress(
            found.get(ValueKind.BASELINE), found.get(ValueKind.TARGET), found.get(ValueKind.ACTUAL)
        )
        row = per_initiative[entry["initiative_id"]]
        if share is None:
            row["unknown"] += 1
        elif share >= 1:
            row["on_target"] += 1
        else:
            row["behind"].append(
                {"name": entry["name"], "period": entry["label"], "progress": share}
            )
    table = []
    for initiative_id, row in per_initiative.items():
        row["behind"].sort(key=lambda b: b["progress"])
        table.append({"title": titles[initiative_id], **row})
    table.sort(key=lambda r: r["title"])
    return {
        "template": "measurement/report_portfolio.html",
        "rows": table,
        "on_target": sum(r["on_target"] for r in table),
        "behind": sum(len(r["behind"]) for r in table),
        "period": period,
    }
