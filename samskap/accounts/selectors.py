"""Reads that depend on who asks: the organisations and invitations a coordinator manages."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from samskap.core.tokens import digest

from .access import Access
from .models import Invitation, Municipality, Organisation


def managed_municipalities(access: Access) -> QuerySet[Municipality]:
    return Municipality.objects.filter(pk__in=access.manager_municipality_ids)


def organisations_managed_by(access: Access) -> QuerySet[Organisation]:
    """Organisations a coordinator may edit and invite people into.

    Those registered in one of the coordinator's municipalities; and those registered nowhere
    (shared across municipalities, such as a regional social enterprise) that take part in an
    initiative the coordinator's municipality leads. An organisation registered in another
    municipality is that municipality's to manage.
    """
    managers = access.manager_municipality_ids
    if not managers:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(home_municipality_id__in=managers)
        | Q(home_municipality__isnull=True, participations__municipality_id__in=managers)
    ).distinct()


def can_manage_organisation(access: Access, organisation: Organisation) -> bool:
    return organisations_managed_by(access).filter(pk=organisation.pk).exists()


def organisation_to_manage(access: Access, slug: str) -> Organisation:
    """The organisation by slug for a coordinator: 404 when unknown, 403 when not theirs."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if not can_manage_organisation(access, organisation):
        raise PermissionDenied
    return organisation


def invitations_managed_by(access: Access) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        municipality_id__in=access.manager_municipality_ids
    ).select_related("municipality", "organisation", "created_by", "accepted_by")


def invitation_to_manage(access: Access, pk: int) -> Invitation:
    """An invitation of one of the coordinator's municipalities; 404 for any other."""
    invitation = invitations_managed_by(access).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token`` (whatever its state), or None if forged."""
    return (
        Invitation.objects.select_related("municipality", "organisation")
        .filter(digest=digest(token))
        .first()
    )
