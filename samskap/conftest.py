"""Shared test personas: one world with two municipalities, built fresh for every test.

coordinator, project_leader, partner (of the initiative), other_partner (of an organisation not
in the initiative), viewer — all in Fjordvik; other_coordinator in Bjørkelia; anonymous.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.accounts.models import Membership, Municipality, Organisation, Role, User
from samskap.registry import services
from samskap.registry.models import Initiative, Sector, Visibility


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


@dataclass
class World:
    home: Municipality
    other: Municipality
    partner_org: Organisation
    other_org: Organisation
    coordinator: User
    project_leader: User
    partner: User
    other_partner: User
    viewer: User
    other_coordinator: User
    internal: (
        Initiative  # internal initiative of home, led by project_leader, partner_org takes part
    )
    public: Initiative  # public initiative of home
    foreign_internal: Initiative  # internal initiative of the other municipality

    def client(self, user: User | None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client


def make_user(username: str, role: str, *, municipality=None, organisation=None) -> User:
    user = User.objects.create_user(username=username, password="pw", first_name=username.title())
    Membership.objects.create(
        user=user, role=role, municipality=municipality, organisation=organisation
    )
    return user


def make_initiative(
    coordinator: User, municipality: Municipality, title: str, **kwargs
) -> Initiative:
    kwargs.setdefault("need", f"The need behind {title}")
    kwargs.setdefault("target_group", "Older people living alone")
    kwargs.setdefault("sectors", Sector.objects.filter(code="elderly_care"))
    return services.initiative_create(
        access=access_for(coordinator), municipality=municipality, title=title, **kwargs
    )


@pytest.fixture
def world(db) -> World:
    home = Municipality.objects.create(name="Fjordvik", slug="fjordvik", number="9901")
    other = Municipality.objects.create(name="Bjørkelia", slug="bjorkelia", number="9902")
    partner_org = Organisation.objects.create(
        name="Varme Hender", slug="varme-hender", kind="social_enterprise"
    )
    other_org = Organisation.objects.create(
        name="Grønn Kløver", slug="gronn-klover", kind="business"
    )
    coordinator = make_user("coordinator", Role.COORDINATOR, municipality=home)
    project_leader = make_user("leader", Role.PROJECT_LEADER, municipality=home)
    viewer = make_user("viewer", Role.VIEWER, municipality=home)
    partner = make_user("partner", Role.PARTNER, organisation=partner_org)
    other_partner = make_user("otherpartner", Role.PARTNER, organisation=other_org)
    other_coordinator = make_user("othercoordinator", Role.COORDINATOR, municipality=other)
    internal = make_initiative(
        coordinator,
        home,
        "Dinner friends",
        need="Eating alone every day",
        project_leader=project_leader,
    )
    services.participation_add(
        access=access_for(coordinator),
        initiative=internal,
        organisation=partner_org,
        role="operator",
        start_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    public = make_initiative(
        coordinator,
        home,
        "Youth loft",
        need="Nowhere to be after school",
        visibility=Visibility.PUBLIC,
        sectors=Sector.objects.filter(code="children_youth"),
    )
    foreign_internal = make_initiative(
        other_coordinator, other, "Secret dinner plan", need="Eating alone"
    )
    return World(
        home,
        other,
        partner_org,
        other_org,
        coordinator,
        project_leader,
        partner,
        other_partner,
        viewer,
        other_coordinator,
        internal,
        public,
        foreign_internal,
    )
