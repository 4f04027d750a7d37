"""Paired results of a survey, computed from stored answers with ``stats.paired``.

A person's score on an item is the sum (or mean) of their answers to its questions, counted
only when every question was answered and the response was submitted. Participants who
answered both time points are paired; the others are reported separately as unpaired and never
mixed into the change. All figures obey the municipality's privacy threshold.

Beside the paired change: a comparison group (participants flagged ``comparison``, people not in
the initiative) gives a difference-in-differences with its Welch interval when each of its two
time points has at least the threshold of answers; a yes/no item (one question answered 0/1)
gets the share saying yes before and after with Wilson intervals and McNemar's test; the
change is compared with the instrument's minimal important difference where one is published;
and when more than one item is tested, Holm's adjusted p-values are shown next to the t-tests'.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from samskap.core import charts, numbers, privacy
from samskap.core.coded_texts import sentence
from samskap.core.privacy import suppress_complements, threshold_for

from . import stats
from .models import Answer, Participant, Response, Scoring, Survey, SurveyItem, TimePoint


@dataclass
class ItemResult:
    item: SurveyItem
    before: TimePoint
    after: TimePoint
    result: stats.PairedResult
    unpaired_before: dict
    unpaired_after: dict
    summary: str
    # The comparison group's answers: n and mean at each time point (None when suppressed),
    # and the difference-in-differences of the mean with its Welch interval.
    comparison: dict | None = None
    difference_in_differences: stats.Difference | None = None
    mid: float | None = None
    exceeds_mid: bool | None = None
    holm_p: float | None = None
    # Yes/no items: share saying yes before and after (Wilson intervals) and McNemar's test.
    yes_before: dict | None = None
    yes_after: dict | None = None
    mcnemar: stats.McNemarResult | None = None


def score_arrays(survey: Survey) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """{(item id, time point id): (participant ids, scores)} from one grouped query.

    The query groups by response and item, the order of the answers' unique index, so the
    database needs no sort; NumPy does the rest."""
    items = {item.pk: item.library for item in survey.survey_items.select_related("library")}
    points = list(survey.time_points.values_list("pk", flat=True))
    if not items or not points:
        return {}
    answer, response = Answer._meta.db_table, Response._meta.db_table
    marks = ", ".join(["%s"] * len(points))
    sql = (
        f"SELECT r.participant_id, r.time_point_id, a.item_id, SUM(a.value), COUNT(*) "  # noqa: S608 - table names from the models
        f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
        f"WHERE r.time_point_id IN ({marks}) AND r.submitted_at IS NOT NULL "
        f"GROUP BY r.id, a.item_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, points)
        rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 5)
    result = {}
    for item_id, library in items.items():
        questions = len(library.questions)
        of_item = rows[(rows[:, 2] == item_id) & (rows[:, 4] == questions)]
        for point in points:
            chosen = of_item[of_item[:, 1] == point]
            values = chosen[:, 3] / questions if library.scoring == Scoring.MEAN else chosen[:, 3]
            result[(item_id, point)] = (chosen[:, 0].astype(np.int64), values)
    return result


def scores(survey: Survey) -> dict[tuple[int, int], dict[int, float]]:
    """{(item id, time point id): {participant id: score}}; an incomplete scale gives no
    score."""
    return {
        key: dict(zip(pids.tolist(), values.tolist(), strict=True))
        for key, (pids, values) in score_arrays(survey).items()
    }


# The digits of a change, in the results table and in the sentence above it alike.
CHANGE_DIGITS = 2


def _decimal(value: float, sign: bool = False) -> str:
    """A change as the results table writes it (rounded, never truncated; bokmål: 1,68)."""
    if sign:
        return numbers.signed(value, CHANGE_DIGITS)
    return numbers.decimal(value, CHANGE_DIGITS)


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
            "median": _decimal(result.median_change, sign=True),
            "unit": unit_word,
            "n": result.n,
        }
    low, high = result.ci95 if result.ci95 else (change, change)
    if numbers.rounded(change, CHANGE_DIGITS) == 0:
        verb = _("stayed about the same")
        amount = ""
    else:
        verb = _("rose") if change > 0 else _("fell")
        amount = _(" by %(amount)s %(unit)s") % {"amount": _decimal(abs(change)), "unit": unit_word}
    return sentence(
        _(
            "%(name)s %(verb)s%(amount)s (95 %% CI %(low)s to %(high)s) among %(n)s "
            "participants who answered both times."
        )
        % {
            "name": name,
            "verb": verb,
            "amount": amount,
            "low": _decimal(low),
            "high": _decimal(high),
            "n": result.n,
        }
    )


def publishable(result: stats.PairedResult) -> bool:
    """Whether a paired result may leave the municipality when it publishes its results (the
    public page, the open data, other municipalities' synthesis): not suppressed, with a mean
    change and its 95 % interval (so at least ``stats.SMALL_SAMPLE`` pairs)."""
    return not result.suppressed and result.ci95 is not None and result.mean_change is not None


def survey_results(survey: Survey, before_kind: str = "before", after_kind: str = "after"):
    """One ItemResult per survey item for the two time points (empty if either is missing)."""
    points = {point.kind: point for point in survey.time_points.all()}
    before, after = points.get(before_kind), points.get(after_kind)
    if before is None or after is None:
        return []
    threshold = threshold_for(survey.initiative.municipality)
    all_scores = score_arrays(survey)
    comparison_ids = np.array(
        Participant.objects.filter(initiative=survey.initiative, comparison=True).values_list(
            "pk", flat=True
        ),
        dtype=np.int64,
    )
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
    results = []
    for item in survey.survey_items.select_related("library"):
        pids_before, first = all_scores.get((item.pk, before.pk), empty)
        pids_after, second = all_scores.get((item.pk, after.pk), empty)
        # The comparison group is set apart first: it is never part of the paired change.
        in_comparison_before = np.isin(pids_before, comparison_ids)
        in_comparison_after = np.isin(pids_after, comparison_ids)
        comparison_before = first[in_comparison_before]
        comparison_after = second[in_comparison_after]
        pids_before, first = pids_before[~in_comparison_before], first[~in_comparison_before]
        pids_after, second = pids_after[~in_comparison_after], second[~in_comparison_after]
        _both, i_before, i_after = np.intersect1d(
            pids_before, pids_after, assume_unique=True, return_indices=True
        )
        only_before = np.delete(first, i_before)
        only_after = np.delete(second, i_after)
        library = item.library
        result = stats.paired(
            first[i_before],
            second[i_after],
            direction=library.direction,
            reliability=float(library.reliability) if library.reliability else None,
            threshold=threshold,
        )
        result.reliable_change_index = None  # per-person values never leave this module
        row = ItemResult(
            item=item,
            before=before,
            after=after,
            result=result,
            unpaired_before=stats.unpaired_summary(only_before.tolist(), threshold),
            unpaired_after=stats.unpaired_summary(only_after.tolist(), threshold),
            summary=summary_sentence(library.text("name"), result, _("points")),
        )
        _compare(
            row, first[i_before], second[i_after], comparison_before, comparison_after, threshold
        )
        results.append(row)
    tested = [row for row in results if row.result.p_t is not None]
    if len(tested) > 1:
        for row, adjusted in zip(
            tested, stats.holm([row.result.p_t for row in tested]), strict=True
        ):
            row.holm_p = adjusted
    return results


def _is_yes_no(library) -> bool:
    return len(library.questions) == 1 and (library.answer_min, library.answer_max) == (0, 1)


def _share(yes: int, n: int, threshold: int) -> dict | None:
    """The share answering yes with its Wilson interval, or None when the yes or the no count
    describes fewer people than the threshold (the other would follow by subtraction)."""
    if suppress_complements({"yes": yes, "no": n - yes}, threshold):
        return None
    low, high = stats.wilson_interval(yes, n)
    return {"share": yes / n, "low": low, "high": high}


def _compare(row: ItemResult, before, after, comparison_before, comparison_after, threshold):
    """The comparison figures of one item (see the module docstring), suppression applied."""
    result, library = row.result, row.item.library
    if result.suppressed:
        return
    if library.minimal_important_difference is not None:
        row.mid = float(library.minimal_important_difference)
        row.exceeds_mid = stats.exceeds_mid(result.mean_change, row.mid, library.direction)
    if _is_yes_no(library):
        n = len(before)
        row.yes_before = _share(int(np.sum(before == 1)), n, threshold)
        row.yes_after = _share(int(np.sum(after == 1)), n, threshold)
        row.mcnemar = stats.mcnemar((before == 1).tolist(), (after == 1).tolist())
    n_before, n_after = len(comparison_before), len(comparison_after)
    if not (n_before or n_after):
        return
    shown = n_before >= threshold and n_after >= threshold
    row.comparison = {
        "n_before": n_before if shown else None,
        "n_after": n_after if shown else None,
        "mean_before": float(comparison_before.mean()) if shown else None,
        "mean_after": float(comparison_after.mean()) if shown else None,
        "suppressed": not shown,
    }
    if shown:
        row.difference_in_differences = stats.difference_in_differences(
            before, after, comparison_before, comparison_after
        )


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
        labels.append(row.item.library.text("name"))
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


def shown_answer_counts(survey: Survey, counts: dict[int, int]) -> dict[int, int | None]:
    """The number who answered at each time point ({time point id: count}), with ``None``
    where the count must not be shown: below the threshold, or when it minus the number of
    pairs on the results page would give a group below it (7 answered "before", 6 pairs: the
    one who answered only before must not be worked out)."""
    threshold = threshold_for(survey.initiative.municipality)
    figures: dict[tuple[str, int], int | None] = {("point", pk): n for pk, n in counts.items()}
    nested = []
    for row in survey_results(survey):
        if row.result.n is None:
            continue
        figures[("pairs", row.item.pk)] = row.result.n
        for point in (row.before, row.after):
            if ("point", point.pk) in figures:
                nested.append((("point", point.pk), ("pairs", row.item.pk)))
    hidden = privacy.hidden_by_difference(figures, nested, threshold)
    return {pk: None if ("point", pk) in hidden else n for pk, n in counts.items()}
