"""Single sign-on against a real OpenID Connect provider (pyop) on loopback: the relying
party does the real discovery, token, JWKS and userinfo HTTP calls."""

from collections.abc import Iterator

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from samskap.accounts import oidc, services
from samskap.accounts.access import access_for
from samskap.accounts.models import EmailDomain, Invitation, OidcIdentity, User
from samskap.conftest import World
from samskap.settings import oidc_domains

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, LoopbackProvider, loopback_provider

CALLBACK = "http://testserver" + reverse("accounts:oidc_authentication_callback")


@pytest.fixture
def op(settings, monkeypatch) -> Iterator[LoopbackProvider]:
    with loopback_provider(CALLBACK) as provider:
        # The relying party checks the provider's certificate as it would in production.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", provider.ca_file)
        settings.SAMSKAP_OIDC_ENABLED = True
        settings.SAMSKAP_OIDC_ISSUER = provider.issuer
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.SAMSKAP_OIDC_DOMAINS = {}
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "samskap.accounts.oidc.SamskapOidcBackend",
        ]
        oidc.forget_provider()
        yield provider
        oidc.forget_provider()


def _sign_in(op: LoopbackProvider, person: str, client: Client | None = None, start_url=""):
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    op.person = person
    start = client.get(start_url or reverse("accounts:oidc_authentication_init"))
    assert start.status_code == 302
    assert start["Location"].startswith(op.issuer + "/authorize?")
    # The browser's visit to the provider, which signs the person in and sends them back.
    back = requests.get(start["Location"], allow_redirects=False, timeout=10, verify=op.ca_file)
    assert back.status_code == 302, back.text
    assert back.headers["Location"].startswith(CALLBACK + "?")
    return client, client.get(back.headers["Location"].removeprefix("http://testserver"))


def _signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _invite(world: World, email: str, role: str = "partner") -> Invitation:
    invitation, _token = services.invitation_create(
        access=access_for(world.coordinator),
        municipality=world.home,
        role=role,
        email=email,
        organisation=world.partner_org if role == "partner" else None,
        site_url="http://testserver",
    )
    return invitation


def test_an_invited_person_signs_in_and_joins(world: World, op: LoopbackProvider) -> None:
    _invite(world, "ola@varmehender.example")
    op.add_person(
        "ola",
        email="Ola@VarmeHender.example",
        email_verified=True,
        given_name="Ola",
        family_name="Nordmann",
    )
    client, response = _sign_in(op, "ola")
    assert response.status_code == 302
    user = _signed_in_as(client)
    assert user is not None and user.get_full_name() == "Ola Nordmann"
    assert not user.has_usable_password()
    assert access_for(user).partner_organisation_ids == frozenset({world.partner_org.pk})
    assert Invitation.objects.get().accepted_by == user
    # The relying party made the real calls: discovery, token, JWKS, userinfo.
    assert {"/.well-known/openid-configuration", "/token", "/jwks", "/userinfo"} <= set(op.requests)


def test_signing_in_again_comes_into_the_same_account(world: World, op: LoopbackProvider) -> None:
    _invite(world, "ola@varmehender.example")
    op.add_person("ola", email="ola@varmehender.example", email_verified=True)
    first, _response = _sign_in(op, "ola")
    # The address at the provider changes; the identity (issuer + subject) still matches.
    op.people["ola"]["email"] = "ola.n@varmehender.example"
    second, _response = _sign_in(op, "ola")
    assert _signed_in_as(first) == _signed_in_as(second)
    assert User.objects.filter(oidc_identities__isnull=False).count() == 1
    assert OidcIdentity.objects.get().subject == "sub-ola"


def test_a_municipal_domain_gives_a_viewer_role(world: World, op: LoopbackProvider, settings):
    settings.SAMSKAP_OIDC_DOMAINS = {"fjordvik.kommune.example": ("fjordvik", "viewer")}
    op.add_person("kari", email="kari@fjordvik.kommune.example", email_verified=True)
    client, _response = _sign_in(op, "kari")
    access = access_for(_signed_in_as(client))
    assert access.staff_municipality_ids == frozenset({world.home.pk})
    assert not access.is_manager


def test_a_domain_set_in_the_admin_works_too(world: World, op: LoopbackProvider) -> None:
    EmailDomain.objects.create(
        municipality=world.other, domain="bjorkelia.example", role="project_leader"
    )
    op.add_person("berit", email="berit@bjorkelia.example", email_verified=True)
    client, _response = _sign_in(op, "berit")
    access = access_for(_signed_in_as(client))
    assert access.project_leader_municipality_ids == frozenset({world.other.pk})


