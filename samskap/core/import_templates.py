"""Downloadable templates for the imports: a CSV file and an Excel workbook with the columns
in the header row, an example row, and (in the workbook) a second sheet explaining each column
in the user's language. The column names themselves are the import's codes, the same in
every language, so that a file made from the template reads back anywhere."""

import io
from dataclasses import dataclass

from django.http import HttpResponse

from samskap.core import spreadsheets


@dataclass(frozen=True)
class Column:
    name: str
    help: str  # a lazy translation
    example: object = ""
    required: bool = True


def csv_bytes(columns: list[Column]) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow([c.name for c in columns])
    writer.writerow([c.example for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(columns: list[Column], headings: tuple[str, str, str, str]) -> bytes:
    """``headings``: the explanation sheet's title and its column headings (name, meaning,
    required), in the user's language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "data"
    spreadsheets.append(data, [c.name for c in columns])
    spreadsheets.append(data, [c.example for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    title, name, meaning, required = headings
    explained = book.create_sheet(title[:31])
    spreadsheets.append(explained, [name, meaning, required])
    for cell in explained[1]:
        cell.font = Font(bold=True)
    for column in columns:
        spreadsheets.append(
            explained, [column.name, str(column.help), "✓" if column.required else ""]
        )
    explained.column_dimensions["A"].width = 16
    explained.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(columns: list[Column], fmt: str, filename: str, headings) -> HttpResponse:
    if fmt == "csv":
        result = HttpResponse(csv_bytes(columns), content_type="text/csv; charset=utf-8")
    else:
        result = HttpResponse(
            xlsx_bytes(columns, headings),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    result["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return result
