"""Excel exports write dates as date cells and numbers as number cells, each with a number
format, so Excel in a Nordic locale shows them the reader's way (issue 15). Checked by reading
the files back with openpyxl."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from samskap.core import numbers, spreadsheets
from samskap.registry.models import Initiative, Participation


def _round_trip(rows: list[list], formats=None, write_only: bool = False):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("data") if write_only else book.active
    for row in rows:
        spreadsheets.append(sheet, row, formats)
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]


@pytest.mark.parametrize("write_only", [False, True])
def test_dates_and_numbers_become_typed_cells(settings, write_only) -> None:
    settings.TIME_ZONE = "Europe/Oslo"
    moment = datetime.datetime(2025, 12, 31, 22, 30, tzinfo=datetime.UTC)
    formats = [None, None, numbers.excel_format("decimal", 2), numbers.excel_format("money", 0)]
    row = [datetime.date(2025, 12, 31), moment, Decimal("7.25"), 130160, 3, "=1+1", "tekst"]
    sheet = _round_trip([row], formats, write_only)
    date, when, decimal, money, plain, formula, text = sheet[1]
    assert date.is_date and date.value.date() == datetime.date(2025, 12, 31)
    assert date.number_format == spreadsheets.EXCEL_DATE
    # a moment in local time (Excel has no time zones): 23:30 in Oslo
    assert when.is_date and when.value == datetime.datetime(2025, 12, 31, 23, 30)  # noqa: DTZ001
    assert decimal.data_type == "n" and decimal.value == 7.25
    assert decimal.number_format == "#,##0.00"
    assert money.data_type == "n" and money.value == 130160
    assert money.number_format == '#,##0 "kr"'
    assert plain.data_type == "n" and plain.value == 3  # no format asked: General
    assert formula.data_type == "s" and formula.value == "=1+1"
    assert text.value == "tekst"


def test_a_date_format_is_excels_own_short_date() -> None:
    """Built-in format 14, which Excel and LibreOffice show in the reader's own convention."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    assert BUILTIN_FORMATS[14] == spreadsheets.EXCEL_DATE
    assert BUILTIN_FORMATS[22] == spreadsheets.EXCEL_DATETIME


def test_numbers_that_are_not_finite_are_left_empty() -> None:
    sheet = _round_trip([[float("nan"), Decimal("Infinity"), 1.5]], ["0.0"] * 3)
    assert [cell.value for cell in sheet[1]] == [None, None, 1.5]


def test_registry_export_writes_dates_as_dates(world) -> None:
    start = datetime.date(2025, 3, 2)
    transition = datetime.date(2027, 6, 1)
    Initiative.objects.filter(pk=world.internal.pk).update(
        start_date=start, planned_transition_date=transition
    )
    client = world.client(world.coordinator)
    sheet = load_workbook(
        io.BytesIO(client.get("/rapporter/eksport/initiativ.xlsx").content)
    ).active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world.internal.slug)
    cells = dict(zip(header, row, strict=False))
    for column, expected in (("start_date", start), ("planned_transition_date", transition)):
        assert cells[column].is_date, column
        assert cells[column].value.date() == expected
        assert cells[column].number_format == spreadsheets.EXCEL_DATE
    # CSV and open data keep ISO dates as text
    csv_text = client.get("/rapporter/eksport/initiativ.csv").content.decode("utf-8-sig")
    assert "2025-03-02" in csv_text and "2027-06-01" in csv_text


def test_partner_export_writes_dates_as_dates(world) -> None:
    participation = Participation.objects.filter(initiative=world.internal).first()
    assert participation is not None
    Participation.objects.filter(pk=participation.pk).update(start_date=datetime.date(2025, 1, 6))
    client = world.client(world.coordinator)
    sheet = load_workbook(io.BytesIO(client.get("/rapporter/eksport/partnere.xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    dates = [
        row[header.index("start_date")]
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("start_date")].value not in (None, "")
    ]
    assert dates and all(cell.is_date for cell in dates)


def test_the_zone_is_the_installations(settings) -> None:
    settings.TIME_ZONE = "Europe/Stockholm"
    moment = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("UTC"))
    sheet = _round_trip([[moment]])
    assert sheet["A1"].value == datetime.datetime(2026, 7, 1, 12, 0)  # noqa: DTZ001 (Excel: naive)
