"""Reports built by the background worker, with their progress (issue 20: long reports)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportBuild(models.Model):
    """One portfolio report asked for by one person: the filters and period it was asked with,
    how far the worker has come, and the PDF when it is done. Only its owner may see it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("by")
    )
    query = models.JSONField(_("filters and period"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or 'report'} ({self.status})"
