"""The demo shows the whole chain (issue 17): Matvenner's survey → paired result → the value
map's quantity (linked) → the ratio with its band → the public page (published)."""

from samskap.measurement.results import survey_results
from samskap.registry.models import Initiative
from samskap.valuation import links
from samskap.valuation.models import ValueMap


def test_the_demo_walks_from_survey_to_public_page(db, client):
    from samskap.core.demo import load_demo

    load_demo()
    initiative = Initiative.objects.get(slug="matvenner")
    # 1. The survey's paired result for life satisfaction, not suppressed.
    survey = initiative.surveys.get()
    (row,) = [r for r in survey_results(survey) if r.item.library.code == "life-satisfaction"]
    result = row.result
    assert not result.suppressed and result.n >= 10 and result.improved is not None
    improved = round(result.improved * result.n)
    # 2. The value map's quantity is linked to it: the number who improved, reviewed.
    value_map = ValueMap.objects.get(initiative=initiative)
    (found,) = links.resolved_for(value_map).values()
    assert found.usable and found.value == improved and found.source["n"] == result.n
    assert not found.changed_since_review
    # 3. The ratio with its band, computed with that quantity.
    summary = value_map.summary
    assert summary["ratio_p5"] < summary["ratio"] < summary["ratio_p95"]
    # 4. Published: an anonymous visitor sees the effect with its interval and the value.
    page = " ".join(client.get(initiative.get_absolute_url()).content.decode().split())
    assert "Målte resultater" in page or "Measured results" in page
    assert f"{summary['ratio']:.2f}".replace(".", ",") in page or f"{summary['ratio']:.2f}" in page
    assert "95" in page
    # The value-map page itself stays internal.
    assert client.get(f"/initiativ/{initiative.slug}/verdi/").status_code in (302, 403, 404)
