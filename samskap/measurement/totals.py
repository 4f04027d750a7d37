"""Programme totals: adding up the initiatives' reported values of one library indicator.

A pure core (no Django): it takes each adopted indicator's series of values and returns one
total per period. The rules, which the programme page prints:

- every adopted indicator is its own series (an initiative may adopt one library entry twice,
  and both count);
- periods are matched, ordered and carried forward by their dates, never by their label text
  ("Q1 2025" sorts before "Q3 2024" as text);
- numbers and money are added up; percentages pool numerators and denominators
  (Σ numerators / Σ denominators, not the mean of percentages);
- a cumulative indicator (each period's value is the running total since the start)
  contributes, in a period where it has no value, its latest value from a period that ended
  before this one ends;
- only series in the library entry's unit are added; the others are returned separately
  (``not_added``), never summed. Scale scores are never added up.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

NUMBER, PERCENTAGE, SCALE, MONEY = "number", "percentage", "scale", "money"
ADDITIVE = (NUMBER, MONEY)


@dataclass(frozen=True)
class Point:
    """One approved actual value of one indicator in one period."""

    start: datetime.date
    end: datetime.date
    label: str
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: object = None  # what the caller wants back in ``inputs`` (e.g. the model row)


@dataclass
class Series:
    """One adopted indicator's values (any order) and whether they are running totals."""

    key: Hashable
    unit: str
    cumulative: bool = False
    points: list[Point] = field(default_factory=list)
    owner: object = None  # e.g. the initiative, handed back in ``inputs``


@dataclass(frozen=True)
class PeriodTotal:
    start: datetime.date
    end: datetime.date
    label: str
    total: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    # (series, point, carried): each value that went into the total; ``carried`` when a
    # cumulative value came from an earlier period.
    inputs: tuple[tuple[Series, Point, bool], ...]

    @property
    def initiatives(self) -> int:
        return len(self.inputs)


def period_totals(
    unit: str,
    series: Iterable[Series],
    at: Iterable[tuple[datetime.date, datetime.date]] | None = None,
) -> list[PeriodTotal]:
    """The totals per period (by dates, earliest first) of series that share ``unit``: in each
    period any series has a value, or in the periods ``at`` (start, end) when given (so that
    one initiative's totals can be read at a whole programme's periods).

    Raises ``ValueError`` for a series of another unit or for scale scores: the caller sorts
    those out first (``split_by_unit``)."""
    if unit == SCALE:
        raise ValueError("Scale scores are not added up.")
    series = list(series)
    for one in series:
        if one.unit != unit:
            raise ValueError(f"Series {one.key!r} is in {one.unit}, not {unit}.")
    ordered = {
        one.key: sorted(one.points, key=lambda p: (p.end, p.start, p.label)) for one in series
    }
    # A period is its dates; the label shown is the first one met (periods with the same
    # dates but other labels are the same period).
    labels: dict[tuple[datetime.date, datetime.date], str] = {}
    for one in series:
        for point in ordered[one.key]:
            labels.setdefault((point.start, point.end), point.label)
    if at is not None:
        labels = {dates: labels.get(dates, "") for dates in at}
    result = []
    for start, end in sorted(labels, key=lambda dates: (dates[1], dates[0])):
        inputs = []
        for one in series:
            points = ordered[one.key]
            here = [p for p in points if (p.start, p.end) == (start, end)]
            if here:
                inputs.append((one, here[-1], False))
            elif one.cumulative:
                earlier = [p for p in points if p.end <= end and (p.end, p.start) < (end, start)]
                if earlier:
                    inputs.append((one, earlier[-1], True))
        result.append(_total(unit, start, end, labels[(start, end)], inputs))
    return result


def _total(unit: str, start, end, label: str, inputs: list) -> PeriodTotal:
    if unit == PERCENTAGE:
        numerator = sum((p.numerator or Decimal(0) for _s, p, _c in inputs), Decimal(0))
        denominator = sum((p.denominator or Decimal(0) for _s, p, _c in inputs), Decimal(0))
        total = numerator / denominator * 100 if denominator else None
    else:
        numerator = denominator = None
        total = sum((p.value for _s, p, _c in inputs), Decimal(0))
    return PeriodTotal(start, end, label, total, numerator, denominator, tuple(inputs))


def split_by_unit(unit: str, series: Iterable[Series]) -> tuple[list[Series], list[Series]]:
    """(the series that can be added under the library entry's ``unit``, those that cannot):
    a series in another unit than its library entry's is never summed with the others."""
    added, not_added = [], []
    for one in series:
        (added if one.unit == unit and unit != SCALE else not_added).append(one)
    return added, not_added
