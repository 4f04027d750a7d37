"""The upload gate against hostile files, each generated here: a sheet declaring a million
rows, a zip bomb, "billion laughs" YAML, a huge CSV field, too many rows; and the budget that
bounds parsing in a child process."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from samskap.core import uploads
from samskap.core.tabular import TableError, read_table

SMALL = uploads.Limits(max_bytes=uploads.MB, max_rows=100, max_unzipped=4 * uploads.MB)


def xlsx_bytes(rows=(("code", "value"), ("A", 1))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_entry(data: bytes, name: str, change) -> bytes:
    """The archive with one entry's bytes replaced by ``change(old)`` (a bytes or an iterable
    of chunks, streamed into the archive so a test never holds a large entry in memory)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            old = source.read(info)
            if info.filename != name:
                target.writestr(info.filename, old)
                continue
            new = change(old)
            with target.open(info.filename, "w", force_zip64=True) as entry:
                for chunk in [new] if isinstance(new, bytes) else new:
                    entry.write(chunk)
    return out.getvalue()


def huge_dimension(data: bytes) -> bytes:
    """A 1.5 KB-sized workbook whose sheet declares A1:XFD1048576 and has one cell at the end."""

    def change(old: bytes) -> bytes:
        head, _sep, _rest = old.partition(b"<sheetData>")
        head = re.sub(rb"<dimension [^>]*>", b'<dimension ref="A1:XFD1048576"/>', head)
        return head + (
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
        )

    return rewrite_entry(data, "xl/worksheets/sheet1.xml", change)


def test_a_sheet_declaring_a_million_rows_is_refused_at_once() -> None:
    data = huge_dimension(xlsx_bytes())
    assert len(data) < 10_000
    started = time.monotonic()
    with pytest.raises(TableError, match="declares 1048576 rows and 16384 columns"):
        read_table(SimpleUploadedFile("a.xlsx", data))
    assert time.monotonic() - started < 2


def test_a_sheet_hiding_its_size_is_still_read_within_bounds() -> None:
    """No dimension declared, one cell at the last row: read with explicit bounds, the rows
    cap names the limit (openpyxl alone would pad a million rows)."""
    data = rewrite_entry(
        huge_dimension(xlsx_bytes()),
        "xl/worksheets/sheet1.xml",
        lambda old: old.replace(b'<dimension ref="A1:XFD1048576"/>', b""),
    )
    started = time.monotonic()
    with pytest.raises(TableError, match="more than 100 rows"):
        read_table(SimpleUploadedFile("a.xlsx", data), SMALL)
    assert time.monotonic() - started < 5


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    def bomb(_old: bytes):
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        yield b"<sheetData>"
        for _ in range(80):  # 80 MB of blanks, about 80 KB compressed
            yield b" " * uploads.MB
        yield b"</sheetData></worksheet>"

    data = rewrite_entry(xlsx_bytes(), "xl/worksheets/sheet1.xml", bomb)
    assert len(data) < uploads.MB
    with pytest.raises(TableError, match="unpacks to more than 50 MB"):
        read_table(SimpleUploadedFile("a.xlsx", data))


def test_an_entry_compressed_with_an_unbounded_method_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    with pytest.raises(TableError, match="not a readable Excel workbook"):
        read_table(SimpleUploadedFile("a.xlsx", out.getvalue()))


def test_a_huge_csv_field_and_too_many_rows_are_refused_by_name() -> None:
    field = b"code,value\nA," + b"9" * 200_000 + b"\n"
    with pytest.raises(TableError, match="longer than 10 000 characters"):
        read_table(SimpleUploadedFile("a.csv", field))
    rows = b"code,value\n" + b"A,1\n" * 101
    with pytest.raises(TableError, match="more than 100 rows"):
        read_table(SimpleUploadedFile("a.csv", rows), SMALL)
    ok = SimpleUploadedFile("a.csv", b"code,value\n" + b"A,1\n" * 100)
    assert len(read_table(ok, SMALL).rows) == 100


class Endless:
    """An upload that claims its size and must never be read."""

    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size

    def read(self, n=-1):
        raise AssertionError("read before the size check")

    def seek(self, n):
        pass


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(TableError, match=r"larger than 5 MB"):
        read_table(Endless("a.csv", 6 * uploads.MB))


def test_the_budget_stops_a_parse_that_takes_too_much_memory_or_time() -> None:
    tight = uploads.Limits(max_bytes=1, max_rows=1, seconds=2, memory=64 * uploads.MB)
    with pytest.raises(uploads.UploadError, match="within 2 seconds and 64 MB"):
        uploads.run_bounded(bytearray, 512 * uploads.MB, limits=tight)
    started = time.monotonic()
    with pytest.raises(uploads.UploadError, match="within 2 seconds"):
        uploads.run_bounded(time.sleep, 30, limits=tight)
    assert time.monotonic() - started < 4
    assert uploads.run_bounded(sum, [1, 2, 3], limits=tight) == 6


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
"""


def test_billion_laughs_yaml_value_map_is_refused(world) -> None:
    from samskap.accounts.access import access_for
    from samskap.valuation import services

    access = access_for(world.coordinator)
    value_map = services.value_map_create(access=access, initiative=world.internal)
    upload = SimpleUploadedFile("map.yaml", BILLION_LAUGHS.encode())
    started = time.monotonic()
    response = world.client(world.coordinator).post(
        reverse("valuation:import", args=[world.internal.slug]),
        {"expected_version": value_map.version, "file": upload},
    )
    assert response.status_code == 200
    assert "anchors and aliases" in response.content.decode()
    assert time.monotonic() - started < 5


def test_hostile_files_get_a_report_from_every_import(world) -> None:
    """Survey answers, indicator values, the value map and the reports import: each answers a
    hostile workbook with a message, never a server error or a lost worker."""
    from samskap.accounts.access import access_for
    from samskap.measurement import imports, surveys
    from samskap.measurement.models import LibraryIndicator
    from samskap.valuation import services

    access = access_for(world.coordinator)
    bomb = huge_dimension(xlsx_bytes())
    survey = surveys.survey_create(
        access=access,
        initiative=world.internal,
        title="S",
        purpose="P",
        consent_text="C",
        items=[LibraryIndicator.objects.get(code="life-satisfaction")],
    )
    report = imports.import_answers(
        access=access, survey=survey, source=SimpleUploadedFile("a.xlsx", bomb)
    )
    assert "declares 1048576 rows" in report.errors[0][2]
    report = imports.import_indicator_values(
        access=access, initiative=world.internal, source=SimpleUploadedFile("v.xlsx", bomb)
    )
    assert "declares 1048576 rows" in report.errors[0][2]
    big = Endless("a.csv", 81 * uploads.MB)
    report = imports.import_answers(access=access, survey=survey, source=big)
    assert "larger than 80 MB" in report.errors[0][2]
    value_map = services.value_map_create(access=access, initiative=world.internal)
    client = world.client(world.coordinator)
    response = client.post(
        reverse("valuation:import", args=[world.internal.slug]),
        {"expected_version": value_map.version, "file": SimpleUploadedFile("m.xlsx", bomb)},
    )
    assert response.status_code == 200 and "declares 1048576 rows" in response.content.decode()
    response = client.post(
        reverse("reports:import", args=["initiativ"]), {"file": SimpleUploadedFile("i.xlsx", bomb)}
    )
    assert response.status_code == 200 and "declares 1048576 rows" in response.content.decode()
