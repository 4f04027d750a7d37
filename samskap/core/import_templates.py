"""The columns of each import, and the downloadable templates made from them.

One list of ``Column`` per import is the single source of truth: its code (the English name a
file may always use, the same in every language), its header in the reader's language, and
what it means. From it come the template (a CSV file and an Excel workbook with the reader's
headers in the header row, an example row and, in the workbook, a second sheet explaining each
column), the list of columns on the import page, and the headers an import accepts: the code or
the header in any of Samskap's languages (``aliases``), so a file made from a template in one
language reads back in any other."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from samskap.core import spreadsheets


@dataclass(frozen=True)
class Column:
    name: str  # the code: accepted as a header in every language
    label: str  # a lazy translation: the header in the reader's language
    help: str  # a lazy translation
    example: object = ""
    required: bool = True

    @property
    def header(self) -> str:
        """The header in the active language."""
        return str(self.label)


def aliases(columns: list[Column]) -> dict[str, str]:
    """Every header a file may give a column, case-folded, to the column's code: the code
    itself and the column's header in each of Samskap's languages."""
    found: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in columns:
                found[column.header.strip().casefold()] = column.name
    for column in columns:
        found[column.name.casefold()] = column.name
    return found


def described(codes: list[str], columns: list[Column]) -> str:
    """Columns named for the reader: "Deltakerkode (code), Svar (value)"."""
    by_code = {column.name: column for column in columns}
    return ", ".join(
        f"{by_code[code].header} ({code})" if code in by_code else code for code in codes
    )


def csv_bytes(columns: list[Column]) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow([c.header for c in columns])
    writer.writerow([c.example for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(columns: list[Column], headings: tuple[str, str, str, str, str]) -> bytes:
    """``headings``: the explanation sheet's title and its column headings (column, code,
    meaning, required), in the user's language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "data"
    spreadsheets.append(data, [c.header for c in columns])
    spreadsheets.append(data, [c.example for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    title, name, code, meaning, required = headings
    explained = book.create_sheet(title[:31])
    spreadsheets.append(explained, [name, code, meaning, required])
    for cell in explained[1]:
        cell.font = Font(bold=True)
    for column in columns:
        spreadsheets.append(
            explained,
            [column.header, column.name, str(column.help), "✓" if column.required else ""],
        )
    explained.column_dimensions["A"].width = 22
    explained.column_dimensions["B"].width = 14
    explained.column_dimensions["C"].width = 90
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
