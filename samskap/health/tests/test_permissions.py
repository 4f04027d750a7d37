"""Who may do what: starting and closing rounds, reminders, results, the API."""

import pytest
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.accounts.models import ApiToken
from samskap.health import services
from samskap.health.models import Round, RoundStatus

from .conftest import start_round

pytestmark = pytest.mark.django_db


def _urls(world, number: int = 1) -> dict[str, str]:
    slug = world.internal.slug
    return {
        "rounds": reverse("health:rounds", args=[slug]),
        "start": reverse("health:round_start", args=[slug]),
        "round": reverse("health:round", args=[slug, number]),
        "close": reverse("health:round_close", args=[slug, number]),
        "remind": reverse("health:round_remind", args=[slug, number]),
    }


@pytest.mark.parametrize(
    ("persona", "page", "status"),
    [
        ("project_leader", "start", 200),
        ("coordinator", "start", 200),
        ("viewer", "start", 403),
        ("partner", "start", 403),
        ("other_partner", "start", 404),
        ("other_coordinator", "start", 404),
        ("project_leader", "round", 200),
        ("viewer", "round", 200),
        ("partner", "round", 200),
        ("other_partner", "round", 404),
        ("other_coordinator", "round", 404),
        ("partner", "rounds", 200),
        ("other_coordinator", "rounds", 404),
    ],
)
def test_page_access(world, started, persona, page, status):
    response = world.client(getattr(world, persona)).get(_urls(world)[page])
    assert response.status_code == status


def test_anonymous_is_sent_to_log_in(world, started):
    response = world.client(None).get(_urls(world)["round"])
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_health_pages_of_a_public_initiative_need_internal_access(world):
    url = reverse("health:rounds", args=[world.public.slug])
    assert world.client(world.other_coordinator).get(url).status_code == 403
    assert world.client(world.viewer).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "partner", "other_coordinator"])
def test_only_those_who_steer_can_close_or_remind(world, started, persona):
    client = world.client(getattr(world, persona))
    for confirmed in ({}, {"confirmed": "yes"}):
        assert client.post(_urls(world)["close"], confirmed).status_code in (403, 404)
        assert client.post(_urls(world)["remind"], confirmed).status_code in (403, 404)
    started.round.refresh_from_db()
    assert started.round.status == RoundStatus.OPEN
    assert not started.round.respondents.filter(reminders__isnull=False).exists()


def test_services_recheck_permission(world):
    with pytest.raises(services.PermissionDenied):
        start_round_as(world, world.partner)
    started = start_round(world)
    with pytest.raises(services.PermissionDenied):
        services.round_close(access=access_for(world.viewer), round_=started.round)
    assert not Round.objects.filter(status=RoundStatus.CLOSED).exists()


def start_round_as(world, user):
    from django.utils import timezone

    return services.round_start(
        access=access_for(user),
        initiative=world.internal,
        title="x",
        closes_on=timezone.localdate(),
        set_codes=["core"],
        respondents=[
            services.RespondentSpec("A", "a@example.org", "municipality"),
            services.RespondentSpec("B", "b@example.org", "partner", world.partner_org),
        ],
    )


def test_closing_needs_post_and_csrf(world, started):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.project_leader)
    assert client.get(_urls(world)["close"]).status_code == 405
    assert client.post(_urls(world)["close"]).status_code == 403
    started.round.refresh_from_db()
    assert started.round.status == RoundStatus.OPEN


def test_respondent_post_needs_csrf(world, started):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("health:respond", args=[started.token_of("partner", 0)])
    assert client.post(url, {"submit": "1"}).status_code == 403


# --- API -----------------------------------------------------------------------------------


def _bearer(user) -> dict:
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _api(world, number: int = 1) -> str:
    return f"/api/v1/health/initiatives/{world.internal.slug}/rounds/{number}"


def _fill(world, started, partner_count: int = 5):
    for i in range(5):
        started.answer_all("municipality", i, "5")
    for i in range(partner_count):
        started.answer_all("partner", i, "2")
    services.round_close(access=access_for(world.project_leader), round_=started.round)


def test_api_gives_aggregates_with_the_same_suppression(world, started, client):
    _fill(world, started, partner_count=4)
    response = client.get(_api(world), **_bearer(world.partner))
    assert response.status_code == 200
    data = response.json()
    assert data["threshold"] == 5
    assert data["respondents"] == {"municipality": 5, "partner": None}
    dim = data["dimensions"][0]
    cells = {c["party"]: c for c in dim["cells"]}
    assert cells["municipality"]["mean"] == 5.0 and cells["municipality"]["n"] == 5
    assert cells["partner"] == {
        "party": "partner",
        "suppressed": True,
        "n": None,
        "mean": None,
        "sd": None,
    }
    assert cells["all"]["mean"] is None and dim["gap"] is None
    assert all(
        d["counts"] is None
        for item in data["items"]
        for d in item["distributions"]
        if d["party"] == "partner"
    )
    text = response.content.decode()
    assert "Partner 0" not in text and "@example.org" not in text


def test_api_shows_the_gap_when_both_sides_are_shown(world, started, client):
    _fill(world, started)
    data = client.get(_api(world), **_bearer(world.coordinator)).json()
    dim = data["dimensions"][0]
    assert dim["gap"] == 3.0 and "gap" in dim["flags"] and "low_partner" in dim["flags"]


def test_api_refuses_open_rounds_strangers_and_anonymous(world, started, client):
    assert client.get(_api(world), **_bearer(world.coordinator)).status_code == 409
    assert client.get(_api(world), **_bearer(world.other_coordinator)).status_code == 404
    assert client.get(_api(world), **_bearer(world.other_partner)).status_code == 404
    assert client.get(_api(world)).status_code == 401
    listing = client.get(
        f"/api/v1/health/initiatives/{world.internal.slug}/rounds", **_bearer(world.partner)
    )
    assert listing.status_code == 200 and listing.json()[0]["closed"] is False


def test_closing_asks_first_then_closes_and_says_so(world, started):
    client = world.client(world.project_leader)
    page = client.post(_urls(world)["close"]).content.decode()
    assert "Yes, close the round" in page and "cannot be opened again" in page
    started.round.refresh_from_db()
    assert started.round.status == RoundStatus.OPEN
    response = client.post(_urls(world)["close"], {"confirmed": "yes"}, follow=True)
    assert "The round is closed. The results are below." in response.content.decode()
    started.round.refresh_from_db()
    assert started.round.status == RoundStatus.CLOSED
