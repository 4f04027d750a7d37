"""Read CSV and Excel files into numbered rows, for imports that are all-or-nothing.

``read_table`` accepts a path or an uploaded file. Line numbers are those a person sees in a
spreadsheet (the header is line 1), so an import's error report can say "line 7, column
'value': not a number". Blank rows are skipped; header names are stripped.

``csv_arrays`` reads the columns of a large, plain CSV file with Apache Arrow's C++ reader
(no Python step per row), for imports of a million rows; it returns ``None`` for any file it
should not decide on, which the caller then reads with ``read_table`` or the ``csv`` module.
"""

import csv
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samskap.core import uploads
from samskap.core.uploads import Limits

# The file as a whole cannot be read (too large, unsafe, wrong type, no header, bad encoding):
# one error type for the upload gate's refusals and this module's.
TableError = uploads.UploadError


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


def read_bytes(source, limits: Limits = uploads.TABLE) -> bytes:
    """The file's bytes, refused by the upload gate when larger than its kind allows."""
    return uploads.read_bytes(source, limits)


def csv_text(data: bytes) -> str:
    """UTF-8 with or without BOM, or Windows-1252 (Excel's CSV in a Norwegian locale)."""
    return uploads.decode_text(data)


def sniff_dialect(text: str):
    """The CSV dialect of a text, judged from its first 4,096 characters by the ``csv``
    module's sniffer: comma, semicolon or tab as the delimiter. Where the sniffer cannot tell
    (it gives up on a blank line or uneven spacing), the delimiter is the one of the three the
    header line holds most of; Excel's comma dialect if it holds none."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        header = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=header.count)
        if delimiter == "," or not header.count(delimiter):
            return csv.excel
        return type("sniffed", (csv.excel,), {"delimiter": delimiter})


def _csv_rows(data: bytes, limits: Limits) -> list[list[str]]:
    text = csv_text(data)
    return uploads.csv_rows(text, sniff_dialect(text), limits)


def named(headers: list[str], aliases: Mapping[str, str] | None) -> list[str]:
    """Each header as the column's code where ``aliases`` (case-folded header -> code, from
    ``core.import_templates.aliases``) knows it: a file may head its columns in the reader's
    language or with the codes."""
    if not aliases:
        return headers
    return [aliases.get(header.strip().casefold(), header) for header in headers]


def csv_arrays(
    source,
    required: list[str],
    optional: tuple[str, ...] = (),
    limits: Limits = uploads.TABLE,
    aliases: Mapping[str, str] | None = None,
) -> dict | None:
    """The ``required`` and present ``optional`` columns of a CSV file as Arrow string arrays
    (``pyarrow.ChunkedArray``), each cell trimmed of ASCII white space — or ``None`` unless the
    file is plain: a .csv/.txt file in UTF-8, a header naming every required column once, no
    quote or escape characters, every row as wide as the header.

    The arrays hold the cells the ``csv`` module gives with ``read_table``'s conventions (the
    same sniffed delimiter; a byte order mark and empty lines skipped; header names stripped),
    except that a row of blank cells is kept, as empty strings. Anything else — quoting, ragged
    rows, bad encoding — is left to the ``csv`` module, which reads it line by line and can name
    the line at fault. A property test compares the two readers."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as arrow_csv

    if not _name_of(source).lower().endswith((".csv", ".txt")):
        return None
    data = read_bytes(source, limits)
    try:
        text = data.decode("utf-8-sig")  # Arrow reads UTF-8 only; other text goes to the csv module
    except UnicodeDecodeError:
        return None
    if text.count("\n") > limits.max_rows + 1:
        return None  # the csv module names the limit
    dialect = sniff_dialect(text)
    marks = {'"', dialect.quotechar, dialect.escapechar} - {None, ""}
    if any(mark in text for mark in marks):
        return None
    header = named(
        [
            name.strip()
            for name in text.split("\n", 1)[0].split("\r", 1)[0].split(dialect.delimiter)
        ],
        aliases,
    )
    del text
    wanted = [name for name in (*required, *optional) if name in header]
    if any(name not in wanted or header.count(name) > 1 for name in required):
        return None
    # Columns are named by position: a header may repeat or leave out names we do not read.
    keys = {name: f"c{header.index(name)}" for name in wanted}
    try:
        table = arrow_csv.read_csv(
            pa.BufferReader(data),
            read_options=arrow_csv.ReadOptions(
                column_names=[f"c{n}" for n in range(len(header))], skip_rows=1
            ),
            parse_options=arrow_csv.ParseOptions(
                delimiter=dialect.delimiter, quote_char=False, escape_char=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(keys.values(), pa.string()),
                include_columns=list(keys.values()),
                strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:  # a row of another width
        return None
    return {name: pc.ascii_trim_whitespace(table[key]) for name, key in keys.items()}


def read_table(
    source, limits: Limits = uploads.TABLE, aliases: Mapping[str, str] | None = None
) -> Table:
    """Read the first sheet of an .xlsx file or a .csv file (comma, semicolon or tab), through
    the upload gate with the limits of the import's kind; headers that ``aliases`` knows are
    read as their column's code."""
    name = _name_of(source).lower()
    if not name.endswith((".xlsx", ".csv", ".txt")):
        raise TableError(_("Upload a .csv or .xlsx file."))
    data = read_bytes(source, limits)
    if name.endswith(".xlsx"):
        raw = uploads.xlsx_rows(data, limits)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(data, limits)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not raw or not any(cell not in (None, "") for cell in raw[0]):
        raise TableError(_("The file has no header row."))
    headers = named([str(cell).strip() if cell is not None else "" for cell in raw[0]], aliases)
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
