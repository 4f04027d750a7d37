"""The cost-benefit view and correlated ranges in the application: settings, results, API, demo."""

import io

import pytest
from django.urls import reverse

from samskap.valuation.models import ValueMap

from .test_app import mapped  # noqa: F401 - the fixture


def url(name: str, initiative, *args) -> str:
    return reverse(f"valuation:{name}", args=[initiative.slug, *args])


def test_results_show_both_views_side_by_side_with_the_reason(world, mapped):  # noqa: F811
    outcome = mapped.outcomes.get()
    outcome.flow = "transfer"
    outcome.payer = "municipality"
    outcome.save()
    page = world.client(world.viewer).get(url("results", world.internal)).content.decode()
    assert "Two views: social return and cost–benefit" in page
    assert "because transfers between parties" in page
    assert "Details: SROI view" in page
    page = world.client(world.viewer).get(url("results", world.internal) + "?view=cba")
    assert "Details: cost–benefit view" in page.content.decode()


def test_settings_take_a_price_index_file_and_correlation_groups(world, mapped):  # noqa: F811
    upload = io.BytesIO("year;index\n2020;112,2\n2025;138,5\n".encode("cp1252"))
    upload.name = "kpi.csv"
    response = world.client(world.coordinator).post(
        url("settings", world.internal),
        {
            "expected_version": mapped.version,
            "title": mapped.title,
            "currency": "NOK",
            "price_year": "2025",
            "discount_rate": "0.04",
            "first_year": "undiscounted",
            "analysis_period": "10",
            "tax_financing_cost": "0.2",
            "price_index_file": upload,
            "correlations_text": "uptake: 0.6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = ValueMap.objects.get(pk=mapped.pk)
    assert fresh.price_index == {"2020": 112.2, "2025": 138.5}
    assert fresh.correlations == {"uptake": 0.6}
    assert fresh.analysis_period == 10


def test_settings_refuse_a_bad_price_index_naming_the_line(world, mapped):  # noqa: F811
    upload = io.BytesIO(b"year,index\n2020,abc\n")
    upload.name = "kpi.csv"
    response = world.client(world.coordinator).post(
        url("settings", world.internal),
        {
            "expected_version": mapped.version,
            "title": mapped.title,
            "currency": "NOK",
            "discount_rate": "0.04",
            "first_year": "undiscounted",
            "price_index_file": upload,
        },
    )
    assert response.status_code == 200
    assert "kpi.csv, line 2" in response.content.decode()
    assert ValueMap.objects.get(pk=mapped.pk).version == mapped.version


def test_api_gives_either_view(world, mapped):  # noqa: F811
    path = f"/api/v1/valuation/initiatives/{world.internal.slug}"
    client = world.client(world.coordinator)
    assert client.get(path).json()["results"]["view"] == "sroi"
    cba = client.get(path + "?view=cba").json()["results"]
    assert cba["view"] == "cba" and "npv_per_budget_krone" in cba["cost_benefit"]
    other = client.get(path + "?view=other")  # not in the schema's enum: 422 naming it
    assert other.status_code == 422 and other.json()["detail"][0]["loc"][-1] == "view"


@pytest.mark.django_db
def test_demo_classifies_social_assistance_as_a_transfer_and_shows_both_views(client):
    from samskap.core.demo import load_demo

    load_demo()
    vmap = ValueMap.objects.get(title="Arbeidstrening i kafé")
    assert vmap.outcomes.get(outcome="Mindre økonomisk sosialhjelp").flow == "transfer"
    client.force_login(_koordinator())
    page = client.get(url("results", vmap.initiative)).content.decode()
    assert "Two views: social return and cost–benefit" in page
    assert "transfers between parties" in page
    assert "if every range were independent" in page


def _koordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordinator")
