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
    viewer = world.client(world.viewer)
    assert viewer.post(url, {"publish": "1", "confirmed": "yes"}).status_code == 403
    assert world.client(None).post(url, {"publish": "1"}).status_code == 302  # to log in
    assert not ResultsPublication.objects.exists()


def test_anonymous_sees_only_published_results_and_the_decision_is_recorded(world, mapped) -> None:
    assert "SROI ratio" not in _page(world, None)
    url = reverse("valuation:publish", args=[world.public.slug])
    # A page asks first; nothing is public until the answer is yes.
    asked = world.client(world.coordinator).post(url, {"publish": "1"}).content.decode()
    assert "Yes, publish" in asked and 'name="publish" value="1"' in asked
    assert not ResultsPublication.objects.exists()
    response = world.client(world.coordinator).post(
        url, {"publish": "1", "confirmed": "yes"}, follow=True
    )
    assert "The results are published." in response.content.decode()
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
    asked = world.client(world.coordinator).post(url, {"publish": "0"}).content.decode()
    assert "Yes, stop publishing" in asked
    assert f"SROI ratio {ratio}" in _page(world, None)
    world.client(world.coordinator).post(url, {"publish": "0", "confirmed": "yes"})
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


# --- the JSON API ----------------------------------------------------------------------------


def _api(world, user, slug: str):
    return world.client(user).get(f"/api/v1/registry/initiatives/{slug}")


def _survey(world, initiative, pairs: int):
    """A life-satisfaction survey on ``initiative``: ``pairs`` participants, 4 before, 7 after."""
    import datetime

    from samskap.measurement import surveys
    from samskap.measurement.models import LibraryIndicator

    access = access_for(world.coordinator)
    survey = surveys.survey_create(
        access=access,
        initiative=initiative,
        title="Loft survey",
        purpose="Learn",
        consent_text="Yes",
        items=[LibraryIndicator.objects.get(code="life-satisfaction")],
    )
    points = {
        kind: surveys.time_point_add(
            access=access, survey=survey, kind=kind, opens_on=datetime.date(2025, month, 1)
        )
        for kind, month in (("before", 1), ("after", 6))
    }
    item = survey.survey_items.get()
    people = surveys.participants_create(access=access, initiative=initiative, count=pairs)
    for n, person in enumerate(people):
        for kind, value in (("before", 4), ("after", 7 if n % 3 else 6)):
            surveys.paper_entry(
                access=access,
                time_point=points[kind],
                code=person.code,
                answers={(item.pk, 1): value},
            )
    return survey


def test_the_api_shows_published_results_to_anyone_and_only_once_published(world, mapped) -> None:
    from samskap.registry.public import PUBLISHED_RESULTS_FIELDS

    slug = world.public.slug
    # Not published: nobody gets the block, not even the coordinator (who sees the map's own
    # API); the value map's figures are not in the public answer at all.
    for user in (None, world.coordinator, world.other_coordinator):
        data = _api(world, user, slug).json()
        assert data["published_results"] is None
        assert f"{mapped.summary['ratio']:.6f}"[:6] not in str({**data, "internal": None})
    publication.results_publish(
        access=access_for(world.coordinator), initiative=world.public, publish=True
    )
    for user in (None, world.other_coordinator, world.coordinator):
        block = _api(world, user, slug).json()["published_results"]
        assert tuple(block) == PUBLISHED_RESULTS_FIELDS
        assert block["sroi_ratio"] == pytest.approx(mapped.summary["ratio"])
        assert block["sroi_ratio_p5"] <= block["sroi_ratio"] <= block["sroi_ratio_p95"]
        assert "R-109" in block["value_method"]
        assert block["measured_effects"] == []
    # The open data carries the same figures.
    opened = world.client(None).get(reverse("reports:open_data", args=["json"])).json()
    (row,) = [r for r in opened["initiatives"] if r["slug"] == slug]
    assert {k: row[k] for k in PUBLISHED_RESULTS_FIELDS} == block
    # Withdrawn: gone again.
    publication.results_publish(
        access=access_for(world.coordinator), initiative=world.public, publish=False
    )
    assert _api(world, None, slug).json()["published_results"] is None


def test_the_api_shows_only_effects_that_pass_the_privacy_rule(world, mapped) -> None:
    _survey(world, world.public, pairs=15)
    small = _survey(world, world.public, pairs=7)  # under 10 pairs: no interval is published
    small.title = "Small survey"
    small.save()
    publication.results_publish(
        access=access_for(world.coordinator), initiative=world.public, publish=True
    )
    (effect,) = _api(world, None, world.public.slug).json()["published_results"]["measured_effects"]
    assert effect["survey"] == "Loft survey" and effect["pairs"] == 15
    assert effect["mean_change"] == pytest.approx((10 * 3 + 5 * 2) / 15)
    assert effect["ci95_low"] < effect["mean_change"] < effect["ci95_high"]


def test_the_api_never_shows_results_of_an_initiative_the_caller_cannot_see(world) -> None:
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(MAP)
    )
    publication.results_publish(access=access, initiative=world.internal, publish=True)
    assert _api(world, None, world.internal.slug).status_code == 404
    assert _api(world, world.other_coordinator, world.internal.slug).status_code == 404
    assert _api(world, world.viewer, world.internal.slug).json()["published_results"]
    listed = world.client(None).get("/api/v1/registry/initiatives", {"measured": "true"}).json()
    assert listed["items"] == []


def test_the_api_lists_initiatives_with_measured_results(world, mapped) -> None:
    url = "/api/v1/registry/initiatives"
    assert world.client(None).get(url, {"measured": "true"}).json()["items"] == []
    publication.results_publish(
        access=access_for(world.coordinator), initiative=world.public, publish=True
    )
    for user in (None, world.coordinator):
        listed = world.client(user).get(url, {"measured": "true"}).json()["items"]
        assert [i["slug"] for i in listed] == [world.public.slug]
    assert len(world.client(world.coordinator).get(url).json()["items"]) > 1


def test_the_openapi_schema_declares_the_published_results(world) -> None:
    from samskap.registry.public import PUBLISHED_RESULTS_FIELDS

    schema = world.client(None).get("/api/v1/openapi.json").json()
    block = schema["components"]["schemas"]["PublishedResultsOut"]
    assert tuple(block["properties"]) == PUBLISHED_RESULTS_FIELDS
    detail = schema["paths"]["/api/v1/registry/initiatives/{slug}"]["get"]
    assert {"200", "404"} <= set(detail["responses"])
    parameters = schema["paths"]["/api/v1/registry/initiatives"]["get"]["parameters"]
    assert "measured" in {p["name"] for p in parameters}
