"""Who may do what: one place that turns a user's memberships into sets of ids.

Every selector and service asks :func:`access_for`; views never read memberships directly.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from .models import MANAGER_ROLES, Membership, Role, User


@dataclass(frozen=True)
class Access:
    """The municipalities and organisations a user acts for, by kind of role."""

    user_id: int | None = None
    # Every municipality where the user holds a staff role (admin, coordinator, PL, viewer).
    staff_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    # Municipalities where the user is administrator or coordinator.
    manager_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    # Municipalities where the user is a project leader.
    project_leader_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    # Organisations the user acts for as a partner.
    partner_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_municipal_staff(self) -> bool:
        return bool(self.staff_municipality_ids)

    @property
    def is_manager(self) -> bool:
        return bool(self.manager_municipality_ids)


ANONYMOUS = Access()


def access_for(user: User | AnonymousUser) -> Access:
    """Return the user's :class:`Access`, computed once per user object (one query)."""
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_samskap_access", None)
    if cached is not None:
        return cached
    staff: set[int] = set()
    managers: set[int] = set()
    leaders: set[int] = set()
    partners: set[int] = set()
    rows = Membership.objects.filter(user=user).values_list(
        "role", "municipality_id", "organisation_id"
    )
    for role, municipality_id, organisation_id in rows:
        if role == Role.PARTNER:
            partners.add(organisation_id)
            continue
        staff.add(municipality_id)
        if role in MANAGER_ROLES:
            managers.add(municipality_id)
        if role == Role.PROJECT_LEADER:
            leaders.add(municipality_id)
    access = Access(
        user_id=user.pk,
        staff_municipality_ids=frozenset(staff),
        manager_municipality_ids=frozenset(managers),
        project_leader_municipality_ids=frozenset(leaders),
        partner_organisation_ids=frozenset(partners),
    )
    user._samskap_access = access  # type: ignore[union-attr]
    return access
