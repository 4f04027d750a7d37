"""The discounting convention a value was computed with is printed with every figure, in the
reader's language (issue 17): the results page and its side-by-side views, the initiative's
value panel, the portfolio's value panel and its PDF report."""

import html

import pytest
from django.urls import reverse

from samskap.accounts.access import access_for
from samskap.valuation import services
from samskap.valuation.valuemap import parse

MAP = {
    "title": "Dinner value",
    "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
    "outcomes": [
        {
            "stakeholder": "Participants",
            "outcome": "Eat with others",
            "quantity": 3,
            "proxy": 500,
            "proxy_source": "SSB",
            "deadweight": 0.2,
            "attribution": 0.2,
        }
    ],
}
# R-109's declining schedule (the default) and a flat rate someone chose, in three languages.
R109 = {
    "en": "R-109 declining schedule (4% years 1–40",
    "nn": "avtakande rente etter R-109 (4 % år 1–40",
    "sv": "avtagande ränta enligt R-109 (4 % år 1–40",
}
FLAT = {
    "en": "flat 3.5% a year (chosen instead of R-109/21's declining schedule)",
    "nn": "fast 3,5 % per år (valt i staden for den avtakande renta i R-109/21)",
    "sv": "fast 3,5 % per år (vald i stället för den avtagande räntan i R-109/21)",
}


@pytest.fixture
def mapped(world):
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(MAP)
    )


def _get(world, url: str, language: str) -> str:
    client = world.client(world.coordinator)
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(" ".join(response.content.decode().split()))


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("language", ["en", "nn", "sv"])
def test_the_side_by_side_views_name_the_convention(world, mapped, language) -> None:
    page = _get(world, reverse("valuation:results", args=[world.internal.slug]), language)
    views = _section(page, "views-heading")
    assert views.count(R109[language]) == 2  # the SROI and the cost-benefit column


@pytest.mark.parametrize("language", ["en", "nn", "sv"])
def test_the_value_panels_name_the_convention(world, mapped, language) -> None:
    portfolio = _get(world, reverse("registry:portfolio"), language)
    assert R109[language] in _section(portfolio, "value-portfolio-heading")
    initiative = _get(world, world.internal.get_absolute_url(), language)
    assert R109[language] in _section(initiative, "value-panel-heading")


def test_a_flat_rate_is_named_as_such_everywhere(world, mapped) -> None:
    services.value_map_update(
        access=access_for(world.coordinator),
        value_map=mapped,
        expected_version=mapped.version,
        schedule="",
        discount_rate="0.035",
    )
    for language in ("en", "nn", "sv"):
        results = _get(world, reverse("valuation:results", args=[world.internal.slug]), language)
        assert _section(results, "views-heading").count(FLAT[language]) == 2
        portfolio = _get(world, reverse("registry:portfolio"), language)
        assert FLAT[language] in _section(portfolio, "value-portfolio-heading")
        assert R109[language] not in portfolio


def test_the_portfolio_report_names_the_convention(world, mapped) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from samskap.registry.models import Initiative
    from samskap.valuation.reports import portfolio_section

    with translation.override("nn"):
        section = portfolio_section(Initiative.objects.all(), None)
        text = html.unescape(render_to_string(section["template"], section))
    assert R109["nn"] in " ".join(text.split())


def test_the_excel_results_name_the_convention(world, mapped) -> None:
    import io

    from openpyxl import load_workbook

    response = world.client(world.coordinator).get(
        reverse("valuation:export_xlsx", args=[world.internal.slug])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    figures = {r[0].value: r[1].value for r in workbook["Results"].iter_rows(min_row=2)}
    # The workbook is in English, the engine's own words (as the CLI and the API give them).
    assert figures["Discounting convention"].startswith("R-109 declining schedule (4.0% years")
