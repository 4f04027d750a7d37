"""The measurement sections of the PDF reports: chain, indicators, participant outcomes."""

import datetime
import re
import shutil
from decimal import Decimal

import pytest

from samskap.accounts.access import access_for
from samskap.measurement import services
from samskap.reports.tests.test_reports import pdf_first_page_lines, pdf_text

from .test_surveys import _answer_pairs

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"
)


def text_of(response, tmp_path) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content, tmp_path).split())


def values(world, indicator, label: str, year: int, baseline, target, actual) -> None:
    access = access_for(world.coordinator)
    period = services.period_add(
        access=access,
        indicator=indicator,
        label=label,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
    )
    for kind, number in (("baseline", baseline), ("target", target), ("actual", actual)):
        services.value_save(access=access, period=period, kind=kind, value=Decimal(number))


def initiative_pdf(world, tmp_path) -> str:
    response = world.client(world.partner).get(f"/initiativ/{world.internal.slug}/rapport.pdf")
    return text_of(response, tmp_path)


def test_the_initiative_report_holds_the_chain_indicators_and_paired_results(
    world, setup, tmp_path
) -> None:
    values(world, setup.life, "2025", 2025, 5, 7, 6)
    pairs = [((4 + i % 3, (3, 2, 3)), (6 + i % 3, (2, 2, 1))) for i in range(12)]
    _answer_pairs(world, setup, pairs)
    text = initiative_pdf(world, tmp_path)
    assert "Results chain" in text
    assert "Less lonely" in text and "Older people living alone" in text
    assert "Dinners held" in text and "intended, positive" in text
    assert "50% (behind target)" in text
    assert "Participant outcomes" in text and "Dinner friends survey" in text
    assert "Life satisfaction rose by 2.00 points" in text
    assert "among 12 participants who answered both times" in text
    library = setup.life.library
    assert f"{library.name}: {library.source}"[:60] in text
    assert " ".join(library.licence.split())[:40] in text


def test_outcomes_of_too_few_pairs_are_not_in_the_report(world, setup, tmp_path) -> None:
    _answer_pairs(world, setup, [((5, (2, 2, 2)), (9, (1, 1, 1)))] * 4)
    text = initiative_pdf(world, tmp_path)
    assert "Suppressed: fewer than 5 pairs." in text
    assert "fewer than 5 participants answered both times" in text
    assert "4 participants" not in text and "rose by" not in text and "+4.00" not in text


def test_below_ten_pairs_the_report_gives_the_median_without_an_interval(
    world, setup, tmp_path
) -> None:
    _answer_pairs(world, setup, [((5, (2, 2, 2)), (8, (1, 1, 1)))] * 6)
    text = initiative_pdf(world, tmp_path)
    assert "the median change was +3.00 points among 6 participants" in text
    assert "fewer than 10 pairs" in text
    assert "(95 % CI" not in text


def test_outsiders_get_no_measurement_section(world, setup) -> None:
    from samskap.measurement.apps import MeasurementConfig

    config = MeasurementConfig.create("samskap.measurement")
    access = access_for(world.other_partner)
    assert config.initiative_report(None, world.internal, access) is None


def test_the_portfolio_report_counts_indicators_in_the_period(world, setup, tmp_path) -> None:
    values(world, setup.life, "2020", 2020, 5, 7, 6)  # half-way: behind
    values(world, setup.loneliness, "2025", 2025, 8, 6, 5)  # past the target
    client = world.client(world.coordinator)

    def report(start: str, end: str) -> str:
        response = client.get("/rapporter/portefolje.pdf", {"start": start, "end": end})
        return text_of(response, tmp_path)

    text = report("2020-01-01", "2020-12-31")
    assert "1 behind target" in text and "0 on target" in text
    assert "(2020): 50%" in text
    text = report("2025-01-01", "2025-12-31")
    assert "1 on target, 0 behind target" in text
    assert "(2020)" not in text
    text = report("2030-01-01", "")
    assert "No indicator has values in a period that overlaps the report period." in text


def test_the_portfolio_section_costs_one_query(world, setup, django_assert_num_queries) -> None:
    from samskap.core.extensions import ReportPeriod
    from samskap.measurement.reports import portfolio_section
    from samskap.registry.models import Initiative

    values(world, setup.life, "2020", 2020, 5, 7, 6)
    with django_assert_num_queries(1):
        section = portfolio_section(Initiative.objects.all(), ReportPeriod())
    assert section["behind"] == 1


def first_page(world, tmp_path) -> list[str]:
    url = f"/initiativ/{world.internal.slug}/rapport.pdf"
    return pdf_first_page_lines(world.client(world.partner).get(url).content, tmp_path)


def test_the_key_figures_give_indicators_and_outcomes_with_their_interval(
    world, setup, tmp_path
) -> None:
    values(world, setup.life, "2024", 2024, 5, 6, 6)  # reached, then a later period behind
    values(world, setup.life, "2025", 2025, 5, 7, 6)
    pairs = [((4 + i % 3, (3, 2, 3)), (6 + i % 2, (2, 2, 1))) for i in range(12)]
    _answer_pairs(world, setup, pairs)
    lines = first_page(world, tmp_path)
    assert "Indicators at target (latest period) 0 of 1 –" in lines
    assert f"{setup.life.name} (2025): progress to target 50% –" in lines
    # The means: before 5.00, after 6.50; the band is the paired t interval around +1.50.
    change = next(line for line in lines if "Life satisfaction: mean change (12 pairs)" in line)
    assert re.search(r"\+1\.50 (points )?\d\.\d\d–\d\.\d\d \(95", change), change


def test_below_ten_pairs_the_key_figure_is_the_median(world, setup, tmp_path) -> None:
    _answer_pairs(world, setup, [((5, (2, 2, 2)), (8, (1, 1, 1)))] * 6)
    lines = first_page(world, tmp_path)
    change = next(line for line in lines if "Life satisfaction: median change (6 pairs)" in line)
    assert re.search(r"\(6 pairs\) \+3\.00 (points )?–$", change), change


def test_no_outcome_key_figure_about_fewer_than_five(world, setup, tmp_path) -> None:
    _answer_pairs(world, setup, [((5, (2, 2, 2)), (9, (1, 1, 1)))] * 4)
    page = "\n".join(first_page(world, tmp_path))
    assert "change (" not in page and "4 pairs" not in page
