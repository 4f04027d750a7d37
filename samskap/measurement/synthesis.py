"""Synthesis across initiatives: the paired effects of every initiative that measured one
library instrument, pooled by a random-effects meta-analysis (``meta.py``).

Each study is one survey of one initiative: the paired Hedges' g_z of the instrument's item
from before to after and its sampling variance (``meta.effect_of_paired``), taken from the same
computation as the survey's results page, so an item suppressed there (fewer pairs than the
municipality's threshold) is left out here too. Studies come from the viewer's own
municipality's initiatives; results other municipalities have published are to be added when
publishing exists (see docs/measurement.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samskap.accounts.models import Municipality
from samskap.core import charts

from . import meta, results
from .models import LibraryIndicator, SurveyItem


@dataclass
class Synthesis:
    library: LibraryIndicator
    studies: list[dict]  # label, initiative, survey, n, effect, variance
    result: meta.MetaResult | None
    left_out: int  # surveys whose item was suppressed or had no effect size
    method: str


def library_synthesis(
    municipality: Municipality, library: LibraryIndicator, method: str = "reml"
) -> Synthesis:
    """The studies of ``library`` in ``municipality``'s initiatives and their pooled effect."""
    if method not in meta.METHODS:
        method = "reml"
    items = (
        SurveyItem.objects.filter(library=library, survey__initiative__municipality=municipality)
        .select_related("survey__initiative")
        .order_by("survey__initiative__title", "survey__pk")
    )
    studies, left_out = [], 0
    for item in items:
        survey = item.survey
        row = next((r for r in results.survey_results(survey) if r.item.pk == item.pk), None)
        res = row.result if row is not None else None
        if res is None or res.suppressed or res.hedges_gz is None:
            left_out += 1
            continue
        effect, variance = meta.effect_of_paired(res.hedges_gz, res.cohens_dz, res.n)
        studies.append(
            {
                "label": survey.initiative.title,
                "initiative": survey.initiative,
                "survey": survey,
                "n": res.n,
                "effect": effect,
                "variance": variance,
            }
        )
    result = None
    if len(studies) >= 2:
        result = meta.random_effects(
            [s["effect"] for s in studies],
            [s["variance"] for s in studies],
            [s["label"] for s in studies],
            method=method,
        )
    return Synthesis(library, studies, result, left_out, method)


def table_rows(synthesis: Synthesis) -> list[dict]:
    """One row per study: its figures, 95 % interval, weight and the average without it."""
    result = synthesis.result
    rows = []
    for i, study in enumerate(synthesis.studies):
        half = 1.959963984540054 * math.sqrt(study["variance"])
        rows.append(
            {
                **study,
                "low": study["effect"] - half,
                "high": study["effect"] + half,
                "weight": result.studies[i].weight if result else None,
                "without": result.leave_one_out[i].estimate
                if result and result.leave_one_out
                else None,
            }
        )
    return rows


def forest_plot(synthesis: Synthesis) -> str | None:
    """Each study's g_z with its 95 % interval (square sized by its weight), the pooled
    estimate as a diamond and the prediction interval as a line under it."""
    result = synthesis.result
    if result is None:
        return None
    k = result.k
    fig = charts.new_figure(6.4, 1.2 + 0.45 * (k + 2))
    ax = fig.add_subplot()
    labels = []
    for y, study in enumerate(result.studies):
        half = 1.959963984540054 * math.sqrt(study.variance)
        ax.plot([study.effect - half, study.effect + half], [y, y], color="#1f4e79")
        ax.plot([study.effect], [y], "s", color="#1f4e79", markersize=4 + 8 * study.weight / 100)
        labels.append(study.label)
    y = k + 0.5
    low, high = result.ci95
    ax.fill(
        [low, result.estimate, high, result.estimate],
        [y, y - 0.3, y, y + 0.3],
        color="#7a4e00",
    )
    labels_y = list(range(k)) + [y]
    labels.append(_("Pooled (random effects)"))
    if result.prediction95 is not None:
        ax.plot(list(result.prediction95), [y + 0.7, y + 0.7], color="#7a4e00", linestyle="--")
        labels_y.append(y + 0.7)
        labels.append(_("95 % prediction interval"))
    ax.axvline(0, color="#666666", linewidth=1)
    ax.set_yticks(labels_y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(_("Hedges' g_z (standardised change from before to after)"))
    description = _(
        "%(k)s initiatives; pooled effect %(estimate)s (95 %% CI %(low)s to %(high)s)."
    ) % {
        "k": k,
        "estimate": f"{result.estimate:.2f}",
        "low": f"{low:.2f}",
        "high": f"{high:.2f}",
    }
    return charts.svg(fig, _("Forest plot"), description)


def as_data(synthesis: Synthesis) -> dict:
    """For the API: the keys of ``samskap stats meta --format json`` plus the studies' n and
    leave-one-out, or ``result: None`` with fewer than two studies."""
    studies = [
        {
            "label": s["label"],
            "initiative": s["initiative"].slug,
            "n": s["n"],
            "effect": s["effect"],
            "variance": s["variance"],
        }
        for s in synthesis.studies
    ]
    data: dict = {
        "instrument": synthesis.library.code,
        "method": synthesis.method,
        "studies": studies,
        "left_out": synthesis.left_out,
        "result": None,
    }
    if synthesis.result is not None:
        data["result"] = synthesis.result.as_dict()
        data["leave_one_out"] = [
            {"label": row.label, "estimate": row.estimate, "shift": row.shift}
            for row in synthesis.result.leave_one_out
        ]
    return data
