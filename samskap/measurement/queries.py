"""Reads that depend on who asks, for pages, the API and exports alike.

Who may do what (on top of ``registry.selectors``):

- see the measurement pages (aggregates only): ``can_see_internal`` — staff of an owning
  municipality, the project leader and partners taking part; others get 403, and those who
  cannot see the initiative at all 404;
- edit the results chain, indicators and surveys, report values, enter paper answers:
  ``can_edit`` (those who steer, plus partners taking part now);
- approve or return reported values: ``can_steer`` (the project leader, the owners'
  coordinators).
"""

import datetime
import functools
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from samskap.accounts.access import Access
from samskap.registry.models import Initiative
from samskap.registry.selectors import (
    PORTFOLIO_IDS,
    can_edit,
    can_see_internal,
    can_steer,
    compiled_ids,
    get_initiative_for,
    on_portfolio,
)

from . import totals
from .models import (
    ChainItem,
    Indicator,
    IndicatorValue,
    Level,
    LibraryIndicator,
    Period,
    Programme,
    Status,
    Survey,
    Unit,
    ValueKind,
)

ACTIONS = {
    "view": can_see_internal,
    "edit": can_edit,
    "steer": can_steer,
}


def measurement_initiative(access: Access, slug: str, action: str = "view") -> Initiative:
    """The initiative for a measurement page: 404 if invisible, 403 if not allowed."""
    initiative = get_initiative_for(access, slug, "view")
    if not ACTIONS[action](access, initiative):
        raise PermissionDenied
    return initiative


def library_for(initiative: Initiative) -> QuerySet[LibraryIndicator]:
    """The shared library plus the lead municipality's own indicators."""
    return LibraryIndicator.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=initiative.municipality_id)
    )


def chain_of(initiative: Initiative) -> list[tuple[str, str, list[ChainItem]]]:
    """The results chain by level, in chain order: [(level, label, items)]."""
    items = defaultdict(list)
    for item in initiative.chain_items.all():
        items[item.level].append(item)
    return [(value, label, items[value]) for value, label in Level.choices]


def get_indicator(initiative: Initiative, pk: int) -> Indicator:
    try:
        return initiative.indicators.select_related("library", "chain_item").get(pk=pk)
    except Indicator.DoesNotExist:
        raise Http404 from None


def get_value(initiative: Initiative, pk: int) -> IndicatorValue:
    try:
        return IndicatorValue.objects.select_related("period__indicator").get(
            pk=pk, period__indicator__initiative=initiative
        )
    except IndicatorValue.DoesNotExist:
        raise Http404 from None


def get_survey(initiative: Initiative, pk: int) -> Survey:
    try:
        return initiative.surveys.get(pk=pk)
    except Survey.DoesNotExist:
        raise Http404 from None


def progress(baseline: Decimal | None, target: Decimal | None, actual: Decimal | None):
    """Share of the way from baseline to target that the actual value has gone (may be below 0
    or above 1); None when it cannot be computed."""
    if baseline is None or target is None or actual is None or target == baseline:
        return None
    return float((actual - baseline) / (target - baseline))


def on_track(row: dict) -> bool | None:
    """An indicator period is on target when the actual value has reached its target."""
    if row["progress"] is None:
        return None
    return row["progress"] >= 1


def indicator_table(indicators: list[Indicator]) -> list[dict]:
    """Per indicator and period: baseline, target, actual (totals), progress and flags for
    disaggregations that do not add up — from one query of values."""
    ids = [indicator.pk for indicator in indicators]
    periods = defaultdict(list)
    for period in Period.objects.filter(indicator_id__in=ids).order_by("start"):
        periods[period.indicator_id].append(period)
    values = defaultdict(dict)
    parts = defaultdict(list)
    for value in IndicatorValue.objects.filter(period__indicator_id__in=ids):
        if value.dimension:
            parts[(value.period_id, value.kind, value.dimension)].append(value)
        else:
            values[value.period_id][value.kind] = value
    rows = []
    for indicator in indicators:
        for period in periods[indicator.pk]:
            found = values[period.pk]
            baseline = found.get(ValueKind.BASELINE)
            target = found.get(ValueKind.TARGET)
            actual = found.get(ValueKind.ACTUAL)
            row = {
                "indicator": indicator,
                "period": period,
                "baseline": baseline,
                "target": target,
                "actual": actual,
                "progress": progress(
                    baseline and baseline.value, target and target.value, actual and actual.value
                ),
                "mismatches": disaggregation_mismatches(indicator, found, parts, period.pk),
            }
            row["on_track"] = on_track(row)
            rows.append(row)
    return rows


