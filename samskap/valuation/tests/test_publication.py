"""Published results (issue 17): a coordinator of the initiative's municipality publishes its
measured effects and value on the public page (recorded, reversible); anonymous visitors see
only what is published, other municipalities nothing internal; the showcase filter and the
open data carry it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.valuation import publication, services
from samskap.valuation.models import ResultsPublication
from samskap.valuation.valuemap import parse

MAP = {
    "title": "Loft value",
    "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
    "outcomes": [
        {
            "stakeholder": "Youth",
            "outcome": "Somewhere to be",
            "quantity": 20,
            "proxy": 100,
            "proxy_source": "SSB",
            "deadweight": 0.2,
            "attribution": 0.2,
        }
    ],
}


@pytest.fixture
def mapped(world):
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.public)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(MAP)
    )


def _page(world, user) -> str:
    response = world.client(user).get(world.public.get_absolute_url())
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_only_the_municipalitys_coordinator_publishes(world, mapped) -> None:
    for user in (world.viewer, world.project_leader, world.partner, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            publication.results_publish(
                access=access_for(user), initiative=world.public, publish=True
            )
    url = reverse("valuation:publish", args=[world.public.slug])
    assert world.client(world.viewer).post(url, {"publish": "1"}).status_code == 403
    assert world.client(None).post(url, {"publish": "1"}).status_code == 302  # to log in
    assert not ResultsPublication.objects.exists()


def test_anonymous_sees_only_published_results_and_the_decision_is_recorded(world, mapped) -> None:
    assert "SROI ratio" not in _page(world, None)
    url = reverse("valuation:publish", args=[world.public.slug])
    world.client(world.coordinator).post(url, {"publish": "1"})
    record = ResultsPublication.objects.get()
    assert record.published and record.decided_by == world.coordinator
    page = _page(world, None)
    ratio = f"{mapped.summary['ratio']:.2f}"
    assert "Measured results" in page and f"SROI ratio {ratio}" in page
    assert "Method: social return on investment" in page and "R-109" in page
    # Another municipality sees the published figures, nothing internal.
    other = _page(world, world.other_coordinator)
    assert f"SROI ratio {ratio}" in other and "Value map and results" not in other
    # Reversible, and every decision is kept.
    world.client(world.coordinator).post(url, {"publish": "0"})
    assert "SROI ratio" not in _page(world, None)
    assert record.history.count() == 2


def test_the_showcase_filters_and_the_open_data_carries_what_is_published(world, mapped) -> None:
    showcase = reverse("registry:showcase")
    client = world.client(None)
    assert "Youth loft" not in client.get(showcase, {"measured": "on"}).content.decode()
    publication.results_publish(
        access=access_for(world.coordinator), initiative=world.public, publish=True
    )
    assert "Youth loft" in client.get(showcase, {"measured": "on"}).content.decode()
    data = client.get(reverse("reports:open_data", args=["json"])).json()
    (row,) = [r for r in data["initiatives"] if r["slug"] == world.public.slug]
    assert row["sroi_ratio"] == pytest.approx(mapped.summary["ratio"])
    assert "R-109" in row["value_method"]
    csv = client.get(reverse("reports:open_data", args=["csv"])).content.decode("utf-8-sig")
    assert "sroi_ratio" in csv.splitlines()[0]
