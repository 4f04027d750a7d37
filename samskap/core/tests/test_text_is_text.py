"""Text that matplotlib's mathtext would read as mathematics stays text in every chart and
PDF: a value-map stakeholder "Kommune $\\x$" and a health round titled with $, \\, _, ^ and {}
once made these pages answer 500 for good."""

import importlib.util
import re

import pytest
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.core import charts

MATH = r"Kommune $\x$ a_b^{c} $\frac{1}{0}$"


def test_a_bar_chart_draws_mathtext_characters_as_they_are() -> None:
    picture = charts.bar_chart("Chart", ((MATH, 3.0), (r"$\alpha$", 2.0)))
    drawn = re.sub(r"<(title|desc)\b.*?</\1>", "", str(picture), flags=re.S)
    assert r"Kommune $\x$ a_b^{c} $\frac{1}{0}$" in drawn
    assert r"$\alpha$" in drawn  # drawn as typed, not as a Greek letter


def test_every_page_and_pdf_with_a_mathtext_stakeholder_answers(world) -> None:
    from samskap.valuation import services
    from samskap.valuation.tests.test_engine import ranged_map
    from samskap.valuation.valuemap import parse

    data = ranged_map()
    data["inputs"][0]["stakeholder"] = MATH
    data["outcomes"][0]["stakeholder"] = MATH
    data["outcomes"][0]["outcome"] = r"Less $\x$ lonely_{1}^2"
    data["title"] = MATH
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(data)
    )
    client = world.client(world.coordinator)
    slug = world.internal.slug
    urls = [
        reverse("valuation:results", args=[slug]),
        reverse("valuation:export_xlsx", args=[slug]),
    ]
    if importlib.util.find_spec("weasyprint"):
        urls += [
            reverse("valuation:export_pdf", args=[slug]),
            reverse("reports:initiative_report", args=[slug]),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_health_round_titled_with_mathtext_characters_answers(world) -> None:
    from samskap.health.tests.conftest import start_round
    from samskap.health.tests.test_results import GAP, PARTNER_VIEW, _answer_by_dimension

    started = start_round(world)
    started.round.title = MATH
    started.round.save(update_fields=["title"])
    for i in range(5):
        _answer_by_dimension(started, "municipality", i, GAP)
        _answer_by_dimension(started, "partner", i, PARTNER_VIEW)
    from samskap.health import services

    services.round_close(access=access_for(world.project_leader), round_=started.round)
    started.round.refresh_from_db()
    # A second closed round gives the trend chart, whose labels are the round titles.
    second = start_round(world)
    for i in range(5):
        _answer_by_dimension(second, "municipality", i, GAP)
        _answer_by_dimension(second, "partner", i, PARTNER_VIEW)
    services.round_close(access=access_for(world.project_leader), round_=second.round)
    client = world.client(world.coordinator)
    slug = world.internal.slug
    for url in (
        reverse("health:rounds", args=[slug]),
        reverse("health:round", args=[slug, started.round.number]),
        reverse("health:round", args=[slug, second.round.number]),
    ):
        assert client.get(url).status_code == 200, url
    pytest.importorskip("weasyprint")
    assert client.get(reverse("reports:initiative_report", args=[slug])).status_code == 200
