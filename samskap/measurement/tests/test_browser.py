"""End to end on a phone-sized screen: build a results chain, adopt two library indicators,
send a before and an after survey, answer as six participants through their personal links,
and read the paired result with its confidence interval.

The six browser participants are joined by four more answered through the services (paper
forms), so the paired result has 10 pairs: below 10 the page shows the median and the
individual changes instead of an interval, by design.
"""

import re

import pytest
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import surveys
from samskap.measurement.models import Survey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def _answer(browser_, url: str, values: dict[str, int]) -> None:  # noqa: F811
    """One participant on a phone: consent, answer every question, send."""
    context = browser_.new_context(
        viewport=PHONE, locale="en-US", extra_http_headers={"Accept-Language": "en"}
    )
    participant = context.new_page()
    try:
        participant.goto(url)
        participant.get_by_role("button", name="I agree — start").click()
        for name, value in values.items():
            participant.locator(f'input[name="{name}"][value="{value}"]').check()
        participant.get_by_role("button", name="Send answers").click()
        participant.get_by_role("heading", name="Thank you — your answers are received").wait_for()
    finally:
        context.close()


def test_results_chain_to_paired_result_on_a_phone(page, browser, live_server, world):  # noqa: F811
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    overview = live_server.url + reverse("measurement:overview", args=[world.internal.slug])
    page.goto(overview)
    page.get_by_label("Username").fill(world.coordinator.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page.get_by_role("heading", name="Effect measurement", exact=True)).to_be_visible()

    # The results chain: an activity and an outcome.
    for level, text in (("Activities", "Weekly shared dinners"), ("Outcomes", "Less lonely")):
        page.get_by_text("Add to the results chain").click()
        page.get_by_label("Level").select_option(label=level)
        page.locator("#id_text").fill(text)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(".chain")).to_contain_text(text)

    # Adopt two library indicators for the outcome.
    for name in ("Life satisfaction", "Loneliness (UCLA three-item scale)"):
        page.get_by_text("Adopt an indicator from the library").click()
        page.get_by_label("Indicator from the library").select_option(label=name)
        page.get_by_label("Belongs to").select_option(label="Less lonely")
        page.get_by_role("button", name="Adopt", exact=True).click()
        expect(page.locator("#indicators")).to_contain_text(name)

    # A survey with both measures, before and after.
    page.get_by_role("link", name="New participant survey").click()
    page.get_by_label("Title").fill("Dinner friends: before and after")
    page.get_by_label("Purpose, shown first").fill("To learn whether the dinners help.")
    page.get_by_label("Consent text").fill("Your answers are kept under a code, never a name.")
    page.get_by_label("Life satisfaction").check()
    page.get_by_label("Loneliness (UCLA three-item scale)").check()
    page.get_by_label("Before survey opens").fill("2025-01-06")
    page.get_by_label("After survey opens").fill("2025-04-07")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Number of new codes").fill("6")
    page.get_by_role("button", name="Create codes").click()
    expect(page.get_by_text("6 active participant codes.")).to_be_visible()

    survey = Survey.objects.get(title="Dinner friends: before and after")
    items = {i.library.code: i.pk for i in survey.survey_items.select_related("library")}
    life, lonely = items["life-satisfaction"], items["ucla-loneliness-3"]
    before, after = survey.time_points.get(kind="before"), survey.time_points.get(kind="after")

    # Four more participants answered on paper (entered through the services).
    access = access_for(world.coordinator)
    for n, paper in enumerate(
        surveys.participants_create(access=access, initiative=world.internal, count=4)
    ):
        for point, score, lonely_answers in ((before, 4 + n % 2, (3, 3, 2)), (after, 6, (2, 1, 2))):
            answers = {(life, 1): score}
            answers.update({(lonely, q): v for q, v in enumerate(lonely_answers, start=1)})
            surveys.paper_entry(access=access, time_point=point, code=paper.code, answers=answers)

    survey_url = page.url
    for kind, label, life_scores, lonely_value in (
        ("before", "Before", [3, 4, 5, 4, 3, 5], 3),
        ("after", "After", [6, 6, 7, 5, 5, 7], 1),
    ):
        page.goto(survey_url)
        page.get_by_role("button", name=f"Make personal links: {label}").click()
        links = page.locator("#links tbody input").evaluate_all("els => els.map(e => e.value)")
        assert len(links) == 6, kind
        for url, score in zip(links, life_scores, strict=True):
            values = {f"q-{life}-1": score}
            values.update({f"q-{lonely}-{q}": lonely_value for q in (1, 2, 3)})
            _answer(browser, url, values)

    page.goto(survey_url)
    page.get_by_role("link", name="Results").click()
    summary = page.locator(".summaries")
    expect(summary).to_contain_text(
        re.compile(
            r"Life satisfaction rose by 1\.80 points \(95 % CI \d\.\d\d to \d\.\d\d\) among 10 "
            r"participants who answered both times"
        )
    )
    expect(summary).to_contain_text("Loneliness (UCLA three-item scale) fell by")
    expect(page.locator("svg.chart:visible title")).to_have_text("Change from before to after")
    expect(page.get_by_role("table", name=re.compile("Paired change"))).to_contain_text("10")
