"""Health-check results as JSON: aggregates only, with the pages' suppression and permissions.

``GET /api/v1/health/initiatives/{slug}/rounds`` lists an initiative's rounds;
``GET /api/v1/health/initiatives/{slug}/rounds/{number}`` gives a closed round's scores.
A suppressed figure is ``null`` with ``suppressed: true``; nothing about single respondents.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from samskap.api import AUTH_REQUIRED, api_access, responses

from . import queries

router = Router(auth=AUTH_REQUIRED)


class RoundOut(Schema):
    number: int
    title: str
    closes_on: str
    closed: bool
    item_bank_version: str


class CellOut(Schema):
    party: str
    suppressed: bool
    n: int | None
    mean: float | None
    sd: float | None


class DimensionOut(Schema):
    dimension: str
    name: str
    cells: list[CellOut]
    gap: float | None
    gap_ci95: list[float] | None = None
    flags: list[str]


class DistributionOut(Schema):
    party: str
    suppressed: bool
    counts: dict[str, int] | None
    dont_know: int | None


class ItemOut(Schema):
    code: str
    dimension: str
    text: str
    distributions: list[DistributionOut]


class ScoresOut(Schema):
    round: RoundOut
    threshold: int
    respondents: dict[str, int | None]
    dimensions: list[DimensionOut]
    items: list[ItemOut]


def _get(request, call, *args):
    access = api_access(request)
    try:
        return call(access, *args)
    except Http404:
        raise HttpError(404, "Not found.") from None
    except PermissionDenied:
        raise HttpError(403, "You may not see this initiative's health checks.") from None


def _round_out(round_, today) -> RoundOut:
    return RoundOut(
        number=round_.number,
        title=round_.title,
        closes_on=round_.closes_on.isoformat(),
        closed=round_.is_closed(today),
        item_bank_version=round_.bank.version,
    )


@router.get("/initiatives/{slug}/rounds", response=responses({200: list[RoundOut]}, 403, 404))
def rounds(request, slug: str):
    initiative = _get(request, queries.get_initiative, slug)
    today = timezone.localdate()
    return [
        _round_out(r, today)
        for r in initiative.health_rounds.select_related("bank").order_by("number")
    ]


@router.get(
    "/initiatives/{slug}/rounds/{number}",
    response=responses({200: ScoresOut}, 403, 404, 409, 422),
)
def round_scores(request, slug: str, number: int):
    round_ = _get(request, queries.get_round, slug, number)
    today = timezone.localdate()
    if not round_.is_closed(today):
        raise HttpError(409, "Results are shown when the round is closed.")
    result = queries.results([round_])[0]
    score = result.score
    dimensions = [
        DimensionOut(
            dimension=d.dimension,
            name=result.dimensions[d.dimension].name,
            cells=[
                CellOut(
                    party=party, suppressed=cell.suppressed, n=cell.n, mean=cell.mean, sd=cell.sd
                )
                for party, cell in d.cells.items()
            ],
            gap=d.gap,
            gap_ci95=list(d.gap_ci95) if d.gap_ci95 else None,
            flags=list(d.flags),
        )
        for d in score.dimensions
    ]
    items = [
        ItemOut(
            code=result.round_items[i.item].item.code,
            dimension=i.dimension,
            text=result.round_items[i.item].item.text,
            distributions=[
                DistributionOut(
                    party=party,
                    suppressed=dist.suppressed,
                    counts=None if dist.suppressed else {str(k): v for k, v in dist.counts.items()},
                    dont_know=None if dist.suppressed else dist.dont_know,
                )
                for party, dist in i.distributions.items()
            ],
        )
        for i in score.items
    ]
    return ScoresOut(
        round=_round_out(round_, today),
        threshold=score.threshold,
        respondents={p: score.respondents_shown(p) for p in score.parties},
        dimensions=dimensions,
        items=items,
    )
