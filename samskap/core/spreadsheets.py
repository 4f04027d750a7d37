"""Formula-safe CSV and Excel cells: every export's cells pass through here.

Text a person typed (a title, a stakeholder, an organisation name) must never become a live
formula in the spreadsheet of whoever opens the export (CSV or formula injection: a cell
``=HYPERLINK(...)`` or ``=cmd|...`` run by Excel or LibreOffice).

- **CSV** has no types: a spreadsheet program runs any cell starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return. Such text gets a leading apostrophe (OWASP's advice),
  which spreadsheets show as text; numbers stay numbers.
- **.xlsx** has types: openpyxl would store a string starting with ``=`` as a formula. Here it
  is stored as a text cell instead, which no spreadsheet evaluates, so the export keeps the
  exact text and reads back unchanged (the value-map round trip depends on that).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

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


def xlsx_cell(sheet, value: Any) -> Any:
    """The value for ``sheet.append``: a text cell where openpyxl would store a formula."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell.cell import Cell

        cell = Cell(sheet, row=1, column=1, value=value)  # placed by append
        cell.data_type = "s"  # text, not a formula: shown as typed, never evaluated
        return cell
    return value


def xlsx_row(sheet, values: Iterable[Any]) -> list[Any]:
    return [xlsx_cell(sheet, value) for value in values]


def append(sheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every formula-looking text stored as text."""
    sheet.append(xlsx_row(sheet, values))
