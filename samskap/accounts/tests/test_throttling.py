"""Failed log-ins (django-axes) and the public forms' rate limits."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskap.accounts.models import ApiToken
from samskap.conftest import World
from samskap.registry.models import IdeaProposal

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _empty_throttle_cache(db) -> None:
    # The throttle cache is a database table that transactional flushes do not empty.
    caches["throttle"].clear()


def _log_in(client: Client, password: str, username: str = "coordinator"):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_logs_in(world: World) -> None:
    client = Client()
    assert _log_in(client, "pw").status_code == 302
    assert _signed_in(client)


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _attempt in range(30):
        _log_in(client, "wrong")
    response = _log_in(client, "pw")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not _signed_in(client)


def test_the_lock_starts_at_the_fifth_failure(world: World) -> None:
    client = Client()
    for _attempt in range(4):
        assert _log_in(client, "wrong").status_code == 200
    assert _log_in(client, "pw").status_code == 302  # four failures: still allowed
    client.logout()
    for _attempt in range(5):
        _log_in(client, "wrong")
    assert _log_in(client, "pw").status_code == 429


def test_a_locked_user_name_does_not_lock_colleagues(world: World) -> None:
    client = Client()
    for _attempt in range(6):
        _log_in(client, "wrong")
    assert _log_in(client, "pw", username="viewer").status_code == 302


def test_the_lock_ends_after_the_cool_off(world: World) -> None:
    client = Client()
    for _attempt in range(6):
        _log_in(client, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _log_in(client, "pw").status_code == 302


def test_api_tokens_and_sessions_still_work(world: World) -> None:
    _token, secret = ApiToken.issue(world.coordinator, "test")
    response = Client().get("/api/v1/registry/initiatives", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert world.internal.title in response.content.decode()  # as the coordinator
    assert world.client(world.coordinator).get(reverse("accounts:profile")).status_code == 200


def test_the_idea_form_takes_ten_an_hour_from_one_address(world: World, settings) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("registry:idea_submit")
    form = {"municipality": world.home.pk, "title": "Idea", "need": "A need"}
    for n in range(settings.SAMSKAP_IDEA_LIMIT_PER_HOUR):
        assert client.post(url, {**form, "title": f"Idea {n}"}).status_code == 302
    refused = client.post(url, {**form, "title": "One too many"})
    assert refused.status_code == 429
    assert "Too many ideas" in refused.content.decode()
    assert IdeaProposal.objects.count() == settings.SAMSKAP_IDEA_LIMIT_PER_HOUR
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(url, {**form, "title": "From elsewhere"}).status_code == 302


def test_behind_a_proxy_each_client_is_counted_apart(world: World, settings) -> None:
    settings.SAMSKAP_TRUSTED_PROXIES = 1
    url = reverse("registry:idea_submit")
    form = {"municipality": world.home.pk, "title": "Idea", "need": "A need"}

    def via_proxy(client_address: str, forged: str = "") -> Client:
        # nginx appends the address it saw; anything left of it was written by the client.
        chain = f"{forged}, {client_address}" if forged else client_address
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain)

    for n in range(settings.SAMSKAP_IDEA_LIMIT_PER_HOUR):
        via_proxy("198.51.100.1", forged=f"10.0.0.{n}").post(url, {**form, "title": f"I{n}"})
    # Forging the left part does not make a new client; another real client is not affected.
    assert via_proxy("198.51.100.1", forged="10.9.9.9").post(url, form).status_code == 429
    assert via_proxy("198.51.100.2").post(url, form).status_code == 302


def test_behind_a_proxy_a_locked_log_in_is_per_client(world: World, settings) -> None:
    settings.SAMSKAP_TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _attempt in range(6):
        _log_in(attacker, "wrong")
    assert _log_in(attacker, "pw").status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _log_in(colleague, "pw").status_code == 302


def test_a_log_in_without_an_address_is_recorded_without_one() -> None:
    """The test client's log-in (and any request made inside the process) has no address;
    django-axes stores the address in an address column, which PostgreSQL checks."""
    from django.http import HttpRequest

    from samskap.core.throttle import login_address

    assert login_address(HttpRequest()) is None
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "192.0.2.7"
    assert login_address(request) == "192.0.2.7"