def disaggregation_mismatches(indicator, totals: dict, parts: dict, period_id: int) -> list[str]:
    """Dimensions whose categories do not add up to the total (for percentages: numerators
    and denominators)."""
    problems = []
    for kind, total in totals.items():
        for dimension in indicator.disaggregations or {}:
            pieces = parts.get((period_id, kind, dimension))
            if not pieces:
                continue
            if indicator.unit == Unit.PERCENTAGE:
                numerator = sum((p.numerator or 0) for p in pieces)
                denominator = sum((p.denominator or 0) for p in pieces)
                if numerator != total.numerator or denominator != total.denominator:
                    problems.append(f"{kind}: {dimension}")
            elif indicator.unit != Unit.SCALE and sum(p.value for p in pieces) != total.value:
                problems.append(f"{kind}: {dimension}")
    return problems


def pending_review(initiative: Initiative) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(
        period__indicator__initiative=initiative, status=Status.SUBMITTED
    ).select_related("period__indicator")


BEHIND_LISTED = 20


@functools.lru_cache(maxsize=4)
def _period_totals_sql(today: datetime.date, vendor: str) -> tuple[str, tuple]:
    """Each started period's baseline, target and actual total (one row per indicator and
    period, latest last) for the initiatives of ``PORTFOLIO_IDS``: compiled once a day per
    process and database, as compiling it took longer than running it for a municipality."""
    kinds = (ValueKind.BASELINE, ValueKind.TARGET, ValueKind.ACTUAL)
    return (
        IndicatorValue.objects.filter(
            period__indicator__initiative_id__in=PORTFOLIO_IDS,
            period__start__lte=today,
            dimension="",
        )
        .order_by("period__indicator_id", "period__start", "period_id")
        .values("period__indicator_id", "period_id", "period__start")
        .annotate(**{kind: Max("value", filter=Q(kind=kind)) for kind in kinds})
        .values_list("period__indicator_id", "period_id", *kinds)
        .query.sql_with_params()
    )


Behind = list[tuple[float, int, int]]  # (progress, indicator id, period id), furthest behind first


def _status_from_values(compiled, today: datetime.date) -> tuple[bool, int, int, Behind]:
    """Whether any indicator has a started period with values, how many are on and behind
    target, and the furthest behind: from each period's totals, summed by the database."""
    latest = {}
    rows = on_portfolio(compiled, *_period_totals_sql(today, connection.vendor))
    for indicator_id, *period in rows:
        latest[indicator_id] = period  # the indicator's latest period comes last
    on_target = 0
    behind: Behind = []
    for indicator_id, (period_id, baseline, target, actual) in latest.items():
        share = progress(baseline, target, actual)
        if share is None:
            continue
        if share >= 1:
            on_target += 1
        else:
            behind.append((share, indicator_id, period_id))
    behind.sort()
    return bool(latest), on_target, len(behind), behind[:BEHIND_LISTED]


