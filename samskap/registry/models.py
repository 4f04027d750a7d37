"""The initiative registry: initiatives, their partners, lifecycle history and stories."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samskap.accounts.models import Municipality, Organisation


class SectorCode(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    CHILDREN_YOUTH = "children_youth", _("Children and youth")
    HEALTH = "health", _("Health")
    WORK_INCLUSION = "work_inclusion", _("Work inclusion")
    CULTURE = "culture", _("Culture")
    ENVIRONMENT = "environment", _("Environment")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    INTEGRATION = "integration", _("Integration")
    LOCAL_COMMUNITY = "local_community", _("Local community")


class Sector(models.Model):
    """A welfare sector. Rows are created by a migration, one per :class:`SectorCode`."""

    code = models.CharField(_("code"), max_length=32, choices=SectorCode.choices, unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    ANCHORING = "anchoring", _("Anchoring")
    INSIGHT = "insight", _("Insight")
    PILOT = "pilot", _("Pilot")
    OPERATIONS_DECISION = "operations_decision", _("Operations decision")
    TRANSITION = "transition", _("Transition to operation")
    OPERATION = "operation", _("Operation")
    SPREAD = "spread", _("Spread")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class GovernanceLogic(models.TextChoices):
    HIERARCHY = "hierarchy", _("Hierarchy")
    MARKET = "market", _("Market")
    NETWORK = "network", _("Network")


GOVERNANCE_LOGIC_HELP = {
    GovernanceLogic.HIERARCHY: _(
        "The municipality decides and instructs; the partner delivers within rules and budgets."
    ),
    GovernanceLogic.MARKET: _(
        "The municipality buys a defined service; price, competition and contract steer."
    ),
    GovernanceLogic.NETWORK: _(
        "The parties co-create as equals; trust, shared goals and dialogue steer."
    ),
}


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class Initiative(models.Model):
    """A co-creation initiative, owned by one or more municipalities.

    ``municipality`` is the lead owner and the tenant key (every row that hangs off an
    initiative carries the same value, so a cluster can be sharded by it). ``owners`` lists
    every owning municipality, the lead included.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("lead municipality"),
        on_delete=models.PROTECT,
        related_name="led_initiatives",
    )
    owners = models.ManyToManyField(
        Municipality, verbose_name=_("owning municipalities"), related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    need = models.TextField(
        _("need or problem"),
        help_text=_("The need or problem, in the words of the people the initiative serves."),
    )
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=300)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), related_name="initiatives")
    governance_logic = models.CharField(
        _("governance logic"),
        max_length=16,
        choices=GovernanceLogic.choices,
        default=GovernanceLogic.NETWORK,
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.IDEA)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    project_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_initiatives",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Set when the initiative enters the pilot stage.
    planned_transition_date = models.DateField(
        _("planned transition to operation"), null=True, blank=True
    )
    operating_owner = models.ForeignKey(
        Organisation,
        verbose_name=_("intended operating owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_initiatives",
    )
    post_pilot_funding = models.TextField(_("funding after the pilot"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic concurrency: every edit must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["visibility", "-updated_at", "-id"], name="initiative_showcase"),
            models.Index(fields=["municipality", "stage"], name="initiative_tenant_stage"),
            models.Index(fields=["stage", "planned_transition_date"], name="initiative_stuck"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:initiative", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def governance_logic_help(self) -> str:
        return str(GOVERNANCE_LOGIC_HELP[GovernanceLogic(self.governance_logic)])


class ParticipationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    OPERATOR = "operator", _("Operator")
    FUNDER = "funder", _("Funder")
    CO_CREATOR = "co_creator", _("Co-creator")
    USER_REPRESENTATIVE = "user_representative", _("User representative")
    RESEARCH_PARTNER = "research_partner", _("Research partner")
    OTHER = "other", _("Other")


class Participation(models.Model):
    """An organisation's role in an initiative, for a period."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=24, choices=ParticipationRole.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"], name="participation_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="participation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class StageChange(models.Model):
    """One move in an initiative's lifecycle, with the decision behind it."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField(_("from"), max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=24, choices=Stage.choices)
    changed_at = models.DateTimeField(_("when"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    decision_body = models.CharField(_("deciding body"), max_length=200, blank=True)
    decision_case_number = models.CharField(_("case number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_url = models.URLField(_("link to the decision"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.from_stage or '–'} → {self.to_stage}"

    @property
    def has_decision(self) -> bool:
        return bool(self.decision_body or self.decision_case_number)


class StoryKind(models.TextChoices):
    SUCCESS = "success", _("Success story")
    CHALLENGE = "challenge", _("Challenge")
    NEGATIVE_EFFECT = "negative_effect", _("Unintended or negative effect")
    LESSON = "lesson", _("Lesson learned")


class Story(models.Model):
    """A story or lesson from an initiative. Negative effects are recorded, never hidden."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=StoryKind.choices)
    date = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class IdeaStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class IdeaProposal(models.Model):
    """An idea sent in by a citizen through the public form, waiting for moderation."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="idea_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("what need or problem would it solve?"))
    description = models.TextField(_("your idea"), blank=True)
    proposer_name = models.CharField(_("your name"), max_length=200, blank=True)
    proposer_email = models.EmailField(_("your e-mail"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    initiative = models.OneToOneField(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_proposal",
    )

    class Meta:
        verbose_name = _("idea proposal")
        verbose_name_plural = _("idea proposals")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status"], name="idea_queue")]

    def __str__(self) -> str:
        return self.title
