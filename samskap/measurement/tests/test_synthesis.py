"""Synthesis across initiatives: the page under the library, the API and the demo's forest plot;
other municipalities' results only where they published them."""

import datetime

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.conftest import make_initiative
from samskap.core.demo import load_demo
from samskap.measurement import meta, results, surveys, synthesis
from samskap.measurement.models import LibraryIndicator, SurveyItem
from samskap.registry.models import Initiative, Visibility
from samskap.valuation.publication import results_publish


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
    # Bjørkelia published Bo sammen's results (the demo): in, and marked as theirs.
    (elsewhere,) = [s for s in found.studies if s["published"]]
    assert elsewhere["initiative"].slug == "bo-sammen"
    assert elsewhere["label"] == "Bo sammen – studenter og eldre (Bjørkelia kommune (fiktiv))"
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
    # An unknown method does not match the schema (an enum): 422 naming the parameter.
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "method"


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


# --- other municipalities: published results only --------------------------------------------


def _survey(user, initiative, changes: list[float]) -> None:
    """A survey of life satisfaction with one pair per change (before 4 or 5, after + change)."""
    access = access_for(user)
    life = LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)
    survey = surveys.survey_create(
        access=access,
        initiative=initiative,
        title=f"{initiative.title} survey",
        purpose="To learn whether it helps.",
        consent_text="Stored under a code.",
        items=[life],
    )
    (item,) = survey.survey_items.all()
    start = datetime.date(2025, 1, 1)
    before = surveys.time_point_add(access=access, survey=survey, kind="before", opens_on=start)
    after = surveys.time_point_add(
        access=access, survey=survey, kind="after", opens_on=start + datetime.timedelta(days=90)
    )
    people = surveys.participants_create(access=access, initiative=initiative, count=len(changes))
    for i, (person, change) in enumerate(zip(people, changes, strict=True)):
        first = 4 + i % 2
        for point, value in ((before, first), (after, first + change)):
            surveys.paper_entry(
                access=access, time_point=point, code=person.code, answers={(item.pk, 1): value}
            )


CHANGES = [2, 1, 3, 2, 1, 2, 0, 2, 3, 1, 2, 1]  # 12 pairs: an interval, so publishable


@pytest.fixture
def elsewhere(world):
    """Fjordvik's two initiatives and four of Bjørkelia's with surveys of life satisfaction:
    public and published (in), public and unpublished, internal and published, and public and
    published with only 6 pairs (too few for an interval, so not on its public page)."""
    other = world.other_coordinator
    made = {
        "shared": make_initiative(other, world.other, "Shared meals", visibility=Visibility.PUBLIC),
        "open": make_initiative(other, world.other, "Open kitchen", visibility=Visibility.PUBLIC),
        "small": make_initiative(other, world.other, "Small circle", visibility=Visibility.PUBLIC),
    }
    _survey(world.coordinator, world.internal, CHANGES)
    _survey(world.coordinator, world.public, [c + 1 for c in CHANGES])
    _survey(other, made["shared"], [c - 1 for c in CHANGES])
    _survey(other, made["open"], [3] * 6 + [2] * 6)
    _survey(other, world.foreign_internal, [3, 4] * 6)
    _survey(other, made["small"], [3, 2, 3, 2, 3, 2])
    for initiative in (made["shared"], made["small"], world.foreign_internal):
        results_publish(access=access_for(other), initiative=initiative, publish=True)
    return made


def _life():
    return LibraryIndicator.objects.get(code="life-satisfaction", municipality=None)


