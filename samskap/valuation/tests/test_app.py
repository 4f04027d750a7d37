"""The value map in the application: pages, permissions, concurrency, import, exports, API."""

import io
import json
import shutil
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from samskap.accounts.access import access_for
from samskap.valuation import excel, services
from samskap.valuation.models import Proxy, ValueMap
from samskap.valuation.valuemap import parse

from .test_engine import ranged_map


def url(name: str, initiative, *args) -> str:
    return reverse(f"valuation:{name}", args=[initiative.slug, *args])


@pytest.fixture
def mapped(world):
    """The internal initiative with the ranged test map (ratio 0.97 at central values)."""
    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    source = parse(ranged_map())
    return services.value_map_import(
        access=access, value_map=value_map, expected_version=1, source=source
    )


def post_input(client, initiative, version, **data):
    payload = {"stakeholder": "Municipality", "amount": "1000", "year": "0"}
    payload.update(data, expected_version=version)
    return client.post(url("input_create", initiative), payload)


def test_a_coordinator_builds_a_map_and_sees_the_ratio_with_its_band(world):
    client = world.client(world.coordinator)
    assert client.post(url("create", world.internal)).status_code == 302
    value_map = ValueMap.objects.get(initiative=world.internal)
    assert value_map.municipality == world.internal.municipality
    assert post_input(client, world.internal, 1).status_code == 302
    response = client.post(
        url("outcome_create", world.internal),
        {
            "expected_version": 2,
            "stakeholder": "Participants",
            "outcome": "In work",
            "quantity": "10",
            "quantity_low": "5",
            "quantity_high": "20",
            "proxy_value": "100",
            "proxy_source": "Test",
            "duration": "3",
            "starts": "during",
            "deadweight": "0.2",
            "attribution": "0.25",
            "drop_off": "0.5",
            "deadweight_evidence": "medium",
            "attribution_evidence": "low",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    value_map.refresh_from_db()
    assert value_map.version == 3
    summary = value_map.summary
    # Undiscounted first year at 4 %: 600 + 300/1.04 + 150/1.04^2 over 1,000.
    assert summary["ratio"] == pytest.approx((600 + 300 / 1.04 + 150 / 1.04**2) / 1000)
    assert summary["ratio_p5"] < summary["ratio"] < summary["ratio_p95"]
    page = client.get(url("map", world.internal)).content.decode()
    assert "SROI ratio <strong>1.03</strong> (90 % band" in page


def test_ranges_must_be_ordered(world, mapped):
    client = world.client(world.coordinator)
    response = post_input(client, world.internal, mapped.version, amount_low="2000")
    assert response.status_code == 200
    assert "low ≤ central ≤ high" in response.content.decode()
    assert mapped.inputs.count() == 1


def test_a_stale_version_is_refused_and_nothing_is_written(world, mapped):
    client = world.client(world.coordinator)
    response = post_input(client, world.internal, mapped.version - 1)
    assert response.status_code == 200
    assert "Someone else changed this value map" in response.content.decode()
    assert mapped.inputs.count() == 1


def test_deleting_a_row_needs_the_current_version(world, mapped):
    client = world.client(world.coordinator)
    item = mapped.inputs.get()
    delete = url("row_delete", world.internal, "innsats", item.pk)
    client.post(delete, {"expected_version": 1, "confirmed": "yes"})
    assert mapped.inputs.count() == 1
    # Without the confirmation: a page that asks, and nothing deleted.
    page = client.post(delete, {"expected_version": mapped.version}).content.decode()
    assert "Yes, delete the row" in page and mapped.inputs.count() == 1
    response = client.post(delete, {"expected_version": mapped.version, "confirmed": "yes"})
    assert mapped.inputs.count() == 0
    assert "The row was deleted." in client.get(response.url).content.decode()


def test_the_history_keeps_every_version(world, mapped):
    assert mapped.history.count() == 2  # created, then the import


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("project_leader", 200),
        ("viewer", 200),  # staff of the owner sees internal data
        ("partner", 200),  # its organisation takes part
        ("other_partner", 404),
        ("other_coordinator", 404),
    ],
)
def test_who_sees_the_value_map(world, mapped, persona, status):
    client = world.client(getattr(world, persona))
    assert client.get(url("map", world.internal)).status_code == status
    assert client.get(url("results", world.internal)).status_code == status


