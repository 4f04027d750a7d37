"""Agreements between the parties of an initiative, their versions, signatures, templates and
each municipality's rules of the road."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samskap.accounts.models import Language, Municipality, Organisation
from samskap.core import seals
from samskap.registry.models import Initiative

from . import content as doc


class AgreementType(models.TextChoices):
    PILOT = "pilot", _("Pilot agreement")
    OPERATING = "operating", _("Operating agreement")
    GRANT = "grant", _("Grant (tilskudd)")
    RESERVED_CONTRACT = "reserved_contract", _("Reserved contract")
    INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
    NON_PROFIT_PARTNERSHIP = "non_profit_partnership", _("Non-profit partnership")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signing")
    SIGNED = "signed", _("Signed by every party")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signing")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Replaced before signing")


class Agreement(models.Model):
    """An agreement on an initiative. Its text lives in :class:`AgreementVersion` rows.

    ``state`` is the agreement's life: draft → sent → signed → in force → ended. Once a version
    is signed, an amendment is drafted and signed as a new version while the agreement stays in
    force on the last signed one (``effective_version``).
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    type = models.CharField(_("type"), max_length=32, choices=AgreementType.choices)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    effective_version = models.ForeignKey(
        "AgreementVersion",
        verbose_name=_("signed version that applies"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied from the effective version for reminders and lists (the version is the source).
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    review_dates = models.JSONField(_("review dates"), default=list, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Optimistic concurrency: every change names the lock version it started from.
    lock_version = models.PositiveIntegerField(_("lock version"), default=1)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "state"], name="agreement_tenant_state"),
            models.Index(fields=["initiative", "state"], name="agreement_initiative_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})


class AgreementParty(models.Model):
    """An organisation that is (or was) a party in some version of the agreement. The version's
    content is the authority for the text; these rows answer "who may see and sign" quickly.

    ``signing_municipality`` is set for a municipal unit: its coordinators and administrators
    sign for it.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    signing_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("signed by the managers of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class FrozenVersionError(ValidationError):
    """Raised when code tries to change the text of a version that was sent or signed."""


class AgreementVersion(models.Model):
    """One version of the agreement text. Sent or signed versions are frozen: their content
    and hash never change (checked here and in the services; a change made behind their back,
    e.g. in the database, is detected by re-hashing)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    # HMAC of the hash with a key outside the database (core.seals), set when the version is
    # frozen: text and hash rewritten together in the database no longer match it.
    content_mac = models.CharField(_("seal (HMAC-SHA256)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent for signing"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed by every party"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(content_hash=""),
                name="agreement_version_frozen_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        # A guard, not a side effect: refuse to rewrite a frozen version's text or hash.
        if self.pk is not None:
            stored = (
                AgreementVersion.objects.filter(pk=self.pk)
                .values("status", "content", "content_hash", "content_mac")
                .first()
            )
            if (
                stored
                and stored["status"] != VersionStatus.DRAFT
                and (
                    stored["content"] != self.content
                    or stored["content_hash"] != self.content_hash
                    or (stored["content_mac"] and stored["content_mac"] != self.content_mac)
                )
            ):
                raise FrozenVersionError(
                    _("Version %(n)s was sent or signed and can no longer change.")
                    % {"n": self.number},
                    code="frozen",
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise FrozenVersionError(_("A sent or signed version cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def compute_hash(self) -> str:
        return doc.content_hash(self.agreement_id, self.number, self.content)

    def seal_text(self, content_hash: str) -> str:
        return f"agreement-version:{self.agreement_id}:{self.number}:{content_hash}"

    def seal(self) -> None:
        """Set the keyed seal of the frozen text (called when the version is sent)."""
        self.content_mac = seals.seal(self.seal_text(self.compute_hash()))

    @property
    def integrity_problems(self) -> list[str]:
        """What no longer matches in a frozen version: ``hash`` (the text differs from its
        stored hash), ``signature`` (a party accepted another hash than the text's),
        ``seal`` (the keyed seal does not match the text). Empty for an intact version."""
        if not self.is_frozen:
            return []
        computed = self.compute_hash()
        problems = []
        if computed != self.content_hash:
            problems.append("hash")
        if any(s.content_hash != computed for s in self.signatures.all()):
            problems.append("signature")
        if not seals.verify(self.seal_text(computed), self.content_mac):
            problems.append("seal")
        return problems

    @property
    def is_intact(self) -> bool:
        """False when a frozen version's text changed after it was sent or signed: checked
        against its stored hash, every signature's accepted hash and the keyed seal."""
        return not self.integrity_problems

    def clean(self) -> None:
        doc.validate_content(self.content)


class Signature(models.Model):
    """An electronic acceptance by one party of one version: who, for whom, when, and the hash
    of the text they accepted."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        AgreementVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="agreement_signatures",
    )
    name = models.CharField(_("name of the signatory"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    content_hash = models.CharField(_("hash accepted"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="signature_one_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class AgreementTemplate(models.Model):
    """A starting text for a type of agreement. Rows without a municipality are the defaults
    shipped with Samskap (created by a data migration); a municipality adds its own."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreement_templates",
    )
    type = models.CharField(_("type"), max_length=32, choices=AgreementType.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.BOKMAL
    )
    name = models.CharField(_("name"), max_length=200)
    content = models.JSONField(_("content"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["type", "language", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.municipality_id is None


class RulesOfTheRoad(models.Model):
    """A municipality's principles for partnerships ("kjøreregler"), copied into every new
    agreement so that the signed text says which rules the parties accepted."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="agreement_rules",
    )
    text = models.TextField(_("rules of the road"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("rules of the road")
        verbose_name_plural = _("rules of the road")

    def __str__(self) -> str:
        return str(self.municipality)
