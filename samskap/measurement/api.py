"""Measurement API (mounted at ``/api/v1/measurement/``): indicator values for partner systems
(read and write, with the same permissions as the pages) and survey aggregates with the
small-group rule applied. Participant-level data is never returned."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import WithJsonSchema

from samskap.api import AUTH_REQUIRED, api_access, responses

from . import programmes, results, services, synthesis
from . import queries as selectors

router = Router(auth=AUTH_REQUIRED)


class ValueOut(Schema):
    id: int
    period: str
    kind: str
    dimension: str
    category: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    version: int


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    cumulative: bool
    values: list[ValueOut]


# A decimal as a JSON number or as text in plain notation ("7.5"): what the schema says is
# exactly what is read (pydantic's own schema allows any text, then refuses most of it).
Number = Annotated[
    Decimal,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$"},
            ]
        }
    ),
]


class ValueIn(Schema):
    period: str
    kind: Literal["baseline", "target", "actual"]
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    dimension: str = ""
    category: str = ""
    measured_on: datetime.date | None = None
    method: str = ""
    expected_version: int | None = None


def _initiative(request, slug: str, action: str):
    access = api_access(request)
    try:
        return access, selectors.measurement_initiative(access, slug, action)
    except PermissionDenied:
        raise HttpError(403, "You may not do this for this initiative.") from None


def _value_out(value) -> dict:
    return {
        "id": value.pk,
        "period": value.period.label,
        "kind": value.kind,
        "dimension": value.dimension,
        "category": value.category,
        "value": value.value,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "status": value.status,
        "version": value.version,
    }


@router.get(
    "/initiatives/{slug}/indicators", response=responses({200: list[IndicatorOut]}, 403, 404)
)
def indicators(request, slug: str):
    _access, initiative = _initiative(request, slug, "view")
    found = list(initiative.indicators.all())
    values = selectors.IndicatorValue.objects.filter(period__indicator__in=found).select_related(
        "period"
    )
    by_indicator: dict[int, list] = {}
    for value in values:
        by_indicator.setdefault(value.period.indicator_id, []).append(_value_out(value))
    return [
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "direction": i.direction,
            "cumulative": i.cumulative,
            "values": by_indicator.get(i.pk, []),
        }
        for i in found
    ]


@router.post(
    "/initiatives/{slug}/indicators/{code}/values",
    response=responses({201: ValueOut}, 403, 404, 422),
)
def value_write(request, slug: str, code: str, payload: ValueIn):
    access, initiative = _initiative(request, slug, "edit")
    indicator = initiative.indicators.filter(code=code).first()
    if indicator is None:
        return Status(404, {"detail": "Unknown indicator code."})
    period = indicator.periods.filter(label=payload.period).first()
    if period is None:
        return Status(400, {"detail": {"period": ["The indicator has no such period."]}})
    data = payload.dict()
    data.pop("period")
    try:
        value = services.value_save(access=access, period=period, **data)
    except ValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else " ".join(error.messages)
        return Status(400, {"detail": detail})
    return Status(201, _value_out(value))


def _difference(found) -> dict | None:
    if found is None:
        return None
    return {"estimate": found.estimate, "se": found.se, "df": found.df, "ci95": list(found.ci95)}


@router.get(
    "/initiatives/{slug}/surveys/{survey_id}/results",
    response=responses({200: dict}, 403, 404, 422),
)
def survey_results(request, slug: str, survey_id: int):
    _access, initiative = _initiative(request, slug, "view")
    survey = selectors.get_survey(initiative, survey_id)
    out = []
    for row in results.survey_results(survey):
        data = row.result.as_dict()
        data.pop("reliable_change_index", None)
        if data["n"] is None or data["n"] < 10:
            data["changes"] = None  # individual changes stay on the pages' anonymous dot plot
        out.append(
            {
                "item": row.item.library.code,
                "summary": row.summary,
                "paired": data,
                "unpaired_before": row.unpaired_before,
                "unpaired_after": row.unpaired_after,
                "comparison": row.comparison,
                "difference_in_differences": _difference(row.difference_in_differences),
                "minimal_important_difference": row.mid,
                "exceeds_minimal_important_difference": row.exceeds_mid,
                "holm_p": row.holm_p,
                "yes_before": row.yes_before,
                "yes_after": row.yes_after,
                "mcnemar_p": row.mcnemar.p_value if row.mcnemar else None,
                "mcnemar_method": row.mcnemar.method if row.mcnemar else None,
            }
        )
    return {"survey": survey.title, "results": out}


@router.get(
    "/municipalities/{municipality}/library/{code}/synthesis",
    response=responses({200: dict}, 403, 404, 422),
)
def library_synthesis(
    request, municipality: str, code: str, method: Literal["reml", "dl"] = "reml"
):
    """The random-effects synthesis of one library instrument across the municipality's
    initiatives (the keys of ``samskap stats meta --format json`` under ``result``)."""
    access = api_access(request)
    try:
        place = programmes.municipality_for(access, municipality)
    except Http404:
        return Status(404, {"detail": "Not found."})
    entry = programmes.library_available(place).filter(code=code).first()
    if entry is None:
        return Status(404, {"detail": "Unknown library indicator."})
    return Status(200, synthesis.as_data(synthesis.library_synthesis(place, entry, method)))
