"""Published results: a coordinator of the initiative's municipality decides to show its
measured effects and its value on the public page, in the showcase filter "with measured
results" and in the open data (NLOD). The decision is recorded (who, when, with history) and
reversible. What is shown is computed when read, and only what passes the suppression rule:

- each survey measure's paired mean change with its 95 % interval and the number of pairs,
  where the result is not suppressed and has an interval (10 pairs or more);
- the value: the SROI ratio with its 5–95 % band and the method note (the discounting
  convention and the number of simulations). Linked numbers that are suppressed never feed it
  (``links.py``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.core.coded_texts import translated
from samskap.measurement.results import publishable, survey_results
from samskap.registry.models import Initiative
from samskap.registry.public import PUBLISHED_RESULTS_FIELDS

from . import selectors
from .models import ResultsPublication, ValueMap


def can_publish(access: Access, initiative: Initiative) -> bool:
    """Only a coordinator (or administrator) of the initiative's own municipality."""
    return initiative.municipality_id in access.manager_municipality_ids


@transaction.atomic
def results_publish(*, access: Access, initiative: Initiative, publish: bool) -> ResultsPublication:
    if not can_publish(access, initiative):
        raise PermissionDenied(_("Only the municipality's coordinators can publish results."))
    # One history row per decision: the row is created with the first decision.
    record = ResultsPublication.objects.select_for_update().filter(initiative=initiative).first()
    if record is None:
        record = ResultsPublication(
            initiative=initiative, municipality_id=initiative.municipality_id
        )
    record.published = publish
    record.decided_by_id = access.user_id
    record.decided_at = timezone.now()
    record.save()
    return record


def is_published(initiative: Initiative) -> bool:
    return ResultsPublication.objects.filter(initiative=initiative, published=True).exists()


def public_results(initiative: Initiative) -> dict[str, Any] | None:
    """The published figures, or None when the initiative has not published."""
    record = ResultsPublication.objects.filter(initiative=initiative, published=True).first()
    if record is None:
        return None
    effects = []
    for survey in initiative.surveys.all():
        for row in survey_results(survey):
            result = row.result
            if not publishable(result):
                continue
            effects.append(
                {
                    "survey": survey.title,
                    "measure": row.item.library.text("name"),
                    "pairs": result.n,
                    "mean_change": result.mean_change,
                    "ci95_low": result.ci95[0],
                    "ci95_high": result.ci95[1],
                }
            )
    value = None
    value_map = ValueMap.objects.filter(initiative=initiative).first()
    if value_map is not None and value_map.summary.get("ratio") is not None:
        convention = translated(selectors.convention_of(value_map))
        s = value_map.summary
        value = {
            "sroi_ratio": s["ratio"],
            "sroi_ratio_p5": s["ratio_p5"],
            "sroi_ratio_p95": s["ratio_p95"],
            "draws": s.get("draws"),
            "method": convention,
        }
    return {"published_at": record.decided_at, "effects": effects, "value": value}


def published_fields(initiative: Initiative) -> dict[str, Any] | None:
    """What the municipality published, under the names of the public list
    (``registry.public.PUBLISHED_RESULTS_FIELDS``), for the open data and the API alike; None
    when the initiative has not published (or withdrew)."""
    found = public_results(initiative)
    if found is None:
        return None
    value = found["value"] or {}
    fields = {
        "sroi_ratio": value.get("sroi_ratio"),
        "sroi_ratio_p5": value.get("sroi_ratio_p5"),
        "sroi_ratio_p95": value.get("sroi_ratio_p95"),
        "value_method": value.get("method", ""),
        "measured_effects": found["effects"],
    }
    assert tuple(fields) == PUBLISHED_RESULTS_FIELDS, "publication and the public list differ"
    return fields
