"""The value-map workbook in the reader's language (issue 15): the template's settings and the
Inputs and Impact map headers are in the reader's language, and a workbook headed in any of
Samskap's languages reads back to the same map."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from samskap.valuation import excel, labels
from samskap.valuation.models import ValueMap
from samskap.valuation.valuemap import parse

from .test_app import mapped  # noqa: F401 (fixture)
from .test_engine import ranged_map

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_sheet_has_one_header_per_column_in_every_language(language) -> None:
    with translation.override(language):
        shown = labels.workbook_headers()
    aliases = labels.workbook_aliases()
    for columns in (excel.SETTINGS_ROWS, excel.INPUT_COLUMNS, excel.OUTCOME_COLUMNS):
        headers = [shown[label].lower() for label, _target in columns]
        assert len(set(headers)) == len(headers), language
        assert [aliases[h] for h in headers] == [label for label, _target in columns]
    if language != "en":
        assert shown["Stakeholder"] != "Stakeholder" and shown["Notes"] != "Notes"


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "da", "en"])
def test_a_map_written_in_a_language_reads_back_the_same(language) -> None:
    value_map = parse(ranged_map())
    with translation.override(language):
        content = excel.template_bytes(value_map, labels.workbook_headers())
    with translation.override("nb" if language != "nb" else "da"):
        aliases = labels.workbook_aliases()
    assert excel.read_workbook(io.BytesIO(content), aliases) == value_map


def test_the_template_download_speaks_the_readers_language(world) -> None:
    client = world.client(world.coordinator)
    content = client.get(reverse("valuation:template"), HTTP_ACCEPT_LANGUAGE="nb").content
    book = load_workbook(io.BytesIO(content))
    with translation.override("nb"):
        expected = [labels.workbook_headers()[label] for label, _field in excel.INPUT_COLUMNS]
        title = labels.workbook_headers()["Title"]
    assert [cell.value for cell in book["Inputs"][1]] == expected
    assert "Stakeholder" not in expected
    assert book["Settings"]["A2"].value == title


def test_a_swedish_workbook_imports_for_a_norwegian_reader(world, mapped) -> None:  # noqa: F811
    data = ranged_map()
    data["outcomes"].append(dict(data["outcomes"][0], outcome="Bättre hälsa"))
    with translation.override("sv"):
        content = excel.template_bytes(parse(data), labels.workbook_headers())
        swedish = labels.workbook_headers()["Stakeholder"]
    assert load_workbook(io.BytesIO(content))["Inputs"]["A1"].value == swedish != "Stakeholder"
    upload = io.BytesIO(content)
    upload.name = "verdikart.xlsx"
    response = world.client(world.coordinator).post(
        reverse("valuation:import", args=[world.internal.slug]),
        {"expected_version": mapped.version, "file": upload},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = ValueMap.objects.get(pk=mapped.pk)
    assert "Bättre hälsa" in fresh.outcomes.values_list("outcome", flat=True)
    assert fresh.outcomes.count() == 2
