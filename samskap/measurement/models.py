"""Effect measurement: results chains, indicators with period values, the indicator library,
programmes, and pseudonymous participant surveys.

Every row that hangs off an initiative is reached through the initiative; indicators, periods
and period values also carry their municipality (the initiative's lead municipality) as the
tenant key. Participant data never carries a name.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samskap.accounts.models import Municipality
from samskap.registry.models import Initiative

# --- results chain ----------------------------------------------------------------------------


class Level(models.TextChoices):
    # Context: the valuation app calls the same English words "Innsats" and "Utfall".
    INPUT = "input", pgettext_lazy("results chain", "Inputs")
    ACTIVITY = "activity", _("Activities")
    OUTPUT = "output", _("Outputs")
    OUTCOME = "outcome", pgettext_lazy("results chain", "Outcomes")
    IMPACT = "impact", _("Societal effects")


class Valence(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class ChainItem(models.Model):
    """One entry of an initiative's results chain, ordered within its level."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="chain_items")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    text = models.CharField(_("text"), max_length=300)
    for_whom = models.CharField(
        _("for whom"), max_length=200, blank=True, help_text=_("Outcomes: who changes.")
    )
    intended = models.BooleanField(_("intended"), default=True)
    valence = models.CharField(
        _("positive or negative"), max_length=10, choices=Valence.choices, default="positive"
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("results chain item")
        verbose_name_plural = _("results chain items")
        ordering = ["initiative", "level", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_outcome(self) -> bool:
        return self.level == Level.OUTCOME


# --- indicator library ------------------------------------------------------------------------


class Unit(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    SCALE = "scale", _("Score on a scale")
    MONEY = "money", _("Money (NOK)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Scoring(models.TextChoices):
    SUM = "sum", _("Sum of the questions")
    MEAN = "mean", _("Mean of the questions")


TRANSLATED_FIELDS = ("name", "definition", "questions", "answer_labels", "source", "licence")
# Where a language has no text of its own, the nearest one: nynorsk readers read bokmål.
FALLBACK_LANGUAGE = {"nn": "nb", "no": "nb"}


class LibraryIndicator(models.Model):
    """A sector-independent indicator any initiative can adopt. ``municipality`` is empty for
    the shared library (loaded by a data migration) and set for a municipality's own ones.

    ``questions`` is the list of question texts participants answer (one for a single-item
    measure); each answer is a whole number from ``answer_min`` to ``answer_max``, and the
    person's score is their sum or mean (``scoring``).

    The texts are stored in English; ``translations`` holds them in the Nordic languages as
    ``{"nb": {"name": …, "definition": …, "questions": [...], "answer_labels": …, "licence": …},
    "nn": {…}, "sv": {…}, "da": {…}}``.
    Read them through ``text(field)`` (or ``local`` in templates): the active language's text.
    """

    code = models.SlugField(_("code"), max_length=60)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[("outcome", pgettext_lazy("results chain", "Outcome")), ("output", _("Output"))],
        default="outcome",
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default="higher"
    )
    questions = models.JSONField(_("questions"), default=list, blank=True)
    answer_min = models.SmallIntegerField(_("lowest answer"), null=True, blank=True)
    answer_max = models.SmallIntegerField(_("highest answer"), null=True, blank=True)
    answer_labels = models.CharField(_("answer labels"), max_length=300, blank=True)
    scoring = models.CharField(_("scoring"), max_length=4, choices=Scoring.choices, default="sum")
    reliability = models.DecimalField(
        _("reliability (r_xx)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    source = models.TextField(_("source"))
    licence = models.TextField(_("licence note"))
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    minimal_important_difference = models.DecimalField(
        _("minimal important difference"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The smallest change people notice as important, where it is published."),
    )
    mid_source = models.TextField(_("source of the minimal important difference"), blank=True)

    class Meta:
        verbose_name = _("library indicator")
        verbose_name_plural = _("library indicators")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="library_code_unique_shared",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="library_code_unique_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.text("name")

    def text(self, field: str):
        """``field`` (name, definition, questions, answer_labels, source or licence) in the
        active language: its text in ``translations`` (nynorsk falling back to bokmål), else
        the stored English text."""
        language = (get_language() or "").lower().split("-")[0]
        translations = self.translations or {}
        for candidate in (language, FALLBACK_LANGUAGE.get(language)):
            translated = translations.get(candidate or "", {}).get(field)
            if translated:
                return translated
        return getattr(self, field)

    @property
    def local(self) -> dict:
        """The translatable texts in the active language, for templates (``entry.local.name``)."""
        return {field: self.text(field) for field in TRANSLATED_FIELDS}

    @property
    def is_survey_item(self) -> bool:
        return bool(self.questions) and self.answer_min is not None

    def score_range(self) -> tuple[float, float] | None:
        if not self.is_survey_item:
            return None
        count = len(self.questions) if self.scoring == Scoring.SUM else 1
        return self.answer_min * count, self.answer_max * count


# --- indicators and their period values -------------------------------------------------------


class Indicator(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="indicators")
    # The tenant key (DESIGN: every tenant-owned row carries its municipality): the lead
    # municipality of the initiative, set by the services that create the row.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    chain_item = models.ForeignKey(
        ChainItem,
        verbose_name=_("outcome or output"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    library = models.ForeignKey(
        LibraryIndicator,
        verbose_name=_("from the library"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
    )
    code = models.SlugField(
        _("code"), max_length=60, help_text=_("Used in spreadsheets to name the indicator.")
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default="higher"
    )
    scale_min = models.DecimalField(
        _("lowest possible value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    scale_max = models.DecimalField(
        _("highest possible value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    method = models.CharField(_("how it is measured"), max_length=300, blank=True)
    frequency = models.CharField(_("how often"), max_length=100, blank=True)
    reporter = models.CharField(_("who reports"), max_length=200, blank=True)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Each period's value is the running total since the start."),
    )
    disaggregations = models.JSONField(
        _("disaggregations"),
        default=dict,
        blank=True,
        help_text=_('Dimensions and their categories, e.g. {"gender": ["female", "male"]}.'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every change; a form that read an older version is refused (concurrent edits).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["initiative", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    # The tenant key (DESIGN: every tenant-owned row carries its municipality): the lead
    # municipality of the initiative, set by the services that create the row.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    label = models.CharField(_("period"), max_length=40, help_text=_("e.g. 2025 or 2025-H1"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["indicator", "start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "label"], name="period_label_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        # The database's period_order constraint, with a message on the field.
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The period ends before it starts.")})


class ValueKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    TARGET = "target", _("Target")
    ACTUAL = "actual", _("Actual")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class IndicatorValue(models.Model):
    """One figure of a period: baseline, target or actual, for the total (empty dimension) or
    one category of a disaggregation. Percentages keep numerator and denominator."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="values")
    # The tenant key (DESIGN: every tenant-owned row carries its municipality): the lead
    # municipality of the initiative, set by the services that create the row.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind.choices)
    dimension = models.CharField(_("disaggregation"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    numerator = models.DecimalField(
        _("numerator"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    measured_on = models.DateField(_("date"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(_("comment from the reviewer"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["period", "kind", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "dimension", "category"], name="indicator_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.kind} {self.value}"


class Programme(models.Model):
    """A group of initiatives whose indicator totals are computed when read."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    initiatives = models.ManyToManyField(Initiative, related_name="programmes", blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        # Per municipality: its URLs sit under the municipality, and a global rule would tell
        # one municipality which slugs another uses.
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="programme_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


# --- participant surveys ----------------------------------------------------------------------


class Survey(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"), help_text=_("Why we ask, shown before the first question.")
    )
    consent_text = models.TextField(
        _("consent text"),
        help_text=_("What the participant agrees to, shown before the first question."),
    )
    items = models.ManyToManyField(LibraryIndicator, through="SurveyItem", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="survey_items")
    library = models.ForeignKey(LibraryIndicator, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_items"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "library"], name="survey_item_unique")
        ]

    def __str__(self) -> str:
        return str(self.library)


class TimePointKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    FOLLOW_UP = "follow_up", _("Follow-up")


class TimePoint(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="time_points")
    kind = models.CharField(_("time point"), max_length=10, choices=TimePointKind.choices)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("time point")
        verbose_name_plural = _("time points")
        ordering = ["survey", "opens_on", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "kind"], name="time_point_unique")]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        if self.closes_on and self.opens_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("The closing date cannot be before the opening date.")}
            )


# No 0/O, 1/I/L: a code read aloud or copied from paper stays unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class Participant(models.Model):
    """A pseudonymous participant: a random code held by the initiative, never a name."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participants"
    )
    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    # Someone who is not in the initiative and answers the same survey for comparison; their
    # answers are compared unpaired (difference-in-differences), never mixed into the change.
    comparison = models.BooleanField(_("comparison group"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        pgettext_lazy("participant", "withdrawn"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["initiative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="participant_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One participant's answers at one time point. Reached by a personal link whose token is
    stored only as a SHA-256 hash; submitted once (later submissions change nothing)."""

    # The unique (participant, time point) index serves lookups by participant.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    time_point = models.ForeignKey(TimePoint, on_delete=models.CASCADE, related_name="responses")
    # NULL = no personal link (a paper form); the partial unique index skips those rows.
    token_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    consented_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # only read with the response; one index fewer for bulk imports
        # No database constraint: a record of who typed the answers in, not a structural link.
        # Each constrained row costs a check at commit on PostgreSQL, a third of a
        # 200,000-response import's commit. A deleted user is set to NULL by Django's
        # on_delete (users are only deleted through the ORM), as with any SET_NULL key.
        db_constraint=False,
        help_text="Staff member who typed in a paper form.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "time_point"], name="response_unique"),
            # Partial: imported paper answers have no link, and their rows skip this index.
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=models.Q(token_hash__isnull=False),
                name="response_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.time_point}"


class Answer(models.Model):
    """One answer to one question of a survey item (a whole number on the item's scale).

    The primary key is (response, item, question): one answer per question, and the table
    needs no other index — lookups by response use the key's prefix, and a million-row
    import writes one B-tree instead of three (no surrogate id, no autoincrement).

    The two foreign keys have no database constraint (``db_constraint=False``): on PostgreSQL
    each constrained row costs a trigger and a row lock at commit, which made a million-row
    import four times slower than the bare insert. Integrity is kept by the application
    instead: answers are written only by ``surveys.response_save`` and ``imports``, which
    resolve the response and item from the survey first, and they are deleted with their
    response or item by Django's cascade (``on_delete=CASCADE``)."""

    pk = models.CompositePrimaryKey("response_id", "item_id", "question")
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,
        db_constraint=False,
    )
    item = models.ForeignKey(
        SurveyItem,
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,
        db_constraint=False,
    )
    question = models.PositiveSmallIntegerField(default=1)
    value = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"{self.item} {self.question}: {self.value}"
