"""The results page's charts, drawn with matplotlib and made accessible by ``core.charts``.

Each chart has a table with the same figures next to it on the page (``results.html``)."""

from __future__ import annotations

import textwrap

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from samskap.core import numbers
from samskap.core.charts import new_figure, svg

from .engine import ValueResult


def stakeholder_years(result: ValueResult) -> tuple[list[int], list[dict]]:
    """The years after the start, and per stakeholder (by name) the undiscounted value of each
    of those years: the figures of the chart below and of the table beside it."""
    stakeholders = sorted({o.outcome.stakeholder for o in result.outcomes})
    years = [row["year"] for row in result.by_year if row["year"] > 0]
    grid = [
        {
            "stakeholder": name,
            "values": [
                sum(
                    y.value
                    for o in result.outcomes
                    if o.outcome.stakeholder == name
                    for y in o.years
                    if y.year == t
                )
                for t in years
            ],
        }
        for name in stakeholders
    ]
    return years, grid


def value_by_stakeholder_and_year(result: ValueResult) -> SafeString:
    """Stacked bars: the undiscounted value of each year, split by stakeholder."""
    years, grid = stakeholder_years(result)
    fig = new_figure()
    ax = fig.add_subplot()
    bottom = [0.0] * len(years)
    for row in grid:
        ax.bar(years, row["values"], bottom=bottom, label=row["stakeholder"])
        bottom = [b + v for b, v in zip(bottom, row["values"], strict=True)]
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(result.value_map.currency)
    ax.set_xticks(years)
    if grid:
        ax.legend(fontsize="small")
    return svg(
        fig,
        _("Value by stakeholder and year"),
        _(
            "Stacked bars of the undiscounted value of each year, by stakeholder; "
            "the table below has the figures."
        ),
    )


def ratio_distribution(result: ValueResult) -> SafeString | None:
    u = result.uncertainty
    if u is None:
        return None
    edges, counts = u.ratio_histogram
    fig = new_figure()
    ax = fig.add_subplot()
    widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
    ax.bar(edges[:-1], counts, width=widths, align="edge", color="#4a6fa5", edgecolor="white")
    ax.axvline(1.0, color="#b00020", linestyle="--", label=_("Ratio 1"))
    ax.axvspan(
        u.ratio_percentiles[5],
        u.ratio_percentiles[95],
        color="#999999",
        alpha=0.2,
        label=_("5-95 % band"),
    )
    ax.set_xlabel(_("SROI ratio"))
    ax.set_ylabel(_("Draws"))
    ax.legend(fontsize="small")
    return svg(
        fig,
        _("Distribution of the SROI ratio"),
        _(
            "Histogram of %(draws)s Monte Carlo draws; 5th percentile %(p5)s, median %(p50)s, "
            "95th percentile %(p95)s."
        )
        % {
            "draws": numbers.integer(u.draws),
            "p5": numbers.ratio(u.ratio_percentiles[5]),
            "p50": numbers.ratio(u.ratio_percentiles[50]),
            "p95": numbers.ratio(u.ratio_percentiles[95]),
        },
    )


def axis_label(text: str, width: int = 28, lines: int = 2) -> str:
    """A chart label wrapped at word boundaries, at most ``lines`` lines: never cut mid-word
    ("(Eldre" was). A longer text ends with "…" after a whole word; the table under the chart
    has the full text."""
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    kept[-1] = textwrap.shorten(kept[-1] + " " + wrapped[lines], width=width, placeholder=" …")
    return "\n".join(kept)


def tornado(result: ValueResult, names: list[str]) -> SafeString | None:
    """The widest bars of the tornado; ``names`` are their labels, in the same order."""
    bars = result.tornado[: len(names)]
    if not bars:
        return None
    fig = new_figure(height=max(2.0, 0.55 * len(bars) + 1))
    ax = fig.add_subplot()
    centre = result.sroi_ratio
    labels = [axis_label(name) for name in reversed(names)]
    for i, bar in enumerate(reversed(bars)):
        low, high = sorted((bar.ratio_at_low, bar.ratio_at_high))
        ax.barh(i, high - low, left=low, color="#4a6fa5")
    ax.axvline(centre, color="black", linewidth=1)
    ax.axvline(1.0, color="#b00020", linestyle="--")
    ax.set_yticks(range(len(labels)), labels, fontsize="small")
    ax.set_xlabel(_("SROI ratio"))
    return svg(
        fig,
        _("Tornado: which assumptions matter most"),
        _(
            "Each bar spans the ratio with one assumption at its low and high value, "
            "the others central."
        ),
    )
