"""Import files headed in the reader's language (issue 15): each import's one list of columns
gives the template's headers in the reader's language, the page's explanation, and the headers
an import accepts (the code, or the header in any of Samskap's languages)."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from samskap.accounts.access import access_for
from samskap.core.import_templates import aliases
from samskap.measurement import imports, surveys
from samskap.measurement.models import Answer, IndicatorValue

from .test_indicators_imports import _period

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _headers(columns, language: str) -> list[str]:
    with translation.override(language):
        return [column.header for column in columns]


def _codes(access, world, count: int) -> list[str]:
    people = surveys.participants_create(access=access, initiative=world.internal, count=count)
    return [person.code for person in people]


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("file.xlsx", buffer.getvalue())


@pytest.mark.parametrize("columns", [imports.answer_columns, imports.value_columns])
def test_each_import_has_one_header_per_column_in_every_language(columns) -> None:
    found = aliases(columns())
    for language in LANGUAGES:
        headers = [header.casefold() for header in _headers(columns(), language)]
        assert len(set(headers)) == len(headers), language
        # every header names its own column, whichever language it comes from
        assert [found[h] for h in headers] == [c.name for c in columns()]
    for language in ("nb", "nn", "sv", "da"):
        assert _headers(columns(), language) != _headers(columns(), "en"), language
    assert {found[c.name] for c in columns()} == {c.name for c in columns()}


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "da", "en"])
def test_answers_headed_in_a_language_import_whatever_the_readers_language(
    world, setup, language
) -> None:
    access = access_for(world.coordinator)
    a, b = (
        p.code
        for p in surveys.participants_create(access=access, initiative=world.internal, count=2)
    )
    header = ",".join(_headers(imports.answer_columns(), language))
    text = f"{header}\n{a},before,life-satisfaction,1,5\n{b},after,ucla-loneliness-3,2,3\n"
    with translation.override("nb" if language != "nb" else "sv"):
        report = imports.import_answers(
            access=access,
            survey=setup.survey,
            source=SimpleUploadedFile("svar.csv", text.encode()),
        )
    assert report.ok, report.errors
    assert report.created == 2 and Answer.objects.count() == 2


def test_answers_headed_in_the_readers_language_read_row_by_row_and_from_excel(
    world, setup
) -> None:
    access = access_for(world.coordinator)
    a, b = (
        p.code
        for p in surveys.participants_create(access=access, initiative=world.internal, count=2)
    )
    header = _headers(imports.answer_columns(), "nn")
    # Quotes send the CSV file past Arrow to the csv module's row-by-row reading.
    quoted = ";".join(f'"{h}"' for h in header) + f'\n"{a}";before;life-satisfaction;1;12\n'
    with translation.override("nn"):
        report = imports.import_answers(
            access=access,
            survey=setup.survey,
            source=SimpleUploadedFile("svar.csv", quoted.encode()),
        )
        shown = report.errors_shown
    # the problem is kept by the column's code, and shown by the reader's header
    assert [(line, column) for line, column, _m in report.errors] == [(2, "value")]
    assert [(line, column) for line, column, _m in shown] == [(2, header[4])]
    excel = _xlsx([header[:3] + [header[4]], [b, "before", "life-satisfaction", 7]])
    report = imports.import_answers(access=access, survey=setup.survey, source=excel)
    assert report.ok, report.errors
    assert Answer.objects.get().value == 7


def test_indicator_values_headed_in_swedish_import(world, setup) -> None:
    _period(world, setup.life)
    header = _headers(imports.value_columns(), "sv")
    excel = _xlsx([header[:4], ["life-satisfaction", "2025", "actual", "6,5"]])
    report = imports.import_indicator_values(
        access=access_for(world.partner), initiative=world.internal, source=excel
    )
    assert report.ok, report.errors
    assert IndicatorValue.objects.get().value == Decimal("6.5")


def test_a_missing_column_is_named_in_the_readers_language(world, setup) -> None:
    with translation.override("nb"):
        report = imports.import_indicator_values(
            access=access_for(world.partner),
            initiative=world.internal,
            source=SimpleUploadedFile("v.csv", b"Indikatorkode;Periode\nx;2025\n"),
        )
        kind = imports.value_columns()[2].header
    assert not report.ok
    assert f"{kind} (kind)" in report.errors[0][2]


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_templates_carry_the_readers_headers_and_read_back(world, setup, language) -> None:
    """A template downloaded in a language, filled in, imports as it is."""
    client = world.client(world.coordinator)
    slug = world.internal.slug
    url = reverse("measurement:import_template", args=[slug, "svar", "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content))
    header = [cell.value for cell in book["data"][1]]
    assert header == _headers(imports.answer_columns(), language)
    code = surveys.participants_create(
        access=access_for(world.coordinator), initiative=world.internal, count=1
    )[0].code
    book["data"].delete_rows(2)
    book["data"].append([code, "before", "life-satisfaction", 1, 8])
    buffer = io.BytesIO()
    book.save(buffer)
    report = imports.import_answers(
        access=access_for(world.coordinator),
        survey=setup.survey,
        source=SimpleUploadedFile("mal-svar.xlsx", buffer.getvalue()),
    )
    assert report.ok, report.errors
    csv_url = reverse("measurement:import_template", args=[slug, "verdier", "csv"])
    csv_text = client.get(csv_url, HTTP_ACCEPT_LANGUAGE=language).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(_headers(imports.value_columns(), language))


def test_the_import_page_lists_the_readers_headers_and_the_codes(world, setup) -> None:
    client = world.client(world.coordinator)
    url = reverse("measurement:values_import", args=[world.internal.slug])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    for header, column in zip(
        _headers(imports.value_columns(), "da"), imports.value_columns(), strict=True
    ):
        assert f"<code>{header}</code>" in html
        assert f"<code>{column.name}</code>" in html
