"""The person's own page (the header's name leads here), password change and reset."""

from django.urls import reverse

from samskap.conftest import World

PROFILE = reverse("accounts:profile")
CHANGE = reverse("accounts:password_change")


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
