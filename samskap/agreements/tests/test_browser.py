"""End to end in a real browser: create an agreement from a template, watch the missing list
shrink as parts are filled in, send it for signing, sign as both parties, download the PDF."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.models import Organisation
from samskap.agreements.models import Agreement, AgreementState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()


def _missing(page) -> int:
    text = page.locator("#missing-count").inner_text()
    match = re.match(r"(\d+)", text)
    return int(match.group(1)) if match else 0


def test_create_fill_send_sign_and_download(page, live_server, world):
    unit = Organisation.objects.create(
        name="Fjordvik health and care",
        slug="fjordvik-health",
        kind="municipal_unit",
        home_municipality=world.home,
    )
    today = timezone.localdate()
    _walk_through(page, live_server, world, unit, today)
    agreement = Agreement.objects.get()
    assert agreement.state == AgreementState.IN_FORCE
    assert agreement.effective_version.is_intact


def _walk_through(page, live_server, world, unit, today) -> None:
    from playwright.sync_api import expect

    _login(page, live_server, world.coordinator)
    page.goto(live_server.url + reverse("agreements:create", args=[world.internal.slug]))
    page.get_by_label("Template").select_option(label="Pilot agreement (English)")
    page.get_by_label("Municipal party").select_option(label=unit.name)
    page.get_by_label(world.partner_org.name).check()
    page.get_by_role("button", name="Create agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot agreement: Dinner friends")
    missing = _missing(page)
    assert missing > 5

    def edit(section: str) -> None:
        page.get_by_role("link", name=section).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(section)

    def saved() -> int:
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Your changes were saved.")
        return _missing(page)

    edit("Purpose, goal and project leader")
    page.get_by_label("Overall goal in plain words").fill("Nobody has to eat alone.")
    now = saved()
    assert now == missing - 1
    missing = now

    edit("Parties and contact persons")
    names = page.get_by_label("Contact person")
    emails = page.get_by_label("E-mail")
    for i in range(2):
        names.nth(i).fill(f"Contact {i}")
        emails.nth(i).fill(f"contact{i}@example.org")
    now = saved()
    assert now == missing - 2
    missing = now

    edit("Money")
    page.get_by_label("Amount").first.fill("150000")
    saved()

    edit("Duration, review, exit and transition")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("End date").fill((today + datetime.timedelta(days=365)).isoformat())
    page.get_by_label("Operating owner after the pilot").fill("Varme Hender")
    page.get_by_label("Funding after the pilot").fill("The care budget")
    page.get_by_label("Date of the decision on operation").fill(
        (today + datetime.timedelta(days=300)).isoformat()
    )
    now = saved()
    assert now < missing
    missing = now

    edit("Anchoring")
    rows = page.locator("fieldset.row-form")
    rows.nth(0).get_by_label("Kind").select_option(label="Plan")
    rows.nth(0).get_by_label("Plan, budget line or deciding body").fill("Municipal plan")
    rows.nth(1).get_by_label("Kind").select_option(label="Political decision")
    rows.nth(1).get_by_label("Plan, budget line or deciding body").fill("Municipal council")
    rows.nth(1).get_by_label("Date", exact=True).fill(today.isoformat())
    saved()
    expect(page.locator("#missing-count")).to_have_text(
        "Nothing required is missing. The agreement can be sent for signing."
    )

    page.get_by_role("button", name="Send for signing").click()
    # A confirmation step names what happens; nothing is sent before "Yes".
    expect(page.get_by_role("heading", level=1)).to_have_text("Send for signing")
    page.get_by_role("button", name="Yes, send for signing").click()
    expect(page.get_by_role("status")).to_contain_text("The agreement was sent for signing.")
    expect(page.locator("#agreement-state")).to_have_text("Sent for signing")

    def sign(name: str) -> None:
        page.get_by_label("Your full name").fill(name)
        page.get_by_label("I have read this version").check()
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("Your signature was recorded.")

    sign("Kari Coordinator")
    agreement_url = page.url
    page.get_by_role("button", name="Log out").click()

    _login(page, live_server, world.partner)
    page.goto(agreement_url)
    sign("Pål Partner")
    expect(page.locator("#agreement-state")).to_have_text("In force")
    signatures = page.get_by_role("table", name="Signatures on version 1")
    expect(signatures).to_contain_text("Kari Coordinator")
    expect(signatures).to_contain_text("Pål Partner")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of version 1").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
