"""The figures of a computed value map as the results page, its PDF export and the initiative
report show them (computed when read, seeded by the map's id, as ``selectors.compute``)."""

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.utils import translation

from samskap.core.charts import phone_copy_wanted
from samskap.core.coded_texts import translated

from . import charts, labels, selectors
from .valuemap import ValueMapError

# The charts of recent results, per language: drawing them took most of the time of a value
# results page and of the initiative PDF once the results themselves were kept
# (``selectors.compute``). An entry holds its result, so a key is never taken for another.
_CHARTS: OrderedDict[tuple[str, int, str, bool], tuple[object, str]] = OrderedDict()
_CHARTS_KEPT = 96
_CHARTS_LOCK = threading.Lock()


def _chart(name: str, result, draw: Callable[[], str]) -> str:
    key = (name, id(result), translation.get_language() or "", phone_copy_wanted())
    with _CHARTS_LOCK:
        kept = _CHARTS.get(key)
        if kept is not None and kept[0] is result:
            _CHARTS.move_to_end(key)
            return kept[1]
    chart = draw()
    with _CHARTS_LOCK:
        _CHARTS[key] = (result, chart)
        while len(_CHARTS) > _CHARTS_KEPT:
            _CHARTS.popitem(last=False)
    return chart


def results_context(initiative, vmap, view: str = "sroi") -> dict:
    """The figures of one view in detail, and both views side by side with the sentence on
    why they differ (``engine.why_views_differ``)."""
    try:
        sroi, cba, why = selectors.compute_both(vmap)
    except ValueMapError as error:
        return {"initiative": initiative, "value_map": vmap, "problems": error.problems}
    result = cba if view == "cba" else sroi
    tornado = result.tornado[:10]

    def label(parameter) -> str:
        return labels.parameter_label(parameter, result.value_map)

    years, grid = charts.stakeholder_years(result)
    return {
        "initiative": initiative,
        "value_map": vmap,
        "view": result.view,
        "views": [sroi, cba],
        "sroi": sroi,
        "cba": cba,
        "cb": cba.cost_benefit,
        "transfers_total": cba.cost_benefit["transfers_present_value"]
        + cba.cost_benefit["transfer_inputs_present_value"],
        "why_views_differ": why,
        "result": result,
        # The discounting convention in words: printed with every result (page, PDF, report).
        "convention": translated(result.discounting.convention),
        # Where each linked number comes from, and whether it changed since the last review.
        "links": _links(vmap),
        "u": result.uncertainty,
        "years": years,
        "grid": grid,
        "histogram_rows": list(
            zip(
                result.uncertainty.ratio_histogram[0][:-1],
                result.uncertainty.ratio_histogram[0][1:],
                result.uncertainty.ratio_histogram[1],
                strict=True,
            )
        ),
        "chart_years": _chart(
            "years", result, lambda: charts.value_by_stakeholder_and_year(result)
        ),
        "chart_ratio": _chart("ratio", result, lambda: charts.ratio_distribution(result)),
        "chart_tornado": _chart(
            "tornado",
            result,
            lambda: charts.tornado(result, [label(bar.parameter) for bar in tornado]),
        ),
        "break_even": [{"label": label(be.parameter), "be": be} for be in result.break_even[:15]],
        "tornado": [{"label": label(bar.parameter), "bar": bar} for bar in tornado],
        "outcome_rows": [{"o": o, "explanation": labels.explanation(o)} for o in result.outcomes],
    }


def _links(vmap) -> list[dict]:
    from .links import resolved_for

    outcomes = {o.pk: o for o in vmap.outcomes.all()}
    return [
        {"outcome": outcomes[pk], "resolved": found}
        for pk, found in sorted(resolved_for(vmap).items())
        if pk in outcomes
    ]
