"""The demo shows a real improvement, no change, and a negative unintended effect."""

import pytest

from samskap.core.demo import load_demo
from samskap.measurement import queries, results
from samskap.measurement.models import Answer, ChainItem, Programme


@pytest.mark.django_db
def test_demo_measurement_data_and_idempotence() -> None:
    load_demo()
    answers = Answer.objects.count()
    load_demo()
    assert Answer.objects.count() == answers > 0
    by_slug = {}
    for slug in ("matvenner", "ungdomsloftet", "arbeidstrening-kafe"):
        from samskap.registry.models import Initiative

        survey = Initiative.objects.get(slug=slug).surveys.get()
        by_slug[slug] = {r.item.library.code: r.result for r in results.survey_results(survey)}
    life = by_slug["matvenner"]["life-satisfaction"]
    assert life.ci95[0] > 0  # a real improvement: the interval is above zero
    belonging = by_slug["ungdomsloftet"]["belonging"]
    assert belonging.ci95[0] < 0 < belonging.ci95[1]  # no change
    anxiety = by_slug["arbeidstrening-kafe"]["ons-anxiety"]
    assert anxiety.ci95[0] > 0 and anxiety.direction == "lower"  # worse: anxiety rose
    assert ChainItem.objects.filter(intended=False, valence="negative").exists()
    programme = Programme.objects.get(slug="sammen-i-hverdagen-demo")
    totals = queries.programme_totals(programme)
    reached = next(t for t in totals if t["library"].code == "participants-reached")
    # Each demo initiative with an output reports 31 participants reached, approved.
    assert reached["periods"][-1]["total"] == 31 * reached["periods"][-1]["initiatives"] > 0
