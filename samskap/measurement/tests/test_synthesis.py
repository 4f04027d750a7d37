"""Synthesis across initiatives: the page under the library, the API and the demo's forest plot."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samskap.core.demo import load_demo
from samskap.measurement import meta, results, synthesis
from samskap.measurement.models import LibraryIndicator, SurveyItem
from samskap.registry.models import Initiative


@pytest.fixture
def demo(db):
    load_demo()
    return get_user_model().objects.get(username="koordinator")


def test_demo_synthesis_pools_the_municipalitys_initiatives(demo) -> None:
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    fjordvik = Initiative.objects.get(slug="matvenner").municipality
    found = synthesis.library_synthesis(fjordvik, life)
    labels = {s["initiative"].slug for s in found.studies}
    assert {"matvenner", "turvenner", "lesevenn", "reparasjonskafe"} <= labels
    assert "bo-sammen" not in labels  # another municipality's, not published
    # Each study is the survey page's own g_z with its variance.
    first = found.studies[0]
    row = next(r for r in results.survey_results(first["survey"]) if r.item.library_id == life.pk)
    assert first["effect"] == row.result.hedges_gz
    pooled = meta.random_effects(
        [s["effect"] for s in found.studies], [s["variance"] for s in found.studies]
    )
    assert found.result.estimate == pytest.approx(pooled.estimate)
    assert found.result.k == len(found.studies) >= 4


def test_synthesis_page_shows_a_forest_plot_with_its_table(demo, client) -> None:
    client.force_login(demo)
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    path = reverse("measurement:library_synthesis", args=["fjordvik", life.pk])
    page = client.get(path).content.decode()
    assert 'role="img"' in page and "Forest plot" in page
    assert "Initiatives in the synthesis" in page and "Turvenner" in page
    assert "Moves the average most" in page
    assert "DerSimonian" in client.get(path + "?method=dl").content.decode()
    detail = client.get(reverse("measurement:library_entry", args=["fjordvik", life.pk]))
    assert path in detail.content.decode()


def test_another_municipalitys_staff_cannot_open_it(demo, client) -> None:
    client.force_login(get_user_model().objects.get(username="koordinator2"))
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    path = reverse("measurement:library_synthesis", args=["fjordvik", life.pk])
    assert client.get(path).status_code == 404


def test_api_gives_the_cli_keys(demo, client) -> None:
    client.force_login(demo)
    data = client.get(
        "/api/v1/measurement/municipalities/fjordvik/library/life-satisfaction/synthesis"
    ).json()
    assert data["instrument"] == "life-satisfaction"
    assert set(data["result"]) == {
        "k",
        "method",
        "estimate",
        "se",
        "ci95",
        "tau2",
        "i2",
        "q",
        "q_p",
        "prediction95",
        "studies",
    }
    assert len(data["leave_one_out"]) == data["result"]["k"]
    bad = client.get(
        "/api/v1/measurement/municipalities/fjordvik/library/life-satisfaction/synthesis"
        "?method=other"
    )
    assert bad.status_code == 400


def test_a_suppressed_item_is_left_out(demo) -> None:
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    fjordvik = Initiative.objects.get(slug="matvenner").municipality
    fjordvik.privacy_threshold = 15
    fjordvik.save()
    found = synthesis.library_synthesis(fjordvik, life)
    counted = SurveyItem.objects.filter(
        library=life, survey__initiative__municipality=fjordvik
    ).count()
    assert found.left_out >= 1 and len(found.studies) + found.left_out == counted
    assert all(s["n"] >= 15 for s in found.studies)
