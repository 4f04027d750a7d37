"""A value map survives the Excel round trip unchanged (issue 17): custom discount schedules,
full precision and evidence, checked on the evaluator's cases and on any valid map."""

import io
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from samskap.valuation import engine, excel
from samskap.valuation.files import load
from samskap.valuation.valuemap import (
    EVIDENCE_FIELDS,
    EVIDENCE_LEVELS,
    FIRST_YEAR_CONVENTIONS,
    FLOWS,
    PAYERS,
    RATE_FIELDS,
    SCHEDULES,
    CostBenefit,
    Discounting,
    Evidence,
    Input,
    Outcome,
    Ranged,
    ValueMap,
    ValueMapError,
    Wellbeing,
    parse,
)

CUSTOM = [
    {"from_year": 1, "to_year": 3, "rate": 0.07},
    {"from_year": 4, "to_year": 10, "rate": 0.055},
    {"rate": 0.01},
]


def _round_trip(value_map: ValueMap) -> ValueMap:
    return excel.read_workbook(io.BytesIO(excel.template_bytes(value_map)))


def _map(**changes) -> ValueMap:
    data = {
        "title": "Dinner friends",
        "discounting": {"schedule": CUSTOM},
        "inputs": [{"stakeholder": "Municipality", "amount": 1_000_000}],
        "outcomes": [
            {
                "stakeholder": "Older people",
                "outcome": "Less lonely",
                "quantity": {"low": 1_234_567, "central": 1_234_567.891, "high": 2_000_000.5},
                "proxy": 3.14159265358979,
                "proxy_source": "SSB",
                "duration": 12,
                "attribution": 0.123456789,
                "evidence": {
                    "quantity": {"level": "high", "source": "Survey 2025", "rationale": "n = 40"},
                    "attribution": {"level": "low", "rationale": "=a guess, not a formula"},
                },
            }
        ],
    }
    data.update(changes)
    return parse(data)


def test_a_custom_schedule_comes_back_with_the_same_present_value() -> None:
    value_map = _map()
    back = _round_trip(value_map)
    assert back.discounting == value_map.discounting
    assert back.discounting.schedule == ((1, 3, 0.07), (4, 10, 0.055), (11, None, 0.01))
    assert (
        engine.compute(back, uncertainty=False).present_value
        == engine.compute(value_map, uncertainty=False).present_value
    )


def test_ranges_keep_every_digit() -> None:
    quantity = _round_trip(_map()).outcomes[0].quantity
    assert (quantity.low, quantity.central, quantity.high) == (
        1_234_567,
        1_234_567.891,
        2_000_000.5,
    )


def test_evidence_comes_back_and_text_is_not_made_a_formula() -> None:
    back = _round_trip(_map())
    assert back.outcomes[0].evidence == {
        "quantity": Evidence("high", "Survey 2025", "n = 40"),
        "attribution": Evidence("low", "", "=a guess, not a formula"),
    }
    workbook = load_workbook(io.BytesIO(excel.template_bytes(_map())))
    assert [c.data_type for c in workbook["Evidence"][3]][4] == "s"


def test_evidence_for_a_row_without_an_outcome_names_the_cell(tmp_path: Path) -> None:
    workbook = load_workbook(io.BytesIO(excel.template_bytes(_map())))
    workbook["Evidence"]["A2"] = 7
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    try:
        load(path)
    except ValueMapError as error:
        assert error.problems == [
            ("'Evidence'!A2", "row 7 of 'Impact map' holds no outcome"),
        ]
    else:
        raise AssertionError("the stray evidence row was accepted")


def test_a_named_schedule_and_steps_both_are_refused(tmp_path: Path) -> None:
    workbook = load_workbook(io.BytesIO(excel.template_bytes(_map())))
    settings_sheet = workbook["Settings"]
    for row in settings_sheet.iter_rows(min_row=2):
        if row[0].value and str(row[0].value).startswith("Discount schedule"):
            row[1].value = "R-109"
    path = tmp_path / "both.xlsx"
    workbook.save(path)
    try:
        load(path)
    except ValueMapError as error:
        assert [message.code for _place, message in error.problems] == ["schedule_twice"]
    else:
        raise AssertionError("a named schedule and steps were both accepted")


# --- any valid map ----------------------------------------------------------------------------

# Text as people type it into a form (the parser strips it; no control characters, which an
# .xlsx cannot hold), including text that looks like a number, a percentage or a formula.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f") | st.just("\n"),
    max_size=30,
).map(str.strip) | st.sampled_from(["=1+1", "10%", "0.5", "1; 2; 3", "Ål og ørret"])
NAME = TEXT.filter(bool)
FLOAT = st.floats(allow_nan=False, allow_infinity=False, width=64)


def _number(low: float, high: float):
    whole = st.integers(math.ceil(low), math.floor(high)).map(float)
    return st.floats(low, high, allow_nan=False) | whole


GROUPS = ["demand", "Tidlig innsats", "2"]


