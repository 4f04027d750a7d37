"""Honest defaults and labels (issue 17): R-109's declining schedule unless a flat rate is
chosen, the convention printed with every result, and the honesty checks' gaps closed."""

from samskap.valuation import engine
from samskap.valuation.cli import _text
from samskap.valuation.valuemap import SCHEDULES, parse

BASE = {
    "title": "Map",
    "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
    "outcomes": [
        {
            "stakeholder": "Participants",
            "outcome": "In work",
            "quantity": 10,
            "proxy": 100,
            "proxy_source": "SSB",
            "duration": 1,
            "deadweight": 0.2,
            "attribution": 0.2,
        }
    ],
}


def _codes(data: dict) -> list[str]:
    return [w.code for w in engine.honesty_warnings(parse(data))]


def test_a_map_without_discounting_gets_the_r109_schedule() -> None:
    discounting = parse(BASE).discounting
    assert discounting.schedule == SCHEDULES["R-109"] and discounting.schedule_name == "R-109"
    assert discounting.rate is None
    # Only a rate of its own makes it flat: a named choice.
    flat = parse({**BASE, "discounting": {"rate": 0.04}}).discounting
    assert flat.schedule is None and flat.rate.central == 0.04


def test_the_convention_is_printed_with_the_result() -> None:
    result = engine.compute(parse(BASE), uncertainty=False)
    expected = (
        "R-109 declining schedule (4.0% years 1-40, 3.0% years 41-75, 2.0% from year 76); "
        "first year undiscounted"
    )
    assert result.to_dict()["discounting"]["convention"] == expected
    assert f"Discounting: {expected}" in _text(result)
    flat = engine.compute(parse({**BASE, "discounting": {"rate": 0.04}}), uncertainty=False)
    assert "flat 4.0% a year (chosen instead of R-109/21" in _text(flat)


def test_a_flat_rate_past_forty_years_is_warned() -> None:
    long = {**BASE, "outcomes": [{**BASE["outcomes"][0], "duration": 41, "drop_off": 0.1}]}
    assert "flat_rate_long" in _codes({**long, "discounting": {"rate": 0.04}})
    assert "flat_rate_long" not in _codes(long)  # R-109's schedule lowers the rate itself
    forty = {**long, "outcomes": [{**long["outcomes"][0], "duration": 40}]}
    assert "flat_rate_long" not in _codes({**forty, "discounting": {"rate": 0.04}})


def test_drop_off_is_not_asked_of_a_one_year_outcome() -> None:
    assert "missing_rate" not in _codes(BASE)
    two_years = {**BASE, "outcomes": [{**BASE["outcomes"][0], "duration": 2}]}
    assert "missing_rate" in _codes(two_years)


def test_a_wellbeing_value_without_a_source_is_warned() -> None:
    outcome = {k: v for k, v in BASE["outcomes"][0].items() if k not in ("proxy", "proxy_source")}
    data = {**BASE, "outcomes": [{**outcome, "life_satisfaction": 0.5}]}
    assert "wellbeing_without_source" in _codes({**data, "wellbeing": {"value_per_point": 1000}})
    sourced = {**data, "wellbeing": {"value_per_point": 1000, "source": "Fujiwara 2013"}}
    assert "wellbeing_without_source" not in _codes(sourced)


def test_the_rate_bands_no_longer_claim_a_published_source() -> None:
    data = {**BASE, "outcomes": [{**BASE["outcomes"][0], "attribution": 0.9}]}
    [warning] = [w for w in engine.honesty_warnings(parse(data)) if w.code == "atypical_rate"]
    assert "published" not in warning.message and "band Samskap asks a reason for" in (
        warning.message
    )
