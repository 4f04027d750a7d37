"""Measured effect feeds value: an outcome's number taken from a measurement when the map is
read, so the map follows the measurement (no copies, no signals).

- ``indicator``: the approved actual value (the total, no disaggregation) of an indicator
  period is the outcome's quantity; until a value is approved the link has nothing to give.
- ``improved``: a survey measure's paired result, the number of participants who improved
  (share improved × pairs), is the quantity.
- ``mean_change``: the measure's mean paired change is the change in life satisfaction per
  person (a wellbeing valuation).

A suppressed figure (fewer pairs than the municipality's threshold, or shares withheld under
10 pairs) never feeds the map: the link shows as suppressed and the number is not used (the
quantity counts 0; a withheld mean change leaves the outcome unvalued). Each resolved link
says where its number comes from (indicator, period, approver / survey, measure, pairs) and
whether the source changed since the map was last marked reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samskap.measurement.models import IndicatorValue, Status, ValueKind
from samskap.measurement.results import survey_results

from .models import LinkKind, MeasurementLink

# Which field of the outcome a link gives.
TARGET = {
    LinkKind.INDICATOR: "quantity",
    LinkKind.IMPROVED: "quantity",
    LinkKind.MEAN_CHANGE: "life_satisfaction",
}


@dataclass
class Resolved:
    link: MeasurementLink
    value: Decimal | None  # the number the source gives now (None: none yet, or suppressed)
    suppressed: bool
    source: dict[str, Any]  # indicator, period, approver / survey, measure, n

    @property
    def usable(self) -> bool:
        return self.value is not None and not self.suppressed

    @property
    def target(self) -> str:
        return TARGET[self.link.kind]

    @property
    def changed_since_review(self) -> bool:
        """The source gives another number than when the link was last marked reviewed (a link
        never reviewed counts as changed: nobody has looked at its number yet)."""
        if self.link.reviewed_at is None:
            return True
        return _rounded(self.value) != _rounded(self.link.reviewed_value)


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.000001"))


def _indicator(link: MeasurementLink) -> Resolved:
    period = link.period
    value = (
        IndicatorValue.objects.filter(
            period=period, kind=ValueKind.ACTUAL, dimension="", status=Status.APPROVED
        )
        .select_related("reviewed_by")
        .first()
    )
    source = {
        "indicator": period.indicator.name,
        "period": period.label,
        "approver": str(value.reviewed_by) if value and value.reviewed_by else "",
        "n": None,
    }
    return Resolved(link, value.value if value else None, False, source)


def _survey(link: MeasurementLink, cache: dict) -> Resolved:
    item = link.survey_item
    survey = item.survey
    if survey.pk not in cache:
        cache[survey.pk] = {row.item.pk: row for row in survey_results(survey)}
    row = cache[survey.pk].get(item.pk)
    source = {"survey": survey.title, "measure": item.library.text("name"), "n": None}
    if row is None:
        return Resolved(link, None, False, source)
    result = row.result
    source["n"] = result.n
    if link.kind == LinkKind.IMPROVED:
        withheld = result.suppressed or result.improved is None or result.n is None
        value = None if withheld else Decimal(round(result.improved * result.n))
    else:
        withheld = result.suppressed or result.mean_change is None
        value = None if withheld else Decimal(str(round(result.mean_change, 6)))
    return Resolved(link, value, withheld, source)


def resolve(link: MeasurementLink, cache: dict | None = None) -> Resolved:
    """The link's number now, with its source; survey results computed once per survey when a
    ``cache`` dict is shared across links."""
    if link.kind == LinkKind.INDICATOR:
        return _indicator(link)
    return _survey(link, {} if cache is None else cache)


def resolved_for(value_map) -> dict[int, Resolved]:
    """{outcome id: resolved link} of a map's linked outcomes."""
    links = MeasurementLink.objects.filter(outcome__value_map=value_map).select_related(
        "period__indicator", "survey_item__survey", "survey_item__library", "reviewed_by"
    )
    cache: dict = {}
    return {link.outcome_id: resolve(link, cache) for link in links}
