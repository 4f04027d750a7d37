"""Every write about organisations, invitations and accounts: permission, change, message.

Views, the API, commands and single sign-on call these; none of them writes these rows itself.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samskap.core import outbox
from samskap.core.notifications import outbox_has
from samskap.core.tokens import digest, new_token

from .access import Access
from .models import (
    INVITABLE_ROLES,
    EmailDomain,
    Invitation,
    InvitationStatus,
    Membership,
    Municipality,
    OidcIdentity,
    Organisation,
    Role,
    User,
)
from .selectors import can_manage_organisation
from .validators import normalise_org_number


def _unique_organisation_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisasjon"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_org_number_free(org_number: str, exclude_pk: int | None) -> None:
    if not org_number:
        return
    holder = Organisation.objects.filter(org_number=org_number).exclude(pk=exclude_pk).first()
    if holder is not None:
        raise ValidationError(
            {
                "org_number": _("This organisation number is already registered for “%(name)s”.")
                % {"name": holder.name}
            }
        )


@transaction.atomic
def organisation_create(
    *,
    access: Access,
    name: str,
    kind: str,
    home_municipality: Municipality,
    org_number: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    """Register an organisation in one of the coordinator's municipalities."""
    if home_municipality is None or home_municipality.pk not in access.manager_municipality_ids:
        raise PermissionDenied(_("Only coordinators can register organisations."))
    org_number = normalise_org_number(org_number)
    _check_org_number_free(org_number, None)
    organisation = Organisation(
        name=name.strip(),
        slug=_unique_organisation_slug(name),
        kind=kind,
        org_number=org_number,
        website=website,
        description=description,
        home_municipality=home_municipality,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *,
    access: Access,
    organisation: Organisation,
    name: str,
    kind: str,
    home_municipality: Municipality | None,
    org_number: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    """Change an organisation the coordinator manages. The slug (its address) stays."""
    # The stored row, not the object passed in (a bound ModelForm has already changed that).
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not can_manage_organisation(access, organisation):
        raise PermissionDenied(_("You cannot change this organisation."))
    # Moving an organisation is only allowed into a municipality the coordinator manages.
    if (
        home_municipality is not None
        and home_municipality.pk != organisation.home_municipality_id
        and home_municipality.pk not in access.manager_municipality_ids
    ):
        raise PermissionDenied(_("You cannot move an organisation to that municipality."))
    if home_municipality is None and organisation.home_municipality_id is not None:
        raise ValidationError({"home_municipality": _("Choose the home municipality.")})
    org_number = normalise_org_number(org_number)
    _check_org_number_free(org_number, organisation.pk)
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.org_number = org_number
    organisation.website = website
    organisation.description = description
    organisation.home_municipality = home_municipality
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def municipality_settings_update(
    *,
    access: Access,
    municipality: Municipality,
    country: str,
    default_language: str,
    four_eyes_approval: bool,
    privacy_threshold: int | None = None,
) -> Municipality:
    """A coordinator (or administrator) of the municipality sets its country, default language,
    whether an indicator value needs a second person's approval (``four_eyes_approval``: the
    person who entered a value cannot approve it) and the smallest group any figure may be about
    (``privacy_threshold``: raised at will, never below 5 – the model's validator)."""
    if municipality.pk not in access.manager_municipality_ids:
        raise PermissionDenied(_("Only the municipality's coordinators can change its settings."))
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    before = municipality.privacy_threshold
    municipality.country = country
    municipality.default_language = default_language
    municipality.four_eyes_approval = four_eyes_approval
    if privacy_threshold is not None:
        municipality.privacy_threshold = privacy_threshold
    municipality.full_clean()
    municipality.save(
        update_fields=["country", "default_language", "four_eyes_approval", "privacy_threshold"]
    )
    if municipality.privacy_threshold != before:
        # A value map's stored headline may take a figure from a survey: what the new threshold
        # hides (or shows again) reaches the headline too, after the commit.
        from samskap.measurement.models import Survey
        from samskap.valuation.refresh import measurement_changed

        measurement_changed(
            survey_ids=Survey.objects.filter(initiative__municipality=municipality).values_list(
                "pk", flat=True
            )
        )
    return municipality


# --- invitations ----------------------------------------------------------------------------


def invitation_days() -> int:
    return settings.SAMSKAP_INVITATION_DAYS


def _normal_email(email: str) -> str:
    # The whole address in lower case: the local part is case-insensitive at every mail
    # service a municipality uses, and matching people by address must not miss on case.
    return email.strip().lower()


def _membership_target(invitation: Invitation) -> dict:
    if invitation.role == Role.PARTNER:
        return {"organisation": invitation.organisation, "municipality": None}
    return {"municipality": invitation.municipality, "organisation": None}


@transaction.atomic
def invitation_create(
    *,
    access: Access,
    municipality: Municipality,
    role: str,
    email: str,
    organisation: Organisation | None = None,
    name: str = "",
    site_url: str,
    language: str = "",
    form_key: str = "",
) -> tuple[Invitation, str]:
    """Invite a person by e-mail; returns the invitation and the token of its link (shown or
    sent once, stored only as a digest).

    ``form_key`` identifies the form the coordinator sent: the same form sent twice (a
    reload, a double click) is refused with the code ``already_made`` and changes nothing, so
    the link already shown and mailed keeps working and no second message goes out.

    Inviting the same address to the same role again replaces the earlier pending invitation
    (its link stops working), so a resent invitation never yields two memberships.
    The message goes through the outbox, in the same transaction; ``site_url``
    (``https://samskap.example.no``) makes the link in it absolute.
    """
    if municipality.pk not in access.manager_municipality_ids:
        raise PermissionDenied(_("Only coordinators can invite people."))
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": _("This role cannot be given by invitation.")})
    if role == Role.PARTNER:
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Choose the organisation the person works for.")}
            )
        if not can_manage_organisation(access, organisation):
            raise PermissionDenied(_("You cannot invite people into this organisation."))
    else:
        organisation = None
    form_dedupe_key = f"invitation-form:{form_key}" if form_key else None
    if form_dedupe_key and outbox_has(form_dedupe_key):
        raise _already_made()
    email = _normal_email(email)
    target = {"organisation": organisation} if organisation else {"municipality": municipality}
    if Membership.objects.filter(user__email__iexact=email, role=role, **target).exists():
        raise ValidationError(
            {"email": _("A person with this e-mail address already has this role.")}
        )
    now = timezone.now()
    earlier = Invitation.objects.select_for_update().filter(
        email=email,
        role=role,
        municipality=municipality,
        organisation=organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    )
    earlier.update(withdrawn_at=now)
    token, token_digest = new_token(prefix="inv_")
    invitation = Invitation(
        municipality=municipality,
        organisation=organisation,
        role=role,
        email=email,
        name=name.strip(),
        language=language or municipality.default_language,
        digest=token_digest,
        created_by_id=access.user_id,
        expires_at=now + datetime.timedelta(days=invitation_days()),
    )
    invitation.full_clean()
    invitation.save()
    inviter = User.objects.filter(pk=access.user_id).first()
    message = outbox.send(
        to=invitation.email,
        template="accounts_invitation",
        context={
            "name": invitation.name,
            "inviter": str(inviter) if inviter else municipality.name,
            "municipality": municipality.name,
            "role": Role(invitation.role).label,  # lazy: in the recipient's language
            "where": str(invitation.target),
            "link": site_url.rstrip("/") + reverse("accounts:invitation", args=[token]),
            "expires_at": invitation.expires_at,
        },
        language=invitation.language,
        cause=invitation,
        municipality=municipality,
        dedupe_key=form_dedupe_key or f"invitation:{invitation.pk}",
        created_by=inviter,
    )
    if message.cause_id != str(invitation.pk):
        # The same form, sent at the same moment by another request that committed first:
        # this one is rolled back whole (the earlier invitation is not withdrawn).
        raise _already_made()
    return invitation, token


