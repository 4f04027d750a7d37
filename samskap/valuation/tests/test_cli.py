"""``samskap value`` on files, without a database."""

import json

import pytest
from openpyxl import load_workbook

from samskap.cli import main
from samskap.valuation.files import load

from .test_engine import ranged_map

KEYS = {
    "present_value",
    "net_present_value",
    "sroi_ratio",
    "net_sroi_ratio",
    "payback_months",
    "total_inputs",
    "by_year",
    "by_stakeholder",
    "uncertainty",
    "tornado",
    "break_even",
    "warnings",
}


@pytest.fixture
def map_file(tmp_path):
    path = tmp_path / "map.json"
    path.write_text(json.dumps(ranged_map()))
    return path


def test_json_output_has_every_figure(map_file, capsys):
    assert main(["value", str(map_file), "--format", "json", "--draws", "500", "--seed", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= KEYS
    assert data["sroi_ratio"] == pytest.approx(
        (600 / 1.05 + 300 / 1.05**2 + 150 / 1.05**3) / 1000, abs=1e-6
    )
    assert data["uncertainty"]["draws"] == 500
    assert data["uncertainty"]["seed"] == 2


def test_options_override_the_maps_discounting(map_file, capsys):
    args = ["value", str(map_file), "--format", "json", "--draws", "10"]
    main([*args, "--rate", "0", "--first-year", "undiscounted"])
    data = json.loads(capsys.readouterr().out)
    assert data["present_value"] == pytest.approx(1050)
    assert data["discounting"] == {
        "rate": 0.0,
        "schedule": None,
        "schedule_name": None,
        "first_year": "undiscounted",
        "convention": "flat 0.0% a year (chosen instead of R-109/21's declining schedule); "
        "first year undiscounted",
    }


def test_text_output_shows_the_ratio_with_its_band(map_file, capsys):
    assert main(["value", str(map_file), "--draws", "200", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "SROI ratio: 0.97 : 1  (90 % band" in out
    assert "Tornado" in out


def test_a_bad_file_exits_with_code_2_and_names_the_place(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("title: X\ninputs:\n  - stakeholder: M\n    amount: -1\noutcomes: []\n")
    assert main(["value", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 4 ($.inputs[0].amount): 'amount' must be at least 0 (got -1)" in err
    assert "$.outcomes" in err


def test_a_missing_file_exits_with_code_2(tmp_path, capsys):
    assert main(["value", str(tmp_path / "none.json")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_template_and_xlsx_results_round_trip(map_file, tmp_path, capsys):
    template = tmp_path / "template.xlsx"
    assert main(["value", "--template", str(template)]) == 0
    assert load_workbook(template).sheetnames == [
        "Guide",
        "Settings",
        "Inputs",
        "Impact map",
        "Discount schedule",
        "Correlations",
        "Price index",
        "Evidence",
    ]
    out = tmp_path / "results.xlsx"
    assert main(["value", str(map_file), "--format", "xlsx", "-o", str(out), "--draws", "50"]) == 0
    workbook = load_workbook(out)
    assert "Results" in workbook.sheetnames and "Outcome years" in workbook.sheetnames
    figures = {row[0].value: row[1].value for row in workbook["Results"].iter_rows(min_row=2)}
    assert figures["SROI ratio"] == pytest.approx(0.973113, abs=1e-6)
    # The results workbook is also a value map again.
    assert load(out) == load(map_file)
