"""The partnership health check: a versioned item bank, rounds, respondents and their answers.

The item bank (sets → dimensions → items) is data, loaded from ``data/itembank-<version>.json``
by a migration; a version is never changed once loaded, a new one is added beside it. A round
keeps the version and the exact items it was sent with (``RoundItem``). A municipality's own
items are never edited either, only retired, so a round's wording stays what people answered.

Respondents have no account: each gets a personal link whose token is stored only as a SHA-256
digest (``RespondentToken``). Answers are stored against the respondent, but no page shows who
answered what; pages show aggregates and, for reminders, whether someone has answered.
"""

import functools
import json
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from samskap.accounts.models import Municipality, Organisation
from samskap.registry.models import Initiative


@functools.cache
def _nordic_texts() -> dict[str, dict[str, str]]:
    """The item bank's nynorsk, Swedish and Danish texts, keyed by the English text."""
    path = Path(__file__).resolve().parent / "data" / "itembank-nordic.json"
    return json.loads(path.read_text(encoding="utf-8"))["texts"]


def _localized(obj, field: str) -> str:
    """The text of ``field`` in the active language: bokmål and English are stored; nynorsk,
    Swedish and Danish come from ``data/itembank-nordic.json`` for the shipped bank (own
    statements have only bokmål, which nynorsk and the others then read)."""
    language = (get_language() or "nb").split("-")[0]
    english = getattr(obj, f"{field}_en")
    if language in ("nn", "sv", "da") and english:
        translated = _nordic_texts().get(english, {}).get(language)
        if translated:
            return translated
    value = getattr(obj, f"{field}_en" if language == "en" else f"{field}_nb")
    return value or getattr(obj, f"{field}_nb")


class BankVersion(models.Model):
    """One published version of the item bank. Never changed after it is loaded."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    note = models.TextField(_("note"), blank=True)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        verbose_name = _("item bank version")
        verbose_name_plural = _("item bank versions")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return self.version


class ItemSet(models.Model):
    """A set of dimensions a round can include: the core set, the optional trust set."""

    bank = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="sets")
    code = models.SlugField(_("code"), max_length=40)
    optional = models.BooleanField(_("optional"), default=False)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("item set")
        verbose_name_plural = _("item sets")
        ordering = ["bank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="health_itemset_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")


class Dimension(models.Model):
    bank = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="dimensions")
    item_set = models.ForeignKey(ItemSet, on_delete=models.PROTECT, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=40)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nb = models.TextField(_("description (bokmål)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["bank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="health_dimension_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")

    @property
    def description(self) -> str:
        return _localized(self, "description")


class Item(models.Model):
    """A statement answered on a 1–5 agreement scale or "don't know".

    Either part of a bank version (``municipality`` empty) or a municipality's own item
    (``municipality`` set, ``code`` = ``M<id>``). Items are never edited; own items are retired.
    """

    bank = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="items")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="health_items",
    )
    code = models.CharField(_("code"), max_length=20)
    facet = models.SlugField(_("facet"), max_length=40, blank=True)
    text_nb = models.CharField(_("statement (bokmål)"), max_length=300)
    text_en = models.CharField(_("statement (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "code"],
                condition=Q(municipality__isnull=True),
                name="health_item_unique_bank_code",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=Q(municipality__isnull=False),
                name="health_item_unique_own_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return _localized(self, "text")

    @property
    def is_own(self) -> bool:
        return self.municipality_id is not None


class Party(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PARTNER = "partner", _("Partner")
    PARTICIPANTS = "participants", _("Participants' representatives")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    # Context: an initiative's stage "Closed" is a different word in Norwegian.
    CLOSED = "closed", pgettext_lazy("round", "Closed")


class Round(models.Model):
    """One health check of an initiative, answered by both parties separately."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="health_rounds",
    )
    number = models.PositiveIntegerField(_("round number"))
    title = models.CharField(_("title"), max_length=200)
    bank = models.ForeignKey(
        BankVersion, verbose_name=_("item bank version"), on_delete=models.PROTECT, related_name="+"
    )
    sets = models.ManyToManyField(ItemSet, verbose_name=_("item sets"), related_name="+")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closes_on = models.DateField(
        _("closing date"), help_text=_("The last day on which answers are accepted.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("health check round")
        verbose_name_plural = _("health check rounds")
        ordering = ["initiative", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"], name="health_round_unique_number"
            )
        ]
        indexes = [models.Index(fields=["municipality", "status"], name="health_round_tenant")]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.title}"

    def is_closed(self, today) -> bool:
        """Closed by the project leader, or past its closing date."""
        return self.status == RoundStatus.CLOSED or self.closes_on < today


class RoundItem(models.Model):
    """An item exactly as a round asked it (the round keeps its items even if the bank moves)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="health_rounditem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.item.code}"


class Respondent(models.Model):
    """A person asked to answer a round. No account; the link is their key."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(
        pgettext_lazy("answers", "submitted"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["party", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="health_respondent_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_submitted(self) -> bool:
        return self.submitted_at is not None


class RespondentToken(models.Model):
    """A personal link. Only the SHA-256 digest of the token is stored; a reminder adds a new
    link and the earlier ones keep working."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.respondent} ({self.digest[:8]}…)"


class Answer(models.Model):
    """One answer: 1–5, or empty for "don't know"."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    round_item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "round_item"], name="health_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="health_answer_on_scale",
            ),
        ]

    def __str__(self) -> str:
        # Deliberately without the respondent: an answer is never shown with a name.
        return f"{self.round_item}: {self.value if self.value is not None else '?'}"


class Reminder(models.Model):
    """A reminder sent to a respondent who had not answered."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.respondent} {self.sent_at:%Y-%m-%d}"