def test_anonymous_users_are_sent_to_log_in(world, mapped):
    response = world.client(None).get(url("map", world.internal))
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_visible_initiative_without_internal_access_is_forbidden(world):
    # The public initiative is visible to everyone; its value map is internal data.
    access = access_for(world.coordinator)
    services.value_map_create(access=access, initiative=world.public)
    assert world.client(world.other_coordinator).get(url("map", world.public)).status_code == 403


@pytest.mark.parametrize("persona", ["viewer", "other_coordinator"])
def test_those_who_cannot_edit_cannot_change_the_map(world, mapped, persona):
    client = world.client(getattr(world, persona))
    assert post_input(client, world.internal, mapped.version).status_code in (403, 404)
    assert client.get(url("settings", world.internal)).status_code in (403, 404)
    assert mapped.inputs.count() == 1


def test_a_partner_of_the_initiative_can_edit(world, mapped):
    client = world.client(world.partner)
    assert post_input(client, world.internal, mapped.version).status_code == 302
    assert mapped.inputs.count() == 2


def test_results_page_has_charts_with_table_alternatives(world, mapped):
    page = world.client(world.viewer).get(url("results", world.internal)).content.decode()
    # Three charts, each also drawn at a phone's width (core.charts).
    assert page.count('class="chart chart-wide"') == page.count('class="chart chart-phone"') == 3
    assert page.count('role="img"') == 6
    assert "Distribution of the SROI ratio (number of draws per interval)" in page
    assert "Break-even" in page and "Quantity: In work (Participants)" in page


def test_excel_export_holds_the_map_and_every_figure(world, mapped):
    response = world.client(world.coordinator).get(url("export_xlsx", world.internal))
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Impact map", "Results", "Tornado", "Break-even"} <= set(workbook.sheetnames)
    figures = {r[0].value: r[1].value for r in workbook["Results"].iter_rows(min_row=2)}
    assert figures["SROI ratio"] == pytest.approx(mapped.summary["ratio"], abs=1e-6)


def test_excel_results_are_number_cells_with_number_formats(world, mapped):
    response = world.client(world.coordinator).get(url("export_xlsx", world.internal))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = {r[0].value: r[1] for r in workbook["Results"].iter_rows(min_row=2)}
    assert isinstance(cells["Present value"].value, float)
    assert cells["Present value"].number_format == "#,##0"
    assert cells["SROI ratio"].number_format == "0.00"
    assert cells["Probability that the ratio is above 1"].number_format == "0%"
    by_stakeholder = workbook["By stakeholder"]
    assert (
        by_stakeholder["C2"].number_format == "0%" and by_stakeholder["B2"].number_format == "#,##0"
    )


def test_pdf_export(world, mapped):
    pytest.importorskip("weasyprint")
    response = world.client(world.coordinator).get(url("export_pdf", world.internal))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_bad_import_names_the_cell_and_changes_nothing(world, mapped):
    workbook = load_workbook(io.BytesIO(excel.template_bytes(parse(ranged_map()))))
    workbook["Impact map"]["K2"] = "lots"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "map.xlsx"
    buffer.seek(0)
    response = world.client(world.coordinator).post(
        url("import", world.internal), {"expected_version": mapped.version, "file": buffer}
    )
    assert "&#x27;Impact map&#x27;!K2: &#x27;deadweight&#x27; must be a number" in (
        response.content.decode()
    )
    fresh = ValueMap.objects.get(pk=mapped.pk)
    assert fresh.version == mapped.version
    assert fresh.outcomes.get().deadweight == Decimal("0.2")


def test_a_good_import_replaces_the_map(world, mapped):
    data = ranged_map()
    data["outcomes"].append(dict(data["outcomes"][0], outcome="Better health"))
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "map.json"
    world.client(world.coordinator).post(
        url("import", world.internal), {"expected_version": mapped.version, "file": upload}
    )
    assert ValueMap.objects.get(pk=mapped.pk).outcomes.count() == 2


def test_api_returns_the_map_and_its_results(world, mapped):
    path = f"/api/v1/valuation/initiatives/{world.internal.slug}"
    data = world.client(world.coordinator).get(path).json()
    assert data["map"]["outcomes"][0]["quantity"] == {"low": 5.0, "central": 10.0, "high": 20.0}
    assert data["results"]["sroi_ratio"] == pytest.approx(mapped.summary["ratio"], abs=1e-6)
    assert data["results"]["uncertainty"]["sroi_ratio"]["p5"] < data["results"]["sroi_ratio"]
    assert world.client(world.other_coordinator).get(path).status_code == 404
    assert world.client(None).get(path).status_code == 401