def test_an_unknown_person_gets_no_account_and_a_clear_page(
    world: World, op: LoopbackProvider
) -> None:
    op.add_person("eve", email="eve@elsewhere.example", email_verified=True)
    client, response = _sign_in(op, "eve")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sso_refused")
    assert _signed_in_as(client) is None
    assert not User.objects.filter(email="eve@elsewhere.example").exists()
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "Nobody gets access by default" in page.content.decode()


def test_an_unverified_address_does_not_take_an_invitation(
    world: World, op: LoopbackProvider
) -> None:
    _invite(world, "ola@varmehender.example")
    op.add_person("mallory", email="ola@varmehender.example", email_verified=False)
    client, response = _sign_in(op, "mallory")
    assert _signed_in_as(client) is None
    assert Invitation.objects.get().accepted_at is None


def test_an_administrator_account_is_never_linked_by_address(
    world: World, op: LoopbackProvider
) -> None:
    admin = User.objects.create_superuser("root", "ola@varmehender.example", "pw")
    _invite(world, "ola@varmehender.example")
    op.add_person("ola", email="ola@varmehender.example", email_verified=True)
    client, _response = _sign_in(op, "ola")
    user = _signed_in_as(client)
    assert user is not None and user != admin
    assert not admin.oidc_identities.exists()


def test_an_existing_account_with_the_address_is_linked(world: World, op: LoopbackProvider):
    world.viewer.email = "viewer@fjordvik.example"
    world.viewer.save()
    _invite(world, "viewer@fjordvik.example")
    op.add_person("viewer", email="viewer@fjordvik.example", email_verified=True)
    client, _response = _sign_in(op, "viewer")
    assert _signed_in_as(client) == world.viewer
    assert world.viewer.memberships.filter(organisation=world.partner_org).exists()


def test_a_discovery_document_for_another_issuer_is_refused(
    world: World, op: LoopbackProvider, settings
) -> None:
    # The same server reached under another name: its document names a different issuer.
    settings.SAMSKAP_OIDC_ISSUER = op.issuer.replace("127.0.0.1", "localhost")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("accounts:oidc_authentication_init"))
    assert response.status_code == 503
    assert "could not reach the login service" in response.content.decode()


def test_a_provider_that_is_down_gets_a_clear_page(world: World, settings) -> None:
    settings.SAMSKAP_OIDC_ENABLED = True
    settings.SAMSKAP_OIDC_ISSUER = "https://127.0.0.1:9"  # discard port: nothing listens
    oidc.forget_provider()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("accounts:oidc_authentication_init"))
    assert response.status_code == 503


def test_single_sign_on_is_off_without_configuration(world: World) -> None:
    client = Client()
    assert client.get(reverse("accounts:oidc_authentication_init")).status_code == 404
    assert (
        reverse("accounts:oidc_authentication_init")
        not in client.get(reverse("login")).content.decode()
    )


def test_the_log_in_page_offers_single_sign_on_when_on(world: World, op, settings) -> None:
    settings.SAMSKAP_OIDC_NAME = "Fjordvik Entra ID"
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("login")).content.decode()
    assert "Log in with Fjordvik Entra ID" in page


def test_password_log_ins_still_work_with_single_sign_on_on(world: World, op) -> None:
    client = Client()
    client.post(reverse("login"), {"username": "viewer", "password": "pw"})
    assert _signed_in_as(client) == world.viewer


@pytest.mark.parametrize(
    "value", ["x.example=fjordvik:coordinator", "x.example=fjordvik:administrator", "x.example"]
)
def test_a_domain_never_gives_a_high_role(value: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        oidc_domains(value)


def test_domains_are_read_from_the_environment_format() -> None:
    assert oidc_domains("Fjordvik.Kommune.no=fjordvik, skole.no=fjordvik:project_leader") == {
        "fjordvik.kommune.no": ("fjordvik", "viewer"),
        "skole.no": ("fjordvik", "project_leader"),
    }


def test_the_invitation_page_offers_single_sign_on_and_lands_on_the_account(
    world: World, op: LoopbackProvider
) -> None:
    import re

    _invitation, token = services.invitation_create(
        access=access_for(world.coordinator),
        municipality=world.home,
        role="viewer",
        email="siri@fjordvik.example",
        site_url="http://testserver",
    )
    op.add_person("siri", email="siri@fjordvik.example", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    start_url = re.search(r'href="([^"]*/sso/start/[^"]*)"', page).group(1)
    client, response = _sign_in(op, "siri", client, start_url=start_url.replace("&amp;", "&"))
    assert response["Location"] == reverse("accounts:profile")
    assert access_for(_signed_in_as(client)).staff_municipality_ids == frozenset({world.home.pk})