def test_synthesis_adds_only_what_other_municipalities_published(world, elsewhere) -> None:
    found = synthesis.library_synthesis(world.home, _life())
    by_title = {s["initiative"].title: s for s in found.studies}
    assert set(by_title) == {"Dinner friends", "Youth loft", "Shared meals"}
    shared = by_title["Shared meals"]
    assert shared["published"] and not by_title["Youth loft"]["published"]
    assert shared["label"] == "Shared meals (Bjørkelia)"
    assert shared["url"] == elsewhere["shared"].get_absolute_url()
    # Nothing unpublished elsewhere is counted, not even as left out.
    assert found.left_out == 0 and found.published_elsewhere == 1
    # Its effect is the one its results page computes, pooled with the others (checked
    # against an independent DerSimonian-Laird in NumPy).
    changes = np.array([c - 1 for c in CHANGES], dtype=float)
    n = len(changes)
    dz = changes.mean() / changes.std(ddof=1)
    j = 1 - 3 / (4 * (n - 1) - 1)
    assert shared["effect"] == pytest.approx(dz * j)
    assert shared["variance"] == pytest.approx(j**2 * (1 / n + dz**2 / (2 * n)))
    y = np.array([s["effect"] for s in found.studies])
    v = np.array([s["variance"] for s in found.studies])
    w = 1 / v
    q = float(np.sum(w * (y - np.sum(w * y) / w.sum()) ** 2))
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - np.sum(w**2) / w.sum()))
    w_star = 1 / (v + tau2)
    dl = synthesis.library_synthesis(world.home, _life(), "dl")
    assert dl.result.estimate == pytest.approx(float(np.sum(w_star * y) / w_star.sum()))
    assert dl.result.q == pytest.approx(q)


def test_a_published_effect_about_fewer_than_our_threshold_is_left_out(world, elsewhere) -> None:
    world.home.privacy_threshold = 13
    world.home.save()
    found = synthesis.library_synthesis(world.home, _life())
    assert not any(s["published"] for s in found.studies)
    # The own surveys (12 pairs) are suppressed by their own rule and counted as left out.
    assert found.left_out == 2 and not found.studies


def test_withdrawn_publication_leaves_the_synthesis(world, elsewhere) -> None:
    results_publish(
        access=access_for(world.other_coordinator), initiative=elsewhere["shared"], publish=False
    )
    found = synthesis.library_synthesis(world.home, _life())
    assert {s["initiative"].title for s in found.studies} == {"Dinner friends", "Youth loft"}


def test_page_and_api_label_the_other_municipality_and_show_nothing_unpublished(
    world, elsewhere
) -> None:
    client = world.client(world.coordinator)
    page = client.get(reverse("measurement:library_synthesis", args=["fjordvik", _life().pk]))
    text = " ".join(page.content.decode().split())
    assert "Shared meals (Bjørkelia)" in text and "published by Bjørkelia" in text
    assert f'href="{elsewhere["shared"].get_absolute_url()}"' in text
    for hidden in ("Open kitchen", "Secret dinner plan", "Small circle"):
        assert hidden not in text
    # The link is the public page, which an anonymous visitor can open.
    assert world.client(None).get(elsewhere["shared"].get_absolute_url()).status_code == 200
    data = client.get(
        "/api/v1/measurement/municipalities/fjordvik/library/life-satisfaction/synthesis"
    ).json()
    rows = {s["initiative"]: s for s in data["studies"]}
    assert set(rows) == {world.internal.slug, world.public.slug, elsewhere["shared"].slug}
    assert rows[elsewhere["shared"].slug]["municipality"] == "bjorkelia"
    assert rows[elsewhere["shared"].slug]["published_by_other_municipality"] is True
    assert data["left_out"] == 0


def test_the_other_municipality_sees_our_unpublished_results_nowhere(world, elsewhere) -> None:
    found = synthesis.library_synthesis(world.other, _life())
    titles = {s["initiative"].title for s in found.studies}
    assert "Dinner friends" not in titles and "Youth loft" not in titles
    results_publish(access=access_for(world.coordinator), initiative=world.public, publish=True)
    results_publish(access=access_for(world.coordinator), initiative=world.internal, publish=True)
    found = synthesis.library_synthesis(world.other, _life())
    titles = {s["initiative"].title for s in found.studies}
    assert "Youth loft" in titles  # public and published
    assert "Dinner friends" not in titles  # published, but an internal initiative
