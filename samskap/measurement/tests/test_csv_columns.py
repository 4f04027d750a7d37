"""The fast CSV split gives exactly the cells of the csv module, wherever it applies."""

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from samskap.measurement.imports import csv_columns, reader_columns, split_columns

CELL = st.text(alphabet="abcXYZ019 -_.æøå\t,;", max_size=6)


@st.composite
def csv_texts(draw) -> tuple[str, type[csv.Dialect]]:
    dialect = draw(st.sampled_from([csv.excel, csv.excel_tab]))
    delimiter = dialect.delimiter
    cell = CELL.map(lambda c: c.replace(delimiter, ""))
    width = draw(st.integers(1, 5))
    header = draw(st.lists(cell, min_size=width, max_size=width))
    rows = draw(
        st.lists(
            st.one_of(
                st.lists(cell, min_size=width, max_size=width),  # regular
                st.lists(cell, min_size=0, max_size=width + 2),  # short, long or blank
            ),
            max_size=12,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(delimiter.join(row) for row in [header, *rows])
    if draw(st.booleans()):
        text += newline
    return text, dialect


@settings(max_examples=300, deadline=None)
@given(csv_texts())
def test_split_equals_the_csv_module_where_it_applies(case) -> None:
    text, dialect = case
    fast = split_columns(text, dialect)
    if fast is not None:
        assert fast == reader_columns(text, dialect)


def test_quotes_blank_rows_and_ragged_rows_go_through_the_csv_module() -> None:
    quoted = 'code,value\n"A,B",1\n'
    assert split_columns(quoted, csv.excel) is None
    assert csv_columns(quoted) == (["code", "value"], [2], [["A,B"], ["1"]])
    blank = "code,value\nA,1\n,\nB,2\n"
    assert split_columns(blank, csv.excel) is None
    assert csv_columns(blank) == (["code", "value"], [2, 4], [["A", "B"], ["1", "2"]])
    ragged = "code,value\nA\nB,2,extra\n"
    assert csv_columns(ragged) == (["code", "value"], [2, 3], [["A", "B"], ["", "2"]])


def test_a_plain_file_is_split_fast() -> None:
    text = "code,time_point,value\r\nAAA,before,5\r\nBBB,after,6\r\n"
    assert split_columns(text, csv.excel) == (
        ["code", "time_point", "value"],
        [2, 3],
        [["AAA", "BBB"], ["before", "after"], ["5", "6"]],
    )
