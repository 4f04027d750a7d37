"""The outbox: the one way Samskap sends e-mail.

Call :func:`send` inside the transaction of the change that causes the message (an invitation
with the invitation, a reminder with its record). The message is stored in that transaction and
delivered by the worker (``samskap worker``) after the commit, with retries; a request never
talks to a mail server, a mail server that is down never fails a page, and a rollback drops the
message with the change. Nothing here imports models at module level, so ``from
samskap.core.outbox import send`` is safe anywhere.

Example::

    from samskap.core import outbox

    outbox.send(
        to=person.email,
        template="accounts_invitation",  # outbox/accounts_invitation_subject.txt + .txt
        context={"name": person.name, "link": link},
        language="nb",                      # the recipient's language
        cause=invitation,                   # any model instance: the sender sees its messages
        municipality=invitation.municipality,
        dedupe_key=f"invitation:{invitation.pk}",   # queued twice → one message
    )
"""

from typing import Any

__all__ = ["send", "send_email", "resend", "forget", "messages_for"]


def send(
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    cause: Any = None,
    municipality: Any = None,
    dedupe_key: str | None = None,
    created_by: Any = None,
    forget_after_delivery: bool = False,
):
    """Queue one e-mail and return its :class:`~samskap.core.outbox.models.Message`.

    - ``template``: a name like ``"health_invitation"``; the subject is rendered from
      ``templates/outbox/<template>_subject.txt`` and the text from ``outbox/<template>.txt``
      (plain text, no HTML escaping), both with gettext in ``language``.
    - ``language``: the recipient's language code (``nb``, ``en``, …); an unknown or empty one
      falls back to the municipality's default language, then to ``settings.LANGUAGE_CODE``.
    - ``cause``: the model instance the message is about (stored as a generic link), so pages
      can show each message's state and offer to send it again.
    - ``dedupe_key``: when given, a second call with the same key returns the first message
      and queues nothing.
    - ``forget_after_delivery``: once sent, the stored copy loses the recipient's address and
      every link in its text (survey invitations: answers stay pseudonymous). It can then not
      be sent again.

    Raises ``TemplateDoesNotExist`` for an unknown template. Delivery happens after the
    surrounding transaction commits (immediately queued for the worker when there is none).
    """
    from .services import queue

    return queue(
        to=to,
        template=template,
        context=context or {},
        language=language,
        cause=cause,
        municipality=municipality,
        dedupe_key=dedupe_key,
        created_by=created_by,
        forget_after_delivery=forget_after_delivery,
    )


def send_email(*, to: str, subject: str, body: str, kind: str = "plain", **kwargs):
    """Queue an already written message (what Django's ``send_mail`` goes through)."""
    from .services import queue_text

    return queue_text(to=to, subject=subject, body=body, kind=kind, **kwargs)


def resend(message, *, by=None):
    """Send a failed message again (same message), or a sent one once more (a new copy)."""
    from .services import resend as _resend

    return _resend(message, by=by)


def forget(message):
    """Remove the address and links of a failed message queued with ``forget_after_delivery``."""
    from .services import forget as _forget

    return _forget(message)


def messages_for(causes):
    """The messages caused by these model instances (of one model), newest first."""
    from .services import messages_for as _messages_for

    return _messages_for(causes)