# PostgreSQL: the indicators' status rows (migration ``measurement.0010_indicator_status``),
# counted, and the furthest behind, in one statement.
_STATUS_SQL = f"""
SELECT counted.found, counted.on_target, counted.behind,
       listed.indicator_id, listed.period_id, listed.progress
  FROM (SELECT COUNT(period_id) AS found,
               COUNT(*) FILTER (WHERE progress >= 1) AS on_target,
               COUNT(*) FILTER (WHERE progress < 1) AS behind
          FROM measurement_indicatorstatus
         WHERE initiative_id IN (SELECT id FROM portfolio)) counted
  LEFT JOIN (SELECT indicator_id, period_id, progress
               FROM measurement_indicatorstatus
              WHERE initiative_id IN (SELECT id FROM portfolio) AND progress < 1
              ORDER BY progress, indicator_id, period_id
              LIMIT {BEHIND_LISTED}) listed ON TRUE
 ORDER BY listed.progress, listed.indicator_id, listed.period_id
"""  # noqa: S608 - a constant of this module, no user input


# PostgreSQL, a portfolio without filters: the counts per owning municipality, less the extra
# times an indicator of an initiative with several owners in the portfolio was counted, and the
# furthest behind (``%(owners)s``: the municipality ids).
_OWNER_STATUS_SQL = f"""
SELECT counted.found, counted.on_target, counted.behind,
       listed.indicator_id, listed.period_id, listed.progress
  FROM (SELECT SUM(found) AS found, SUM(on_target) AS on_target, SUM(behind) AS behind
          FROM (SELECT found, on_target, behind
                  FROM measurement_statuscounts WHERE municipality_id = ANY (%(owners)s)
                UNION ALL
                SELECT (1 - k) * (s.period_id IS NOT NULL)::int,
                       (1 - k) * COALESCE(s.progress >= 1, false)::int,
                       (1 - k) * COALESCE(s.progress < 1, false)::int
                  FROM (SELECT f.initiative_id,
                               (SELECT COUNT(*) FROM unnest(f.owners) o
                                 WHERE o = ANY (%(owners)s)) AS k
                          FROM registry_portfoliofacts f
                         WHERE cardinality(f.owners) > 1
                           AND f.owners && %(owners)s::bigint[]) co_owned
                  JOIN measurement_indicatorstatus s ON s.initiative_id = co_owned.initiative_id
               ) parts) counted
  LEFT JOIN (SELECT indicator_id, period_id, progress
               FROM measurement_indicatorstatus
              WHERE progress < 1
                AND initiative_id IN (SELECT initiative_id FROM registry_initiative_owners
                                       WHERE municipality_id = ANY (%(owners)s))
              ORDER BY progress, indicator_id, period_id
              LIMIT {BEHIND_LISTED}) listed ON TRUE
 ORDER BY listed.progress, listed.indicator_id, listed.period_id
"""  # noqa: S608 - a constant of this module, no user input


def _status_from_summary(
    compiled, today: datetime.date, owners: tuple[int, ...] | None = None
) -> tuple[bool, int, int, Behind]:
    """As ``_status_from_values``, from one status row per indicator that the database keeps:
    rows changed since, or computed for another day than ``today``'s span, are recomputed
    first (``measurement_status_refresh``). ``owners``, when the portfolio is exactly what
    those municipalities own, adds up their counts per municipality instead of the rows."""
    if compiled is None:
        return False, 0, 0, []
    with connection.cursor() as cursor:
        cursor.execute("SELECT measurement_status_refresh(%s)", [today])
        if owners is not None:
            cursor.execute(_OWNER_STATUS_SQL, {"owners": list(owners)})
            rows = cursor.fetchall()
        else:
            rows = None
    if rows is None:
        rows = on_portfolio(compiled, _STATUS_SQL)
    found, on_target, behind_count = (int(n or 0) for n in rows[0][:3])
    listed = [(share, i, p) for *_counts, i, p, share in rows if i is not None]
    return bool(found), on_target, behind_count, listed


