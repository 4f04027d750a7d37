"""In a real browser: a project leader builds a small value map and sees the ratio with its band."""

import re

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_build_a_value_map_and_see_the_ratio_with_its_band(page, live_server, world):
    from playwright.sync_api import expect

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.project_leader.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()

    page.goto(live_server.url + reverse("registry:initiative", args=[world.internal.slug]))
    page.get_by_role("link", name="Make a value map").click()
    page.get_by_role("button", name="Create value map").click()

    page.get_by_role("link", name="Add input").click()
    page.locator("#id_stakeholder").fill("Municipality")
    page.locator("#id_amount").fill("1000")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Add outcome").click()
    page.locator("#id_stakeholder").fill("Participants")
    page.locator("#id_outcome").fill("In work")
    page.locator("#id_quantity").fill("10")
    page.locator("#id_quantity_low").fill("5")
    page.locator("#id_quantity_high").fill("20")
    page.locator("#id_proxy_value").fill("100")
    page.locator("#id_proxy_source").fill("Test")
    page.locator("#id_duration").fill("3")
    page.locator("#id_deadweight").fill("0.2")
    page.locator("#id_attribution").fill("0.25")
    page.locator("#id_drop_off").fill("0.5")
    page.get_by_role("button", name="Save").click()

    headline = page.locator(".headline")
    expect(headline).to_contain_text("SROI ratio 1.03 (90 % band")
    page.get_by_role("link", name="Results and uncertainty").click()
    expect(page.get_by_role("img", name="Distribution of the SROI ratio")).to_be_visible()
