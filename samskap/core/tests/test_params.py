"""Number parameters: ASCII digits within bounds, parsed by one helper; an unknown Host 400."""

import pytest
from django.test import Client
from django.urls import reverse

from samskap.core.params import whole_number, whole_numbers


@pytest.mark.parametrize(
    "raw", ["²", "٣", "-1", "1.0", " 1", "", "12345678901", str(2**31), None, True, "0x1"]
)
def test_only_ascii_digits_within_bounds_are_numbers(raw) -> None:
    assert whole_number(raw) is None


def test_numbers_and_lists() -> None:
    assert whole_number("7") == 7 and whole_number(7) == 7 and whole_number("0") == 0
    assert whole_number("0", minimum=1) is None
    assert whole_numbers(["1", "²", "3", "x"]) == [1, 3]


def test_odd_digits_in_the_health_reminder_are_not_a_server_error(world) -> None:
    from samskap.health.tests.conftest import start_round

    started = start_round(world)
    url = reverse("health:round_remind", args=[world.internal.slug, started.round.number])
    response = world.client(world.project_leader).post(
        url, {"respondent": ["²", "1"], "confirmed": "yes"}
    )
    assert response.status_code == 302


def test_an_unknown_host_gets_400_not_500(db) -> None:
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
