"""Value maps of initiatives (SROI / cost-benefit), and the installation's proxy library.

Every row carries ``municipality`` (the initiative's lead municipality), the tenant key. Ranged
assumptions are three decimals ``<name>_low``, ``<name>`` (central) and ``<name>_high``; low and
high equal the central value when the assumption is not uncertain. The figures are computed by
the pure engine (``engine.py``) from ``to_engine(value_map)``; ``summary`` keeps the headline of
the last computation (ratio and its band) for panels and the portfolio, with the version it
belongs to.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samskap.accounts.models import Municipality
from samskap.core import numbers
from samskap.registry.models import Initiative


class FirstYear(models.TextChoices):
    UNDISCOUNTED = "undiscounted", _("Undiscounted (Norwegian practice)")
    DISCOUNTED = "discounted", _("Discounted (SROI guide template)")


class Schedule(models.TextChoices):
    """Discounting conventions a map can follow (the steps: ``valuemap.SCHEDULES``; sources in
    docs/valuation.md). The country presets: R-109 (Norway; the engine also calls it
    ``no-r109``), ``se-asek`` (Sweden) and ``dk-fm`` (Denmark)."""

    NONE = "", _("One rate")
    R109 = "R-109", _("Norway, R-109/21: 4/3/2 percent (years 1-40, 41-75, 76+)")
    SE_ASEK = "se-asek", _("Sweden, ASEK 7.0: 3.5 percent in every year")
    DK_FM = (
        "dk-fm",
        _("Denmark, Finansministeriet 2021: 3.5/2.5/1.5 percent (years 1-35, 36-70, 71+)"),
    )
    GREEN_BOOK = "green-book", _("UK Green Book: 3.5 percent, declining")


# The convention a new value map starts from, by its municipality's country.
COUNTRY_SCHEDULE = {"NO": Schedule.R109, "SE": Schedule.SE_ASEK, "DK": Schedule.DK_FM}


class Starts(models.TextChoices):
    DURING = "during", _("During the activity (year 1)")
    AFTER = "after", _("After the activity (year 2)")


class Payer(models.TextChoices):
    NONE = "", _("Not stated")
    # The payer of a saving; "State" alone is also an agreement's state, hence the context.
    MUNICIPALITY = "municipality", pgettext_lazy("payer", "Municipality")
    STATE = "state", pgettext_lazy("payer", "State")
    OTHER = "other", pgettext_lazy("payer", "Other")


class Flow(models.TextChoices):
    RESOURCE = "resource", _("Real resource use or saving")
    TRANSFER = "transfer", _("Transfer between parties (zero for society)")


class Evidence(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    FULL = "full", _("Full")


def _amount(verbose: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=16, decimal_places=4, **kwargs)


def _rate(verbose: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose,
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        **kwargs,
    )


def check_ranges(instance: models.Model, names: list[str]) -> None:
    """low <= central <= high for every ranged field that is set."""
    errors = {}
    for name in names:
        low, central, high = (getattr(instance, f) for f in (f"{name}_low", name, f"{name}_high"))
        if central is None:
            if low is not None or high is not None:
                errors[name] = _("Give the central value when you give a range.")
            continue
        if (low is not None and low > central) or (high is not None and high < central):
            errors[name] = _("The range must have low ≤ central ≤ high.")
    if errors:
        raise ValidationError(errors)


PROXY_TEXT_FIELDS = ("name", "unit", "source", "method", "licence")
PROXY_FALLBACK_LANGUAGE = {"nn": "nb", "no": "nb"}


class Proxy(models.Model):
    """A financial proxy in the installation's library, with where it comes from.

    Only values whose licence permits redistribution are shipped (Norwegian public statistics
    under NLOD / CC BY 4.0); never HACT Social Value Bank or National TOMs values.

    The shipped ones (``proxy_library.py``, with a ``code``) store their texts in English and
    hold them in the Nordic languages in ``translations`` (``{"nb": {"name": …, "unit": …,
    "source": …, "method": …, "licence": …}, "nn": …}``), as the indicator library does; read
    them through ``text(field)`` (``local`` in templates). A municipality's own proxies are
    shown as typed."""

    code = models.SlugField(_("code"), max_length=60, blank=True, default="")
    name = models.CharField(_("name"), max_length=200)
    value = _amount(_("value"))
    unit = models.CharField(_("unit"), max_length=100, help_text=_("E.g. per person per year."))
    price_year = models.PositiveSmallIntegerField(_("price year"))
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    method = models.TextField(_("method"), blank=True, help_text=_("How the value is derived."))
    licence = models.CharField(_("licence"), max_length=100)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("financial proxy")
        verbose_name_plural = _("financial proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="proxy_code_unique"
            )
        ]

    def __str__(self) -> str:
        name, unit = self.text("name"), self.text("unit")
        return f"{name} ({numbers.integer(self.value)} {unit}, {self.price_year})"

    def text(self, field: str) -> str:
        """``field`` (name, unit, source, method or licence) in the active language: its text
        in ``translations`` (nynorsk falling back to bokmål), else the stored text."""
        language = (get_language() or "").lower().split("-")[0]
        translations = self.translations or {}
        for candidate in (language, PROXY_FALLBACK_LANGUAGE.get(language)):
            translated = translations.get(candidate or "", {}).get(field)
            if translated:
                return translated
        return getattr(self, field)

    @property
    def local(self) -> dict:
        """The translatable texts in the active language, for templates (``p.local.name``)."""
        return {field: self.text(field) for field in PROXY_TEXT_FIELDS}


class ValueMap(models.Model):
    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="value_map", verbose_name=_("initiative")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    price_year = models.PositiveSmallIntegerField(_("price year"), null=True, blank=True)
    discount_rate = _rate(_("discount rate"), default=Decimal("0.04"))
    discount_rate_low = _rate(_("discount rate, low"), null=True, blank=True)
    discount_rate_high = _rate(_("discount rate, high"), null=True, blank=True)
    schedule = models.CharField(
        _("discount schedule"), max_length=20, choices=Schedule.choices, blank=True, default=""
    )
    first_year = models.CharField(
        _("first year"), max_length=20, choices=FirstYear.choices, default=FirstYear.UNDISCOUNTED
    )
    wellbeing_value_per_point = _amount(
        _("value of one point of life satisfaction per person-year"), null=True, blank=True
    )
    wellbeing_value_per_point_low = _amount(_("low"), null=True, blank=True)
    wellbeing_value_per_point_high = _amount(_("high"), null=True, blank=True)
    wellbeing_source = models.CharField(_("source of that value"), max_length=300, blank=True)
    analysis_period = models.PositiveSmallIntegerField(
        _("analysis period (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Cost-benefit view: value after this year is left out. Empty: no limit."),
    )
    residual_value = _amount(
        _("residual value at the end of the period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    tax_financing_cost = _rate(
        _("tax-financing cost"),
        null=True,
        blank=True,
        help_text=_("Share of the net change in public budgets. Empty: the installation's 20 %."),
    )
    price_index = models.JSONField(
        _("price index by year"),
        default=dict,
        blank=True,
        help_text=_("Consumer price index by year, to bring proxies to the map's price year."),
    )
    correlations = models.JSONField(
        _("rank correlation of each correlation group"), default=dict, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    summary = models.JSONField(_("headline figures"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "summary"])

    class Meta:
        verbose_name = _("value map")
        verbose_name_plural = _("value maps")
        indexes = [models.Index(fields=["municipality"], name="valuemap_tenant")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_ranges(self, ["discount_rate", "wellbeing_value_per_point"])


class ValueInput(models.Model):
    value_map = models.ForeignKey(ValueMap, on_delete=models.CASCADE, related_name="inputs")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    stakeholder = models.CharField(_("stakeholder"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = _amount(_("amount"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    amount_low = _amount(_("amount, low"), null=True, blank=True)
    amount_high = _amount(_("amount, high"), null=True, blank=True)
    hours = _amount(
        _("volunteer hours"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("For volunteer time, instead of an amount."),
    )
    hourly_value = _amount(
        _("value per hour"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    year = models.PositiveSmallIntegerField(
        _("year"), default=0, help_text=_("0 = at the start (not discounted).")
    )
    rationale = models.TextField(_("rationale"), blank=True)
    payer = models.CharField(
        _("paid from"),
        max_length=20,
        choices=Payer.choices,
        blank=True,
        default="",
        help_text=_("A public payer makes this a cost to public budgets."),
    )
    flow = models.CharField(
        _("kind of flow"), max_length=10, choices=Flow.choices, default="resource"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.description}"

    def clean(self) -> None:
        check_ranges(self, ["amount"])
        volunteer = self.hours is not None or self.hourly_value is not None
        if volunteer and self.amount is not None:
            raise ValidationError(_("Give either an amount or volunteer hours, not both."))
        if volunteer and (self.hours is None or self.hourly_value is None):
            raise ValidationError(_("Volunteer time needs both hours and a value per hour."))
        if not volunteer and self.amount is None:
            raise ValidationError({"amount": _("Give the amount (or volunteer hours).")})
        if self.amount_low is not None and self.amount_low < 0:
            raise ValidationError({"amount": _("An amount cannot be negative.")})


RANGED_OUTCOME_FIELDS = [
    "quantity",
    "proxy_value",
    "life_satisfaction",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
]


class ValueOutcome(models.Model):
    value_map = models.ForeignKey(ValueMap, on_delete=models.CASCADE, related_name="outcomes")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    stakeholder = models.CharField(
        _("stakeholder"), max_length=200, help_text=_("Who experiences the change.")
    )
    outcome = models.CharField(_("outcome (what changes)"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    quantity = _amount(_("quantity"), validators=[MinValueValidator(Decimal(0))])
    quantity_low = _amount(_("quantity, low"), null=True, blank=True)
    quantity_high = _amount(_("quantity, high"), null=True, blank=True)
    quantity_rationale = models.TextField(_("why this quantity"), blank=True)
    proxy = models.ForeignKey(
        Proxy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy from the library"),
    )
    proxy_value = _amount(
        _("value per unit per year"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the outcome has no money value: it is listed, not counted."),
    )
    proxy_value_low = _amount(_("value, low"), null=True, blank=True)
    proxy_value_high = _amount(_("value, high"), null=True, blank=True)
    proxy_source = models.CharField(_("proxy source"), max_length=300, blank=True)
    proxy_price_year = models.PositiveSmallIntegerField(
        _("price year of the proxy"),
        null=True,
        blank=True,
        help_text=_("Adjusted to the map's price year by its price index."),
    )
    life_satisfaction = models.DecimalField(
        _("change in life satisfaction (0-10 points) per person-year"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-10)), MaxValueValidator(Decimal(10))],
        help_text=_("Instead of a proxy: valued at the map's value per point."),
    )
    life_satisfaction_low = models.DecimalField(
        _("low"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    life_satisfaction_high = models.DecimalField(
        _("high"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    duration = models.PositiveSmallIntegerField(
        _("duration (years)"), default=1, validators=[MinValueValidator(1)]
    )
    starts = models.CharField(
        _("outcome starts"), max_length=10, choices=Starts.choices, default=Starts.DURING
    )
    deadweight = _rate(_("deadweight"), null=True, blank=True)
    deadweight_low = _rate(_("deadweight, low"), null=True, blank=True)
    deadweight_high = _rate(_("deadweight, high"), null=True, blank=True)
    deadweight_evidence = models.CharField(
        _("evidence for deadweight"), max_length=10, choices=Evidence.choices, default="none"
    )
    deadweight_source = models.CharField(_("source for deadweight"), max_length=300, blank=True)
    deadweight_rationale = models.TextField(_("why this deadweight"), blank=True)
    displacement = _rate(_("displacement"), null=True, blank=True)
    displacement_low = _rate(_("displacement, low"), null=True, blank=True)
    displacement_high = _rate(_("displacement, high"), null=True, blank=True)
    displacement_rationale = models.TextField(_("why this displacement"), blank=True)
    attribution = _rate(_("attribution"), null=True, blank=True)
    attribution_low = _rate(_("attribution, low"), null=True, blank=True)
    attribution_high = _rate(_("attribution, high"), null=True, blank=True)
    attribution_evidence = models.CharField(
        _("evidence for attribution"), max_length=10, choices=Evidence.choices, default="none"
    )
    attribution_source = models.CharField(_("source for attribution"), max_length=300, blank=True)
    attribution_rationale = models.TextField(_("why this attribution"), blank=True)
    drop_off = _rate(_("drop-off"), null=True, blank=True)
    drop_off_low = _rate(_("drop-off, low"), null=True, blank=True)
    drop_off_high = _rate(_("drop-off, high"), null=True, blank=True)
    drop_off_rationale = models.TextField(_("why this drop-off"), blank=True)
    payer = models.CharField(
        _("who pays or saves"), max_length=20, choices=Payer.choices, blank=True, default=""
    )
    flow = models.CharField(
        _("kind of flow"), max_length=10, choices=Flow.choices, default="resource"
    )
    correlation_group = models.CharField(
        _("correlation group"),
        max_length=50,
        blank=True,
        help_text=_(
            "The ranges of quantity and value move together with other outcomes in the same "
            "group (the map gives each group's rank correlation)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.outcome}"

    def clean(self) -> None:
        check_ranges(self, RANGED_OUTCOME_FIELDS)
        if self.proxy_value is not None and self.life_satisfaction is not None:
            raise ValidationError(
                _("Give either a value per unit or a change in life satisfaction, not both.")
            )
        for name in ("deadweight", "displacement", "attribution", "drop_off"):
            for suffix in ("_low", "_high"):
                value = getattr(self, name + suffix)
                if value is not None and not 0 <= value <= 1:
                    raise ValidationError({name: _("A rate is between 0 and 1.")})
        if self.quantity_low is not None and self.quantity_low < 0:
            raise ValidationError({"quantity": _("A quantity cannot be negative.")})


class LinkKind(models.TextChoices):
    INDICATOR = "indicator", _("An indicator's approved value for a period (the quantity)")
    IMPROVED = "improved", _("A survey's paired result: the number who improved (the quantity)")
    MEAN_CHANGE = (
        "mean_change",
        _("A survey's paired result: the mean change (the life-satisfaction points)"),
    )


class MeasurementLink(models.Model):
    """An outcome's number taken from a measurement, resolved when the map is read
    (``links.resolve``): an indicator period's approved actual value, or a survey measure's
    paired result. ``reviewed_value`` is the source's value when someone last marked the link
    reviewed; a different value now flags the link as changed since review."""

    outcome = models.OneToOneField(ValueOutcome, on_delete=models.CASCADE, related_name="link")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("linked to"), max_length=12, choices=LinkKind.choices)
    period = models.ForeignKey(
        "measurement.Period",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator period"),
    )
    survey_item = models.ForeignKey(
        "measurement.SurveyItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey measure"),
    )
    reviewed_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement link")
        verbose_name_plural = _("measurement links")

    def __str__(self) -> str:
        return f"{self.outcome}: {self.kind}"


class ResultsPublication(models.Model):
    """A coordinator's decision to show an initiative's measured effects and value on its
    public page (and in the open data). Reversible; every decision is kept in the history
    with who and when. The figures are computed when read and pass the suppression rule
    (``publication.public_results``)."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="results_publication"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField(_("published"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of results")
        verbose_name_plural = _("publications of results")

    def __str__(self) -> str:
        return f"{self.initiative}: {self.published}"
