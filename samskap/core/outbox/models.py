"""The outbox: every message Samskap sends, written in the transaction of the change that causes
it and delivered afterwards by the worker (``samskap worker``). See ``docs/operations.md``."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def new_message_id() -> str:
    """The Message-ID header, fixed when the message is queued: a retry of the same message
    carries the same one, so the file transport overwrites rather than duplicates, and mail
    clients collapse a copy the SMTP server accepted before a worker died."""
    domain = getattr(settings, "SAMSKAP_MESSAGE_ID_DOMAIN", "samskap.invalid")
    return f"<{uuid.uuid4().hex}@{domain}>"


class Message(models.Model):
    """One e-mail to one recipient, rendered in the recipient's language when it was queued."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=60)
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    message_id = models.CharField(max_length=200, unique=True, default=new_message_id)
    # Two calls with the same key (the same invitation queued twice) give one message.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While a worker sends, it holds the message until this time; a worker that dies leaves a
    # lease that runs out, and the message is tried again.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cause_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cause_id = models.CharField(max_length=64, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Survey invitations: once delivered, the recipient's address and the links in the text are
    # removed, so that nothing in Samskap ties a participant's answers to their address.
    forget_after_delivery = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["cause_type", "cause_id"], name="outbox_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to or '–'} ({self.state})"

    @property
    def forgotten(self) -> bool:
        """Delivered, and its address and links removed (see ``forget_after_delivery``)."""
        return self.forget_after_delivery and not self.to


class Heartbeat(models.Model):
    """The last sign of life of each worker, read by ``/readyz``."""

    worker = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class PeriodicRun(models.Model):
    """A periodic job's run for one day: the unique key makes a daily job run once per date
    however many workers there are and however often they restart."""

    job = models.CharField(max_length=100)
    day = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="outbox_periodicrun_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
