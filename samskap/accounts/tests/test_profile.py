"""The person's own page (the header's name leads here), password change and reset."""

import re

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from samskap.conftest import World
from samskap.core.outbox.models import Message

PROFILE = reverse("accounts:profile")
CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")


def test_the_name_in_the_header_leads_to_the_account_page(world: World) -> None:
    page = world.client(world.partner).get(reverse("registry:showcase")).content.decode()
    assert f'<a class="who" href="{PROFILE}">' in page


def test_the_account_page_lists_roles_and_links(world: World) -> None:
    response = world.client(world.partner).get(PROFILE)
    page = response.content.decode()
    assert "Partner in Varme Hender" in page
    assert CHANGE in page
    assert reverse("accounts:api_tokens") in page
    # Coordinator tools only for coordinators.
    assert reverse("accounts:invitations") not in page
    assert (
        reverse("accounts:invitations")
        in world.client(world.coordinator).get(PROFILE).content.decode()
    )


def test_the_account_page_needs_a_log_in(world: World) -> None:
    assert world.client(None).get(PROFILE).status_code == 302


def test_a_password_change_keeps_the_session(world: World) -> None:
    client = world.client(world.viewer)
    response = client.post(
        CHANGE,
        {
            "old_password": "pw",
            "new_password1": "Ny-og-lang-frase-9",
            "new_password2": "Ny-og-lang-frase-9",
        },
    )
    assert response.status_code == 302
    world.viewer.refresh_from_db()
    assert world.viewer.check_password("Ny-og-lang-frase-9")
    assert client.get(PROFILE).status_code == 200


def test_a_password_change_needs_the_old_password(world: World) -> None:
    response = world.client(world.viewer).post(
        CHANGE,
        {"old_password": "bad", "new_password1": "Ny-og-lang-9", "new_password2": "Ny-og-lang-9"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    world.viewer.refresh_from_db()
    assert world.viewer.check_password("pw")


def _reset_link(body: str) -> str:
    return re.search(r"http://testserver(/konto/nytt-passord/\S+/)", body).group(1)


def test_a_password_reset_link_sets_a_new_password_once(world: World) -> None:
    world.viewer.email = "viewer@fjordvik.example"
    world.viewer.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(RESET, {"email": "VIEWER@fjordvik.example"})
    assert response.status_code == 302
    # Queued in the outbox (the worker sends it), not sent inside the request.
    [message] = Message.objects.all()
    assert (message.to, message.state, message.language) == (
        "viewer@fjordvik.example",
        "queued",
        "en",
    )
    link = _reset_link(message.body)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Helt-ny-frase-77", "new_password2": "Helt-ny-frase-77"},
    )
    assert done.status_code == 302
    world.viewer.refresh_from_db()
    assert world.viewer.check_password("Helt-ny-frase-77")
    # Used once: the same link now gets a clear page.
    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link no longer works" in again.content.decode()


def test_a_forged_reset_link_gets_a_clear_page(world: World) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("accounts:password_reset_confirm", args=["MQ", "forged-token"]), follow=True
    )
    assert "This link no longer works" in response.content.decode()
    assert SESSION_KEY not in response.client.session


def test_the_reset_message_is_in_the_language_asked_in(world: World) -> None:
    world.viewer.email = "viewer@fjordvik.example"
    world.viewer.save()
    Client(HTTP_ACCEPT_LANGUAGE="nb").post(RESET, {"email": "viewer@fjordvik.example"})
    [message] = Message.objects.all()
    assert message.subject == "Nytt passord i Samskap"
    assert "Noen (forhåpentlig du) har bedt om et nytt passord" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_message(world: World) -> None:
    response = Client().post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not Message.objects.exists()


def test_reset_requests_are_limited_per_address(world: World, settings) -> None:
    from django.core.cache import caches

    caches["throttle"].clear()
    settings.SAMSKAP_PASSWORD_RESET_LIMIT_PER_HOUR = 2
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _attempt in range(2):
        assert client.post(RESET, {"email": "a@example.org"}).status_code == 302
    refused = client.post(RESET, {"email": "a@example.org"})
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.content.decode()


def test_the_log_in_page_offers_a_reset(world: World) -> None:
    assert RESET in Client().get(reverse("login")).content.decode()
