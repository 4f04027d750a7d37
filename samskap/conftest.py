"""Shared test personas: one world with two municipalities, built fresh for every test.

coordinator, project_leader, partner (of the initiative), other_partner (of an organisation not
in the initiative), viewer — all in Fjordvik; other_coordinator in Bjørkelia; anonymous.
"""

import contextlib
import datetime
import os
import re
import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def _migrated_copy(django_db_setup, django_db_blocker) -> str | None:
    """The serialized copy of the freshly migrated test database, taken once, before any
    browser test starts Playwright's event loop (inside it, asgiref gives Django a different
    connection object, which lacks ``_test_serialized_contents``)."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _migrated_rows(request: pytest.FixtureRequest, _migrated_copy) -> None:
    """Rows that data migrations create (sectors, the health item bank, agreement templates,
    the indicator library …) are gone after a transactional test's flush. Django's own
    ``serialized_rollback`` reads the copy from the connection object, which is not the same
    object once Playwright's event loop runs, so after a browser test it silently restored
    nothing. Every transactional test therefore starts by loading the copy taken at session
    start when the tables are empty."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction") or not _migrated_copy:
        return
    request.getfixturevalue("transactional_db")
    if Sector.objects.exists():
        return
    from django.core import serializers
    from django.db import connection, transaction

    # The flush re-created content types and permissions (post_migrate); load the rest, in
    # one transaction with constraint checks at the end, as Django's own restore does.
    filled: dict[type, bool] = {}
    with transaction.atomic(), connection.constraint_checks_disabled():
        for item in serializers.deserialize("json", _migrated_copy):
            model = type(item.object)
            if model not in filled:
                filled[model] = model._default_manager.exists()
            if not filled[model]:
                item.save()
        connection.check_constraints()


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


def error_summary(page: str) -> list[tuple[str, str]]:
    """The page's one error summary as (anchor, text) lines; fails when there is none, when
    there are several, or when a link points at nothing on the page."""
    summaries = re.findall(r'<div class="error-summary".*?</div>', page, re.S)
    assert len(summaries) == 1, f"{len(summaries)} error summaries"
    lines = []
    for item in re.findall(r"<li>(.*?)</li>", summaries[0], re.S):
        link = re.match(r'<a href="#([^"]+)">(.*)</a>$', item, re.S)
        if link:
            assert f'id="{link.group(1)}"' in page, f"#{link.group(1)} is not on the page"
            lines.append((link.group(1), link.group(2)))
        else:
            lines.append(("", item))
    return lines


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


def make_stories(pairs: list[tuple[Initiative, User]]) -> None:
    """One lesson of each visibility on each initiative, written by its author."""
    for initiative, author in pairs:
        for visibility in Visibility.values:
            services.story_create(
                access=access_for(author),
                initiative=initiative,
                title=f"{visibility} lesson about {initiative.title}",
                text="Volunteers need follow-up",
                kind="lesson",
                date=timezone.localdate(),
                visibility=visibility,
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


# --- browser tests ------------------------------------------------------------------------
# Fixtures for browser tests: a real Chromium driven by Playwright's sync API.
#
# Playwright cannot download browsers here, so the tests drive the system Chromium at
# ``/usr/bin/chromium`` and skip when it is missing. Use them together with pytest-django's
# ``live_server`` and ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``
# (serialized rollback brings back the sector rows created by a migration, which the flush of a
# transactional test would otherwise remove for the tests that follow).


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Generous enough for a loaded CI machine, short enough that a broken locator fails fast.
TIMEOUT_MS = 10_000

_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so the ``page`` fixture knows whether it failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; skipped when the system Chromium is missing."""
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Playwright cannot download it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio event loop running in this thread; without this,
    # Django refuses database access from the test (SynchronousOnlyOperation).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A fresh English-language browser context and page; a screenshot is saved in
    ``test-artifacts/`` when the test fails."""
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
        report = request.node.stash.get(_reports, {}).get("call")
        if report is not None and report.failed:
            artifacts = request.config.rootpath / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            with contextlib.suppress(Exception):  # never hide the failure itself
                page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    finally:
        context.close()
