"""The figures of a computed value map as the results page, its PDF export and the initiative
report show them (computed when read, seeded by the map's id, as ``selectors.compute``)."""

from samskap.core.coded_texts import translated

from . import charts, labels, selectors
from .valuemap import ValueMapError


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
        "chart_years": charts.value_by_stakeholder_and_year(result),
        "chart_ratio": charts.ratio_distribution(result),
        "chart_tornado": charts.tornado(result, [label(bar.parameter) for bar in tornado]),
        "break_even": [{"label": label(be.parameter), "be": be} for be in result.break_even[:15]],
        "tornado": [{"label": label(bar.parameter), "bar": bar} for bar in tornado],
        "outcome_rows": [{"o": o, "explanation": labels.explanation(o)} for o in result.outcomes],
    }
