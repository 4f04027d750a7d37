"""The health-check sections of the PDF reports: the latest closed round, the trend, the
flagged partnerships of a period — and no figure about fewer than the threshold."""

import datetime
import shutil

import pytest
from django.utils import timezone

from samskap.accounts.access import access_for
from samskap.health import services
from samskap.health.models import Party
from samskap.reports.tests.test_reports import pdf_first_page_lines, pdf_text

from .conftest import start_round
from .test_results import GAP, PARTNER_VIEW, _answer_by_dimension, _close

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"),
]


def health_part(response, tmp_path) -> str:
    """The text of the report's health section (up to the next section)."""
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    start = text.index("Partnership health")
    return text[start : text.index("Agreements", start)]


def answered_round(world, municipality: int, partner: int):
    started = start_round(world)
    for i in range(municipality):
        _answer_by_dimension(started, "municipality", i, GAP)
    for i in range(partner):
        _answer_by_dimension(started, "partner", i, PARTNER_VIEW)
    _close(world, started)
    return started


def initiative_pdf(world, tmp_path) -> str:
    url = f"/initiativ/{world.internal.slug}/rapport.pdf"
    return health_part(world.client(world.partner).get(url), tmp_path)


def test_the_initiative_report_shows_means_gap_and_flags(world, tmp_path) -> None:
    answered_round(world, 5, 5)
    text = initiative_pdf(world, tmp_path)
    assert "Latest closed round: Spring." in text
    assert "They see understanding differently" in text
    assert "5.0 (n = 5)" in text and "2.0 (n =" in text and "3.5 (n = 10)" in text
    assert "3.0 gap of 1.0 or more; partner below 3.0" in text


def test_three_answers_per_side_show_no_figure(world, tmp_path) -> None:
    answered_round(world, 3, 3)
    text = initiative_pdf(world, tmp_path)
    assert "Latest closed round: Spring." in text
    assert "*" in text and "fewer than 5 answers" in text
    for figure in ("5.0", "2.0", "3.0", "4.0", "n = 3"):
        assert figure not in text, figure


def test_a_hidden_side_hides_the_total_too(world, tmp_path) -> None:
    answered_round(world, 5, 3)
    text = initiative_pdf(world, tmp_path)
    assert "2.0" not in text and "n = 3" not in text  # the partner's mean
    assert "3.9" not in text and "n = 8" not in text  # all respondents: would reveal it
    assert "3.0 gap" not in text


def test_the_trend_over_rounds_is_a_table(world, tmp_path) -> None:
    answered_round(world, 5, 5)
    people = [
        services.RespondentSpec(f"M {i}", f"m{i}@example.org", Party.MUNICIPALITY) for i in range(5)
    ] + [
        services.RespondentSpec(f"P {i}", f"p{i}@example.org", Party.PARTNER, world.partner_org)
        for i in range(5)
    ]
    second, links = services.round_start(
        access=access_for(world.project_leader),
        initiative=world.internal,
        title="Autumn",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        set_codes=["core"],
        respondents=people,
    )
    for _respondent, token in links:
        answers = {ri.pk: "4" for ri in second.round_items.all()}
        services.answers_save(token=token, answers=answers, submit=True)
    services.round_close(access=access_for(world.project_leader), round_=second)
    text = initiative_pdf(world, tmp_path)
    assert "Latest closed round: Autumn." in text
    assert "Trend over rounds" in text
    assert "Understanding Partner 2.0 4.0 +2.0" in text  # from 2.0 to 4.0


def test_the_portfolio_report_lists_flagged_partnerships_of_the_period(world, tmp_path) -> None:
    answered_round(world, 5, 5)
    client = world.client(world.coordinator)
    today = timezone.localdate()
    text = health_part(
        client.get("/rapporter/portefolje.pdf", {"start": today - datetime.timedelta(days=7)}),
        tmp_path,
    )
    assert "Dinner friends" in text and "Spring" in text
    assert "gap of 1.0 or more" in text
    text = health_part(
        client.get("/rapporter/portefolje.pdf", {"start": "2020-01-01", "end": "2020-12-31"}),
        tmp_path,
    )
    assert "0 initiatives had a health-check round that closed in the period." in text
    assert "Dinner friends" not in text


def test_the_portfolio_section_costs_the_same_queries_for_more_rounds(
    world, django_assert_max_num_queries
) -> None:
    from samskap.core.extensions import ReportPeriod
    from samskap.health.reports import portfolio_section
    from samskap.registry.models import Initiative

    answered_round(world, 5, 5)
    with django_assert_max_num_queries(4):
        section = portfolio_section(Initiative.objects.all(), ReportPeriod())
    assert len(section["rows"]) == 1


def first_page(world, tmp_path) -> list[str]:
    url = f"/initiativ/{world.internal.slug}/rapport.pdf"
    return pdf_first_page_lines(world.client(world.partner).get(url).content, tmp_path)


def test_the_key_figures_give_everyones_mean_per_dimension_and_the_flags(world, tmp_path) -> None:
    answered_round(world, 5, 5)
    lines = first_page(world, tmp_path)
    assert "Partnership health, Understanding: mean agreement 3.5 of 5 –" in lines
    assert "Partnership health, Anchoring: mean agreement 4.0 of 5 –" in lines
    assert "Health-check dimensions flagged 1 of 3 –" in lines  # understanding: a gap of 3


@pytest.mark.parametrize(("municipality", "partner"), [(3, 3), (5, 3)])
def test_no_key_figure_about_fewer_than_five(world, tmp_path, municipality, partner) -> None:
    answered_round(world, municipality, partner)
    page = "\n".join(first_page(world, tmp_path))
    assert "Key figures" not in page and "Partnership health," not in page
