"""The shared helpers the domain apps build on: privacy rule, spreadsheets, charts, PDF, CLI."""

import io
import re
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from samskap import cli
from samskap.core import charts, privacy
from samskap.core.pdf import render_pdf
from samskap.core.tabular import TableError, read_table


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name


def test_threshold_never_below_five():
    class Municipality:
        privacy_threshold = 2

    assert privacy.threshold_for(Municipality()) == 5
    Municipality.privacy_threshold = 8
    assert privacy.threshold_for(Municipality()) == 8
    assert privacy.threshold_for(None) == 5


def test_is_suppressed():
    assert [n for n in range(8) if privacy.is_suppressed(n)] == [1, 2, 3, 4]
    assert privacy.is_suppressed(6, threshold=7)
    assert not privacy.is_suppressed(5, threshold=3)  # the floor is 5 whatever is asked


def test_one_small_group_hides_the_next_smallest_too():
    assert privacy.suppress_complements({"women": 12, "men": 3, "other": 0}) == {"men", "women"}
    assert privacy.suppress_complements({"a": 3, "b": 2, "c": 40}) == {"a", "b"}
    assert privacy.suppress_complements({"a": 30, "b": 20}) == set()


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=6))
def test_no_hidden_group_can_be_worked_out_by_subtraction(counts):
    hidden = privacy.suppress_complements(counts)
    assert all(key in hidden for key, n in counts.items() if privacy.is_suppressed(n))
    # Knowing the total and every shown group never pins down a single hidden group, unless
    # that group is the whole breakdown (then the total itself is hidden by the caller).
    non_empty = [key for key, n in counts.items() if n > 0]
    assert len(hidden) != 1 or non_empty == list(hidden)


def test_csv_with_semicolons_and_bom_keeps_line_numbers():
    data = "\ufeffcode;value\nA1;3\n\n;\nB2;4,5\n".encode()
    table = read_table(Upload(data, "values.csv"))
    assert table.headers == ["code", "value"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"code": "A1", "value": "3"}),
        (5, {"code": "B2", "value": "4,5"}),
    ]
    assert table.missing_columns(["code", "period"]) == ["period"]


def test_xlsx_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "value"])
    sheet.append(["A1", 3.5])
    path = tmp_path / "values.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.rows[0].number == 2
    assert table.rows[0].get("value") == 3.5


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a,b\n1,2", "values.pdf", "Upload a .csv or .xlsx file."),
        (b"\xff\xfe\x00", "values.csv", "The CSV file is neither UTF-8 nor Windows-1252 text."),
        (b"", "values.csv", "The file has no header row."),
        (b"not a zip", "values.xlsx", "The file is not a readable Excel workbook."),
    ],
)
def test_unreadable_tables_say_why(data, name, message):
    with pytest.raises(TableError, match=message):
        read_table(Upload(data, name))


def test_chart_is_accessible_svg():
    fig = charts.new_figure()
    fig.add_subplot().bar(["a", "b"], [1, 2])
    svg = charts.svg(fig, "Two bars <b>", "Bar a is 1, bar b is 2.")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title id=" in svg and "Two bars &lt;b&gt;" in svg
    assert "Bar a is 1, bar b is 2.</desc>" in svg


def _svg_widths(text: str) -> list[tuple[str, float]]:
    """(class, width in pt) of each chart in ``text``."""
    return [
        (m.group(2), float(m.group(1)))
        for m in re.finditer(r'<svg\b[^>]*?width="([\d.]+)pt"[^>]*?class="([^"]*)"', text)
    ]


def test_a_wide_chart_comes_with_a_copy_drawn_at_a_phones_width():
    fig = charts.new_figure(6.4, 3.2)
    fig.add_subplot().bar(["a", "b"], [1, 2])
    text = charts.svg(fig, "Two bars", "Bar a is 1, bar b is 2.")
    # The copy is laid out anew at 4 in (288 pt), its text the same size: on a 390 px screen it
    # reads at about its own size instead of shrunk to three fifths.
    assert _svg_widths(text) == [("chart chart-wide", 460.8), ("chart chart-phone", 288.0)]
    assert text.count("Bar a is 1, bar b is 2.</desc>") == 2
    assert len(set(re.findall(r'\bid="(chart-[^"]+)"', text))) == 4  # ids stay unique
    assert fig.get_size_inches().tolist() == [6.4, 3.2]  # the figure is left as it was
    with charts.without_phone_copy():
        assert _svg_widths(charts.svg(fig, "Two bars", "Bar a is 1.")) == [("chart", 460.8)]
    # A chart drawn before a PDF was asked for keeps its copy; the PDF prints the wide one only.
    from samskap.core.pdf import _INLINE_SVG, _svg_as_image

    images = _INLINE_SVG.sub(_svg_as_image, f"<p>{text}</p>")
    assert images.count("<img") == 1 and "<svg" not in images
    # A long axis label goes on two lines in the phone copy only (matplotlib never wraps).
    fig.axes[0].set_xlabel("Gjennomsnittlig enighet (1 = helt uenig, 5 = helt enig)")
    text = charts.svg(fig, "Two bars", "Bar a is 1, bar b is 2.")
    wide, phone = text.split('class="chart chart-phone"')
    assert ">Gjennomsnittlig enighet (1 = helt uenig, 5 = helt enig)</text>" in wide
    assert ">Gjennomsnittlig enighet (1 = helt uenig, 5 =</text>" in phone
    assert ">helt enig)</text>" in phone
    assert fig.axes[0].get_xlabel() == "Gjennomsnittlig enighet (1 = helt uenig, 5 = helt enig)"
    small = charts.new_figure(3.5, 2)
    small.add_subplot().bar(["a"], [1])
    assert _svg_widths(charts.svg(small, "One bar", "Bar a is 1.")) == [("chart", 252.0)]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_pdf_from_template(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    pdf = render_pdf("400.html", {})
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Samskap" in text


def test_engine_commands_are_listed_in_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "demo" in out and "serve" in out


def test_pdf_without_pango_says_so(monkeypatch, rf):
    from samskap.core import pdf

    def missing(*args, **kwargs):
        raise OSError("cannot load library 'pango-1.0-0'")

    monkeypatch.setattr(pdf, "render_pdf", missing)
    response = pdf.pdf_response(rf.get("/"), "400.html", {}, "x.pdf")
    assert response.status_code == 503
    assert "Pango" in response.content.decode()


def test_the_select_widget_marks_the_chosen_option_and_escapes_labels() -> None:
    from django import forms

    from samskap.core.widgets import Select

    class Form(forms.Form):
        kind = forms.ChoiceField(
            choices=[("", "All"), ("a", "Alpha"), ("b", "<b>Beta</b>")], widget=Select
        )

    html = str(Form({"kind": "b"})["kind"])
    assert '<option value="b" selected>&lt;b&gt;Beta&lt;/b&gt;</option>' in html
    assert '<option value="a">Alpha</option>' in html
    assert 'id="id_kind"' in html and "required" in html
    assert '<option value="" selected>' in str(Form()["kind"])
