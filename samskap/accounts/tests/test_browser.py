"""Accounts end to end in a real browser, with the messages delivered by the outbox to mail
files: a partner's new member joins through the invitation link and signs in with a password; a
person resets a forgotten password through the link in their mail; a person signs in through
single sign-on against a real OpenID Connect provider on loopback (pyop)."""

import re
from email import message_from_bytes
from pathlib import Path

import pytest
from django.urls import reverse

from samskap.accounts import oidc, services
from samskap.accounts.access import access_for
from samskap.accounts.models import User
from samskap.core.outbox.delivery import deliver_due

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, loopback_provider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def mail_folder(settings, tmp_path) -> Path:
    """The outbox delivers to files here, as on an installation without a mail server."""
    settings.SAMSKAP_MAIL_BACKEND = "samskap.core.outbox.backends.FileEmailBackend"
    settings.SAMSKAP_MAIL_OPTIONS = {"folder": str(tmp_path)}
    return tmp_path


def _mail_to(folder: Path, address: str) -> str:
    """The text of the one message delivered to ``address``."""
    texts = []
    for path in folder.rglob("*.eml"):
        mail = message_from_bytes(path.read_bytes())
        if mail["To"] == address:
            texts.append(mail.get_payload(decode=True).decode())
    assert len(texts) == 1, texts
    return texts[0]


def _log_in(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_partners_new_member_joins_by_the_mailed_link_and_signs_in(
    browser, page, live_server, world, mail_folder
):
    expect = _expect()
    page.goto(live_server.url + reverse("accounts:invitations"))
    _log_in(page, world.coordinator.username, "pw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite people")
    page.get_by_label("E-mail address").fill("nora@varmehender.example")
    page.get_by_label("Name", exact=True).fill("Nora")
    page.get_by_label("Role").select_option("partner")
    page.get_by_label("Organisation (for partners)").select_option(label="Varme Hender")
    page.get_by_role("button", name="Invite").click()
    shown = page.locator("#invitation-link").input_value()  # the field to copy from
    assert "/invitasjon/" in shown
    row = page.get_by_role("row").filter(has_text="nora@varmehender.example")
    expect(row).to_contain_text("Queued")

    assert deliver_due() == {"sent": 1}  # what the worker does
    mailed = re.search(
        r"https?://\S+/invitasjon/\S+/", _mail_to(mail_folder, "nora@varmehender.example")
    )
    assert mailed is not None and mailed.group(0) == shown
    page.goto(live_server.url + reverse("accounts:invitations"))
    expect(page.get_by_role("row").filter(has_text="nora@varmehender.example")).to_contain_text(
        "Sent"
    )

    # Nora, in her own browser, opens the link from her mail and creates her account.
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    try:
        nora = context.new_page()
        nora.goto(mailed.group(0))
        expect(nora.get_by_role("heading", level=1)).to_have_text("Join Samskap")
        expect(nora.get_by_text("You are invited as Partner in Varme Hender")).to_be_visible()
        nora.get_by_label("User name").fill("nora")
        nora.get_by_label("First name").fill("Nora")
        nora.get_by_label("Last name").fill("Nilsen")
        nora.locator("input[name=password1]").fill("a-long-and-fresh-secret-42")
        nora.locator("input[name=password2]").fill("a-long-and-fresh-secret-42")
        nora.get_by_role("button", name="Create account and join").click()
        expect(nora.get_by_role("heading", level=1)).to_have_text("Your account")
        expect(nora.get_by_text("Partner in Varme Hender")).to_be_visible()
        nora.get_by_role("button", name="Log out").click()

        # She signs in again with her password and reaches her organisation's initiative.
        initiative = reverse("registry:initiative", args=[world.internal.slug])
        nora.goto(f"{live_server.url}{reverse('login')}?next={initiative}")
        _log_in(nora, "nora", "a-long-and-fresh-secret-42")
        expect(nora.get_by_role("heading", level=1)).to_have_text(world.internal.title)
        # The link works once.
        nora.goto(mailed.group(0))
        expect(nora.get_by_role("heading", level=1)).not_to_have_text("Join Samskap")
    finally:
        context.close()
    user = User.objects.get(username="nora")
    assert user.email == "nora@varmehender.example"
    assert access_for(user).partner_organisation_ids == frozenset({world.partner_org.pk})


def test_a_forgotten_password_is_reset_through_the_mailed_link(
    page, live_server, world, mail_folder
):
    expect = _expect()
    User.objects.filter(pk=world.partner.pk).update(email="pia@varmehender.example")
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.locator("input[name=email]").fill("pia@varmehender.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    assert deliver_due() == {"sent": 1}
    text = _mail_to(mail_folder, "pia@varmehender.example")
    link = re.search(r"https?://\S+/nytt-passord/\S+/", text).group(0)
    assert link.startswith(live_server.url)
    assert f"Your user name is {world.partner.username}." in text

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.locator("input[name=new_password1]").fill("another-long-secret-17")
    page.locator("input[name=new_password2]").fill("another-long-secret-17")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    _log_in(page, world.partner.username, "another-long-secret-17")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_single_sign_on_through_the_provider_in_the_browser(
    browser, live_server, world, settings, monkeypatch
):
    expect = _expect()
    callback = live_server.url + reverse("accounts:oidc_authentication_callback")
    with loopback_provider(callback) as op:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", op.ca_file)
        settings.SAMSKAP_OIDC_ENABLED = True
        settings.SAMSKAP_OIDC_ISSUER = op.issuer
        settings.SAMSKAP_OIDC_NAME = "Fjordvik ID"
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.SAMSKAP_OIDC_DOMAINS = {}
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "samskap.accounts.oidc.SamskapOidcBackend",
        ]
        oidc.forget_provider()
        services.invitation_create(
            access=access_for(world.coordinator),
            municipality=world.home,
            role="project_leader",
            email="siri@fjordvik.kommune.example",
            organisation=None,
            site_url=live_server.url,
        )
        op.add_person(
            "siri",
            email="siri@fjordvik.kommune.example",
            email_verified=True,
            given_name="Siri",
            family_name="Sand",
        )
        op.person = "siri"
        # The provider's certificate is made for the test; the browser is told to accept it.
        context = browser.new_context(
            locale="en-US", extra_http_headers={"Accept-Language": "en"}, ignore_https_errors=True
        )
        try:
            page = context.new_page()
            page.goto(live_server.url + reverse("login"))
            page.get_by_role("link", name="Log in with Fjordvik ID").click()
            expect(page.get_by_role("button", name="Log out")).to_be_visible()
            assert page.url.startswith(live_server.url)
            page.goto(live_server.url + reverse("accounts:profile"))
            expect(page.get_by_text("Project leader in Fjordvik")).to_be_visible()
        finally:
            context.close()
            oidc.forget_provider()
    user = User.objects.get(email="siri@fjordvik.kommune.example")
    assert user.get_full_name() == "Siri Sand" and not user.has_usable_password()
    assert {"/authorize", "/token", "/userinfo"} <= set(op.requests)
