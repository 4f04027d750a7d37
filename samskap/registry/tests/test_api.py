"""The JSON API shows exactly what the pages show, to every persona."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from samskap.accounts.models import ApiToken
from samskap.conftest import World, make_stories
from samskap.core.tokens import digest
from samskap.registry.models import Story

PERSONAS = [
    None,
    "coordinator",
    "project_leader",
    "viewer",
    "partner",
    "other_partner",
    "other_coordinator",
]


def api_client(world: World, persona: str | None) -> Client:
    """A client that authenticates with a personal token, as a partner system would."""
    if persona is None:
        return Client()
    _token, secret = ApiToken.issue(getattr(world, persona), "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def add_stories(world: World) -> None:
    pairs = [
        (world.internal, world.coordinator),
        (world.public, world.coordinator),
        (world.foreign_internal, world.other_coordinator),
    ]
    make_stories(pairs)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_and_pages_show_the_same_initiatives_and_stories(world: World, persona) -> None:
    add_stories(world)
    user = getattr(world, persona) if persona else None
    page = world.client(user)
    api = api_client(world, persona)
    listed = {item["slug"] for item in api.get("/api/v1/registry/initiatives").json()["items"]}
    for initiative in (world.internal, world.public, world.foreign_internal):
        page_status = page.get(initiative.get_absolute_url()).status_code
        api_response = api.get(f"/api/v1/registry/initiatives/{initiative.slug}")
        assert api_response.status_code == page_status, initiative.slug
        assert (initiative.slug in listed) == (page_status == 200)
        if page_status == 200:
            page_html = page.get(initiative.get_absolute_url()).content.decode()
            api_titles = {story["title"] for story in api_response.json()["stories"]}
            for story in Story.objects.filter(initiative=initiative):
                assert (story.title in page_html) == (story.title in api_titles), story.title
            # Internal fields go to those who see the internal story on the page.
            internal_story = f"internal lesson about {initiative.title}"
            has_internal = api_response.json()["internal"] is not None
            assert has_internal == (internal_story in page_html)
    lessons_html = page.get("/laering/").content.decode()
    searched = {s["title"] for s in api.get("/api/v1/registry/stories").json()["items"]}
    for story in Story.objects.all():
        assert (story.title in lessons_html) == (story.title in searched), story.title


def test_internal_fields_only_for_insiders(world: World) -> None:
    url = f"/api/v1/registry/initiatives/{world.public.slug}"
    assert Client().get(url).json()["internal"] is None
    assert api_client(world, "other_coordinator").get(url).json()["internal"] is None
    insider = api_client(world, "viewer").get(url).json()["internal"]
    assert insider["contact_name"] == world.public.contact_name


def test_a_wrong_or_expired_token_is_refused_not_treated_as_anonymous(world: World) -> None:
    url = "/api/v1/registry/initiatives"
    assert Client(HTTP_AUTHORIZATION="Bearer smk_wrong").get(url).status_code == 401
    token, secret = ApiToken.issue(world.coordinator, "old")
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(url).status_code == 401
    assert ApiToken.objects.filter(digest=digest(secret)).exists()
    assert secret not in {t.digest for t in ApiToken.objects.all()}  # only the digest is kept


def test_filters_and_pagination(world: World) -> None:
    api = api_client(world, "coordinator")
    items = api.get("/api/v1/registry/initiatives?sector=children_youth").json()["items"]
    assert [i["slug"] for i in items] == [world.public.slug]
    assert api.get("/api/v1/registry/initiatives?stage=nonsense").json()["count"] == 0
    assert api.get("/api/v1/registry/initiatives?q=dinner").json()["count"] == 1
    page = api.get("/api/v1/registry/initiatives?page=1").json()
    assert page["count"] == 2 and len(page["items"]) == 2


def story_payload(**changes) -> str:
    data = {
        "title": "From the partner system",
        "text": "Ten volunteers joined.",
        "kind": "success",
        "date": "2026-01-15",
        "visibility": "internal",
    }
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 401),
        ("viewer", 403),
        ("other_partner", 404),
        ("other_coordinator", 404),
        ("partner", 201),
        ("project_leader", 201),
    ],
)
def test_writing_stories_needs_the_edit_right(world: World, persona, status) -> None:
    url = f"/api/v1/registry/initiatives/{world.internal.slug}/stories"
    response = api_client(world, persona).post(
        url, story_payload(), content_type="application/json"
    )
    assert response.status_code == status
    assert Story.objects.filter(title="From the partner system").count() == (status == 201)


def test_a_bad_story_names_the_field(world: World) -> None:
    url = f"/api/v1/registry/initiatives/{world.internal.slug}/stories"
    response = api_client(world, "partner").post(
        url, story_payload(kind="gossip", date="yesterday"), content_type="application/json"
    )
    assert response.status_code == 422
    fields = {tuple(error["loc"])[-1] for error in response.json()["detail"]}
    assert fields == {"kind", "date"}
    assert not Story.objects.exists()


def test_session_writes_need_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.partner)
    url = f"/api/v1/registry/initiatives/{world.internal.slug}/stories"
    response = client.post(url, story_payload(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Story.objects.exists()


def test_the_token_page_shows_a_secret_once_and_revokes(world: World) -> None:
    client = world.client(world.viewer)
    response = client.post("/konto/api-nokler/", {"name": "Fagsystem", "days": 30})
    secret = response.context["secret"]
    assert secret.startswith("smk_")
    assert secret in response.content.decode()
    assert secret not in client.get("/konto/api-nokler/").content.decode()
    token = ApiToken.objects.get(user=world.viewer)
    revoke = f"/konto/api-nokler/{token.pk}/slett/"
    assert world.client(world.coordinator).post(revoke).status_code == 404
    assert world.client(world.coordinator).post(revoke, {"confirmed": "yes"}).status_code == 404
    # A page asks first; the token works until the answer is yes.
    assert "Yes, revoke the token" in client.post(revoke).content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    response = client.post(revoke, {"confirmed": "yes"}, follow=True)
    assert "The token “Fagsystem” was revoked." in response.content.decode()
    assert not ApiToken.objects.exists()
    bad = client.post("/konto/api-nokler/", {"name": "", "days": 0})
    assert set(bad.context["form"].errors) == {"name", "days"}


def test_openapi_schema_is_valid(world: World) -> None:
    from openapi_spec_validator import validate

    schema = Client().get("/api/v1/openapi.json").json()
    validate(schema)
    assert "/api/v1/registry/initiatives" in schema["paths"]


def test_the_api_documentation_needs_no_network(client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_nul_characters_are_refused_with_a_reason(world: World) -> None:
    """PostgreSQL cannot store NUL; schemathesis found a server error there."""
    response = Client().get("/api/v1/registry/organisations", {"q": "a\x00b"})
    assert response.status_code == 400
    # The API's one error body: {"detail": str}, naming the field (it was a list).
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("query.q: ") and "NUL" in detail
    assert Client().get("/", {"q": "\x00"}).status_code == 400
    url = f"/api/v1/registry/initiatives/{world.internal.slug}/stories"
    response = api_client(world, "partner").post(
        url, story_payload(title="bad\u0000title"), content_type="application/json"
    )
    assert response.status_code == 400
    assert not Story.objects.exists()
