"""Reads that depend on who asks, and the scores computed from the stored answers.

Who may do what (the lead's decision, see docs/health.md):
- start and close rounds, see who has answered, send reminders: those who steer the initiative
  (``registry.selectors.can_steer``);
- see results (aggregates only): those who may see the initiative's internal data
  (``can_see_internal``), partners included. Nobody sees individual answers: no page or
  endpoint reads an answer together with its respondent.

Results are shown only for closed rounds (closed by hand or past the closing date), so nobody
can watch the figures move as individual answers arrive.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samskap.accounts.access import Access
from samskap.core.privacy import threshold_for
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_see_internal, can_steer, get_initiative_for

from . import scoring
from .models import Answer, Dimension, Respondent, Round, RoundItem, RoundStatus


def get_initiative(access: Access, slug: str, action: str = "results") -> Initiative:
    """The initiative for a health-check page: 404 if not visible; 403 if the user may not see
    results (``results``) or steer (``steer``)."""
    initiative = get_initiative_for(access, slug, "view")
    allowed = can_steer if action == "steer" else can_see_internal
    if not allowed(access, initiative):
        raise PermissionDenied
    return initiative


def get_round(access: Access, slug: str, number: int, action: str = "results") -> Round:
    initiative = get_initiative(access, slug, action)
    try:
        round_ = Round.objects.select_related("municipality", "bank").get(
            initiative=initiative, number=number
        )
    except Round.DoesNotExist:
        raise Http404 from None
    round_.initiative = initiative
    return round_


def rounds_of(initiative: Initiative) -> QuerySet[Round]:
    """The initiative's rounds, newest first, with their response counts (one query)."""
    return initiative.health_rounds.annotate(
        invited=Count("respondents", distinct=True),
        submitted=Count(
            "respondents", filter=Q(respondents__submitted_at__isnull=False), distinct=True
        ),
    ).order_by("-number")


def respondent_status(round_: Round) -> QuerySet[Respondent]:
    """Who has been asked and whether they have answered (for reminders; never what)."""
    return round_.respondents.select_related("organisation").annotate(
        reminder_count=Count("reminders")
    )


# --- scores --------------------------------------------------------------------------------


@dataclass
class RoundResult:
    """A closed round's scores, with what the pages need to label them."""

    round: Round
    score: scoring.RoundScore
    dimensions: dict[str, Dimension]  # code → dimension (for names), in order
    round_items: dict[str, RoundItem]  # key used in the score → round item (for wording)
    comments: dict[str, list[str]]  # party → comments (only parties that are shown)

    @property
    def label(self) -> str:
        return self.round.title


def _round_items(rounds: list[Round]) -> dict[int, list[RoundItem]]:
    by_round: dict[int, list[RoundItem]] = defaultdict(list)
    for ri in (
        RoundItem.objects.filter(round__in=rounds)
        .select_related("item", "item__dimension")
        .order_by("round_id", "position")
    ):
        by_round[ri.round_id].append(ri)
    return by_round


def _responses(rounds: list[Round]) -> dict[int, list[scoring.Response]]:
    """Submitted answers only, grouped into anonymous responses (the respondent id is used to
    group and then dropped)."""
    grouped: dict[tuple[int, int], tuple[str, dict[str, int | None]]] = {}
    rows = Answer.objects.filter(
        round_item__round__in=rounds, respondent__submitted_at__isnull=False
    ).values_list(
        "round_item__round_id", "respondent_id", "respondent__party", "round_item_id", "value"
    )
    for round_id, respondent_id, party, round_item_id, value in rows:
        key = (round_id, respondent_id)
        grouped.setdefault(key, (party, {}))[1][str(round_item_id)] = value
    by_round: dict[int, list[scoring.Response]] = defaultdict(list)
    for (round_id, _respondent), (party, answers) in grouped.items():
        by_round[round_id].append(scoring.Response(party, answers))
    return by_round


def _comments(rounds: list[Round]) -> dict[int, dict[str, list[str]]]:
    by_round: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Respondent.objects.filter(round__in=rounds, submitted_at__isnull=False)
        .exclude(comment="")
        .values_list("round_id", "party", "comment")
    )
    for round_id, party, comment in rows:
        by_round[round_id][party].append(comment)
    return by_round


def results(rounds: list[Round]) -> list[RoundResult]:
    """Scores of the given rounds, in a fixed number of queries (four) whatever their number."""
    if not rounds:
        return []
    items_by_round = _round_items(rounds)
    responses = _responses(rounds)
    comments = _comments(rounds)
    output = []
    for round_ in rounds:
        round_items = items_by_round.get(round_.pk, [])
        dimensions: dict[str, Dimension] = {}
        for ri in sorted(round_items, key=lambda ri: ri.item.dimension.position):
            dimensions.setdefault(ri.item.dimension.code, ri.item.dimension)
        score = scoring.score_round(
            responses.get(round_.pk, []),
            {str(ri.pk): ri.item.dimension.code for ri in round_items},
            list(dimensions),
            threshold=threshold_for(round_.municipality),
            min_answered=settings.SAMSKAP_HEALTH_MIN_ANSWERED,
        )
        shown_comments = {
            party: sorted(texts)  # sorted, so the order says nothing about who or when
            for party, texts in comments.get(round_.pk, {}).items()
            if not scoring.is_suppressed(score.respondents.get(party, 0), score.threshold)
        }
        output.append(
            RoundResult(
                round_, score, dimensions, {str(ri.pk): ri for ri in round_items}, shown_comments
            )
        )
    return output


def closed_rounds(initiative: Initiative, today: datetime.date) -> list[Round]:
    """Closed rounds, oldest first."""
    return list(
        initiative.health_rounds.filter(Q(status=RoundStatus.CLOSED) | Q(closes_on__lt=today))
        .select_related("municipality")
        .order_by("number")
    )


def closing_day(round_: Round, today: datetime.date) -> datetime.date:
    """The day a closed round closed: when it was closed by hand, else its closing date."""
    if round_.closed_at is not None:
        return timezone.localdate(round_.closed_at)
    return round_.closes_on or today


def latest_results(
    initiatives: QuerySet[Initiative], today: datetime.date, period=None
) -> dict[int, RoundResult]:
    """The latest closed round's result of each initiative (of the rounds that closed in
    ``period``, a ``ReportPeriod``, if given), in a fixed number of queries."""
    candidates = (
        Round.objects.filter(initiative__in=initiatives)
        .filter(Q(status=RoundStatus.CLOSED) | Q(closes_on__lt=today))
        .select_related("municipality", "initiative")
        .order_by("initiative_id", "-number")
    )
    latest: dict[int, Round] = {}
    for round_ in candidates:
        if period is None or period.contains(closing_day(round_, today)):
            latest.setdefault(round_.initiative_id, round_)
    return {r.round.initiative_id: r for r in results(list(latest.values()))}
