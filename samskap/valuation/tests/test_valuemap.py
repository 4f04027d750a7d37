"""The file format: JSON, YAML and Excel read into the same map; errors say where and what."""

import io
import json

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy import stats

from samskap.valuation import excel, pert
from samskap.valuation.files import load
from samskap.valuation.valuemap import ValueMapError, loads_json, loads_yaml, parse, to_data

EXAMPLE = {
    "title": "Example",
    "currency": "NOK",
    "price_year": 2025,
    "discounting": {"rate": 0.04, "first_year": "discounted"},
    "wellbeing": {"value_per_point": {"low": 1, "central": 2, "high": 3}, "source": "S"},
    "inputs": [
        {
            "stakeholder": "M",
            "description": "Grant",
            "amount": {"low": 9, "central": 10, "high": 12},
        },
        {"stakeholder": "V", "description": "Hours", "hours": 5, "hourly_value": 300, "year": 1},
    ],
    "outcomes": [
        {
            "stakeholder": "P",
            "outcome": "Work",
            "indicator": "In work after a year",
            "quantity": {"low": 1, "central": 2, "high": 4},
            "proxy": 100,
            "proxy_source": "SSB",
            "proxy_description": "Earnings",
            "duration": 3,
            "starts": "after",
            "deadweight": {"low": 0.1, "central": 0.2, "high": 0.3},
            "displacement": 0.05,
            "attribution": 0.3,
            "drop_off": 0.2,
            "payer": "state",
            "evidence": {"deadweight": {"level": "medium", "source": "Register", "rationale": "R"}},
        },
        {"stakeholder": "P", "outcome": "Life", "quantity": 3, "life_satisfaction": 0.4},
        {"stakeholder": "F", "outcome": "Calm", "quantity": 3},
    ],
}


def problems(call, *args) -> list[tuple[str, str]]:
    with pytest.raises(ValueMapError) as caught:
        call(*args)
    return caught.value.problems


def test_plain_data_round_trips():
    value_map = parse(EXAMPLE)
    assert parse(to_data(value_map)) == value_map
    assert value_map.outcomes[0].evidence["deadweight"].level == "medium"


def test_json_errors_name_the_path_and_the_problem():
    data = json.loads(json.dumps(EXAMPLE))
    data["outcomes"][0]["deadweight"] = {"low": 0.3, "central": 0.2, "high": 0.4}
    data["outcomes"][1]["drop_off"] = 1.5
    data["inputs"][0]["year"] = "soon"
    found = problems(loads_json, json.dumps(data))
    assert found == [
        ("$.inputs[0].year", "'year' must be a whole number, not 'soon'"),
        (
            "$.outcomes[0].deadweight",
            "the range of 'deadweight' must have low <= central <= high (got 0.3, 0.2, 0.4)",
        ),
        ("$.outcomes[1].drop_off", "'drop_off' must be at most 1 (got 1.5)"),
    ]


def test_broken_json_names_the_line():
    assert problems(loads_json, '{"title": "x",\n "inputs": [}') == [
        ("line 2, column 13", "not valid JSON: Expecting value")
    ]


def test_yaml_errors_name_the_line():
    text = (
        "title: Y\n"
        "inputs:\n"
        "  - stakeholder: M\n"
        "    amount: 100\n"
        "outcomes:\n"
        "  - stakeholder: P\n"
        "    outcome: Work\n"
        "    quantity: 3\n"
        "    proxy: lots\n"
        "    starts: later\n"
    )
    assert problems(loads_yaml, text) == [
        ("line 9 ($.outcomes[0].proxy)", "'proxy' must be a number, not 'lots'"),
        ("line 10 ($.outcomes[0].starts)", "'starts' must be one of during, after, not 'later'"),
    ]


def test_missing_fields_and_typos_are_reported_together():
    found = dict(
        problems(
            parse,
            {
                "title": "T",
                "inputs": [{"amount": 5}],
                "outcomes": [
                    {"stakeholder": "P", "outcome": "W", "quantity": 1, "atribution": 0.1}
                ],
            },
        )
    )
    assert found["$.inputs[0].stakeholder"] == "'stakeholder' is required"
    assert (
        found["$.outcomes[0].atribution"]
        == "unknown field 'atribution' (did you mean 'attribution'?)"
    )


def test_schedules_must_cover_every_year_once():
    data = dict(EXAMPLE, discounting={"schedule": [{"from_year": 2, "rate": 0.04}]})
    assert (
        "$.discounting.schedule[0].from_year",
        "steps must follow each other without gaps: expected from_year 1",
    ) in problems(parse, data)
    data = dict(EXAMPLE, discounting={"schedule": "R-110"})
    assert problems(parse, data) == [
        (
            "$.discounting.schedule",
            "unknown schedule 'R-110'; named schedules: "
            "R-109, no-r109, se-asek, dk-fm, green-book",
        )
    ]