def _already_made() -> ValidationError:
    return ValidationError(
        _(
            "This invitation was already made (the form was sent twice) and its link was shown "
            "then. Nothing was sent again; use “Send again” in the list if it is needed."
        ),
        code="already_made",
    )


@transaction.atomic
def invitation_withdraw(*, access: Access, invitation: Invitation) -> Invitation:
    if invitation.municipality_id not in access.manager_municipality_ids:
        raise PermissionDenied(_("You cannot withdraw this invitation."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status() != InvitationStatus.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


@transaction.atomic
def invitation_resend(*, access: Access, invitation: Invitation) -> None:
    """Send a pending invitation's message again: a failed one goes back in the queue, a sent
    one (lost in a spam filter) is sent once more. The link stays the same."""
    if invitation.municipality_id not in access.manager_municipality_ids:
        raise PermissionDenied(_("You cannot send this invitation."))
    if invitation.status() != InvitationStatus.PENDING:
        raise ValidationError(_("Only a pending invitation can be sent again."))
    latest = outbox.messages_for([invitation])
    if not latest:
        raise ValidationError(_("This invitation has no message to send again."))
    outbox.resend(latest[0], by=User.objects.filter(pk=access.user_id).first())


@dataclass
class InvitationUnusable(Exception):
    """The link cannot be used: ``status`` is expired, accepted, withdrawn or ``"unknown"``."""

    status: str


def _pending_invitation(token: str) -> Invitation:
    """The invitation of ``token``, locked for this transaction, or InvitationUnusable."""
    invitation = Invitation.objects.select_for_update().filter(digest=digest(token)).first()
    if invitation is None:
        raise InvitationUnusable("unknown")
    status = invitation.status()
    if status != InvitationStatus.PENDING:
        raise InvitationUnusable(status)
    return invitation


def _accept(invitation: Invitation, user: User) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        user=user, role=invitation.role, **_membership_target(invitation)
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """An existing, signed-in person joins through the link. Single use."""
    invitation = _pending_invitation(token)
    if _normal_email(user.email) != invitation.email:
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Log out and open the "
                "link again to create an account for that address."
            )
        )
    return _accept(invitation, user)


