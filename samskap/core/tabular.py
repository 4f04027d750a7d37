"""Read CSV and Excel files into numbered rows, for imports that are all-or-nothing.

``read_table`` accepts a path or an uploaded file. Line numbers are those a person sees in a
spreadsheet (the header is line 1), so an import's error report can say "line 7, column
'value': not a number". Blank rows are skipped; header names are stripped.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, bad encoding)."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, object]

    def get(self, column: str, default: object = None) -> object:
        value = self.values.get(column, default)
        return default if value in ("", None) else value


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]

    def missing_columns(self, required: list[str]) -> list[str]:
        return [column for column in required if column not in self.headers]


def _name_of(source) -> str:
    return str(getattr(source, "name", source) or "")


def _read_bytes(source) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The CSV file is not UTF-8 text.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise TableError(_("The file is not a readable Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(source) -> Table:
    """Read the first sheet of an .xlsx file or a .csv file (comma, semicolon or tab)."""
    name = _name_of(source).lower()
    data = _read_bytes(source)
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(data)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not raw or not any(cell not in (None, "") for cell in raw[0]):
        raise TableError(_("The file has no header row."))
    headers = [str(cell).strip() if cell is not None else "" for cell in raw[0]]
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        if all(cell in (None, "") or str(cell).strip() == "" for cell in cells):
            continue
        values = {
            header: (cell.strip() if isinstance(cell, str) else cell)
            for header, cell in zip(headers, cells, strict=False)
            if header
        }
        rows.append(Row(number, values))
    return Table(headers, rows)
