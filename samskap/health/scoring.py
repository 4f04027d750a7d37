"""Scores of a partnership health check, as plain data (no Django).

A round is answered by people from each party. Every item is tagged with one dimension
(understanding, anchoring, commitment, trust …) and answered on a 1–5 agreement scale, or with
"don't know" (``None``), which is no value: it never enters a mean and is counted on its own.

Formulas (the usual scale-score conventions of survey research, e.g. DeVellis, *Scale
Development*, ch. 5; the three dimensions follow NTNU Samfunnsforskning's «forståelse, forankring,
forpliktelse», the trust set the seven principles of the Swedish Tillitsdelegationen):

- a respondent's *dimension score* is the mean of their numeric answers to the dimension's items,
  given only when they answered at least ``min_answered`` (by default half) of the dimension's
  items on the scale: one answer out of six and "don't know" to the rest gives no score there
  (the setting ``SAMSKAP_HEALTH_MIN_ANSWERED``);
- a party's *dimension mean* is the mean of its respondents' dimension scores, ``n`` the number
  of those respondents, the *spread* their sample standard deviation (ddof = 1; none when n < 2);
- the *gap* is mean(municipality) − mean(partner), with a 95 % Welch interval
  ``gap ± t(0.975, ν) √(s_m²/n_m + s_p²/n_p)``, ν by Welch–Satterthwaite (Welch 1947), when both
  sides are shown and each has at least two scores with some spread;
- a dimension is *flagged* when |gap| ≥ 1.0 or a side's mean is below 3.0, and flagged *very
  low* when a side's mean is below 2.5 — most of that side disagrees — even when the other side
  agrees (so a shared low view is not hidden by a small gap).

The small-group rule (``threshold``): a figure about a group of fewer than ``threshold``
respondents is not given (``suppressed``), and neither is any figure from which it could be
worked out — the "all respondents" figure when any party is suppressed, a gap when either side
is suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from samskap.core import privacy

SCALE = (1, 2, 3, 4, 5)
MIN_ANSWERED = 0.5  # the share of a dimension's items a respondent must answer to be scored
GAP_FLAG = 1.0
LOW_FLAG = 3.0
VERY_LOW_FLAG = 2.5  # below the midpoint between "disagree" (2) and "neither" (3)
MUNICIPALITY = "municipality"
PARTNER = "partner"
PARTICIPANTS = "participants"
PARTIES = (MUNICIPALITY, PARTNER, PARTICIPANTS)
ALL = "all"

Value = int | None  # 1–5, or None for "don't know"


@dataclass(frozen=True)
class Response:
    """One respondent's submitted answers: item code → value (None = "don't know")."""

    party: str
    answers: Mapping[str, Value]


@dataclass(frozen=True)
class Summary:
    """Mean, number and spread of some scores."""

    n: int
    mean: float | None
    sd: float | None
    dont_know: int = 0

    @staticmethod
    def of(values: Iterable[float], dont_know: int = 0) -> Summary:
        values = list(values)
        n = len(values)
        if n == 0:
            return Summary(0, None, None, dont_know)
        mean = math.fsum(values) / n
        # Clamp: floating-point rounding must never push a mean of 1–5 answers outside [1, 5].
        mean = min(max(mean, min(values)), max(values))
        sd = None
        if n >= 2:
            sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
        return Summary(n, mean, sd, dont_know)


@dataclass(frozen=True)
class Cell:
    """A figure for one group, or the reason it is not shown."""

    summary: Summary
    suppressed: bool

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.summary.n > 0

    @property
    def mean(self) -> float | None:
        return self.summary.mean if self.shown else None

    @property
    def sd(self) -> float | None:
        return self.summary.sd if self.shown else None

    @property
    def n(self) -> int | None:
        """The number of answers, or None when suppressed (a count is a figure too)."""
        return None if self.suppressed else self.summary.n


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    cells: dict[str, Cell]  # party (and ALL) → cell
    gap: float | None  # None when a side is not shown
    flags: tuple[str, ...]  # "gap", "low_/very_low_municipality", "low_/very_low_partner"
    gap_ci95: tuple[float, float] | None = None  # Welch interval, when both sides allow it

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Distribution:
    """How one party answered one item: counts per scale step, and "don't know"."""

    counts: dict[int, int]
    dont_know: int
    suppressed: bool

    @property
    def n(self) -> int:
        return sum(self.counts.values()) + self.dont_know


