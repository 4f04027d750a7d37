"""Writes of the outbox: queue a message in the caller's transaction, send one again."""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Message, MessageState

logger = logging.getLogger(__name__)


def recipient_language(language: str | None, municipality: Any = None) -> str:
    """A language the site has: the one asked for, else the municipality's, else the default."""
    available = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(municipality, "default_language", None)):
        if candidate:
            code = candidate.split("-")[0].lower()
            if code in available:
                return code
    return settings.LANGUAGE_CODE


def render(template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, text) of a message template in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"outbox/{template}_subject.txt", context)
        body = render_to_string(f"outbox/{template}.txt", context)
    # A subject is one line; templates may end in a newline or wrap a long sentence.
    subject = " ".join(subject.split())[:300]
    return subject, body.strip() + "\n"


def _enqueue_after_commit(message: Message) -> None:
    pk = message.pk

    def enqueue() -> None:
        from .tasks import deliver_message

        try:
            deliver_message.enqueue(pk)
        except Exception:
            # The periodic sweep delivers it anyway; a lost enqueue never loses a message.
            logger.exception("Could not enqueue delivery of message %s", pk)

    transaction.on_commit(enqueue)


def _store(message: Message) -> Message:
    if message.dedupe_key:
        existing = Message.objects.filter(dedupe_key=message.dedupe_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            # Queued by someone else between our look and our write.
            return Message.objects.get(dedupe_key=message.dedupe_key)
    else:
        message.save()
    _enqueue_after_commit(message)
    return message


def _cause_fields(cause: Any) -> dict[str, Any]:
    if cause is None:
        return {}
    return {"cause_type": ContentType.objects.get_for_model(cause), "cause_id": str(cause.pk)}


def queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None,
    cause: Any,
    municipality: Any,
    dedupe_key: str | None,
    created_by: Any,
    forget_after_delivery: bool = False,
) -> Message:
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    language = recipient_language(language, municipality)
    subject, body = render(template, context, language)
    message = Message(
        municipality=municipality,
        kind=template,
        to=to.strip(),
        language=language,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key or None,
        created_by=created_by if getattr(created_by, "pk", None) else None,
        forget_after_delivery=forget_after_delivery,
        **_cause_fields(cause),
    )
    message.full_clean(exclude=["municipality", "cause_type", "created_by", "message_id"])
    return _store(message)


def queue_text(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str = "plain",
    language: str | None = None,
    cause: Any = None,
    municipality: Any = None,
    dedupe_key: str | None = None,
) -> Message:
    message = Message(
        municipality=municipality,
        kind=kind,
        to=to.strip(),
        language=recipient_language(language or translation.get_language(), municipality),
        subject=" ".join(str(subject).split())[:300],
        body=str(body),
        dedupe_key=dedupe_key or None,
        **_cause_fields(cause),
    )
    return _store(message)


@transaction.atomic
def resend(message: Message, *, by: Any = None) -> Message:
    """A failed message goes back in the queue (the same Message-ID, attempts start again);
    a sent one is copied to a new message (a new Message-ID, so it is not taken for a
    duplicate). A message still on its way is refused with a clear reason."""
    current = Message.objects.select_for_update().get(pk=message.pk)
    if current.state in (MessageState.QUEUED, MessageState.SENDING):
        raise ValidationError(_("This message is already on its way."), code="pending")
    if current.forgotten:
        raise ValidationError(
            _(
                "The address was removed, to keep the answers pseudonymous. "
                "Send a new invitation instead."
            ),
            code="forgotten",
        )
    if current.state == MessageState.FAILED:
        current.state = MessageState.QUEUED
        current.attempts = 0
        current.next_attempt_at = timezone.now()
        current.lease_until = None
        current.save(
            update_fields=["state", "attempts", "next_attempt_at", "lease_until", "last_error"]
        )
        _enqueue_after_commit(current)
        return current
    copy = Message(
        municipality_id=current.municipality_id,
        kind=current.kind,
        to=current.to,
        language=current.language,
        subject=current.subject,
        body=current.body,
        cause_type_id=current.cause_type_id,
        cause_id=current.cause_id,
        created_by=by if getattr(by, "pk", None) else None,
        forget_after_delivery=current.forget_after_delivery,
    )
    return _store(copy)


@transaction.atomic
def forget(message: Message) -> Message:
    """Remove the address and the links of a failed message queued with
    ``forget_after_delivery`` (a survey invitation whose person got the link another way): it
    keeps its state and reason, and can no longer be sent."""
    from .delivery import without_links

    current = Message.objects.select_for_update().get(pk=message.pk)
    if not current.forget_after_delivery or current.state != MessageState.FAILED:
        raise ValidationError(
            _("Only a failed invitation can have its address removed."), code="not_failed"
        )
    current.to = ""
    current.body = without_links(current.body, current.language)
    current.save(update_fields=["to", "body"])
    return current


def messages_for(causes: Iterable[Any]) -> list[Message]:
    causes = list(causes)
    if not causes:
        return []
    cause_type = ContentType.objects.get_for_model(causes[0])
    return list(
        Message.objects.filter(
            cause_type=cause_type, cause_id__in=[str(cause.pk) for cause in causes]
        ).order_by("-created_at", "-id")
    )
