"""Reads of value maps, with the permission checks, and the bridge to the pure engine.

Who may see a value map: those who may see the initiative's internal data
(``registry.selectors.can_see_internal``); who may change it: those who may edit the initiative
(``can_edit``). Everything — pages, exports, the API — comes through ``get_initiative_and_map``.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from samskap.accounts.access import Access
from samskap.core.coded import Coded, as_data
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit, can_see_internal, get_initiative_for

from . import engine
from .models import RANGED_OUTCOME_FIELDS, ValueMap
from .valuemap import ValueMap as EngineMap
from .valuemap import ValueMapError, parse, parse_discounting

SUMMARY_DRAWS = 10_000


def get_initiative_and_map(
    access: Access, slug: str, action: str = "view"
) -> tuple[Initiative, ValueMap | None]:
    """The initiative and its value map (or None): 404 if the initiative is not visible, 403 if
    its internal data is not (``view``) or it may not be edited (``edit``)."""
    initiative = get_initiative_for(access, slug, "view")
    if not can_see_internal(access, initiative):
        raise PermissionDenied
    if action == "edit" and not can_edit(access, initiative):
        raise PermissionDenied
    value_map = (
        ValueMap.objects.filter(initiative=initiative)
        .prefetch_related("inputs", "outcomes__proxy")
        .first()
    )
    return initiative, value_map


def maps_for_portfolio(initiatives: QuerySet[Initiative]) -> QuerySet[ValueMap]:
    return (
        ValueMap.objects.filter(initiative__in=initiatives)
        .select_related("initiative")
        .order_by("initiative__title")
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _ranged(obj: Any, name: str) -> Any:
    central = getattr(obj, name)
    if central is None:
        return None
    low = getattr(obj, f"{name}_low")
    high = getattr(obj, f"{name}_high")
    if low is None and high is None:
        return float(central)
    return {
        "low": float(low if low is not None else central),
        "central": float(central),
        "high": float(high if high is not None else central),
    }


# The map fields that decide its discounting (``convention_of`` reads only these).
DISCOUNTING_FIELDS = (
    "schedule",
    "discount_rate",
    "discount_rate_low",
    "discount_rate_high",
    "first_year",
)


def _discounting_data(value_map: ValueMap) -> dict[str, Any]:
    discounting: dict[str, Any] = {"first_year": value_map.first_year}
    if value_map.schedule:
        discounting["schedule"] = value_map.schedule
    else:
        discounting["rate"] = _ranged(value_map, "discount_rate")
    return discounting


def convention_of(value_map: ValueMap) -> Coded:
    """The map's discounting convention in words (a coded message: ``translated`` where it is
    shown), the same words its computed results print, from its own fields alone: lists of
    maps name it without computing any."""
    return parse_discounting(_discounting_data(value_map)).convention


def to_data(value_map: ValueMap) -> dict[str, Any]:
    """The stored map in the file format (``docs/valuation.md``), for the engine and exports."""
    data: dict[str, Any] = {
        "title": value_map.title,
        "currency": value_map.currency,
        "price_year": value_map.price_year,
        "discounting": _discounting_data(value_map),
        "inputs": [],
        "outcomes": [],
    }
    cost_benefit = {
        "analysis_period": value_map.analysis_period,
        "residual_value": _number(value_map.residual_value),
        "tax_financing_cost": _number(value_map.tax_financing_cost),
    }
    if any(v is not None for v in cost_benefit.values()):
        data["cost_benefit"] = {k: v for k, v in cost_benefit.items() if v is not None}
    if value_map.price_index:
        data["price_index"] = dict(value_map.price_index)
    if value_map.correlations:
        data["correlations"] = dict(value_map.correlations)
    if value_map.wellbeing_value_per_point is not None:
        data["wellbeing"] = {
            "value_per_point": _ranged(value_map, "wellbeing_value_per_point"),
            "source": value_map.wellbeing_source,
        }
    for item in value_map.inputs.all():
        entry: dict[str, Any] = {
            "stakeholder": item.stakeholder,
            "description": item.description,
            "year": item.year,
            "notes": item.rationale,
            "payer": item.payer,
            "flow": item.flow,
        }
        if item.hours is not None:
            entry["hours"] = float(item.hours)
            entry["hourly_value"] = _number(item.hourly_value)
        else:
            entry["amount"] = _ranged(item, "amount")
        data["inputs"].append(entry)
    # Outcomes linked to a measurement take their number from it now (links.py).
    from .links import resolved_for

    linked = resolved_for(value_map)
    for o in value_map.outcomes.all():
        entry = {
            "stakeholder": o.stakeholder,
            "outcome": o.outcome,
            "indicator": o.indicator,
            "quantity": _ranged(o, "quantity"),
            "proxy": _ranged(o, "proxy_value"),
            "proxy_source": o.proxy_source or (o.proxy.source if o.proxy else ""),
            "proxy_description": o.proxy.name if o.proxy else "",
            "life_satisfaction": _ranged(o, "life_satisfaction"),
            "duration": o.duration,
            "starts": o.starts,
            "payer": o.payer,
            "flow": o.flow,
            "proxy_price_year": o.proxy_price_year,
            "evidence": {
                name: {
                    "level": getattr(o, f"{name}_evidence"),
                    "source": getattr(o, f"{name}_source"),
                    "rationale": getattr(o, f"{name}_rationale"),
                }
                for name in ("deadweight", "attribution")
            },
        }
        for name in RANGED_OUTCOME_FIELDS[3:]:
            entry[name] = _ranged(o, name)
        if o.pk in linked:
            found = linked[o.pk]
            if found.target == "quantity":
                # A suppressed or not yet approved figure is never used: the quantity is 0.
                entry["quantity"] = float(found.value) if found.usable else 0.0
            elif found.usable:
                entry["life_satisfaction"] = float(found.value)
                entry.pop("proxy", None)
            else:
                entry.pop("life_satisfaction", None)
        if o.correlation_group:
            # The group moves the ranges of quantity and value (the usual co-movers: uptake
            # and the unit value of the same kind of outcome).
            for name in ("quantity", "proxy"):
                if isinstance(entry.get(name), dict):
                    entry[name]["group"] = o.correlation_group
        data["outcomes"].append({k: v for k, v in entry.items() if v not in (None, "")})
    return data


def to_engine(value_map: ValueMap) -> EngineMap:
    """The engine's map, or ``ValueMapError`` (e.g. no inputs yet)."""
    return parse(to_data(value_map))


