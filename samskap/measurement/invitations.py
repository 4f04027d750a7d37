"""Survey invitations by e-mail: each person gets their own personal link through the outbox.

Participants stay pseudonymous. Samskap keeps no tie between a person's address and their
code or answers: the address lives only in the outbox message, which forgets it (and the link
in its text) once it is delivered (``forget_after_delivery``). The coordinator sees each
address with its code and link once, on the page that sends them, and keeps that key apart
from Samskap if the same person is to answer a later time point under the same code.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.core import numbers, outbox
from samskap.core.outbox.models import Message
from samskap.core.tokens import new_token

from .models import Response, TimePoint
from .surveys import _check_edit, participants_create

TEMPLATE = "survey_invitation"
MOST_AT_ONCE = 500


@dataclass(frozen=True)
class Invitee:
    """One line of the form: an address, and the person's code when they already have one
    (a later time point of the same person); an empty code makes a new participant."""

    email: str
    code: str = ""


@dataclass(frozen=True)
class Invited:
    email: str
    code: str
    link: str
    message: Message


def batch_prefix(time_point: TimePoint, batch: str) -> str:
    return f"survey-invitation:{time_point.pk}:{batch}:"


def _problems(time_point: TimePoint, invitees: Sequence[Invitee], today: datetime.date) -> list:
    problems = []
    if time_point.closes_on is not None and time_point.closes_on < today:
        problems.append(_("This time point has closed; no invitations can be sent."))
    if not invitees:
        problems.append(_("Write at least one e-mail address."))
    if len(invitees) > MOST_AT_ONCE:
        problems.append(
            _("Send at most %(n)s invitations at a time.") % {"n": numbers.integer(MOST_AT_ONCE)}
        )
    seen_emails: set[str] = set()
    seen_codes: set[str] = set()
    for invitee in invitees:
        if invitee.email in seen_emails:
            problems.append(_("%(email)s is written twice.") % {"email": invitee.email})
        seen_emails.add(invitee.email)
        if invitee.code and invitee.code in seen_codes:
            problems.append(_("The code %(code)s is written twice.") % {"code": invitee.code})
        seen_codes.add(invitee.code)
    return problems


@transaction.atomic
def invitations_send(
    *,
    access: Access,
    time_point: TimePoint,
    invitees: Sequence[Invitee],
    language: str,
    link_for: Callable[[str], str],
    batch: str,
    sender=None,
) -> list[Invited]:
    """Give each invitee a personal link for ``time_point`` and queue their invitation, all or
    nothing. ``batch`` identifies the form: the same form sent twice sends once (the second
    time is refused). An existing code gets a new link; its earlier link stops working."""
    initiative = time_point.survey.initiative
    _check_edit(access, initiative)
    # One sender at a time per time point: the check of the batch below cannot race.
    time_point = TimePoint.objects.select_for_update().get(pk=time_point.pk)
    prefix = batch_prefix(time_point, batch)
    if Message.objects.filter(dedupe_key__startswith=prefix).exists():
        raise ValidationError(
            _("These invitations were already sent; they were not sent twice."), code="sent"
        )
    invitees = [Invitee(i.email.strip().lower(), i.code.strip().upper()) for i in invitees]
    problems = _problems(time_point, invitees, timezone.localdate())
    active = initiative.participants.filter(withdrawn_at__isnull=True)
    known = {p.code: p for p in active.filter(code__in=[i.code for i in invitees if i.code])}
    responses = {
        r.participant_id: r
        for r in time_point.responses.select_for_update().filter(
            participant__in=list(known.values())
        )
    }
    for invitee in invitees:
        participant = known.get(invitee.code)
        if invitee.code and participant is None:
            problems.append(
                _("No active participant has the code %(code)s.") % {"code": invitee.code}
            )
        elif participant is not None:
            response = responses.get(participant.pk)
            if response is not None and response.submitted_at is not None:
                problems.append(
                    _("Participant %(code)s has already answered at this time point.")
                    % {"code": invitee.code}
                )
    if problems:
        raise ValidationError({"recipients": problems})

    new = (
        participants_create(
            access=access, initiative=initiative, count=sum(1 for i in invitees if not i.code)
        )
        if any(not i.code for i in invitees)
        else []
    )
    new_codes = iter(p.code for p in new)
    codes = [i.code or next(new_codes) for i in invitees]
    participants = {p.code: p for p in active.filter(code__in=codes)}
    municipality = initiative.municipality
    invited = []
    for number, (invitee, code) in enumerate(zip(invitees, codes, strict=True)):
        participant = participants[code]
        response = responses.get(participant.pk) or Response(
            participant=participant, time_point=time_point
        )
        token, token_digest = new_token()
        response.token_hash = token_digest
        response.save()
        link = link_for(token)
        message = outbox.send(
            to=invitee.email,
            template=TEMPLATE,
            context={
                "initiative": initiative.title,
                "link": link,
                "closes_on": time_point.closes_on,
            },
            language=language,
            cause=time_point,
            municipality=municipality,
            dedupe_key=f"{prefix}{number}",
            created_by=sender,
            forget_after_delivery=True,
        )
        invited.append(Invited(invitee.email, code, link, message))
    return invited


def invitation_messages(time_point: TimePoint) -> list[Message]:
    """The time point's invitations, newest first: queued, sent (address removed) or failed."""
    return [m for m in outbox.messages_for([time_point]) if m.kind == TEMPLATE]
