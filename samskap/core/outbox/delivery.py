"""Delivering queued messages, at most once per attempt and never twice on success.

A worker *claims* a message with one conditional UPDATE (queued and due, or sending with a
lease that ran out) that sets it to ``sending`` with a lease; only the worker whose UPDATE
changed the row sends it. Success marks it ``sent``. A temporary failure (connection refused,
timeout, SMTP 4xx) puts it back in the queue with a growing delay; a permanent one (SMTP 5xx)
marks it ``failed`` with the server's reason, as does the last allowed attempt.

A worker killed while sending leaves ``sending`` with a lease; when the lease runs out the
message is tried again, with the same Message-ID: the file transport then overwrites its file,
and a mail server that had already accepted the first copy hands the receiver two copies with
one Message-ID, which mail clients show as one.

A message queued with ``forget_after_delivery`` loses its recipient's address and the links in
its text when it is marked sent (survey invitations, see ``docs/measurement.md``).
"""

import datetime
import logging
import re
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Message, MessageState

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
FIRST_DELAY = datetime.timedelta(minutes=1)
LONGEST_DELAY = datetime.timedelta(hours=6)


def max_attempts() -> int:
    return int(getattr(settings, "SAMSKAP_OUTBOX_MAX_ATTEMPTS", 12))


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most 6 hours
    (twelve attempts cover about a day and a half)."""
    delay = FIRST_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_DELAY)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def classify(error: BaseException) -> tuple[bool, str]:
    """(permanent?, reason) of a failed attempt."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        reason = "; ".join(
            f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items()
        )
        return all(code >= 500 for code in codes), f"SMTP {reason}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # A configuration problem: keep the messages until the administrator fixes it.
        return False, f"SMTP authentication failed ({error.smtp_code})"
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500, f"SMTP {error.smtp_code} {_text(error.smtp_error)}".strip()
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout):
        return False, f"mail server not reachable: {error}"
    if isinstance(error, OSError):
        return False, f"mail server not reachable: {error}"
    return False, f"{type(error).__name__}: {error}"


def due() -> Q:
    now = timezone.now()
    return Q(state=MessageState.QUEUED, next_attempt_at__lte=now) | Q(
        state=MessageState.SENDING, lease_until__lt=now
    )


def claim(pk: int) -> Message | None:
    """Take the message for sending, or None when it is not due or another worker has it."""
    now = timezone.now()
    claimed = Message.objects.filter(due(), pk=pk).update(
        state=MessageState.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    return Message.objects.get(pk=pk) if claimed else None


def transport():
    return get_connection(
        settings.SAMSKAP_MAIL_BACKEND, fail_silently=False, **settings.SAMSKAP_MAIL_OPTIONS
    )


def as_email(message: Message) -> EmailMessage:
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={
            "Message-ID": message.message_id,
            "Auto-Submitted": "auto-generated",
            "Content-Language": message.language,
        },
    )


def deliver(pk: int) -> str:
    """Try to deliver one message; returns its state afterwards (or ``skipped``)."""
    message = claim(pk)
    if message is None:
        return "skipped"
    try:
        connection = transport()
        connection.send_messages([as_email(message)])
    except Exception as error:  # every failure is recorded on the message, none is lost
        permanent, reason = classify(error)
        mine = Message.objects.filter(pk=pk, state=MessageState.SENDING)
        if permanent or message.attempts >= max_attempts():
            if not permanent:
                reason = f"{reason} (gave up after {message.attempts} attempts)"
            mine.update(state=MessageState.FAILED, last_error=reason[:2000], lease_until=None)
            logger.warning("Message %s failed: %s", pk, reason)
            return MessageState.FAILED
        next_at = timezone.now() + backoff(message.attempts)
        mine.update(
            state=MessageState.QUEUED,
            last_error=reason[:2000],
            next_attempt_at=next_at,
            lease_until=None,
        )
        _retry_at(pk, next_at)
        return MessageState.QUEUED
    done = {"state": MessageState.SENT, "sent_at": timezone.now(), "lease_until": None}
    if message.forget_after_delivery:
        done |= {"to": "", "body": without_links(message.body, message.language)}
    Message.objects.filter(pk=pk, state=MessageState.SENDING).update(last_error="", **done)
    return MessageState.SENT


LINK = re.compile(r"https?://\S+")


def without_links(body: str, language: str) -> str:
    """The text with every link replaced by a note: what stays of a delivered message whose
    links were personal (a survey link leads to one participant's answers)."""
    with translation.override(language):
        note = _("(personal link, removed after delivery)")
    return LINK.sub(note, body)


def _retry_at(pk: int, when: datetime.datetime) -> None:
    from .tasks import deliver_message

    try:
        deliver_message.using(run_after=when).enqueue(pk)
    except Exception:
        logger.exception("Could not schedule the retry of message %s (the sweep will)", pk)


def deliver_due(limit: int = 200) -> dict[str, int]:
    """The sweep: deliver every message that is due, whether or not its task still exists."""
    counts: dict[str, int] = {}
    for pk in (
        Message.objects.filter(due())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    ):
        state = deliver(pk)
        counts[state] = counts.get(state, 0) + 1
    return counts
