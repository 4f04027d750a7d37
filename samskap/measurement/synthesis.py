"""Synthesis across initiatives: the paired effects of every initiative that measured one
library instrument, pooled by a random-effects meta-analysis (``meta.py``).

Each study is one survey of one initiative: the paired Hedges' g_z of the instrument's item
from before to after and its sampling variance (``meta.effect_of_paired``), taken from the same
computation as the survey's results page, so an item suppressed there (fewer pairs than the
municipality's threshold) is left out here too.

Studies come from the viewer's own municipality's initiatives and, from other municipalities,
only from public initiatives whose municipality published its results (``ResultsPublication``,
issue 17) and only the effects the public page shows (``results.publishable``: not suppressed,
with an interval). Their g_z follows from what is published (the mean change, its interval
and the pairs give the SD of the change). A published effect about fewer people than the
viewer's own threshold is left out as well, and nothing about another municipality's
unpublished surveys is counted or shown, not even how many were left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samskap.accounts.models import Municipality
from samskap.core import charts
from samskap.core.privacy import threshold_for
from samskap.registry.models import Visibility

from . import meta, results
from .models import LibraryIndicator, SurveyItem


@dataclass
class Synthesis:
    library: LibraryIndicator
    # label, initiative, municipality, published (from another municipality), url (its public
    # page when published elsewhere), survey, n, effect, variance
    studies: list[dict]
    result: meta.MetaResult | None
    left_out: int  # own surveys whose item was suppressed or had no effect size
    method: str

    @property
    def published_elsewhere(self) -> int:
        return sum(1 for s in self.studies if s["published"])


def _items(municipality: Municipality, library: LibraryIndicator):
    """The instrument's survey items: the municipality's own, then those of public initiatives
    elsewhere whose municipality published its results."""
    items = SurveyItem.objects.filter(library=library).select_related(
        "survey__initiative__municipality"
    )
    order = ("survey__initiative__title", "survey__pk")
    own = items.filter(survey__initiative__municipality=municipality).order_by(*order)
    published = (
        items.filter(
            survey__initiative__visibility=Visibility.PUBLIC,
            survey__initiative__results_publication__published=True,
        )
        .exclude(survey__initiative__municipality=municipality)
        .order_by("survey__initiative__municipality__name", *order)
    )
    return [(item, False) for item in own] + [(item, True) for item in published]


def library_synthesis(
    municipality: Municipality, library: LibraryIndicator, method: str = "reml"
) -> Synthesis:
    """The studies of ``library`` (the municipality's own and those other municipalities
    published) and their pooled effect."""
    if method not in meta.METHODS:
        method = "reml"
    threshold = threshold_for(municipality)
    studies, left_out = [], 0
    for item, elsewhere in _items(municipality, library):
        survey = item.survey
        initiative = survey.initiative
        row = next((r for r in results.survey_results(survey) if r.item.pk == item.pk), None)
        res = row.result if row is not None else None
        usable = res is not None and not res.suppressed and res.hedges_gz is not None
        if elsewhere:
            # Only what the owner's public page shows, and nothing about fewer people than
            # this municipality's own threshold; never counted as left out (that would tell
            # of surveys the other municipality has not published).
            if not usable or not results.publishable(res) or res.n < threshold:
                continue
        elif not usable:
            left_out += 1
            continue
        effect, variance = meta.effect_of_paired(res.hedges_gz, res.cohens_dz, res.n)
        studies.append(
            {
                "label": _("%(initiative)s (%(municipality)s)")
                % {"initiative": initiative.title, "municipality": initiative.municipality.name}
                if elsewhere
                else initiative.title,
                "initiative": initiative,
                "municipality": initiative.municipality,
                "published": elsewhere,
                "url": initiative.get_absolute_url() if elsewhere else None,
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
            "municipality": s["municipality"].slug,
            "published_by_other_municipality": s["published"],
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
