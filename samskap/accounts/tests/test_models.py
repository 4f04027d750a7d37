import pytest
from django.db import IntegrityError

from samskap.accounts.access import access_for
from samskap.accounts.models import Membership, Municipality, Organisation, Role, User


@pytest.fixture
def municipality(db) -> Municipality:
    return Municipality.objects.create(name="Fjordvik", slug="fjordvik", number="9901")


def test_a_partner_membership_needs_an_organisation(municipality: Municipality) -> None:
    user = User.objects.create_user("u")
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.PARTNER, municipality=municipality)


def test_a_staff_membership_needs_a_municipality(db) -> None:
    user = User.objects.create_user("u")
    org = Organisation.objects.create(name="O", slug="o", kind="business")
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.COORDINATOR, organisation=org)


def test_a_municipal_unit_needs_a_home_municipality(db) -> None:
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="Unit", slug="unit", kind="municipal_unit")


def test_access_sorts_memberships_by_kind(
    municipality: Municipality, django_assert_num_queries
) -> None:
    other = Municipality.objects.create(name="Other", slug="other", number="9902")
    org = Organisation.objects.create(name="O", slug="o", kind="voluntary")
    user = User.objects.create_user("u")
    Membership.objects.create(user=user, role=Role.COORDINATOR, municipality=municipality)
    Membership.objects.create(user=user, role=Role.PROJECT_LEADER, municipality=other)
    Membership.objects.create(user=user, role=Role.PARTNER, organisation=org)
    with django_assert_num_queries(1):
        access = access_for(user)
        assert access_for(user) is access  # cached on the user object
    assert access.staff_municipality_ids == {municipality.pk, other.pk}
    assert access.manager_municipality_ids == {municipality.pk}
    assert access.project_leader_municipality_ids == {other.pk}
    assert access.partner_organisation_ids == {org.pk}
