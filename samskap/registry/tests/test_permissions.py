"""Who sees and does what, through the pages: direct URLs and search results included."""

import pytest
from django.urls import reverse

from samskap.conftest import World


def detail(initiative) -> str:
    return reverse("registry:initiative", args=[initiative.slug])


INTERNAL_VIEWERS = ["coordinator", "project_leader", "viewer", "partner"]
INTERNAL_OUTSIDERS = ["other_partner", "other_coordinator", None]


@pytest.mark.parametrize("persona", INTERNAL_VIEWERS)
def test_insiders_see_the_internal_initiative(world: World, persona: str) -> None:
    response = world.client(getattr(world, persona)).get(detail(world.internal))
    assert response.status_code == 200
    assert "Dinner friends" in response.content.decode()


@pytest.mark.parametrize("persona", INTERNAL_OUTSIDERS)
def test_outsiders_get_404_for_an_internal_initiative_by_url(
    world: World, persona: str | None
) -> None:
    user = getattr(world, persona) if persona else None
    response = world.client(user).get(detail(world.internal))
    assert response.status_code == 404
    assert "Dinner friends" not in response.content.decode()


@pytest.mark.parametrize("persona", [*INTERNAL_VIEWERS, *INTERNAL_OUTSIDERS])
def test_everyone_sees_a_public_initiative(world: World, persona: str | None) -> None:
    user = getattr(world, persona) if persona else None
    assert world.client(user).get(detail(world.public)).status_code == 200


@pytest.mark.parametrize("persona", [*INTERNAL_VIEWERS, *INTERNAL_OUTSIDERS])
def test_the_showcase_search_never_lists_internal_initiatives(
    world: World, persona: str | None
) -> None:
    user = getattr(world, persona) if persona else None
    content = world.client(user).get("/", {"q": "dinner"}).content.decode()
    assert "Dinner friends" not in content
    assert "Secret dinner plan" not in content


def test_the_dashboard_search_covers_exactly_what_the_user_may_see(world: World) -> None:
    mine = world.client(world.coordinator).get(reverse("registry:dashboard"), {"q": "dinner"})
    content = mine.content.decode()
    assert "Dinner friends" in content
    assert "Secret dinner plan" not in content
    theirs = world.client(world.other_coordinator).get(
        reverse("registry:dashboard"), {"q": "dinner"}
    )
    assert "Secret dinner plan" in theirs.content.decode()
    assert "Dinner friends" not in theirs.content.decode()


def test_a_partner_sees_the_initiatives_of_its_organisation_only(world: World) -> None:
    content = world.client(world.partner).get(reverse("registry:dashboard")).content.decode()
    assert "Dinner friends" in content
    assert "Secret dinner plan" not in content
    other = world.client(world.other_partner).get(reverse("registry:dashboard")).content.decode()
    assert "Dinner friends" not in other


EDIT_RULES = [
    # persona, edit page, move page, add partner page
    ("coordinator", 200, 200, 200),
    ("project_leader", 200, 200, 200),
    ("partner", 200, 403, 403),
    ("viewer", 403, 403, 403),
    ("other_partner", 404, 404, 404),
    ("other_coordinator", 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "edit", "move", "partner"), EDIT_RULES)
def test_edit_rights_by_role(
    world: World, persona: str, edit: int, move: int, partner: int
) -> None:
    client = world.client(getattr(world, persona))
    slug = world.internal.slug
    assert client.get(reverse("registry:initiative_edit", args=[slug])).status_code == edit
    assert client.get(reverse("registry:story_create", args=[slug])).status_code == edit
    assert client.get(reverse("registry:initiative_move", args=[slug])).status_code == move
    assert client.get(reverse("registry:participation_create", args=[slug])).status_code == partner


def test_a_project_leader_cannot_edit_an_initiative_they_do_not_lead(world: World) -> None:
    client = world.client(world.project_leader)
    assert (
        client.get(reverse("registry:initiative_edit", args=[world.public.slug])).status_code == 403
    )
    assert (
        client.post(
            reverse("registry:initiative_move", args=[world.public.slug]), {"target": "anchoring"}
        ).status_code
        == 403
    )
    world.public.refresh_from_db()
    assert world.public.stage == "idea"


@pytest.mark.parametrize(
    "name", ["initiative_edit", "initiative_move", "story_create", "participation_create"]
)
def test_anonymous_users_are_sent_to_log_in(world: World, name: str) -> None:
    response = world.client(None).get(reverse(f"registry:{name}", args=[world.public.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["project_leader", "partner", "viewer"])
def test_the_portfolio_and_idea_queue_are_for_coordinators(world: World, persona: str) -> None:
    client = world.client(getattr(world, persona))
    assert client.get(reverse("registry:portfolio")).status_code == 403
    assert client.get(reverse("registry:idea_queue")).status_code == 403


def test_a_coordinator_cannot_open_another_municipalitys_portfolio(world: World) -> None:
    response = world.client(world.coordinator).get(
        reverse("registry:portfolio"), {"municipality": world.other.slug}
    )
    assert response.status_code == 404


def test_partners_cannot_report_initiatives(world: World) -> None:
    assert world.client(world.partner).get(reverse("registry:initiative_create")).status_code == 403


def test_internal_stories_are_hidden_on_a_public_initiative(world: World) -> None:
    from samskap.accounts.access import access_for
    from samskap.registry import services

    services.story_create(
        access=access_for(world.coordinator),
        initiative=world.public,
        title="Quiet trouble",
        text="Internal only",
        kind="challenge",
        date=world.public.created_at.date(),
        visibility="internal",
    )
    assert "Quiet trouble" not in world.client(None).get(detail(world.public)).content.decode()
    assert (
        "Quiet trouble"
        not in world.client(world.other_coordinator).get(detail(world.public)).content.decode()
    )
    assert "Quiet trouble" in world.client(world.viewer).get(detail(world.public)).content.decode()


def test_posts_need_a_csrf_token(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.project_leader)
    response = client.post(
        reverse("registry:initiative_move", args=[world.internal.slug]), {"target": "anchoring"}
    )
    assert response.status_code == 403
    world.internal.refresh_from_db()
    assert world.internal.stage == "idea"
