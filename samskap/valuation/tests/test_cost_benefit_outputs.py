"""The cost-benefit figures (R-109/21, DFØ 2023) where people read them: the Excel export's sheet
'Cost-benefit', the value PDF, the initiative report and the headline on the initiative page —
each read back and compared with the engine's cost-benefit result of the same map."""

import io
import shutil

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from samskap.accounts.access import access_for
from samskap.core import numbers
from samskap.reports.tests.test_reports import pdf_text
from samskap.valuation import selectors, services
from samskap.valuation.valuemap import parse

needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing"
)

MAP = {
    "title": "Work and welfare",
    "price_year": 2024,
    "discounting": {"rate": 0.04},
    "inputs": [
        {
            "stakeholder": "Municipality",
            "amount": {"low": 800_000, "central": 1_000_000, "high": 1_300_000},
            "payer": "municipality",
        }
    ],
    "outcomes": [
        {
            "stakeholder": "Participants",
            "outcome": "In paid work",
            "quantity": {"low": 6, "central": 10, "high": 12},
            "proxy": 100_000,
            "proxy_source": "test",
            "duration": 3,
            "deadweight": 0.2,
            "attribution": 0.2,
            "drop_off": 0.3,
        },
        {
            "stakeholder": "Municipality",
            "outcome": "Social assistance no longer paid",
            "quantity": 10,
            "proxy": 20_000,
            "proxy_source": "test",
            "duration": 2,
            "deadweight": 0.2,
            "attribution": 0.2,
            "drop_off": 0.3,
            "payer": "municipality",
            "flow": "transfer",
        },
    ],
}


@pytest.fixture
def mapped(world):
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=parse(MAP)
    )


@pytest.fixture
def cba(mapped):
    result = selectors.compute(mapped, view="cba")
    # The map is built so that every figure exists: budgets bear a net cost in every draw.
    assert result.uncertainty.budget_cost_share == 1.0
    return result


def test_the_excel_export_has_a_cost_benefit_sheet(world, mapped, cba) -> None:
    response = world.client(world.coordinator).get(
        reverse("valuation:export_xlsx", args=[world.internal.slug])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    cells = {r[0].value: r[1] for r in workbook["Cost-benefit"].iter_rows(min_row=2) if r[0].value}
    cb, u = cba.cost_benefit, cba.uncertainty
    assert cells["Net present value"].value == pytest.approx(cba.net_present_value, abs=1e-5)
    assert cells["Net cost to public budgets"].value == pytest.approx(
        cb["net_public_budget_cost"], abs=1e-5
    )
    assert cells["Tax-financing cost"].value == pytest.approx(cb["tax_financing_cost"], abs=1e-5)
    assert cells["Transfers in outcomes (not counted)"].value == pytest.approx(
        cb["transfers_present_value"], abs=1e-5
    )
    assert cells["NPV per budget krone"].value == pytest.approx(
        cb["npv_per_budget_krone"], abs=1e-6
    )
    band = u.npv_per_budget_krone_percentiles
    assert cells["NPV per budget krone, 5th percentile"].value == pytest.approx(band[5], abs=1e-6)
    assert cells["NPV per budget krone, 95th percentile"].value == pytest.approx(band[95], abs=1e-6)
    assert cells["NPV, 5th percentile"].value == pytest.approx(u.npv_percentiles[5], abs=1e-5)
    assert cells["Net present value"].number_format == "#,##0"
    assert cells["NPV per budget krone"].number_format == "0.00"
    assert cells["Tax-financing rate"].number_format == "0%"
    assert "transfers between parties" in cells["Why the views differ"].value
    # The SROI figures stay on 'Results', and the map still reads back from the workbook.
    results = {r[0].value: r[1].value for r in workbook["Results"].iter_rows(min_row=2)}
    assert results["SROI ratio"] == pytest.approx(mapped.summary["ratio"], abs=1e-6)


def _en(value: float, digits: int = 2) -> str:
    with translation.override("en"):
        return numbers.decimal(value, digits)


@needs_pdftotext
def test_the_value_pdf_shows_both_views_and_the_budget_krone_band(
    world, mapped, cba, tmp_path
) -> None:
    pytest.importorskip("weasyprint")
    response = world.client(world.coordinator).get(
        reverse("valuation:export_pdf", args=[world.internal.slug])
    )
    text = " ".join(pdf_text(response.content, tmp_path).split())
    band = cba.uncertainty.npv_per_budget_krone_percentiles
    per_krone = cba.cost_benefit["npv_per_budget_krone"]
    assert "Two views: social return and cost–benefit" in text
    assert "Net present value per budget krone" in text
    assert f"{_en(per_krone)} ({_en(band[5])} – {_en(band[95])})" in text
    assert "Show the details" not in text  # no page links in print


@needs_pdftotext
def test_the_initiative_report_has_the_cost_benefit_key_figures(
    world, mapped, cba, tmp_path
) -> None:
    response = world.client(world.coordinator).get(f"/initiativ/{world.internal.slug}/rapport.pdf")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Net present value, cost–benefit (R-109/DFØ)" in text
    band = cba.uncertainty.npv_per_budget_krone_percentiles
    with translation.override("en"):
        per_krone = numbers.decimal(cba.cost_benefit["npv_per_budget_krone"], 2)
        shown_band = numbers.interval(band[5], band[95], 2)
    assert f"{per_krone} {shown_band} (5–95 %)" in text


def test_the_initiative_page_headline_gives_the_cost_benefit_view(world, mapped, cba) -> None:
    summary = mapped.summary
    assert summary["cba_net_present_value"] == pytest.approx(cba.net_present_value)
    assert summary["npv_per_budget_krone"] == pytest.approx(
        cba.cost_benefit["npv_per_budget_krone"]
    )
    band = cba.uncertainty.npv_per_budget_krone_percentiles
    assert summary["npv_per_budget_krone_p5"] == pytest.approx(band[5])
    page = world.client(world.coordinator).get(world.internal.get_absolute_url())
    text = " ".join(page.content.decode().split())
    with translation.override("en"):
        npv = numbers.integer(cba.net_present_value)
    assert f"Cost–benefit (R-109/DFØ): net present value <strong>{npv}</strong>" in text
    assert (
        f"NPV per budget krone {_en(summary['npv_per_budget_krone'])} "
        f"(90 % band {_en(band[5])}–{_en(band[95])})" in text
    )


def test_the_results_page_shows_the_budget_krone_band(world, mapped, cba) -> None:
    page = world.client(world.viewer).get(reverse("valuation:results", args=[world.internal.slug]))
    text = " ".join(page.content.decode().split())
    band = cba.uncertainty.npv_per_budget_krone_percentiles
    assert f"({_en(band[5])} – {_en(band[95])})" in text
