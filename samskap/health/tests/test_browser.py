"""End to end in a real browser: the project leader starts a round, two people from each side
answer on a phone-sized screen (the other three per side answer through the services first, so
each side reaches five), the round is closed and the chart shows the flagged gap."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.health import services
from samskap.health.models import Respondent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def _expect():
    from playwright.sync_api import expect

    return expect


def _answer_in_browser(tab, link: str, choice_for, *, pause_after: int | None = None) -> None:
    expect = _expect()
    tab.goto(link)
    # The form fits the phone: nothing scrolls sideways.
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    statements = tab.locator("fieldset.statement")
    count = statements.count()
    assert count == 18
    for index in range(count):
        statement = statements.nth(index)
        label = choice_for(statement.locator("legend").inner_text())
        statement.get_by_label(label, exact=True).check()
        if pause_after is not None and index == pause_after:
            # Save, come back with the same link, and find the answers still ticked.
            tab.get_by_role("button", name="Save and continue later").click()
            expect(tab.get_by_text("Your answers are saved.")).to_be_visible()
            tab.goto(link)
            statements = tab.locator("fieldset.statement")
            expect(statements.nth(index).get_by_label(label, exact=True)).to_be_checked()
    tab.get_by_role("button", name="Hand in my answers").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Thank you – your answers are handed in"
    )


def test_start_answer_on_a_phone_close_and_see_the_gap(page, live_server, world):  # noqa: F811
    expect = _expect()
    # The project leader logs in and starts a round with five people on each side.
    page.goto(live_server.url + reverse("health:round_start", args=[world.internal.slug]))
    page.get_by_label("Username").fill(world.project_leader.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a health check round")
    page.get_by_label("Title").fill("Spring round")
    closes = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Closing date").fill(closes.isoformat())
    page.get_by_label("Municipality staff").fill(
        "\n".join(f"Kommune {i}; kommune{i}@example.org" for i in range(5))
    )
    page.get_by_label("Partner staff").fill(
        "\n".join(f"Partner {i}; partner{i}@example.org" for i in range(5))
    )
    page.get_by_role("button", name="Start the round and send the links").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("“Spring round” has started")

    # The links are shown this once.
    links = {}
    for row in page.locator("table.links tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        links[cells[0]] = row.locator("input.copy-link").input_value()  # a field to copy from
    assert len(links) == 10

    # Three per side answer through the services.
    round_items = None
    for name, value in [(f"Kommune {i}", "5") for i in range(2, 5)] + [
        (f"Partner {i}", "2") for i in range(2, 5)
    ]:
        token = links[name].rstrip("/").rsplit("/", 1)[1]
        respondent = services.respondent_for_token(token)
        round_items = round_items or list(respondent.round.round_items.all())
        services.answers_save(
            token=token, answers={ri.pk: value for ri in round_items}, submit=True
        )

    # Two per side answer in a phone-sized browser, without logging in.
    phone = page.context.browser.new_context(
        viewport=PHONE, locale="en-US", extra_http_headers={"Accept-Language": "en"}
    )
    try:
        mobile = phone.new_page()
        _answer_in_browser(mobile, links["Kommune 0"], lambda text: "Strongly agree", pause_after=8)
        _answer_in_browser(mobile, links["Kommune 1"], lambda text: "Strongly agree")
        _answer_in_browser(mobile, links["Partner 0"], lambda text: "Disagree")
        _answer_in_browser(mobile, links["Partner 1"], lambda text: "Disagree")
        # A used link and a wrong one say so.
        mobile.goto(links["Partner 0"])
        expect(mobile.get_by_role("heading", level=1)).to_have_text("You have already answered")
        mobile.goto(links["Kommune 0"].replace("/svar/", "/svar/x"))
        expect(mobile.get_by_role("heading", level=1)).to_have_text("This link does not work")
    finally:
        phone.close()
    assert Respondent.objects.filter(submitted_at__isnull=False).count() == 10

    # The project leader closes the round and sees the chart with the flagged gap.
    page.goto(live_server.url + reverse("health:round", args=[world.internal.slug, 1]))
    page.get_by_role("button", name="Close the round and show the results").click()
    page.get_by_role("button", name="Yes, close the round").click()  # the confirmation page
    expect(page.get_by_text("The round is closed.")).to_be_visible()
    # One chart shown (a phone-wide copy stands beside it for small screens, hidden here).
    chart = page.locator("svg[role=img]:visible")
    expect(chart).to_have_count(1)
    expect(chart.locator("title")).to_have_text("Spring round: mean per dimension and party")
    expect(chart).to_contain_text("⚠ gap 3.0")
    table = page.locator("#dimension-table")
    understanding = table.get_by_role("row", name="Understanding")
    expect(understanding).to_contain_text("⚠ gap of 1.0 or more")
    expect(understanding).to_contain_text("n = 5")
    expect(page.locator(".summary")).to_contain_text("They see understanding differently")