# Results by what the engine was given (the map's data, draws, seed, view, tax-financing cost):
# the results page, its PDF and the initiative report compute the same map again and again, and
# its Monte Carlo and tornado took most of the initiative PDF's time (benchmarks/reports.py).
# The key is the engine's input itself, so any change to the map or what it links to computes
# anew.
_RESULTS: OrderedDict[str, engine.ValueResult] = OrderedDict()
_RESULTS_KEPT = 32
_RESULTS_LOCK = threading.Lock()


def compute(
    value_map: ValueMap, *, draws: int = SUMMARY_DRAWS, view: str = "sroi"
) -> engine.ValueResult:
    """All figures in one view; the seed is the map's id, so a page and its export agree."""
    engine_map = to_engine(value_map)
    tax = settings.SAMSKAP_TAX_FINANCING_COST
    # The engine's map as written out: the same input gives the same figures (a repr that
    # holds an object's address never repeats, so such a map is simply computed every time).
    key = hashlib.sha256(repr((engine_map, draws, value_map.pk, view, tax)).encode()).hexdigest()
    with _RESULTS_LOCK:
        if key in _RESULTS:
            _RESULTS.move_to_end(key)
            return _RESULTS[key]
    result = engine.compute(
        engine_map, draws=draws, seed=value_map.pk, view=view, tax_financing_cost=tax
    )
    with _RESULTS_LOCK:
        _RESULTS[key] = result
        while len(_RESULTS) > _RESULTS_KEPT:
            _RESULTS.popitem(last=False)
    return result


def compute_both(
    value_map: ValueMap, *, draws: int = SUMMARY_DRAWS
) -> tuple[engine.ValueResult, engine.ValueResult, str]:
    """The SROI and the cost-benefit view, and the sentence on why they differ."""
    sroi = compute(value_map, draws=draws, view="sroi")
    cba = compute(value_map, draws=draws, view="cba")
    return sroi, cba, engine.why_views_differ(sroi, cba)


def summary_of(value_map: ValueMap) -> dict[str, Any]:
    """The headline (ratio with its 5-95 % band, PV, NPV) for panels and the portfolio."""
    try:
        result = compute(value_map)
    except ValueMapError as error:
        # Stored with code and parameters, so the panel shows them in the reader's language.
        return {"version": value_map.version, "problems": [as_data(m) for _, m in error.problems]}
    u = result.uncertainty
    assert u is not None
    cba = compute(value_map, view="cba")
    cu, cb = cba.uncertainty, cba.cost_benefit
    assert cu is not None and cb is not None
    per_krone = cu.npv_per_budget_krone_percentiles or {}
    return {
        # The cost-benefit view (R-109/21, DFØ 2023) beside the SROI headline.
        "cba_net_present_value": cba.net_present_value,
        "cba_npv_p5": cu.npv_percentiles[5],
        "cba_npv_p95": cu.npv_percentiles[95],
        "cba_ratio": cba.sroi_ratio,
        "npv_per_budget_krone": cb["npv_per_budget_krone"],
        "npv_per_budget_krone_p5": per_krone.get(5),
        "npv_per_budget_krone_p95": per_krone.get(95),
        "budget_cost_share": cu.budget_cost_share,
        "version": value_map.version,
        "currency": value_map.currency,
        "present_value": result.present_value,
        "present_value_p5": u.pv_percentiles[5],
        "present_value_p95": u.pv_percentiles[95],
        "net_present_value": result.net_present_value,
        "ratio": result.sroi_ratio,
        "ratio_p5": u.ratio_percentiles[5],
        "ratio_p50": u.ratio_percentiles[50],
        "ratio_p95": u.ratio_percentiles[95],
        "probability_ratio_above_1": u.probability_ratio_above_1,
        "warnings": len(result.warnings),
        "draws": u.draws,
    }