def test_api_says_when_there_is_no_value_map_yet(world):
    path = f"/api/v1/valuation/initiatives/{world.public.slug}"
    response = world.client(world.coordinator).get(path)
    assert response.status_code == 200
    assert response.json() == {"map": None, "version": None, "results": None}


def test_initiative_page_shows_the_ratio_with_its_band(world, mapped):
    page = world.client(world.coordinator).get(world.internal.get_absolute_url()).content.decode()
    assert "Societal value" in page and "90 % band" in page


def test_portfolio_shows_pv_and_ratio_bands_in_a_fixed_number_of_queries(world, mapped):
    client = world.client(world.coordinator)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("registry:portfolio")).content.decode()
        return len(captured), page

    one, page = queries()
    assert "SROI ratio (5–95 %)" in page and world.internal.title in page
    assert f"{mapped.summary['ratio_p5']:.2f}" in page
    services.value_map_create(access=access_for(world.coordinator), initiative=world.public)
    two, page = queries()
    assert world.public.title in page
    assert two == one


def test_proxy_library_ships_licensed_values_and_coordinators_add_more(world):
    assert Proxy.objects.filter(code="grunnbelop-2025").exists()
    assert not Proxy.objects.filter(source__icontains="HACT").exists()
    page = world.client(world.partner).get(reverse("valuation:proxies")).content.decode()
    assert "130" in page and "åndsverkloven" in page
    data = {
        "name": "Test",
        "value": "100",
        "unit": "per year",
        "price_year": "2025",
        "source": "SSB",
        "licence": "NLOD",
    }
    partner = world.client(world.partner)
    assert partner.post(reverse("valuation:proxy_create"), data).status_code == 403
    coordinator = world.client(world.coordinator)
    assert coordinator.post(reverse("valuation:proxy_create"), data).status_code == 302
    assert Proxy.objects.filter(name="Test").exists()


def test_picking_a_proxy_fills_its_value_and_source(world, mapped):
    proxy = Proxy.objects.first()
    access = access_for(world.coordinator)
    outcome = services.outcome_save(
        access=access,
        value_map=mapped,
        expected_version=mapped.version,
        stakeholder="State",
        outcome="Benefit saved",
        quantity=2,
        proxy=proxy,
    )
    assert outcome.proxy_value == proxy.value
    assert outcome.proxy_source == proxy.source


def test_demo_data_loads_twice_without_changes(db):
    from samskap.core.demo import load_demo

    first = load_demo()
    versions = sorted(ValueMap.objects.values_list("pk", "version"))
    second = load_demo()
    assert first["value maps"] == second["value maps"] == 3
    assert sorted(ValueMap.objects.values_list("pk", "version")) == versions
    assert all(m.summary.get("ratio_p5") is not None for m in ValueMap.objects.all())


def test_an_import_with_ranged_volunteer_hours_is_refused_whole(world, mapped):
    data = ranged_map()
    data["inputs"].append(
        {"stakeholder": "V", "hours": {"low": 5, "central": 10, "high": 20}, "hourly_value": 300}
    )
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "map.json"
    response = world.client(world.coordinator).post(
        url("import", world.internal), {"expected_version": mapped.version, "file": upload}
    )
    assert "cannot be ranges in the app" in response.content.decode()
    assert ValueMap.objects.get(pk=mapped.pk).inputs.count() == 1


def test_chart_labels_are_wrapped_at_word_boundaries_never_cut_mid_word():
    from samskap.valuation.charts import axis_label

    text = "Dødvekt (Eldre som bor alene i Fjordvik kommune, med hjemmetjeneste og matombringing)"
    label = axis_label(text)
    assert len(label.splitlines()) <= 2
    words = set(text.split())
    assert all(word in words or word == "…" for word in label.split()), label
    assert label.endswith("…")
    assert axis_label("Kort tekst") == "Kort tekst"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_the_initiative_pdf_opens_with_the_key_figures_and_their_bands(world, mapped, tmp_path):
    import subprocess

    response = world.client(world.coordinator).get(f"/initiativ/{world.internal.slug}/rapport.pdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Key figures" in first_page
    ratio_line = next(line for line in first_page.splitlines() if "SROI ratio" in line)
    assert "(5–95 %)" in ratio_line and "–" in ratio_line
