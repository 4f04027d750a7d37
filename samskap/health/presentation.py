"""What the results pages show: plain-language summary, charts and table rows.

Everything here reads a ``RoundResult`` whose suppressed figures are already ``None``; nothing
here can bring a hidden figure back.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from samskap.core import charts, numbers
from samskap.core.coded_texts import sentence

from . import scoring
from .models import Party
from .queries import RoundResult

COLOURS = {  # Okabe–Ito palette: distinguishable with common colour-vision deficiencies
    scoring.MUNICIPALITY: "#0072B2",
    scoring.PARTNER: "#D55E00",
    scoring.PARTICIPANTS: "#009E73",
}
HATCHES = {scoring.MUNICIPALITY: "", scoring.PARTNER: "//", scoring.PARTICIPANTS: ".."}
AGREE = 0.5  # a difference below this is "agree" in the summary


def fmt(value: float | None) -> str:
    return "–" if value is None else numbers.decimal(value, 1)


def fmt_signed(value: float | None) -> str:
    """A gap or a change: with its sign, never "−0,0"."""
    return "–" if value is None else numbers.signed(value, 1)


def party_name(party: str) -> str:
    if party == scoring.ALL:
        return _("All respondents")
    return str(Party(party).label)


def too_few(threshold: int) -> str:
    return _("Too few answers to show (fewer than %(n)s)") % {"n": threshold}


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return str(format_lazy(_("{} and {}"), ", ".join(names[:-1]), names[-1]))


def summary(result: RoundResult) -> list[str]:
    """A few plain sentences: where the parties agree, where they differ, what is low."""
    score = result.score
    name = {code: dim.name.lower() for code, dim in result.dimensions.items()}
    sentences: list[str] = []
    for party in (scoring.MUNICIPALITY, scoring.PARTNER):
        if score.respondents.get(party, 0) == 0:
            sentences.append(
                _("Nobody from the %(party)s side has answered, so the parties cannot be compared.")
                % {"party": party_name(party).lower()}
            )
            return sentences
    agree = [d for d in score.dimensions if d.gap is not None and abs(d.gap) < AGREE]
    hidden = [d for d in score.dimensions if d.gap is None]
    if hidden:
        sentences.append(
            _("Too few answers to compare the parties on %(dims)s (fewer than %(n)s on a side).")
            % {"dims": _join([name[d.dimension] for d in hidden]), "n": score.threshold}
        )
    if agree:
        sentences.append(
            _("The parties agree on %(dims)s.")
            % {"dims": _join([name[d.dimension] for d in agree])}
        )
    for dim in score.dimensions:
        if dim.gap is None or abs(dim.gap) < AGREE:
            continue
        m = dim.cells[scoring.MUNICIPALITY].mean
        p = dim.cells[scoring.PARTNER].mean
        values = {"dim": name[dim.dimension], "m": fmt(m), "p": fmt(p), "gap": fmt(abs(dim.gap))}
        if "gap" in dim.flags:
            text = (
                _(
                    "They see %(dim)s differently: the municipality gives %(m)s on average, the "
                    "partner %(p)s (a gap of %(gap)s)."
                )
                % values
            )
            item = _widest_item(result, dim.dimension)
            if item is not None:
                text += " " + _("The largest difference is on “%(item)s”.") % {"item": item}
        else:
            text = (
                _("They see %(dim)s somewhat differently (municipality %(m)s, partner %(p)s).")
                % values
            )
        sentences.append(text)
    for dim in score.dimensions:
        for party, flag in (
            (scoring.MUNICIPALITY, "low_municipality"),
            (scoring.PARTNER, "low_partner"),
        ):
            if f"very_low_{party}" in dim.flags:
                sentences.append(
                    _(
                        "The %(party)s side scores %(dim)s very low (%(value)s, below 2.5): most "
                        "of them disagree, whatever the other side thinks."
                    )
                    % {
                        "party": party_name(party).lower(),
                        "dim": name[dim.dimension],
                        "value": fmt(dim.cells[party].mean),
                    }
                )
            elif flag in dim.flags:
                sentences.append(
                    _("The %(party)s side scores %(dim)s below %(low)s (%(value)s).")
                    % {
                        "low": fmt(scoring.LOW_FLAG),
                        "party": party_name(party).lower(),
                        "dim": name[dim.dimension],
                        "value": fmt(dim.cells[party].mean),
                    }
                )
    if not score.flagged and not hidden:
        sentences.append(_("No dimension is flagged."))
    return [sentence(text) for text in sentences]


def _widest_item(result: RoundResult, dimension: str) -> str | None:
    gaps = [
        (abs(item.gap), item.item)
        for item in result.score.items
        if item.dimension == dimension and item.gap is not None
    ]
    if not gaps:
        return None
    return result.round_items[max(gaps)[1]].item.text.rstrip(".")


# --- tables --------------------------------------------------------------------------------


@dataclass
class TableCell:
    mean: str
    sd: str
    n: str
    hidden: bool


def dimension_rows(result: RoundResult) -> list[dict]:
    score = result.score
    columns = [*score.parties, scoring.ALL]
    rows = []
    for dim in score.dimensions:
        cells = []
        for party in columns:
            cell = dim.cells.get(party)
            if cell is None or cell.summary.n == 0:
                cells.append(TableCell("–", "–", "0", False))
            elif cell.suppressed:
                cells.append(TableCell("", "", "", True))
            else:
                cells.append(TableCell(fmt(cell.mean), fmt(cell.sd), str(cell.n), False))
        rows.append(
            {
                "dimension": result.dimensions[dim.dimension],
                "cells": cells,
                "gap": fmt_signed(dim.gap),
                "gap_ci95": (
                    _("%(low)s to %(high)s")
                    % {"low": fmt(dim.gap_ci95[0]), "high": fmt(dim.gap_ci95[1])}
                    if dim.gap_ci95
                    else ""
                ),
                "flags": [FLAG_TEXT[f]() for f in dim.flags],
            }
        )
    return rows


FLAG_TEXT = {
    "gap": lambda: _("gap of %(gap)s or more") % {"gap": fmt(scoring.GAP_FLAG)},
    "low_municipality": lambda: _("municipality below %(low)s") % {"low": fmt(scoring.LOW_FLAG)},
    "low_partner": lambda: _("partner below %(low)s") % {"low": fmt(scoring.LOW_FLAG)},
    "very_low_municipality": lambda: _("municipality very low (below 2.5)"),
    "very_low_partner": lambda: _("partner very low (below 2.5)"),
}


def item_rows(result: RoundResult) -> list[dict]:
    rows = []
    for item in result.score.items:
        rows.append(
            {
                "round_item": result.round_items[item.item],
                "parties": [
                    (party_name(party), item.distributions[party]) for party in result.score.parties
                ],
            }
        )
    return rows


# --- charts --------------------------------------------------------------------------------


def round_chart(result: RoundResult) -> SafeString:
    """Dimensions down the side, the parties' means side by side, flagged gaps marked (drawn
    once for the same figures: ``charts.kept``)."""
    names = {code: dim.name for code, dim in result.dimensions.items()}
    return charts.kept(
        ("health round", result.round.title, names, result.score),
        lambda: _round_chart(result),
    )


def _round_chart(result: RoundResult) -> SafeString:
    score = result.score
    dims = score.dimensions
    parties = list(score.parties)
    fig = charts.new_figure(6.4, 0.9 + 0.8 * max(len(dims), 1))
    ax = fig.add_subplot()
    height = 0.8 / max(len(parties), 1)
    labelled: set[str] = set()
    for index, dim in enumerate(dims):
        y0 = len(dims) - 1 - index
        for j, party in enumerate(parties):
            y = y0 + 0.4 - height * (j + 0.5)
            cell = dim.cells[party]
            if cell.mean is None:
                ax.text(1.05, y, too_few(score.threshold), va="center", fontsize=7, color="#444")
                continue
            ax.barh(
                y,
                cell.mean - 1,
                left=1,
                height=height * 0.9,
                color=COLOURS[party],
                hatch=HATCHES[party],
                edgecolor="white",
                label=None if party in labelled else party_name(party),
            )
            labelled.add(party)
            ax.text(cell.mean + 0.05, y, fmt(cell.mean), va="center", fontsize=8)
        if "gap" in dim.flags:
            ax.text(
                5.05,
                y0,
                "⚠ " + _("gap %(gap)s") % {"gap": fmt(abs(dim.gap))},
                va="center",
                fontsize=8,
                fontweight="bold",
                color="#8B0000",
            )
    ax.set_yticks(range(len(dims)), [result.dimensions[d.dimension].name for d in reversed(dims)])
    ax.set_xlim(1, 5.9)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.axvline(3.0, color="#666", linestyle=":", linewidth=1)
    ax.set_xlabel(_("Mean agreement (1 = strongly disagree, 5 = strongly agree)"))
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=3,
            frameon=False,
            fontsize=8,
        )
    title = _("%(round)s: mean per dimension and party") % {"round": result.round.title}
    return charts.svg(fig, title, " ".join(summary(result)))


def trend_chart(results: Sequence[RoundResult]) -> SafeString | None:
    """Each dimension's mean per party over the closed rounds (a break where not shown; drawn
    once for the same figures: ``charts.kept``)."""
    if len(results) < 2:
        return None
    figures = [
        (r.round.title, {code: dim.name for code, dim in r.dimensions.items()}, r.score)
        for r in results
    ]
    return charts.kept(("health trend", figures), lambda: _trend_chart(results))


def _trend_chart(results: Sequence[RoundResult]) -> SafeString:
    codes: list[str] = []
    names = {}
    for result in results:
        for code, dim in result.dimensions.items():
            if code not in codes:
                codes.append(code)
                names[code] = dim.name
    labels = [r.round.title for r in results]
    fig = charts.new_figure(6.4, 1.0 + 1.7 * len(codes))
    axes = fig.subplots(len(codes), 1, sharex=True, squeeze=False)[:, 0]
    described = []
    for ax, code in zip(axes, codes, strict=True):
        for party in (scoring.MUNICIPALITY, scoring.PARTNER, scoring.PARTICIPANTS):
            points = scoring.trend([(r.round.title, r.score) for r in results], code, party)
            values = [math.nan if p.mean is None else p.mean for p in points]
            if all(math.isnan(v) for v in values):
                continue
            ax.plot(
                range(len(values)),
                values,
                marker="o",
                color=COLOURS[party],
                linestyle="-" if party != scoring.PARTNER else "--",
                label=party_name(party),
            )
            described.append(
                f"{names[code]}, {party_name(party)}: "
                + ", ".join(f"{p.label} {fmt(p.mean)}" for p in points)
            )
        ax.set_ylim(1, 5)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_title(names[code], fontsize=9, loc="left")
    axes[-1].set_xticks(range(len(labels)), labels, fontsize=8)
    handles, legend_labels = axes[0].get_legend_handles_labels()
    if handles:
        axes[0].legend(handles, legend_labels, loc="lower right", fontsize=7, frameon=False)
    return charts.svg(fig, _("Trend over rounds"), "; ".join(described) + ".")


def trend_rows(results: Sequence[RoundResult]) -> list[dict]:
    """Each dimension's mean per party over the closed rounds, and the change (as a table)."""
    rows = []
    if len(results) < 2:
        return rows
    seen = {}
    for result in results:
        for code, dim in result.dimensions.items():
            seen.setdefault(code, dim)
    labelled = [(r.round.title, r.score) for r in results]
    for code, dim in seen.items():
        for party in (scoring.MUNICIPALITY, scoring.PARTNER, scoring.PARTICIPANTS):
            points = scoring.trend(labelled, code, party)
            if all(p.n == 0 for p in points):
                continue
            rows.append(
                {
                    "dimension": dim,
                    "party": party_name(party),
                    "values": [fmt(p.mean) for p in points],
                    "change": fmt_signed(scoring.change(points)),
                }
            )
    return rows


def flagged_rows(latest: dict, today) -> list[dict]:
    """The initiatives whose latest result has flagged dimensions, by title: the round, the
    day it closed and each flagged dimension's name, gap and flags (portfolio panel and PDF)."""
    from .queries import closing_day

    rows = []
    for result in latest.values():
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
                        fmt_signed(d.gap),
                        [FLAG_TEXT[f]() for f in d.flags],
                    )
                    for d in flagged
                ],
            }
        )
    rows.sort(key=lambda row: row["initiative"].title)
    return rows
