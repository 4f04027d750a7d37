"""End to end in a real browser: find an initiative in the showcase, log in, and move an
internal initiative through the lifecycle to pilot, including the rules that guard the pilot."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.conftest import make_initiative
from samskap.registry import lifecycle, services
from samskap.registry.models import Sector, Stage, Visibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def showcase_world(world):
    """The world plus two more public initiatives in other sectors and stages."""
    football = make_initiative(
        world.coordinator,
        world.home,
        "Youth football nights",
        need="Young people with nothing to do on Friday evenings",
        visibility=Visibility.PUBLIC,
        sectors=Sector.objects.filter(code="local_community"),
    )
    services.initiative_move(
        access=access_for(world.coordinator),
        initiative=football,
        move=lifecycle.MoveRequest(target=Stage.ANCHORING),
    )
    make_initiative(
        world.coordinator,
        world.home,
        "Garden for all",
        need="Lonely neighbours who would like to grow vegetables",
        visibility=Visibility.PUBLIC,
        sectors=Sector.objects.filter(code="environment"),
    )
    return world


def _htmx_results(query: str):
    """Matches the htmx request for the showcase results with ``query`` in its URL."""
    return lambda response: (
        query in response.url and response.request.headers.get("hx-request") == "true"
    )


def _expect():
    from playwright.sync_api import expect

    return expect


def test_showcase_search_login_and_move_to_pilot(page, live_server, showcase_world):
    expect = _expect()
    world = showcase_world

    # The showcase: every public initiative, nothing internal.
    page.goto(live_server.url + reverse("registry:showcase"))
    results = page.get_by_role("region", name="Search results")
    expect(results.locator(".count")).to_have_text("3 initiatives")
    expect(results.get_by_role("link", name="Dinner friends")).to_have_count(0)

    # Search: htmx fetches the results partial, swaps it into the live region, pushes the URL.
    page.get_by_label("Search", exact=True).fill("youth")
    with page.expect_response(_htmx_results("q=youth")) as response:
        page.get_by_role("button", name="Search", exact=True).click()
    assert response.value.ok
    expect(results.locator(".count")).to_have_text("2 initiatives")
    expect(results).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=youth"))
    expect(results.get_by_role("link", name="Youth loft")).to_be_visible()
    expect(results.get_by_role("link", name="Youth football nights")).to_be_visible()
    expect(results.get_by_role("link", name="Garden for all")).to_have_count(0)

    # Filter by sector: choosing in the select is enough, the search is kept.
    with page.expect_response(_htmx_results("sector=local_community")):
        page.get_by_label("Sector", exact=True).select_option(label="Local community")
    expect(results.locator(".count")).to_have_text("1 initiative")
    expect(results).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]sector=local_community"))
    expect(results.get_by_role("link", name="Youth loft")).to_have_count(0)

    # Open the initiative from the results.
    results.get_by_role("link", name="Youth football nights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth football nights")
    expect(page.locator(".initiative > header .stage")).to_have_text("Anchoring")

    # Log in as the project leader; the login brings us back to the page we came from.
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username").fill(world.project_leader.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth football nights")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # The internal initiative the project leader leads.
    detail_url = live_server.url + reverse("registry:initiative", args=[world.internal.slug])
    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dinner friends")
    stage = page.locator(".initiative > header .stage")
    expect(stage).to_have_text("Idea")

    # Step by step: idea → anchoring → insight.
    for target in ("Anchoring", "Insight"):
        page.get_by_role("link", name="Change stage").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Change stage")
        page.get_by_label("Move to stage").select_option(label=target)
        page.get_by_role("button", name="Change stage").click()
        expect(page.get_by_role("status")).to_contain_text("The stage was changed.")
        expect(stage).to_have_text(target)

    # Pilot without what a pilot needs: every problem at once, and the stage is unchanged.
    page.get_by_role("link", name="Change stage").click()
    target = page.get_by_label("Move to stage")
    target.select_option(label="Pilot")
    page.get_by_role("button", name="Change stage").click()
    transition_date = page.get_by_label("Planned transition to operation")
    operating_owner = page.get_by_label("Intended operating owner")
    funding = page.get_by_label("Funding after the pilot")
    expect(transition_date).to_have_accessible_description(
        re.compile("A pilot needs a planned date for transition to operation.")
    )
    expect(operating_owner).to_have_accessible_description(
        re.compile("A pilot needs the organisation intended to run it in operation.")
    )
    expect(funding).to_have_accessible_description(
        re.compile("A pilot needs a plan for funding after the pilot.")
    )
    for field in (transition_date, operating_owner, funding):
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("main")).to_contain_text("now: Insight")
    expect(target).to_have_value("pilot")
    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.INSIGHT

    # Fill in what the pilot needs and move.
    planned = timezone.localdate() + datetime.timedelta(days=90)
    transition_date.fill(planned.isoformat())
    operating_owner.select_option(label=world.partner_org.name)
    funding.fill("The municipal care budget pays for operation from next year.")
    page.get_by_role("button", name="Change stage").click()

    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("status")).to_contain_text("The stage was changed.")
    expect(stage).to_have_text("Pilot")
    history = page.get_by_role("region", name="Lifecycle history").get_by_role("listitem")
    expect(history).to_have_count(4)
    expect(history.nth(0)).to_contain_text("Insight → Pilot")
    expect(history.nth(1)).to_contain_text("Anchoring → Insight")
    expect(history.nth(2)).to_contain_text("Idea → Anchoring")
    expect(history.nth(3)).to_contain_text("Reported to the registry.")

    world.internal.refresh_from_db()
    assert world.internal.stage == Stage.PILOT
    assert world.internal.planned_transition_date == planned
    assert world.internal.operating_owner == world.partner_org