@transaction.atomic
def account_create_from_invitation(
    *, token: str, username: str, first_name: str, last_name: str, password: str
) -> User:
    """A new person sets a password through the link and joins with the invited role."""
    invitation = _pending_invitation(token)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken; choose another.")})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=invitation.email,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _accept(invitation, user)
    return user


@transaction.atomic
def invitations_accept_for_sign_in(*, user: User) -> list[Membership]:
    """Single sign-on: every pending invitation to the person's (verified) address is
    accepted. Used only with an address the identity provider vouches for."""
    email = _normal_email(user.email)
    if not email:
        return []
    pending = Invitation.objects.select_for_update().filter(
        email=email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    return [_accept(invitation, user) for invitation in pending]


# --- single sign-on -------------------------------------------------------------------------


def _domain_rule(email: str) -> tuple[Municipality, str] | None:
    """The municipality and low role an address's domain gives, from SAMSKAP_OIDC_DOMAINS or
    the admin's e-mail domains; None when the domain is nobody's."""
    domain = email.rpartition("@")[2]
    if not domain:
        return None
    configured = settings.SAMSKAP_OIDC_DOMAINS.get(domain)
    if configured is not None:
        municipality = Municipality.objects.filter(slug=configured[0]).first()
        return (municipality, configured[1]) if municipality else None
    row = EmailDomain.objects.select_related("municipality").filter(domain=domain).first()
    return (row.municipality, row.role) if row else None


def _unique_username(email: str, subject: str) -> str:
    base = (email or f"sso-{subject}")[:140]
    username, n = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username, n = f"{base}-{n}", n + 1
    return username


@transaction.atomic
def oidc_sign_in(
    *,
    issuer: str,
    subject: str,
    email: str,
    email_verified: bool | None,
    first_name: str = "",
    last_name: str = "",
) -> User | None:
    """The account a person signed in at the provider comes into, or None (no access).

    A known identity (issuer + subject) comes into its account. Otherwise the person needs a
    pending invitation to their address, or an address in a municipality's e-mail domain
    (which gives a low role, never coordinator); an account with that address and no admin
    rights is then linked. Pending invitations to the address are accepted at every sign-in.
    An address the provider marks as unverified counts as no address.
    """
    email = "" if email_verified is False else _normal_email(email)
    identity = (
        OidcIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
        if not user.is_active:
            return None
    else:
        pending = (
            email
            and Invitation.objects.filter(
                email=email,
                accepted_at__isnull=True,
                withdrawn_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).exists()
        )
        rule = _domain_rule(email) if email else None
        if not pending and rule is None:
            return None
        existing = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(existing) == 1 and not (existing[0].is_staff or existing[0].is_superuser):
            user = existing[0]
        else:
            user = User(
                username=_unique_username(email, subject),
                email=email,
                first_name=first_name[:150],
                last_name=last_name[:150],
            )
            user.set_unusable_password()
            user.save()
        identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        if rule is not None:
            municipality, role = rule
            Membership.objects.get_or_create(user=user, role=role, municipality=municipality)
    if email and _normal_email(user.email) == email:
        invitations_accept_for_sign_in(user=user)
    if not user.memberships.exists():
        return None
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user
