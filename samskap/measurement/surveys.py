"""Participant surveys: pseudonymous codes, personal links, answers, withdrawal.

A participant is a random code (8 characters from an alphabet without look-alikes) held by the
initiative; no name is stored anywhere. A personal link carries a random token; only its
SHA-256 hash is stored, so a database copy cannot be used to answer as someone. A response is
submitted once: later submissions change nothing. Withdrawal deletes the participant's answers.
"""

import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.core.tokens import digest, new_token
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit
from samskap.valuation.refresh import measurement_changed

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    LibraryIndicator,
    Participant,
    Response,
    Survey,
    SurveyItem,
    TimePoint,
)
from .queries import library_for


def _check_edit(access: Access, initiative: Initiative) -> None:
    if not can_edit(access, initiative):
        raise PermissionDenied


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def survey_create(
    *,
    access: Access,
    initiative: Initiative,
    title: str,
    purpose: str,
    consent_text: str,
    items: Iterable[LibraryIndicator],
) -> Survey:
    _check_edit(access, initiative)
    items = list(items)
    if not items:
        raise ValidationError({"items": _("Choose at least one question set.")})
    allowed = set(library_for(initiative).values_list("pk", flat=True))
    if any(item.pk not in allowed or not item.is_survey_item for item in items):
        raise ValidationError({"items": _("Choose survey measures from the library.")})
    survey = Survey(initiative=initiative, title=title, purpose=purpose, consent_text=consent_text)
    survey.full_clean()
    survey.save()
    adopted = {i.library_id: i for i in initiative.indicators.filter(library__in=items)}
    SurveyItem.objects.bulk_create(
        SurveyItem(survey=survey, library=item, indicator=adopted.get(item.pk), position=n)
        for n, item in enumerate(items, start=1)
    )
    return survey


@transaction.atomic
def time_point_add(
    *, access: Access, survey: Survey, kind: str, opens_on, closes_on=None
) -> TimePoint:
    _check_edit(access, survey.initiative)
    if survey.time_points.filter(kind=kind).exists():
        raise ValidationError({"kind": _("This survey already has that time point.")})
    point = TimePoint(survey=survey, kind=kind, opens_on=opens_on, closes_on=closes_on)
    point.full_clean()
    point.save()
    measurement_changed(survey_ids=[survey.pk])  # the pairs are made anew
    return point


def time_point_close(*, access: Access, point: TimePoint, closes_on) -> TimePoint:
    """Set (or clear, with None) the last day the time point's personal links answer."""
    _check_edit(access, point.survey.initiative)
    point.closes_on = closes_on
    point.full_clean()
    point.save(update_fields=["closes_on"])
    return point


@transaction.atomic
def participants_create(
    *, access: Access, initiative: Initiative, count: int, comparison: bool = False
) -> list[Participant]:
    """Create ``count`` new pseudonymous participants with unique random codes; with
    ``comparison``, codes for a comparison group (people not in the initiative)."""
    _check_edit(access, initiative)
    if not 1 <= count <= 5000:
        raise ValidationError({"count": _("Create between 1 and 5000 codes at a time.")})
    taken = set(initiative.participants.values_list("code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return Participant.objects.bulk_create(
        Participant(initiative=initiative, code=code, comparison=comparison) for code in codes
    )


@transaction.atomic
def links_issue(*, access: Access, time_point: TimePoint) -> list[tuple[str, str]]:
    """A new personal link token for every active participant who has not yet submitted at
    this time point. Returns (code, token) pairs; the tokens are shown once and not stored."""
    initiative = time_point.survey.initiative
    _check_edit(access, initiative)
    participants = list(initiative.participants.filter(withdrawn_at__isnull=True))
    existing = {r.participant_id: r for r in time_point.responses.select_for_update()}
    issued = []
    for participant in participants:
        response = existing.get(participant.pk)
        if response is not None and response.submitted_at is not None:
            continue
        token, token_digest = new_token()
        if response is None:
            response = Response(participant=participant, time_point=time_point)
        response.token_hash = token_digest
        response.save()
        issued.append((participant.code, token))
    return issued


def open_links(time_point: TimePoint) -> int:
    """How many active participants hold a link for the time point and have not sent their
    answers: the links that ``links_issue`` would replace."""
    return (
        time_point.responses.filter(
            submitted_at__isnull=True,
            participant__withdrawn_at__isnull=True,
            token_hash__isnull=False,
        )
        .exclude(token_hash="")
        .count()
    )


def response_for_token(token: str) -> Response:
    """The response a personal link leads to (404 for an unknown token or a withdrawn
    participant)."""
    try:
        response = Response.objects.select_related(
            "participant", "time_point__survey__initiative"
        ).get(token_hash=digest(token))
    except Response.DoesNotExist:
        raise Http404 from None
    if response.participant.withdrawn_at is not None:
        raise Http404
    return response


def consent(response: Response) -> None:
    if response.consented_at is None:
        response.consented_at = timezone.now()
        response.save(update_fields=["consented_at"])


def questions_of(survey: Survey) -> list[tuple[SurveyItem, int, str]]:
    """Every question of the survey: (item, question number from 1, text in the active
    language)."""
    rows = []
    for item in survey.survey_items.select_related("library"):
        for number, text in enumerate(item.library.text("questions"), start=1):
            rows.append((item, number, text))
    return rows


def _check_answers(
    survey: Survey, answers: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], int]:
    known = {(item.pk, number): item.library for item, number, _t in questions_of(survey)}
    errors = {}
    for key, value in answers.items():
        library = known.get(key)
        if library is None:
            errors[f"q-{key[0]}-{key[1]}"] = _("Unknown question.")
        elif not library.answer_min <= value <= library.answer_max:
            errors[f"q-{key[0]}-{key[1]}"] = _("Answer with a number from %(low)s to %(high)s.") % {
                "low": library.answer_min,
                "high": library.answer_max,
            }
    if errors:
        raise ValidationError(errors)
    return dict(answers)


