"""Comparison group, difference-in-differences, Holm, MID and yes/no items on survey results."""

import pytest

from samskap.accounts.access import access_for
from samskap.measurement import results, stats, surveys
from samskap.measurement.models import LibraryIndicator

from .conftest import answer_all


def _answer(world, setup, pairs, comparison=False) -> None:
    access = access_for(world.coordinator)
    people = surveys.participants_create(
        access=access, initiative=world.internal, count=len(pairs), comparison=comparison
    )
    for participant, (first, second) in zip(people, pairs, strict=True):
        for point, answer in ((setup.before, first), (setup.after, second)):
            if answer is None:
                continue
            life, lonely = answer
            surveys.paper_entry(
                access=access,
                time_point=point,
                code=participant.code,
                answers=answer_all(setup.survey, life, lonely),
            )


PARTICIPANTS = [((4 + i % 3, (3, 2, 3)), (5 + i % 4, (2, 2, 1 + i % 2))) for i in range(12)]


def test_comparison_group_stays_out_of_the_paired_change_and_gives_a_did(world, setup) -> None:
    _answer(world, setup, PARTICIPANTS)
    # Comparison group: 6 answer before only, 7 after only (unpaired), rising by about 1.
    comparison = [((4 + i % 2, (3, 3, 3)), None) for i in range(6)]
    comparison += [(None, (5 + i % 2, (3, 3, 2))) for i in range(7)]
    _answer(world, setup, comparison, comparison=True)
    life = {r.item.library.code: r for r in results.survey_results(setup.survey)}[
        "life-satisfaction"
    ]
    assert life.result.n == 12
    assert life.result.mean_change == pytest.approx(1.5)
    assert life.unpaired_before["n"] is None or life.unpaired_before["n"] == 0
    assert life.comparison["n_before"] == 6 and life.comparison["n_after"] == 7
    before = [4 + i % 2 for i in range(6)]
    after = [5 + i % 2 for i in range(7)]
    expected = stats.difference_in_differences(
        [4 + i % 3 for i in range(12)], [5 + i % 4 for i in range(12)], before, after
    )
    assert life.difference_in_differences.estimate == pytest.approx(expected.estimate)
    assert life.difference_in_differences.ci95 == pytest.approx(expected.ci95)


def test_a_small_comparison_group_is_suppressed(world, setup) -> None:
    _answer(world, setup, PARTICIPANTS)
    _answer(world, setup, [((5, (2, 2, 2)), (6, (2, 2, 2)))] * 3, comparison=True)
    life = results.survey_results(setup.survey)[0]
    assert life.comparison == {
        "n_before": None,
        "n_after": None,
        "mean_before": None,
        "mean_after": None,
        "suppressed": True,
    }
    assert life.difference_in_differences is None


def test_holm_is_applied_across_the_items_tested(world, setup) -> None:
    _answer(world, setup, PARTICIPANTS)
    found = results.survey_results(setup.survey)
    adjusted = stats.holm([row.result.p_t for row in found])
    assert [row.holm_p for row in found] == pytest.approx(adjusted)
    assert all(row.holm_p >= row.result.p_t for row in found)


def test_change_is_compared_with_the_minimal_important_difference(world, setup) -> None:
    library = LibraryIndicator.objects.get(code="life-satisfaction")
    library.minimal_important_difference = 1.0
    library.save()
    _answer(world, setup, PARTICIPANTS)
    life = results.survey_results(setup.survey)[0]
    assert life.mid == 1.0 and life.exceeds_mid is True
    assert results.survey_results(setup.survey)[1].exceeds_mid is None  # no MID published


@pytest.mark.django_db
def test_own_goals_carries_its_published_mid() -> None:
    own = LibraryIndicator.objects.get(code="own-goals", municipality=None)
    assert float(own.minimal_important_difference) == 1.3
    assert "Abbott" in own.mid_source


def test_results_page_shows_the_comparison_table(world, setup) -> None:
    _answer(world, setup, PARTICIPANTS)
    page = world.client(world.coordinator).get(
        f"/tiltak/{world.internal.slug}/maling/undersokelser/{setup.survey.pk}/resultater/"
    )
    if page.status_code == 404:
        from django.urls import reverse

        page = world.client(world.coordinator).get(
            reverse("measurement:results", args=[world.internal.slug, setup.survey.pk])
        )
    text = page.content.decode()
    assert "Effect sizes and comparisons" in text
    assert "Holm-adjusted" in text