@dataclass(frozen=True)
class ItemScore:
    item: str
    dimension: str
    distributions: dict[str, Distribution]  # party → distribution
    gap: float | None  # mean(municipality) − mean(partner) for this item, when both shown


@dataclass(frozen=True)
class RoundScore:
    threshold: int
    parties: tuple[str, ...]  # the parties that had respondents in the round
    respondents: dict[str, int]  # party → submitted respondents (shown only if not suppressed)
    dimensions: list[DimensionScore]
    items: list[ItemScore] = field(default_factory=list)

    def dimension(self, code: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.dimension == code)

    @property
    def flagged(self) -> list[DimensionScore]:
        return [d for d in self.dimensions if d.flagged]

    def respondents_shown(self, party: str) -> int | None:
        """How many of a party answered, or None when that number is too small to show."""
        n = self.respondents.get(party, 0)
        if is_suppressed(n, self.threshold):
            return None
        # The number who answered minus a dimension's n would give those with only "don't
        # know" there: not shown when that group is below the threshold (core.privacy rule 3).
        figures = {"all": n} | {
            d.dimension: d.cells[party].n for d in self.dimensions if party in d.cells
        }
        nested = [("all", d.dimension) for d in self.dimensions if party in d.cells]
        hidden = privacy.hidden_by_difference(figures, nested, self.threshold)
        return None if "all" in hidden else n


def _check(value: Value) -> Value:
    if value is not None and value not in SCALE:
        raise ValueError(f"An answer must be 1–5 or None (don't know), not {value!r}.")
    return value


def respondent_scores(
    responses: Iterable[Response],
    items: Mapping[str, str],
    dimension: str,
    party: str,
    min_answered: float = MIN_ANSWERED,
) -> tuple[list[float], int]:
    """The dimension scores of one party's respondents (of those who answered at least
    ``min_answered`` of the dimension's items on the scale), and how many "don't know"
    answers."""
    codes = [code for code, dim in items.items() if dim == dimension]
    scores: list[float] = []
    dont_know = 0
    for response in responses:
        if response.party != party:
            continue
        values = []
        for code in codes:
            if code not in response.answers:
                continue
            value = _check(response.answers[code])
            if value is None:
                dont_know += 1
            else:
                values.append(value)
        # Compared with a tolerance so that 3 of 6 is half, whatever the float rounding.
        if values and len(values) >= min_answered * len(codes) - 1e-9:
            scores.append(math.fsum(values) / len(values))
    return scores, dont_know


def gap(municipality_mean: float | None, partner_mean: float | None) -> float | None:
    """mean(municipality) − mean(partner), or None when a side has no figure."""
    if municipality_mean is None or partner_mean is None:
        return None
    return municipality_mean - partner_mean


def flags_for(municipality_mean: float | None, partner_mean: float | None) -> tuple[str, ...]:
    """Why a dimension needs attention: a gap of at least 1.0, or a side below 3.0."""
    flags = []
    difference = gap(municipality_mean, partner_mean)
    # Round to 10 decimals first so that 4.1 − 3.1 (0.9999999999999996) counts as 1.0.
    if difference is not None and round(abs(difference), 10) >= GAP_FLAG:
        flags.append("gap")
    for party, mean in ((MUNICIPALITY, municipality_mean), (PARTNER, partner_mean)):
        if mean is not None and mean < LOW_FLAG:
            flags.append(f"low_{party}")
        if mean is not None and mean < VERY_LOW_FLAG:
            flags.append(f"very_low_{party}")
    return tuple(flags)


def gap_interval(municipality: Cell | None, partner: Cell | None) -> tuple[float, float] | None:
    """The 95 % Welch interval of mean(municipality) − mean(partner), or None when either side
    is suppressed, has fewer than two scores or no spread at all."""
    from samskap.measurement.stats import (
        t_ppf,
        welch_se_df,  # pure, no Django
    )

    if municipality is None or partner is None:
        return None
    if not (municipality.shown and partner.shown):
        return None
    m, p = municipality.summary, partner.summary
    if m.n < 2 or p.n < 2 or m.sd is None or p.sd is None:
        return None
    se, df = welch_se_df([(m.sd**2 / m.n, m.n - 1), (p.sd**2 / p.n, p.n - 1)])
    if se <= 0 or not math.isfinite(df):
        return None
    difference = m.mean - p.mean
    half = t_ppf(0.975, df) * se
    return (difference - half, difference + half)