@st.composite
def ranged(draw, low: float = -1e12, high: float = 1e12, grouped: bool = True):
    values = sorted(draw(st.lists(_number(low, high), min_size=3, max_size=3)))
    if draw(st.booleans()) or values[0] == values[2]:
        return Ranged.of(values[1])
    # A real range may move with a correlation group (a fixed number has none).
    group = draw(st.sampled_from(["", *GROUPS])) if grouped else ""
    return Ranged(*values, group=group)


@st.composite
def discounting(draw) -> Discounting:
    first_year = draw(st.sampled_from(FIRST_YEAR_CONVENTIONS))
    kind = draw(st.sampled_from(["rate", "named", "custom"]))
    if kind == "rate":
        return Discounting(draw(ranged(0.0, 1.0, grouped=False)), first_year=first_year)
    if kind == "named":
        name = draw(st.sampled_from(sorted(SCHEDULES)))
        return Discounting(None, SCHEDULES[name], name, first_year)
    ends = sorted(draw(st.lists(st.integers(1, 300), unique=True, max_size=4)))
    steps, start = [], 1
    for end in ends:
        steps.append((start, end, draw(_number(0.0, 1.0))))
        start = end + 1
    steps.append((start, None, draw(_number(0.0, 1.0))))
    return Discounting(None, tuple(steps), "", first_year)


@st.composite
def an_input(draw) -> Input:
    if draw(st.booleans()):
        return Input(
            draw(NAME),
            draw(TEXT),
            Ranged.of(1.0),
            draw(st.integers(0, 50)),
            draw(ranged(1.0, 1e6)),
            draw(ranged(1.0, 1e4)),
            draw(TEXT),
            payer=draw(st.sampled_from(["", *PAYERS])),
            flow=draw(st.sampled_from(FLOWS)),
        )
    return Input(
        draw(NAME),
        draw(TEXT),
        draw(ranged(1.0, 1e12)),
        draw(st.integers(0, 50)),
        payer=draw(st.sampled_from(["", *PAYERS])),
        flow=draw(st.sampled_from(FLOWS)),
    )


@st.composite
def an_outcome(draw) -> Outcome:
    valued = draw(st.sampled_from(["proxy", "life", "none"]))
    evidence = draw(
        st.dictionaries(
            st.sampled_from(EVIDENCE_FIELDS),
            st.builds(Evidence, st.sampled_from(EVIDENCE_LEVELS), TEXT, TEXT),
            max_size=3,
        )
    )
    return Outcome(
        stakeholder=draw(NAME),
        outcome=draw(NAME),
        quantity=draw(ranged(0.0, 1e9)),
        indicator=draw(TEXT),
        proxy=draw(ranged()) if valued == "proxy" else None,
        proxy_source=draw(TEXT),
        proxy_description=draw(TEXT),
        life_satisfaction=draw(ranged(-10.0, 10.0)) if valued == "life" else None,
        duration=draw(st.integers(1, 200)),
        starts=draw(st.sampled_from(["during", "after"])),
        payer=draw(st.sampled_from(["", *PAYERS])),
        evidence=evidence,
        notes=draw(TEXT),
        flow=draw(st.sampled_from(FLOWS)),
        proxy_price_year=draw(st.none() | st.integers(1900, 2100)),
        **{name: draw(st.none() | ranged(0.0, 1.0)) for name in RATE_FIELDS},
    )


@st.composite
def value_maps(draw) -> ValueMap:
    outcomes = tuple(draw(st.lists(an_outcome(), min_size=1, max_size=4)))
    needs_wellbeing = any(o.life_satisfaction is not None for o in outcomes)
    return ValueMap(
        title=draw(NAME),
        inputs=tuple(draw(st.lists(an_input(), min_size=1, max_size=3))),
        outcomes=outcomes,
        currency=draw(st.sampled_from(["NOK", "SEK", "DKK", "EUR"])),
        price_year=draw(st.none() | st.integers(1900, 2100)),
        discounting=draw(discounting()),
        wellbeing=Wellbeing(draw(ranged(0.0, 1e7)), draw(TEXT))
        if needs_wellbeing or draw(st.booleans())
        else None,
        # Every group gets its rank correlation (the parser asks for one per group used).
        correlations={group: draw(_number(-1.0, 1.0)) for group in GROUPS},
        cost_benefit=CostBenefit(
            draw(st.none() | st.integers(1, 100)),
            draw(_number(0.0, 1e9)),
            draw(st.none() | _number(0.0, 1.0)),
        ),
        price_index=draw(st.dictionaries(st.integers(1900, 2100), _number(0.001, 1e4), max_size=4)),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(value_maps())
def test_any_valid_map_survives_the_excel_round_trip(value_map: ValueMap) -> None:
    assert _round_trip(value_map) == value_map


def test_the_example_maps_survive_the_round_trip() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(examples.glob("*.*")):
        if path.suffix in (".json", ".yaml", ".yml"):
            value_map = load(path)
            assert _round_trip(value_map) == value_map, path.name
