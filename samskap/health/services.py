"""Every change to health checks goes through these functions: they check permission, validate,
write in one transaction. Views, the API, the demo loader and tests call them alike.

The respondent's side has no account: ``answers_save`` is given the raw token from the link,
and does nothing at all (stores nothing) when the token is wrong, the round closed, or the
answers already submitted.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, Organisation, OrganisationKind, User
from samskap.core import outbox
from samskap.core.tokens import digest, new_token
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_steer, owner_ids

from .models import (
    Answer,
    BankVersion,
    Dimension,
    Item,
    ItemSet,
    Party,
    Reminder,
    Respondent,
    RespondentToken,
    Round,
    RoundItem,
    RoundStatus,
)

LinkFor = Callable[[str], str]


def _today() -> datetime.date:
    return timezone.localdate()


def _user(access: Access) -> User | None:
    return User.objects.filter(pk=access.user_id).first() if access.user_id else None


def latest_bank() -> BankVersion:
    bank = BankVersion.objects.order_by("-loaded_at", "-id").first()
    if bank is None:
        raise ValidationError(_("No item bank is loaded. Run the database migrations."))
    return bank


# --- own items -----------------------------------------------------------------------------


def may_manage_items(access: Access, municipality: Municipality) -> bool:
    """Coordinators, administrators and project leaders of the municipality."""
    return municipality.pk in (
        access.manager_municipality_ids | access.project_leader_municipality_ids
    )


@transaction.atomic
def own_item_create(
    *,
    access: Access,
    municipality: Municipality,
    dimension_code: str,
    text_nb: str,
    text_en: str = "",
) -> Item:
    """Add a municipality's own statement to a dimension of the current item bank."""
    if not may_manage_items(access, municipality):
        raise PermissionDenied(_("Only coordinators and project leaders can add items."))
    bank = latest_bank()
    dimension = Dimension.objects.filter(bank=bank, code=dimension_code).first()
    if dimension is None:
        raise ValidationError({"dimension": _("Choose one of the dimensions.")})
    # Lock the municipality's row so that two people adding items get different codes.
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    count = Item.objects.filter(municipality=municipality).count()
    last = Item.objects.aggregate(Max("position"))["position__max"] or 0
    item = Item(
        bank=bank,
        dimension=dimension,
        municipality=municipality,
        code=f"M{count + 1}",
        text_nb=text_nb.strip(),
        text_en=text_en.strip(),
        position=last + 1,
        created_by=_user(access),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def own_item_retire(*, access: Access, item: Item) -> Item:
    """Stop offering an own item in new rounds (rounds that used it keep it)."""
    if item.municipality is None or not may_manage_items(access, item.municipality):
        raise PermissionDenied
    item.is_active = False
    item.save(update_fields=["is_active"])
    return item


# --- rounds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RespondentSpec:
    name: str
    email: str
    party: str
    organisation: Organisation | None = None


def _check_respondents(initiative: Initiative, specs: list[RespondentSpec]) -> dict[str, list[str]]:
    problems: list[str] = []
    if not specs:
        problems.append(_("Add the people who are to answer."))
    seen: set[str] = set()
    partner_orgs = set(initiative.participations.values_list("organisation_id", flat=True))
    owners = owner_ids(initiative)
    for spec in specs:
        email = spec.email.strip().lower()
        if email in seen:
            problems.append(_("%(email)s is listed twice.") % {"email": spec.email})
        seen.add(email)
        if spec.party not in Party.values:
            problems.append(_("%(name)s: unknown party.") % {"name": spec.name})
        org = spec.organisation
        if spec.party == Party.PARTNER and (org is None or org.pk not in partner_orgs):
            problems.append(
                _("%(name)s: choose one of the initiative's partner organisations.")
                % {"name": spec.name}
            )
        if (
            spec.party == Party.MUNICIPALITY
            and org is not None
            and not (
                org.kind == OrganisationKind.MUNICIPAL_UNIT and org.home_municipality_id in owners
            )
        ):
            problems.append(
                _("%(name)s: the organisation must be a unit of an owning municipality.")
                % {"name": spec.name}
            )
    sides = {spec.party for spec in specs}
    if specs and not {Party.MUNICIPALITY, Party.PARTNER} <= sides:
        problems.append(_("Ask people from both the municipality and the partner."))
    return {"respondents": problems} if problems else {}


@transaction.atomic
def round_start(
    *,
    access: Access,
    initiative: Initiative,
    title: str,
    closes_on: datetime.date,
    set_codes: Iterable[str],
    respondents: Iterable[RespondentSpec],
    include_own_items: bool = True,
    link_for: LinkFor | None = None,
) -> tuple[Round, list[tuple[Respondent, str]]]:
    """Start a round: items from the chosen sets of the current bank (plus the municipality's
    own items in those dimensions), and one personal link per respondent.

    Returns the round and each respondent with the raw token of their link: it is not stored
    and cannot be shown again. With ``link_for``, each respondent's invitation is queued in the
    outbox in the same transaction as the round (all or nothing); the worker delivers them.
    """
    round_, links = _round_create(
        access=access,
        initiative=initiative,
        title=title,
        closes_on=closes_on,
        set_codes=list(set_codes),
        specs=list(respondents),
        include_own_items=include_own_items,
    )
    if link_for is not None:
        sender = _user(access)
        for respondent, token in links:
            _queue_link(respondent, link_for(token), reminder=None, sender=sender)
    return round_, links


@transaction.atomic
def _round_create(
    *,
    access: Access,
    initiative: Initiative,
    title: str,
    closes_on: datetime.date,
    set_codes: list[str],
    specs: list[RespondentSpec],
    include_own_items: bool,
) -> tuple[Round, list[tuple[Respondent, str]]]:
    if not can_steer(access, initiative):
        raise PermissionDenied(_("Only the project leader or a coordinator can start a round."))
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    bank = latest_bank()
    problems: dict[str, list[str]] = {}
    if closes_on < _today():
        problems["closes_on"] = [_("The closing date cannot be in the past.")]
    sets = list(ItemSet.objects.filter(bank=bank, code__in=set_codes))
    if not sets or len(sets) != len(set(set_codes)):
        problems["sets"] = [_("Choose at least one item set.")]
    problems |= _check_respondents(current, specs)
    if problems:
        raise ValidationError(problems)

    number = (current.health_rounds.aggregate(Max("number"))["number__max"] or 0) + 1
    round_ = Round(
        municipality_id=current.municipality_id,
        initiative=current,
        number=number,
        title=title.strip() or _("Health check %(number)s") % {"number": number},
        bank=bank,
        closes_on=closes_on,
        created_by=_user(access),
    )
    round_.full_clean()
    round_.save()
    round_.sets.set(sets)

    items = list(
        Item.objects.filter(bank=bank, municipality__isnull=True, dimension__item_set__in=sets)
    )
    if include_own_items:
        dimension_codes = Dimension.objects.filter(item_set__in=sets).values("code")
        items += list(
            Item.objects.filter(
                municipality_id=current.municipality_id,
                is_active=True,
                dimension__code__in=dimension_codes,
            ).select_related("dimension")
        )
    items.sort(key=lambda item: (item.dimension.position, item.is_own, item.position, item.pk))
    RoundItem.objects.bulk_create(
        RoundItem(round=round_, item=item, position=i) for i, item in enumerate(items, 1)
    )
    links = []
    for spec in specs:
        respondent = Respondent(
            municipality_id=current.municipality_id,
            round=round_,
            name=spec.name.strip(),
            email=spec.email.strip().lower(),
            party=spec.party,
            organisation=spec.organisation,
        )
        respondent.full_clean()
        respondent.save()
        links.append((respondent, _issue_token(respondent)))
    return round_, links


def _issue_token(respondent: Respondent) -> str:
    token, token_digest = new_token()
    RespondentToken.objects.create(respondent=respondent, digest=token_digest)
    return token


@transaction.atomic
def round_close(*, access: Access, round_: Round) -> Round:
    """Close a round: no more answers are accepted, and the results can be shown."""
    if not can_steer(access, round_.initiative):
        raise PermissionDenied(_("Only the project leader or a coordinator can close a round."))
    current = Round.objects.select_for_update().get(pk=round_.pk)
    if current.status == RoundStatus.CLOSED:
        return current
    current.status = RoundStatus.CLOSED
    current.closed_at = timezone.now()
    current.save(update_fields=["status", "closed_at"])
    return current


def reminder_recipients(
    round_: Round, respondent_ids: Iterable[int] | None = None
) -> QuerySet[Respondent]:
    """Whom a reminder goes to: those who have not submitted (all of them, or the chosen)."""
    pending = round_.respondents.filter(submitted_at__isnull=True)
    if respondent_ids is not None:
        pending = pending.filter(pk__in=list(respondent_ids))
    return pending


@transaction.atomic
def reminders_send(
    *,
    access: Access,
    round_: Round,
    link_for: LinkFor,
    respondent_ids: Iterable[int] | None = None,
) -> list[Respondent]:
    """Remind those who have not submitted (all of them, or the ones chosen): each is sent a
    new personal link (the earlier one keeps working) and the reminder is recorded, with its
    message queued in the same transaction."""
    if not can_steer(access, round_.initiative):
        raise PermissionDenied
    if round_.is_closed(_today()):
        raise ValidationError(_("The round is closed; no reminders can be sent."))
    pending = reminder_recipients(round_, respondent_ids)
    sender = _user(access)
    sent = []
    for respondent in pending.select_related("round__initiative", "municipality"):
        token = _issue_token(respondent)
        reminder = Reminder.objects.create(
            municipality_id=respondent.municipality_id, respondent=respondent, sent_by=sender
        )
        _queue_link(respondent, link_for(token), reminder=reminder, sender=sender)
        sent.append(respondent)
    return sent


@transaction.atomic
def new_link(*, access: Access, respondent: Respondent) -> str:
    """A new personal link for one respondent, to copy and hand over another way (the
    earlier links keep working). Returns the raw token; it is shown once."""
    if not can_steer(access, respondent.round.initiative):
        raise PermissionDenied
    if respondent.round.is_closed(_today()):
        raise ValidationError(_("The round is closed; no new links can be made."))
    return _issue_token(respondent)


def _queue_link(
    respondent: Respondent, link: str, *, reminder: Reminder | None, sender: User | None
) -> None:
    round_ = respondent.round
    context = {
        "name": respondent.name,
        "initiative": round_.initiative.title,
        "link": link,
        "closes_on": round_.closes_on,
    }
    municipality = round_.initiative.municipality
    if reminder is None:
        template, key = "health_invitation", f"health-invitation:{respondent.pk}"
    else:
        template, key = "health_reminder", f"health-reminder:{reminder.pk}"
    outbox.send(
        to=respondent.email,
        template=template,
        context=context,
        language=municipality.default_language,
        cause=respondent,
        municipality=municipality,
        dedupe_key=key,
        created_by=sender,
    )


# --- answering (no account; the token is the key) -------------------------------------------


class TokenProblem(Exception):
    """Why a link cannot be used: ``invalid``, ``closed`` or ``submitted``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


DONT_KNOW = "dk"


def respondent_for_token(token: str, *, lock: bool = False) -> Respondent:
    """The respondent whose link this is, when it may still be answered; else TokenProblem."""
    if not token or len(token) > 100:
        raise TokenProblem("invalid")
    queryset = Respondent.objects.select_related("round", "round__initiative")
    if lock:
        queryset = queryset.select_for_update()
    respondent = queryset.filter(tokens__digest=digest(token)).first()
    if respondent is None:
        raise TokenProblem("invalid")
    if respondent.submitted_at is not None:
        raise TokenProblem("submitted")
    if respondent.round.is_closed(_today()):
        raise TokenProblem("closed")
    return respondent


def _parse(raw: str | None) -> tuple[bool, int | None]:
    """(answered, value) from a form value: "1"–"5", "dk" (don't know) or empty."""
    if raw in (None, ""):
        return False, None
    if raw == DONT_KNOW:
        return True, None
    if raw in {"1", "2", "3", "4", "5"}:
        return True, int(raw)
    raise ValidationError(_("An answer must be 1–5 or “don't know”."))


@transaction.atomic
def answers_save(
    *, token: str, answers: Mapping[int, str | None], comment: str = "", submit: bool = False
) -> Respondent:
    """Save a respondent's answers (``round_item id → "1"–"5" | "dk" | ""``), and with
    ``submit`` hand them in. Submitting needs an answer (or "don't know") to every statement;
    a second submit is refused (TokenProblem "submitted"), so it counts once."""
    respondent = respondent_for_token(token, lock=True)
    round_items = {ri.pk: ri for ri in respondent.round.round_items.select_related("item")}
    unknown = set(answers) - set(round_items)
    if unknown:
        raise ValidationError(_("The answers do not belong to this health check."))
    parsed = {pk: _parse(raw) for pk, raw in answers.items()}
    stored = {a.round_item_id: a for a in respondent.answers.all()}
    if submit:
        missing = [
            ri
            for pk, ri in round_items.items()
            if not parsed.get(pk, (False, None))[0] and pk not in stored
        ]
        if missing:
            raise ValidationError(
                {
                    f"item_{ri.pk}": _("Choose an answer, or “don't know”.")
                    for ri in sorted(missing, key=lambda ri: ri.position)
                }
            )
    for pk, (answered, value) in parsed.items():
        if not answered:
            continue
        if pk in stored:
            if stored[pk].value != value:
                stored[pk].value = value
                stored[pk].save(update_fields=["value"])
        else:
            Answer.objects.create(
                municipality_id=respondent.municipality_id,
                respondent=respondent,
                round_item_id=pk,
                value=value,
            )
    now = timezone.now()
    respondent.comment = comment.strip()[:4000]
    respondent.started_at = respondent.started_at or now
    if submit:
        respondent.submitted_at = now
    respondent.save(update_fields=["comment", "started_at", "submitted_at"])
    return respondent
