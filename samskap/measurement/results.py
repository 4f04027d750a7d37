"""Paired results of a survey, computed from stored answers with ``stats.paired``.

A person's score on an item is the sum (or mean) of their answers to its questions, counted
only when every question was answered and the response was submitted. Participants who
answered both time points are paired; the others are reported separately as unpaired and never
mixed into the change. All figures obey the municipality's privacy threshold.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from samskap.core import charts
from samskap.core.privacy import threshold_for

from . import stats
from .models import Answer, Scoring, Survey, SurveyItem, TimePoint


@dataclass
class ItemResult:
    item: SurveyItem
    before: TimePoint
    after: TimePoint
    result: stats.PairedResult
    unpaired_before: dict
    unpaired_after: dict
    summary: str


def scores(survey: Survey) -> dict[tuple[int, int], dict[int, float]]:
    """{(item id, time point id): {participant id: score}} in one grouped query."""
    items = {item.pk: item for item in survey.survey_items.select_related("library")}
    rows = (
        Answer.objects.filter(
            response__time_point__survey=survey, response__submitted_at__isnull=False
        )
        .values_list("item_id", "response__time_point_id", "response__participant_id")
        .annotate(total=Sum("value"), answered=Count("id"))
        .order_by()
    )
    result: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for item_id, time_point_id, participant_id, total, answered in rows:
        library = items[item_id].library
        if answered != len(library.questions):
            continue  # an incomplete scale gives no score
        score = total / answered if library.scoring == Scoring.MEAN else float(total)
        result[(item_id, time_point_id)][participant_id] = score
    return result


def summary_sentence(name: str, result: stats.PairedResult, unit_word: str) -> str:
    """A plain-language summary, e.g. "Life satisfaction rose by 1.2 points (95 % CI 0.4 to
    2.0) among 23 participants who answered both times."."""
    if result.suppressed:
        return _(
            "%(name)s: fewer than %(threshold)s participants answered both times, so no figure "
            "is shown to protect their privacy."
        ) % {"name": name, "threshold": result.threshold}
    change = result.mean_change
    if result.small_sample:
        return _(
            "%(name)s: the median change was %(median)s %(unit)s among %(n)s participants who "
            "answered both times (too few for a confidence interval)."
        ) % {
            "name": name,
            "median": f"{result.median_change:+.1f}",
            "unit": unit_word,
            "n": result.n,
        }
    low, high = result.ci95 if result.ci95 else (change, change)
    if abs(change) < 0.05:
        verb = _("stayed about the same")
        amount = ""
    else:
        verb = _("rose") if change > 0 else _("fell")
        amount = _(" by %(amount)s %(unit)s") % {"amount": f"{abs(change):.1f}", "unit": unit_word}
    return _(
        "%(name)s %(verb)s%(amount)s (95 %% CI %(low)s to %(high)s) among %(n)s participants "
        "who answered both times."
    ) % {
        "name": name,
        "verb": verb,
        "amount": amount,
        "low": f"{low:.1f}",
        "high": f"{high:.1f}",
        "n": result.n,
    }


def survey_results(survey: Survey, before_kind: str = "before", after_kind: str = "after"):
    """One ItemResult per survey item for the two time points (empty if either is missing)."""
    points = {point.kind: point for point in survey.time_points.all()}
    before, after = points.get(before_kind), points.get(after_kind)
    if before is None or after is None:
        return []
    threshold = threshold_for(survey.initiative.municipality)
    all_scores = scores(survey)
    results = []
    for item in survey.survey_items.select_related("library"):
        first = all_scores.get((item.pk, before.pk), {})
        second = all_scores.get((item.pk, after.pk), {})
        both = sorted(set(first) & set(second))
        library = item.library
        result = stats.paired(
            [first[p] for p in both],
            [second[p] for p in both],
            direction=library.direction,
            reliability=float(library.reliability) if library.reliability else None,
            threshold=threshold,
        )
        result.reliable_change_index = None  # per-person values never leave this module
        results.append(
            ItemResult(
                item=item,
                before=before,
                after=after,
                result=result,
                unpaired_before=stats.unpaired_summary(
                    [v for p, v in first.items() if p not in second], threshold
                ),
                unpaired_after=stats.unpaired_summary(
                    [v for p, v in second.items() if p not in first], threshold
                ),
                summary=summary_sentence(library.name, result, _("points")),
            )
        )
    return results


def change_chart(results: list[ItemResult]) -> str | None:
    """Mean change with its 95 % interval per item (n ≥ 10), and the individual changes as dots
    for items with fewer than 10 pairs. Nothing is drawn for a suppressed item."""
    shown = [r for r in results if not r.result.suppressed and r.result.mean_change is not None]
    if not shown:
        return None
    fig = charts.new_figure(6.4, 0.9 + 0.7 * len(shown))
    ax = fig.add_subplot()
    labels = []
    for y, row in enumerate(shown):
        res = row.result
        labels.append(row.item.library.name)
        if res.ci95:
            low, high = res.ci95
            ax.errorbar(
                [res.mean_change],
                [y],
                xerr=[[res.mean_change - low], [high - res.mean_change]],
                fmt="o",
                color="#1f4e79",
                capsize=4,
            )
        else:
            changes = np.array(res.changes or [])
            # Stack equal changes so every person is a visible dot.
            offsets = np.zeros(len(changes))
            seen: dict[float, int] = defaultdict(int)
            for i, value in enumerate(changes):
                offsets[i] = seen[value] * 0.08
                seen[value] += 1
            ax.plot(changes, y + offsets - 0.1, "o", color="#7a4e00", alpha=0.8)
            ax.plot([res.median_change], [y], "|", color="black", markersize=18)
    ax.axvline(0, color="#666666", linewidth=1)
    ax.set_yticks(range(len(shown)), labels)
    ax.set_xlabel(_("Change from before to after (points)"))
    ax.invert_yaxis()
    description = " ".join(row.summary for row in shown)
    return charts.svg(fig, _("Change from before to after"), description)
