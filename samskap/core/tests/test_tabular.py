"""Arrow's CSV reader gives the csv module's cells wherever it answers, and declines the rest."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.core.tabular import csv_arrays, csv_text, read_table, sniff_dialect

NAMES = ["code", "time_point", "item", "question", "value", "note"]
CELL = st.text(alphabet="abcXYZ019 -_.æøå\t\xa0,;'\"", max_size=6)
ASCII_SPACE = " \t\n\r\x0b\x0c"


@st.composite
def csv_files(draw) -> tuple[bytes, list[str]]:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    header = [draw(st.sampled_from(["", " "])) + name for name in names]
    width = len(header)
    cell = CELL.map(lambda c: c.replace(delimiter, "") if draw(st.booleans()) else c)
    rows = draw(
        st.lists(
            st.one_of(
                st.lists(cell, min_size=width, max_size=width),  # regular
                st.lists(cell, min_size=0, max_size=width + 2),  # short, long or blank
            ),
            max_size=10,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(row) for row in [header, *rows])
    if draw(st.booleans()):
        text += newline
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode(), names


def _csv_module_rows(data: bytes, names: list[str]) -> list[tuple]:
    """The rows of the named columns as the csv module reads them with read_table's
    conventions (rows of blank cells skipped), each cell trimmed of ASCII white space."""
    text = csv_text(data)
    rows = list(csv.reader(io.StringIO(text, newline=""), sniff_dialect(text)))
    header = [name.strip() for name in rows[0]]
    return [
        tuple(row[header.index(n)].strip(ASCII_SPACE) for n in names)
        for row in rows[1:]
        if "".join(row).strip()
    ]


@settings(max_examples=400, deadline=None)
@given(csv_files())
def test_arrow_gives_the_csv_modules_cells_where_it_answers(case) -> None:
    data, names = case
    arrays = csv_arrays(SimpleUploadedFile("f.csv", data), names)
    if arrays is None:
        return
    rows = list(zip(*(arrays[n].to_pylist() for n in names), strict=True))
    # A row of blank cells is kept by Arrow (as empty strings) and skipped by read_table.
    rows = [row for row in rows if "".join(row).strip()]
    assert rows == _csv_module_rows(data, names)


def test_plain_files_are_read_and_the_others_declined() -> None:
    plain = "\ufeffcode;value \r\nAAA ;5\r\n\r\nBBB;6\r\n".encode()
    arrays = csv_arrays(SimpleUploadedFile("a.csv", plain), ["code", "value"])
    assert {k: v.to_pylist() for k, v in arrays.items()} == {
        "code": ["AAA", "BBB"],
        "value": ["5", "6"],
    }
    optional = csv_arrays(SimpleUploadedFile("a.csv", plain), ["code"], ("question", "value"))
    assert set(optional) == {"code", "value"}
    declined = {
        "quoted": b'code,value\n"A,B",1\n',
        "ragged": b"code,value\nA\nB,2\n",
        "not UTF-8": b"code,value\nA\xff,1\n",
        "missing column": b"code\nA\n",
        "repeated column": b"code,code,value\nA,B,1\n",
    }
    for reason, data in declined.items():
        assert csv_arrays(SimpleUploadedFile("a.csv", data), ["code", "value"]) is None, reason
    assert csv_arrays(SimpleUploadedFile("a.xlsx", b"PK"), ["code"]) is None


def test_the_sniffed_delimiter_is_the_one_read_table_uses() -> None:
    text = "code\tvalue\nA;1\tx\n"
    arrays = csv_arrays(SimpleUploadedFile("a.csv", text.encode()), ["code", "value"])
    assert arrays["code"].to_pylist() == ["A;1"]
    assert list(csv.reader(io.StringIO(text), delimiter="\t"))[1] == ["A;1", "x"]


def test_a_semicolon_file_the_sniffer_gives_up_on_is_read_by_its_header() -> None:
    """Excel in a Norwegian locale saves semicolons; a blank line makes the sniffer give up."""
    data = b"code;value\r\nAAA;5\r\n\r\nBBB;6\r\n"
    table = read_table(SimpleUploadedFile("a.csv", data))
    assert [row.values for row in table.rows] == [
        {"code": "AAA", "value": "5"},
        {"code": "BBB", "value": "6"},
    ]
    assert csv_arrays(SimpleUploadedFile("a.csv", data), ["code", "value"])[
        "value"
    ].to_pylist() == [
        "5",
        "6",
    ]