def is_suppressed(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def score_round(
    responses: Sequence[Response],
    items: Mapping[str, str],
    dimensions: Sequence[str],
    *,
    threshold: int,
    min_answered: float = MIN_ANSWERED,
) -> RoundScore:
    """Score one round. ``items`` maps item code → dimension code, in the order shown."""
    if threshold < 1:
        raise ValueError("The threshold must be at least 1.")
    parties = tuple(p for p in PARTIES if any(r.party == p for r in responses))
    respondents = {p: sum(1 for r in responses if r.party == p) for p in parties}
    result = []
    for dimension in dimensions:
        cells: dict[str, Cell] = {}
        everyone: list[float] = []
        everyone_dont_know = 0
        any_hidden = False
        for party in parties:
            scores, dont_know = respondent_scores(responses, items, dimension, party, min_answered)
            summary = Summary.of(scores, dont_know)
            hidden = is_suppressed(summary.n, threshold)
            any_hidden = any_hidden or hidden
            cells[party] = Cell(summary, hidden)
            everyone += scores
            everyone_dont_know += dont_know
        total = Summary.of(everyone, everyone_dont_know)
        # Secondary suppression: with one party hidden, "all" minus the others would reveal it.
        cells[ALL] = Cell(total, any_hidden or is_suppressed(total.n, threshold))
        m = cells.get(MUNICIPALITY)
        p = cells.get(PARTNER)
        m_mean = m.mean if m else None
        p_mean = p.mean if p else None
        result.append(
            DimensionScore(
                dimension,
                cells,
                gap(m_mean, p_mean),
                flags_for(m_mean, p_mean),
                gap_interval(m, p),
            )
        )
    return RoundScore(
        threshold=threshold,
        parties=parties,
        respondents=respondents,
        dimensions=result,
        items=[
            _item_score(responses, code, dim, parties, threshold) for code, dim in items.items()
        ],
    )


def _item_score(
    responses: Sequence[Response], code: str, dimension: str, parties: tuple[str, ...], threshold
) -> ItemScore:
    distributions = {}
    means: dict[str, float | None] = {}
    for party in parties:
        counts = dict.fromkeys(SCALE, 0)
        dont_know = 0
        for response in responses:
            if response.party != party or code not in response.answers:
                continue
            value = _check(response.answers[code])
            if value is None:
                dont_know += 1
            else:
                counts[value] += 1
        answered = sum(counts.values())
        # The whole distribution is shown or none of it: no step of the scale and no "don't
        # know" count below the threshold (core.privacy rule 2), and no partial breakdown
        # whose hidden steps the mean or the total would give away.
        hidden = is_suppressed(answered + dont_know, threshold) or bool(
            privacy.hidden_categories({**counts, "dont_know": dont_know}, threshold)
        )
        distributions[party] = Distribution(counts, dont_know, hidden)
        means[party] = (
            None
            if answered < threshold or is_suppressed(dont_know, threshold)
            else math.fsum(v * c for v, c in counts.items()) / answered
        )
    return ItemScore(
        code, dimension, distributions, gap(means.get(MUNICIPALITY), means.get(PARTNER))
    )


@dataclass(frozen=True)
class TrendPoint:
    label: str
    mean: float | None  # None: no figure (suppressed or nobody)
    n: int | None


def trend(rounds: Sequence[tuple[str, RoundScore]], dimension: str, party: str) -> list[TrendPoint]:
    """One party's mean in one dimension over rounds (oldest first), suppression kept."""
    points = []
    for label, score in rounds:
        cell = next(
            (d.cells.get(party) for d in score.dimensions if d.dimension == dimension), None
        )
        if cell is None:
            points.append(TrendPoint(label, None, 0))
        else:
            points.append(TrendPoint(label, cell.mean, cell.n))
    return points


def change(points: Sequence[TrendPoint]) -> float | None:
    """The change between the first and the last round that both have a figure."""
    shown = [p.mean for p in points if p.mean is not None]
    if len(shown) < 2:
        return None
    return shown[-1] - shown[0]
