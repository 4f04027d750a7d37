"""Tenants (municipalities), organisations, users and their roles."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskap.core.privacy import MIN_GROUP_SIZE
from samskap.core.tokens import new_token

from .validators import validate_municipality_number, validate_org_number


class Language(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    SWEDEN = "SE", _("Sweden")
    DENMARK = "DK", _("Denmark")


class Municipality(models.Model):
    """The tenant. Every tenant-owned row elsewhere carries a foreign key to one."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[validate_municipality_number],
        help_text=_("The four-digit number from Statistics Norway's classification."),
    )
    county = models.CharField(_("county"), max_length=120, blank=True)
    # Which country's agreement templates (in its terms and language) are offered.
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.NORWAY
    )
    default_language = models.CharField(
        _("default language"), max_length=5, choices=Language.choices, default=Language.BOKMAL
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("Shown on the cover of reports. PNG or JPEG."),
    )
    privacy_threshold = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE)],
        help_text=_(
            "No figure about fewer people than this is shown anywhere. It can be raised, "
            "never set below 5."
        ),
    )
    four_eyes_approval = models.BooleanField(
        _("approval by a second person"),
        default=True,
        help_text=_(
            "An indicator value must be approved by someone other than the person who entered it."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    MUNICIPAL_UNIT = "municipal_unit", _("Municipal unit")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    VOLUNTARY = "voluntary", _("Voluntary organisation")
    BUSINESS = "business", _("Business")
    CITIZEN_GROUP = "citizen_group", _("Citizen group")
    RESEARCH = "research", _("Research institution")
    OTHER_PUBLIC = "other_public", _("Other public body")


class Organisation(models.Model):
    """A party to initiatives: a municipal unit, social entrepreneur, NGO, business …

    Organisations are not tenant-internal: their name and kind are public facts and one
    organisation may work with several municipalities. ``home_municipality`` records where it
    was registered (required for municipal units).
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Nine digits from the Brønnøysund Register Centre (optional)."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="organisation_org_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipal_unit") | Q(home_municipality__isnull=False),
                name="organisation_municipal_unit_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", kwargs={"slug": self.slug})


class User(AbstractUser):
    """A person with an account. Participants and the public never need one."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    PROJECT_LEADER = "project_leader", _("Project leader")
    PARTNER = "partner", _("Partner")
    VIEWER = "viewer", _("Viewer")


MUNICIPAL_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROJECT_LEADER, Role.VIEWER)
MANAGER_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)


class Membership(models.Model):
    """A user's role in a municipality (staff roles) or in an organisation (partner)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="partner", organisation__isnull=False, municipality__isnull=True)
                    | (
                        ~Q(role="partner")
                        & Q(municipality__isnull=False, organisation__isnull=True)
                    )
                ),
                name="membership_partner_in_organisation_staff_in_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="membership_unique_municipal_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_organisation_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality or self.organisation}"


class ApiToken(models.Model):
    """A personal access token for the JSON API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is used for."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: "User", name: str, expires_at=None) -> tuple["ApiToken", str]:
        """Create a token; the secret is returned once and never stored."""
        secret, secret_digest = new_token(prefix="smk_")
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=secret[4:12],
            digest=secret_digest,
            expires_at=expires_at,
        )
        return token, secret


# Roles a coordinator may give by invitation. Administrators are made in the admin only.
INVITABLE_ROLES = (Role.COORDINATOR, Role.PROJECT_LEADER, Role.VIEWER, Role.PARTNER)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An invitation by e-mail to join a municipality (staff role) or an organisation (partner).

    Only the SHA-256 digest of the link's token is stored. An invitation is pending until it
    is accepted (once), withdrawn, or past ``expires_at``.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text=_("The municipality that invites; its coordinators see and withdraw it."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language of the message"), max_length=5, choices=Language.choices
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="partner", organisation__isnull=False)
                    | (~Q(role="partner") & Q(organisation__isnull=True))
                ),
                name="invitation_partner_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}"

    def status(self, now: datetime.datetime | None = None) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationStatus.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def target(self) -> "Municipality | Organisation":
        return self.organisation if self.organisation_id else self.municipality


class EmailDomain(models.Model):
    """People who sign in through OpenID Connect with an address in this domain get a
    low role in the municipality (never coordinator: raise it by hand afterwards)."""

    DOMAIN_ROLES = (Role.VIEWER, Role.PROJECT_LEADER)

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="email_domains",
    )
    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        help_text=_("For example fjordvik.kommune.no, without @."),
    )
    role = models.CharField(
        _("role given"),
        max_length=20,
        choices=[(role.value, role.label) for role in DOMAIN_ROLES],
        default=Role.VIEWER,
    )

    class Meta:
        verbose_name = _("e-mail domain for single sign-on")
        verbose_name_plural = _("e-mail domains for single sign-on")
        ordering = ["domain"]
        constraints = [
            # The rule "never coordinator by default" held by the database too.
            models.CheckConstraint(
                condition=Q(role__in=["viewer", "project_leader"]),
                name="email_domain_low_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} → {self.municipality}"

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")


class OidcIdentity(models.Model):
    """A person's identity at the OpenID Connect provider (issuer + subject), linked to the
    account it signs in to. Matching by this pair, not by e-mail, after the first sign-in."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
