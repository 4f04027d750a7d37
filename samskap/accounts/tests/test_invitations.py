"""Invitations: made by a municipality's coordinators, used once by the invited person."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samskap.accounts import services
from samskap.accounts.access import access_for
from samskap.accounts.models import Invitation, Membership, Organisation, Role, User
from samskap.conftest import World
from samskap.core.outbox.models import Message

LIST = reverse("accounts:invitations")


def _invite(world: World, client=None, **overrides):
    data = {
        "email": "Siri@Frivillig.example.org",
        "name": "Siri",
        "role": "partner",
        "organisation": world.partner_org.pk,
        "municipality": world.home.pk,
        "language": "nb",
    }
    data.update(overrides)
    return (client or world.client(world.coordinator)).post(LIST, data)


def _link(response) -> str:
    return re.search(r'id="invitation-link"[^>]*value="([^"]+)"', response.content.decode()).group(
        1
    )


def _path(link: str) -> str:
    return link.removeprefix("http://testserver")


JOIN = {
    "username": "siri",
    "first_name": "Siri",
    "last_name": "Sentral",
    "password1": "Lang-og-trygg-42",
    "password2": "Lang-og-trygg-42",
}


def test_the_page_shows_the_link_to_copy_and_stores_only_its_digest(world: World) -> None:
    response = _invite(world)
    assert response.status_code == 200
    link = _link(response)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.email == "siri@frivillig.example.org"
    assert token not in invitation.digest
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13)
    assert response["Cache-Control"] == "private, no-store"


def test_the_invitation_is_queued_in_the_outbox_in_the_chosen_language(world: World) -> None:
    link = _link(_invite(world, language="nb"))
    [message] = Message.objects.all()
    assert (message.to, message.state, message.language) == (
        "siri@frivillig.example.org",
        "queued",
        "nb",
    )
    assert message.subject == "Du er invitert til Samskap av Fjordvik"
    assert link in message.body
    assert "som Partner i Varme Hender" in message.body
    # The coordinators' list shows the message's state.
    page = world.client(world.coordinator).get(LIST).content.decode()
    assert "Queued" in page


def test_a_partner_joins_through_the_link_with_a_password(world: World) -> None:
    path = _path(_link(_invite(world)))
    anonymous = world.client(None)
    assert anonymous.get(path).status_code == 200
    response = anonymous.post(path, JOIN)
    assert response.status_code == 302
    user = User.objects.get(username="siri")
    assert user.email == "siri@frivillig.example.org"
    assert user.check_password("Lang-og-trygg-42")
    assert list(user.memberships.values_list("role", "organisation")) == [
        ("partner", world.partner_org.pk)
    ]
    # Signed in right away, and sees the initiative the organisation takes part in.
    assert anonymous.get(world.internal.get_absolute_url()).status_code == 200
    assert Invitation.objects.get().accepted_by == user


def test_the_join_form_starts_from_what_the_invitation_knows(world: World) -> None:
    path = _path(_link(_invite(world, name="Siri Li Berg")))
    form = world.client(None).get(path).context["form"]
    assert (form["first_name"].value(), form["last_name"].value()) == ("Siri", "Li Berg")
    assert form["username"].value() == "siri"
    # A user name already taken is left for the person to choose.
    User.objects.create_user("SIRI", password="x")
    path = _path(_link(_invite(world, email="siri@other.example.org", name="")))
    form = world.client(None).get(path).context["form"]
    assert form["username"].value() is None and form["first_name"].value() == ""


def test_a_staff_invitation_gives_the_role_in_the_municipality(world: World) -> None:
    path = _path(_link(_invite(world, role="viewer", organisation="")))
    world.client(None).post(path, JOIN)
    membership = Membership.objects.get(user__username="siri")
    assert (membership.role, membership.municipality, membership.organisation) == (
        "viewer",
        world.home,
        None,
    )


def test_a_link_works_only_once(world: World) -> None:
    path = _path(_link(_invite(world)))
    world.client(None).post(path, JOIN)
    again = world.client(None).post(path, {**JOIN, "username": "siri2"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not User.objects.filter(username="siri2").exists()


def test_an_expired_link_gets_a_clear_page(world: World) -> None:
    path = _path(_link(_invite(world)))
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = world.client(None).post(path, JOIN)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert not User.objects.filter(username="siri").exists()


def test_a_withdrawn_link_gets_a_clear_page(world: World) -> None:
    path = _path(_link(_invite(world)))
    invitation = Invitation.objects.get()
    withdraw = reverse("accounts:invitation_withdraw", args=[invitation.pk])
    client = world.client(world.coordinator)
    # First a page that asks; the link still works.
    asked = client.post(withdraw).content.decode()
    assert "Yes, withdraw the invitation" in asked and invitation.email in asked
    assert world.client(None).get(path).status_code == 200
    response = client.post(withdraw, {"confirmed": "yes"}, follow=True)
    assert f"The invitation to {invitation.email} was withdrawn." in response.content.decode()
    page = world.client(None).get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()


def test_a_forged_link_gets_a_clear_page(world: World) -> None:
    _invite(world)
    response = world.client(None).get(reverse("accounts:invitation", args=["inv_forged"]))
    assert response.status_code == 404
    assert "We do not know this link" in response.content.decode()


def test_inviting_twice_makes_one_membership(world: World) -> None:
    first = _path(_link(_invite(world)))
    second = _path(_link(_invite(world)))
    # The second replaces the first: the older link is withdrawn, the newer one works.
    assert world.client(None).get(first).status_code == 410
    world.client(None).post(second, JOIN)
    assert Membership.objects.filter(user__username="siri").count() == 1
    # A third invitation to an address that already has the role is refused, by name.
    response = _invite(world)
    assert "already has this role" in str(response.context["form"].errors)


def test_the_same_form_sent_twice_makes_one_invitation_and_one_message(world: World) -> None:
    client = world.client(world.coordinator)
    link = _path(_link(_invite(world, client, form_key="f" * 32)))
    again = _invite(world, client, form_key="f" * 32)  # a reload, a double click
    assert again.status_code == 302
    assert "was already made" in client.get(LIST).content.decode()
    assert Invitation.objects.count() == 1 and Invitation.objects.get().withdrawn_at is None
    assert Message.objects.filter(kind="accounts_invitation").count() == 1
    # The link already shown and mailed still works.
    assert world.client(None).get(link).status_code == 200
    # A new form (a new key) to the same address is a new invitation that replaces it.
    assert _invite(world, client, form_key="e" * 32).status_code == 200
    assert world.client(None).get(link).status_code == 410


def test_two_people_racing_on_one_link_make_one_account(world: World) -> None:
    token = _link(_invite(world)).rstrip("/").rsplit("/", 1)[1]
    services.account_create_from_invitation(
        token=token, username="a", first_name="A", last_name="", password="x-long-pass-1"
    )
    with pytest.raises(services.InvitationUnusable) as error:
        services.account_create_from_invitation(
            token=token, username="b", first_name="B", last_name="", password="x-long-pass-1"
        )
    assert error.value.status == "accepted"
    assert not User.objects.filter(username="b").exists()


def test_a_signed_in_person_with_the_address_joins_with_one_click(world: World) -> None:
    path = _path(_link(_invite(world, email=world.other_partner.username + "@x.example")))
    world.other_partner.email = "otherpartner@x.example"
    world.other_partner.save()
    response = world.client(world.other_partner).post(path)
    assert response.status_code == 302
    assert world.other_partner.memberships.filter(organisation=world.partner_org).exists()


def test_a_signed_in_person_with_another_address_cannot_take_the_invitation(
    world: World,
) -> None:
    path = _path(_link(_invite(world)))
    client = world.client(world.coordinator)
    assert "not the invited one" in client.get(path).content.decode()
    client.post(path)
    assert not world.coordinator.memberships.filter(role=Role.PARTNER).exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("who", ["project_leader", "viewer", "partner", "other_coordinator"])
def test_only_the_municipalitys_coordinators_invite(world: World, who: str) -> None:
    response = _invite(world, client=world.client(getattr(world, who)))
    if who == "other_coordinator":
        # Fjordvik is not among the choices, nor is Fjordvik's partner organisation.
        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {"municipality", "organisation"}
    else:
        assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_service_refuses_another_municipalitys_coordinator(world: World) -> None:
    with pytest.raises(services.PermissionDenied):
        services.invitation_create(
            access=access_for(world.other_coordinator),
            municipality=world.home,
            role="viewer",
            email="x@example.org",
            site_url="https://samskap.example.no",
        )


def test_another_municipalitys_coordinator_cannot_see_or_withdraw(world: World) -> None:
    _invite(world)
    invitation = Invitation.objects.get()
    client = world.client(world.other_coordinator)
    assert invitation.email not in client.get(LIST).content.decode()
    url = reverse("accounts:invitation_withdraw", args=[invitation.pk])
    assert client.post(url).status_code == 404  # not even the confirmation page
    assert client.post(url, {"confirmed": "yes"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_no_administrator_role_by_invitation(world: World) -> None:
    response = _invite(world, role="administrator", organisation="")
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_demo_voluntary_centre_gets_a_user_through_the_flow(db) -> None:
    from django.test import Client

    from samskap.core.demo import load_demo

    load_demo()
    coordinator = User.objects.get(username="koordinator")
    centre = Organisation.objects.get(slug="fjordvik-frivilligsentral")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    response = client.post(
        LIST,
        {
            "email": "leder@frivilligsentral.example.org",
            "role": "partner",
            "organisation": centre.pk,
            "municipality": coordinator.memberships.get().municipality_id,
            "language": "nb",
        },
    )
    path = _path(_link(response))
    newcomer = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert newcomer.post(path, JOIN).status_code == 302
    user = User.objects.get(username="siri")
    assert access_for(user).partner_organisation_ids == frozenset({centre.pk})


def test_a_failed_invitation_message_can_be_sent_again(world: World) -> None:
    _invite(world)
    invitation = Invitation.objects.get()
    Message.objects.update(state="failed", last_error="Connection refused")
    client = world.client(world.coordinator)
    page = client.get(LIST).content.decode()
    assert "Connection refused" in page
    resend = reverse("accounts:invitation_resend", args=[invitation.pk])
    assert resend in page
    # A page asks first; nothing is queued until the answer is yes.
    assert "Yes, send it again" in client.post(resend).content.decode()
    assert Message.objects.get().state == "failed"
    response = client.post(resend, {"confirmed": "yes"}, follow=True)
    assert f"The invitation to {invitation.email} is queued again." in response.content.decode()
    [message] = Message.objects.all()
    assert message.state == "queued"
    # Another municipality's coordinator cannot.
    Message.objects.update(state="failed")
    assert world.client(world.other_coordinator).post(resend).status_code == 404
    other = world.client(world.other_coordinator)
    assert other.post(resend, {"confirmed": "yes"}).status_code == 404
    assert Message.objects.get().state == "failed"


def test_a_message_on_its_way_is_not_sent_twice(world: World) -> None:
    _invite(world)
    invitation = Invitation.objects.get()
    client = world.client(world.coordinator)
    client.post(reverse("accounts:invitation_resend", args=[invitation.pk]), {"confirmed": "yes"})
    assert Message.objects.count() == 1


def test_the_list_takes_the_same_queries_for_many_invitations(
    world: World, django_assert_num_queries
) -> None:
    client = world.client(world.coordinator)
    for n in range(3):
        _invite(world, email=f"p{n}@example.org")
    # Session, user, memberships, municipalities, organisations, invitations, messages …
    with django_assert_num_queries(8):
        client.get(LIST)
    for n in range(3, 12):
        _invite(world, email=f"p{n}@example.org")
    with django_assert_num_queries(8):
        client.get(LIST)