def portfolio_indicator_status(
    initiatives: QuerySet[Initiative], today: datetime.date, count: bool = True
) -> dict:
    """Across the initiatives: how many indicators are on or behind target in their latest
    started period with values, and the ``BEHIND_LISTED`` furthest behind. SQLite sums up each
    period's baseline, target and actual total (one row per indicator and period, read through
    the driver, latest last); PostgreSQL reads one status row per indicator that it keeps
    current itself (a national portfolio: 1.1 s of SQL before). Then the names of the listed
    ones: at most four queries whatever the number of initiatives."""
    compiled = compiled_ids(initiatives)
    if connection.vendor == "postgresql":
        owners = getattr(initiatives, "owner_scope", None)
        found, on_target, behind_count, listed = _status_from_summary(compiled, today, owners)
    else:
        found, on_target, behind_count, listed = _status_from_values(compiled, today)
    periods = (
        Period.objects.select_related("indicator__initiative")
        .only(
            "label",
            "indicator__name",
            "indicator__initiative__title",
            "indicator__initiative__slug",
        )
        .in_bulk([period_id for _share, _i, period_id in listed])
    )
    return {
        # With ``count=False`` only whether there are any: known without a query when values
        # were found (the portfolio shows the panel, not the number).
        "indicators": Indicator.objects.filter(initiative__in=initiatives).count()
        if count
        else found or Indicator.objects.filter(initiative__in=initiatives).exists(),
        "on_target_count": on_target,
        "behind_count": behind_count,
        "behind_target": [
            {
                "indicator": periods[period_id].indicator,
                "period": periods[period_id],
                "progress": share,
            }
            for share, _indicator_id, period_id in listed
        ],
    }


def programme_totals(programme: Programme) -> list[dict]:
    """Indicator totals of a programme, computed when read from the initiatives' own values
    (the rules are those of ``totals``: every adopted indicator counts, even one library entry
    adopted twice by one initiative; periods are matched, ordered and carried forward by their
    dates; percentages pool numerators and denominators; cumulative indicators carry their
    latest value). Only approved actual values count, one query.

    One entry per library indicator: ``periods`` (each with its ``inputs``: which initiative's
    indicator contributed which value, so a page can show how the total was computed) and
    ``not_added``: indicators whose unit is not the library entry's (or scale scores), listed
    with their values but never summed.
    """
    values = (
        IndicatorValue.objects.filter(
            period__indicator__initiative__in=programme.initiatives.all(),
            period__indicator__library__isnull=False,
            kind=ValueKind.ACTUAL,
            dimension="",
            status=Status.APPROVED,
        )
        .select_related("period__indicator__library", "period__indicator__initiative")
        .order_by("period__indicator__initiative__title", "period__indicator_id", "period__start")
    )
    by_library: dict[int, dict] = {}
    for value in values:
        indicator = value.period.indicator
        entry = by_library.setdefault(
            indicator.library_id, {"library": indicator.library, "series": {}}
        )
        series = entry["series"].setdefault(
            indicator.pk,
            totals.Series(
                key=indicator.pk,
                unit=indicator.unit,
                cumulative=indicator.cumulative,
                owner=indicator,
            ),
        )
        series.points.append(
            totals.Point(
                start=value.period.start,
                end=value.period.end,
                label=value.period.label,
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                source=value,
            )
        )
    result = []
    for entry in by_library.values():
        unit = entry["library"].unit
        added, not_added = totals.split_by_unit(unit, entry["series"].values())
        periods = [
            {
                "label": period.label,
                "start": period.start,
                "end": period.end,
                "total": period.total,
                "numerator": period.numerator,
                "denominator": period.denominator,
                "initiatives": period.initiatives,
                "inputs": [
                    {
                        "initiative": series.owner.initiative,
                        "indicator": series.owner,
                        "period": point.label,
                        "value": point.value,
                        "numerator": point.numerator,
                        "denominator": point.denominator,
                        "carried": carried,
                    }
                    for series, point, carried in period.inputs
                ],
            }
            for period in (totals.period_totals(unit, added) if added else [])
        ]
        result.append(
            {
                "library": entry["library"],
                "unit": unit,
                "cumulative": any(series.cumulative for series in added),
                "periods": periods,
                "not_added": [
                    {
                        "indicator": series.owner,
                        "initiative": series.owner.initiative,
                        "unit": series.unit,
                        "values": sorted(series.points, key=lambda p: (p.end, p.start, p.label)),
                    }
                    for series in not_added
                ],
            }
        )
    return result
