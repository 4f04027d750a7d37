"""The value sections of the PDF reports and the portfolio's inputs by contributor."""

import re
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samskap.accounts.access import access_for
from samskap.conftest import make_initiative
from samskap.reports.tests.test_reports import pdf_text
from samskap.valuation import services
from samskap.valuation.valuemap import parse

needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"
)


def map_data(amount: int = 1000) -> dict:
    return {
        "title": "Dinner value",
        "discounting": {"rate": 0.05, "first_year": "discounted"},
        "inputs": [
            {"stakeholder": "Municipality", "description": "Staff time", "amount": amount},
            {"stakeholder": "Red Cross", "description": "Hosts", "hours": 200, "hourly_value": 300},
        ],
        "outcomes": [
            {
                "stakeholder": "Participants",
                "outcome": "Eat with others",
                "quantity": {"low": 5, "central": 10, "high": 20},
                "proxy": 100,
                "proxy_source": "Statistics Norway meal survey",
                "duration": 3,
                "deadweight": {"low": 0.1, "central": 0.2, "high": 0.4},
                "displacement": 0,
                "attribution": 0.25,
                "drop_off": 0.5,
            },
            {"stakeholder": "Families", "outcome": "Less worry for family members", "quantity": 4},
        ],
    }


def give_map(world, initiative, amount: int = 1000):
    owner = world.other_coordinator if initiative == world.foreign_internal else world.coordinator
    access = access_for(owner)
    value_map = services.value_map_create(access=access, initiative=initiative)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(map_data(amount))
    )


def text_of(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content, tmp_path).split())


@needs_pdftotext
def test_the_initiative_report_shows_the_value_with_its_band_and_assumptions(
    world, tmp_path
) -> None:
    value_map = give_map(world, world.internal)
    summary = value_map.summary
    response = world.client(world.partner).get(f"/initiativ/{world.internal.slug}/rapport.pdf")
    text = text_of(response, tmp_path)
    assert "Societal value" in text and "SROI ratio" in text
    assert f"{summary['ratio']:.2f}" in text
    assert f"{summary['ratio_p5']:.2f}" in text and f"{summary['ratio_p95']:.2f}" in text
    assert "The probability that the value is greater than the inputs" in text
    assert "Which assumptions matter most" in text  # the tornado
    assert "Source: Statistics Norway meal survey" in text
    assert "Value proxy: Statistics Norway meal survey" in text  # under Sources
    assert re.search(r"20 ?% \(10 ?%– ?40 ?%\)", text)  # deadweight with its range (en: 20%)
    assert re.search(r"Eat with others \(Participants\) 10 \(5– ?20\)", text)
    assert "200 hours at 300" in text and "Red Cross" in text
    assert (
        "Discounting: flat 5% a year (chosen instead of R-109/21's declining schedule); "
        "first year discounted"
    ) in text
    assert "Less worry for family members" in text  # listed, not counted


@needs_pdftotext
def test_the_portfolio_report_shows_bands_and_inputs_by_contributor(world, tmp_path) -> None:
    give_map(world, world.internal, 1000)
    give_map(world, world.public, 3000)
    give_map(world, world.foreign_internal, 50000)  # another municipality's: never counted
    response = world.client(world.coordinator).get("/rapporter/portefolje.pdf")
    text = text_of(response, tmp_path)
    assert "5–95 % band" in text
    assert "Inputs by contributor" in text
    assert "Municipality 4,000" in text or "Municipality 4 000" in text
    assert "0 400 120,000 2 Red Cross" in text or "0 400 120 000 2 Red Cross" in text
    assert "54,000" not in text and "54 000" not in text


def test_the_portfolio_page_links_each_contributor_to_its_rows(world) -> None:
    give_map(world, world.internal, 1000)
    give_map(world, world.public, 3000)
    give_map(world, world.foreign_internal, 50000)
    client = world.client(world.coordinator)
    page = client.get("/portefolje/").content.decode()
    assert "Inputs by contributor" in page
    assert '/verdi/innsats/?stakeholder=Red%20Cross"' in page
    rows = client.get("/verdi/innsats/", {"stakeholder": "Municipality"})
    assert rows.status_code == 200
    listed = [r.value_map.initiative for r in rows.context["rows"]]
    assert sorted(i.pk for i in listed) == sorted([world.internal.pk, world.public.pk])
    assert world.foreign_internal.title not in rows.content.decode()


def test_the_contributor_rows_follow_the_portfolio_filters(world) -> None:
    give_map(world, world.internal, 1000)
    give_map(world, world.public, 3000)
    client = world.client(world.coordinator)
    page = client.get("/portefolje/", {"sector": "children_youth"}).content.decode()
    assert "/verdi/innsats/?sector=children_youth&amp;stakeholder=Municipality" in page
    rows = client.get(
        "/verdi/innsats/", {"sector": "children_youth", "stakeholder": "Municipality"}
    )
    assert len(rows.context["rows"]) == 1


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("partner", 403)])
def test_the_contributor_rows_are_for_coordinators(world, persona, status) -> None:
    give_map(world, world.internal)
    response = world.client(getattr(world, persona)).get(
        "/verdi/innsats/", {"stakeholder": "Municipality"}
    )
    assert response.status_code == status


def test_another_municipality_sees_none_of_the_rows(world) -> None:
    give_map(world, world.internal)
    client = world.client(world.other_coordinator)
    response = client.get("/verdi/innsats/", {"stakeholder": "Municipality"})
    assert response.status_code == 200 and list(response.context["rows"]) == []
    response = client.get(
        "/verdi/innsats/", {"stakeholder": "Municipality", "municipality": world.home.slug}
    )
    assert response.status_code == 404


def test_inputs_by_contributor_cost_the_same_queries_at_any_size(world) -> None:
    give_map(world, world.internal)
    client = world.client(world.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portefolje/").status_code == 200
        return len(captured)

    small = queries()
    for n in range(4):
        give_map(world, make_initiative(world.coordinator, world.home, f"Valued {n}"), 100 * n)
    assert queries() == small