def link_open(response: Response, today=None) -> bool:
    """A personal link answers until its time point closes (``closes_on``, inclusive)."""
    today = today or timezone.localdate()
    closes = response.time_point.closes_on
    return closes is None or today <= closes


def withdrawal_open(survey: Survey, today=None) -> bool:
    """A participant may withdraw through their link until the survey's last time point has
    closed: after that the answers are being analysed and results may be published, and a
    withdrawal goes through the initiative (which can still withdraw a code by hand)."""
    today = today or timezone.localdate()
    closes = [point.closes_on for point in survey.time_points.all()]
    return not closes or any(c is None for c in closes) or today <= max(closes)


@transaction.atomic
def response_save(
    *, response: Response, answers: Mapping[tuple[int, int], int], submit: bool
) -> bool:
    """Save answers (to resume later) and optionally submit. Returns False, changing nothing,
    if the response was already submitted (a second submission counts once)."""
    current = Response.objects.select_for_update().get(pk=response.pk)
    if current.submitted_at is not None:
        return False
    if current.consented_at is None:
        raise ValidationError(_("Read the purpose and give your consent first."))
    survey = current.time_point.survey
    answers = _check_answers(survey, answers)
    stored = {(a.item_id, a.question): a for a in current.answers.all()}
    for (item_id, question), value in answers.items():
        answer = stored.get((item_id, question))
        if answer is None:
            Answer.objects.create(response=current, item_id=item_id, question=question, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])
    if submit:
        answered = set(stored) | set(answers)
        missing = [
            key for key in ((i.pk, n) for i, n, _t in questions_of(survey)) if key not in answered
        ]
        if missing:
            raise ValidationError(_("Answer every question before you send."))
        current.submitted_at = timezone.now()
        current.save(update_fields=["submitted_at"])
        # Only submitted answers count in the results (and so in a linked value map).
        measurement_changed(survey_ids=[survey.pk])
    response.submitted_at = current.submitted_at
    return True


@transaction.atomic
def withdraw(participant: Participant) -> int:
    """The participant leaves the study: all their answers and responses are deleted.
    Returns the number of answers deleted."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    measurement_changed(
        survey_ids=participant.responses.values_list("time_point__survey_id", flat=True)
    )
    deleted, _detail = Answer.objects.filter(response__participant=participant).delete()
    participant.responses.all().delete()
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["withdrawn_at"])
    return deleted


@transaction.atomic
def staff_withdraw(*, access: Access, participant: Participant) -> int:
    _check_edit(access, participant.initiative)
    return withdraw(participant)


@transaction.atomic
def paper_entry(
    *,
    access: Access,
    time_point: TimePoint,
    code: str,
    answers: Mapping[tuple[int, int], int],
) -> Response:
    """Staff type in a paper form: the participant is found by code; consent was given on
    paper. A time point already answered is refused."""
    initiative = time_point.survey.initiative
    _check_edit(access, initiative)
    participant = initiative.participants.filter(
        code=code.strip().upper(), withdrawn_at__isnull=True
    ).first()
    if participant is None:
        raise ValidationError({"code": _("No active participant has this code.")})
    response, _created = Response.objects.get_or_create(
        participant=participant, time_point=time_point
    )
    if response.submitted_at is not None:
        raise ValidationError({"code": _("This participant has already answered this time.")})
    response.consented_at = response.consented_at or timezone.now()
    response.entered_by_id = access.user_id
    response.save()
    response_save(response=response, answers=answers, submit=True)
    return response