@pytest.mark.parametrize(
    ("preset", "rates"),
    [
        # (discounting year, real rate): each country's guidance
        ("no-r109", [(1, 0.04), (40, 0.04), (41, 0.03), (75, 0.03), (76, 0.02)]),
        ("se-asek", [(1, 0.035), (50, 0.035), (120, 0.035)]),
        ("dk-fm", [(1, 0.035), (35, 0.035), (36, 0.025), (70, 0.025), (71, 0.015)]),
    ],
)
def test_each_countrys_discounting_convention_is_a_named_preset(preset, rates):
    discounting = parse(dict(EXAMPLE, discounting={"preset": preset})).discounting
    assert discounting.schedule_name == preset
    for year, rate in rates:
        assert discounting.rate_for_year(year) == pytest.approx(rate)


def test_life_satisfaction_needs_a_value_per_point():
    data = {k: v for k, v in EXAMPLE.items() if k != "wellbeing"}
    assert (
        "$.wellbeing",
        "outcomes valued by life satisfaction need 'wellbeing': {value_per_point, source}",
    ) in problems(parse, data)


def test_the_excel_template_reads_back_to_the_same_map(tmp_path):
    value_map = parse(EXAMPLE)
    path = tmp_path / "map.xlsx"
    path.write_bytes(excel.template_bytes(value_map))
    # Evidence included (its own sheet): the whole map comes back (test_excel_round_trip.py).
    assert load(path) == value_map


def test_the_empty_template_has_the_impact_map_columns():
    workbook = load_workbook(io.BytesIO(excel.template_bytes()))
    assert workbook.sheetnames == [
        "Guide",
        "Settings",
        "Inputs",
        "Impact map",
        "Discount schedule",
        "Correlations",
        "Price index",
        "Evidence",
    ]
    headers = [c.value for c in workbook["Impact map"][1]]
    assert headers[:5] == [
        "Stakeholder",
        "Outcome (what changes)",
        "Indicator",
        "Quantity",
        "Duration (years)",
    ]
    assert "Deadweight" in headers and "Drop-off" in headers


def test_excel_errors_name_the_cell(tmp_path):
    workbook = load_workbook(io.BytesIO(excel.template_bytes(parse(EXAMPLE))))
    workbook["Impact map"]["K2"] = "a lot"
    workbook["Impact map"]["D3"] = "1; 5; 2"
    workbook["Inputs"]["C2"] = -4
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    assert problems(load, path) == [
        ("'Inputs'!C2", "'amount' must be at least 0 (got -4)"),
        ("'Impact map'!K2", "'deadweight' must be a number, not 'a lot'"),
        (
            "'Impact map'!D3",
            "the range of 'quantity' must have low <= central <= high (got 1, 5, 2)",
        ),
    ]


def test_excel_percent_text_and_ranges_are_read_as_fractions(tmp_path):
    workbook = load_workbook(io.BytesIO(excel.template_bytes(parse(EXAMPLE))))
    workbook["Impact map"]["K2"] = "10%; 20 %; 35%"
    path = tmp_path / "pct.xlsx"
    workbook.save(path)
    deadweight = load(path).outcomes[0].deadweight
    assert (deadweight.low, deadweight.central, deadweight.high) == pytest.approx((0.1, 0.2, 0.35))


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip")
    [(place, message)] = problems(load, path)
    assert place == "workbook" and message.startswith("cannot be read as .xlsx")


# --- PERT ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "mode", "high"), [(0, 0.2, 1), (10, 10, 20), (-5, 3, 4), (0, 0.5, 1)]
)
def test_pert_quantiles_match_the_exact_beta_distribution(low, mode, high):
    alpha, beta = pert.pert_shape(low, mode, high)
    u = np.linspace(0.001, 0.999, 999)
    exact = low + (high - low) * stats.beta.ppf(u, alpha, beta)
    assert pert.pert_quantile(u, low, mode, high) == pytest.approx(exact, abs=2e-4 * (high - low))


def test_pert_draws_have_the_pert_mean():
    out = np.zeros((1, 200_000))
    rng = np.random.default_rng(0)
    pert.fill_pert(out, np.array([0]), np.array([2.0]), np.array([3.0]), np.array([10.0]), rng)
    assert out.mean() == pytest.approx((2 + 4 * 3 + 10) / 6, rel=0.005)
    assert out.min() >= 2 and out.max() <= 10
