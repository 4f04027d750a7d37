"""The main journeys by keyboard alone: log in, register an initiative, move it a stage, and
report an indicator period. Every step is Tab, typing, Space, arrow keys or Enter; the mouse
is never used (page.goto stands for typing an address)."""

import datetime

import pytest
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.measurement import services as measurement
from samskap.measurement.models import IndicatorValue, LibraryIndicator, Status
from samskap.registry.models import Initiative, Stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 80


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector`` (a real keyboard walk: it
    fails when the element cannot be reached by Tab)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _indicator_with_a_period(world):
    access = access_for(world.coordinator)
    outcome = measurement.chain_item_add(
        access=access, initiative=world.internal, level="output", text="Dinners held"
    )
    indicator = measurement.indicator_adopt(
        access=access,
        initiative=world.internal,
        library=LibraryIndicator.objects.get(code="participants-reached"),
        chain_item=outcome,
    )
    measurement.period_add(
        access=access,
        indicator=indicator,
        label="2026",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    return indicator


def test_log_in_register_move_and_report_by_keyboard(page, live_server, world):
    from playwright.sync_api import expect

    indicator = _indicator_with_a_period(world)
    base = live_server.url

    # Log in.
    page.goto(base + reverse("login"))
    tab_to(page, "#id_username")
    page.keyboard.type(world.coordinator.username)
    tab_to(page, "#id_password")
    page.keyboard.type("pw")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Register an initiative, starting from "My work".
    page.goto(base + reverse("registry:dashboard"))
    tab_to(page, f'a[href="{reverse("registry:initiative_create")}"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an initiative")
    tab_to(page, "#id_title")
    page.keyboard.type("Keyboard café")
    tab_to(page, "#id_need")
    page.keyboard.type("Somewhere to meet on weekday mornings")
    tab_to(page, "#id_target_group")
    page.keyboard.type("Older people living alone")
    tab_to(page, 'input[name="sectors"]')
    page.keyboard.press("Space")  # the first sector
    tab_to(page, 'input[name="governance_logic"]')
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard café")
    created = Initiative.objects.get(title="Keyboard café")
    assert created.stage == Stage.IDEA

    # Move it a stage: the first allowed move (anchoring) is chosen already.
    tab_to(page, f'a[href="{reverse("registry:initiative_move", args=[created.slug])}"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change stage")
    tab_to(page, "#move-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The stage was changed.")
    created.refresh_from_db()
    assert created.stage == Stage.ANCHORING

    # Report a period of an indicator and send it for approval in one step.
    page.goto(base + reverse("measurement:indicator", args=[world.internal.slug, indicator.pk]))
    tab_to(page, "#id_target_value")
    page.keyboard.type("40")
    tab_to(page, "#id_actual_value")
    page.keyboard.type("31")
    page.keyboard.press("Enter")  # the form's first button: Submit
    expect(page.get_by_role("status")).to_contain_text("2 values sent for approval.")
    statuses = set(
        IndicatorValue.objects.filter(period__indicator=indicator).values_list("status", flat=True)
    )
    assert statuses == {Status.SUBMITTED}
