"""Formula-safe CSV and Excel cells: every export's cells pass through here.

Text a person typed (a title, a stakeholder, an organisation name) must never become a live
formula in the spreadsheet of whoever opens the export (CSV or formula injection: a cell
``=HYPERLINK(...)`` or ``=cmd|...`` run by Excel or LibreOffice).

- **CSV** has no types: a spreadsheet program runs any cell starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return. Such text gets a leading apostrophe (OWASP's advice),
  which spreadsheets show as text; numbers stay numbers.
- **.xlsx** has types: openpyxl would store a string starting with ``=`` as a formula. Here it
  is stored as a text cell instead, which no spreadsheet evaluates, so the export keeps the
  exact text and reads back unchanged (the value-map round trip depends on that). Dates are
  date cells and numbers number cells, each with a number format, never text (issue 15).
"""

from __future__ import annotations

import csv
import datetime
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

# Plain Python and openpyxl at import time: the value engine's Excel side (valuation/excel.py)
# runs from the command line without Django.
# Excel's built-in short date (number format 14): Excel and LibreOffice show it in the reader's
# own convention (31.12.2025 in Norwegian, 2025-12-31 in Swedish, 31-12-2025 in Danish).
EXCEL_DATE = "mm-dd-yy"

# Characters that make a spreadsheet read a CSV cell as a formula (or a DDE call). The full-width
# equals and plus signs are read as formulas by some locales' spreadsheet programs.
FORMULA_MARKS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_MARKS and value != ""


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose rows are formula-safe."""

    def __init__(self, buffer, *args, **kwargs) -> None:
        self._writer = csv.writer(buffer, *args, **kwargs)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(buffer, *args, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(buffer, *args, **kwargs)


# Excel's built-in date and time (number format 22), likewise shown the reader's way.
EXCEL_DATETIME = "m/d/yy h:mm"


def _typed(sheet, value: Any, number_format: str) -> Any:
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append
    cell.number_format = number_format
    return cell


def xlsx_cell(sheet, value: Any, number_format: str | None = None) -> Any:
    """The value for ``sheet.append``: a text cell where openpyxl would store a formula; a date
    cell with a date format for a date (local time, no zone, for a moment in time); a number
    cell with ``number_format`` (from ``numbers.excel_format``) for a number. Excel shows the
    marks of the reader's own settings, so a Nordic reader sees 7,5 and 31.12.2025 where the
    file holds the number and the date."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell.cell import Cell

        cell = Cell(sheet, row=1, column=1, value=value)  # placed by append
        cell.data_type = "s"  # text, not a formula: shown as typed, never evaluated
        return cell
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        return _typed(sheet, value, number_format or EXCEL_DATETIME)
    if isinstance(value, datetime.date):
        return _typed(sheet, value, number_format or EXCEL_DATE)
    if isinstance(value, Decimal) and not value.is_finite():
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if number_format and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _typed(sheet, value, number_format)
    return value


def xlsx_row(
    sheet, values: Iterable[Any], formats: Sequence[str | None] | None = None
) -> list[Any]:
    values = list(values)
    formats = list(formats or [])
    formats += [None] * (len(values) - len(formats))
    return [xlsx_cell(sheet, value, fmt) for value, fmt in zip(values, formats, strict=False)]


def append(sheet, values: Iterable[Any], formats: Sequence[str | None] | None = None) -> None:
    """``sheet.append(values)`` with every formula-looking text stored as text, dates as date
    cells and numbers as number cells with the number format of their column in ``formats``."""
    sheet.append(xlsx_row(sheet, values, formats))
