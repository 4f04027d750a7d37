"""The method on small maps computed by hand, and properties that must hold for any map."""

import math
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samskap.valuation import engine, reference
from samskap.valuation.valuemap import ValueMapError, parse


def simple_map(**outcome_changes) -> dict:
    """1,000 in year 0; 10 units x 100, deadweight 20 %, attribution 25 %, drop-off 50 %."""
    outcome = {
        "stakeholder": "Participants",
        "outcome": "In work",
        "quantity": 10,
        "proxy": 100,
        "proxy_source": "Test",
        "duration": 3,
        "deadweight": 0.2,
        "displacement": 0,
        "attribution": 0.25,
        "drop_off": 0.5,
    }
    outcome.update(outcome_changes)
    return {
        "title": "Test",
        "discounting": {"rate": 0.05, "first_year": "discounted"},
        "inputs": [{"stakeholder": "Municipality", "amount": 1000}],
        "outcomes": [outcome],
    }


def result_of(data: dict, **kwargs) -> engine.ValueResult:
    return engine.compute(parse(data), **({"draws": 2000, "seed": 1} | kwargs))


# Impact in year 1: 10 x 100 x (1 - 0.2) x (1 - 0) x (1 - 0.25) = 600; then 300, 150.


def test_discounted_first_year_convention_discounts_year_one():
    result = result_of(simple_map())
    expected = 600 / 1.05 + 300 / 1.05**2 + 150 / 1.05**3
    assert result.present_value == pytest.approx(expected)
    assert result.sroi_ratio == pytest.approx(expected / 1000)
    assert result.net_present_value == pytest.approx(expected - 1000)
    assert result.net_sroi_ratio == pytest.approx((expected - 1000) / 1000)


def test_undiscounted_first_year_convention_counts_year_one_in_full():
    data = simple_map()
    data["discounting"]["first_year"] = "undiscounted"
    result = result_of(data)
    assert result.present_value == pytest.approx(600 + 300 / 1.05 + 150 / 1.05**2)


def test_outcome_starting_after_the_activity_begins_in_year_two():
    result = result_of(simple_map(starts="after"))
    assert [y.year for y in result.outcomes[0].years] == [2, 3, 4]
    assert result.present_value == pytest.approx(600 / 1.05**2 + 300 / 1.05**3 + 150 / 1.05**4)


def test_every_year_shows_its_value_factor_and_present_value():
    years = result_of(simple_map()).outcomes[0].years
    assert [(y.year, y.value, y.exponent) for y in years] == [(1, 600, 1), (2, 300, 2), (3, 150, 3)]
    assert years[1].discount_factor == pytest.approx(1.05**-2)
    assert years[1].present_value == pytest.approx(300 / 1.05**2)


def test_a_custom_schedule_discounts_year_by_year():
    data = simple_map(drop_off=0, deadweight=0, attribution=0, quantity=1, duration=4)
    data["discounting"] = {
        "schedule": [{"from_year": 1, "to_year": 2, "rate": 0.10}, {"from_year": 3, "rate": 0}],
        "first_year": "discounted",
    }
    result = result_of(data)
    assert result.present_value == pytest.approx(100 / 1.1 + 3 * 100 / 1.1**2)


def test_the_r109_schedule_steps_down_after_forty_years():
    data = simple_map(drop_off=0, deadweight=0, attribution=0, quantity=1, duration=41)
    data["discounting"] = {"schedule": "R-109", "first_year": "discounted"}
    years = result_of(data).outcomes[0].years
    assert years[39].discount_factor == pytest.approx(1.04**-40)
    assert years[40].discount_factor == pytest.approx(1.04**-40 / 1.03)


def test_inputs_in_later_years_are_discounted_like_outcomes():
    data = simple_map()
    data["inputs"].append({"stakeholder": "State", "amount": 500, "year": 2})
    assert result_of(data).present_value_of_inputs == pytest.approx(1000 + 500 / 1.05**2)
    data["discounting"]["first_year"] = "undiscounted"
    result = result_of(data)
    assert result.present_value_of_inputs == pytest.approx(1000 + 500 / 1.05)
    assert result.total_inputs == 1500


def test_full_deadweight_leaves_no_value():
    result = result_of(simple_map(deadweight=1))
    assert result.present_value == 0
    assert result.sroi_ratio == 0


def test_full_drop_off_keeps_only_the_first_year():
    result = result_of(simple_map(drop_off=1))
    assert result.present_value == pytest.approx(600 / 1.05)


def test_zero_rates_take_the_whole_change():
    result = result_of(simple_map(deadweight=0, attribution=0, drop_off=0, duration=1))
    assert result.present_value == pytest.approx(1000 / 1.05)


def test_displacement_reduces_the_impact():
    result = result_of(simple_map(displacement=0.5, duration=1))
    assert result.outcomes[0].first_year_impact == pytest.approx(300)


def test_payback_counts_months_of_even_value_within_a_year():
    # Cumulative 600, 900, 1,050: the last 100 of 1,000 come 100/150 into year 3.
    assert result_of(simple_map()).payback_months == pytest.approx(24 + 8)


def test_payback_is_none_when_value_never_reaches_the_inputs():
    data = simple_map()
    data["inputs"][0]["amount"] = 2000
    assert result_of(data).payback_months is None


def test_volunteer_hours_count_as_inputs_at_their_hourly_value():
    data = simple_map()
    data["inputs"].append({"stakeholder": "Volunteers", "hours": 100, "hourly_value": 250})
    result = result_of(data)
    assert result.total_inputs == 1000 + 25_000
    assert result.inputs[1].amount == 25_000


def test_wellbeing_outcomes_are_valued_at_the_value_per_point():
    data = simple_map()
    data["wellbeing"] = {"value_per_point": 20_000, "source": "Test"}
    data["outcomes"].append(
        {"stakeholder": "Participants", "outcome": "Life", "quantity": 10, "life_satisfaction": 0.5}
    )
    result = result_of(data)
    assert result.outcomes[1].first_year_impact == pytest.approx(10 * 0.5 * 20_000)
    assert result.wellbeing["present_value"] == pytest.approx(100_000 / 1.05)
    assert result.wellbeing["outcomes"] == [1]


def test_outcomes_without_money_value_are_listed_not_dropped():
    data = simple_map()
    data["outcomes"].append({"stakeholder": "Families", "outcome": "Less worry", "quantity": 12})
    result = result_of(data)
    assert result.unvalued_outcomes == [
        {
            "index": 1,
            "stakeholder": "Families",
            "outcome": "Less worry",
            "indicator": "",
            "quantity": 12,
        }
    ]
    assert len(result.outcomes) == 1


def test_value_is_broken_down_by_stakeholder_year_and_public_payer():
    data = simple_map(payer="municipality")
    data["outcomes"].append(
        dict(data["outcomes"][0], stakeholder="State", outcome="Benefits saved", payer="state")
    )
    result = result_of(data)
    assert {r["stakeholder"]: r["present_value"] for r in result.by_stakeholder}["State"] == (
        pytest.approx(result.present_value / 2)
    )
    assert [r["value"] for r in result.by_year] == pytest.approx([0, 1200, 600, 300])
    assert result.by_year[0]["inputs"] == 1000
    budget = result.public_budget
    assert [r["value"] for r in budget["municipality"]["by_year"]] == pytest.approx([600, 300, 150])
    assert budget["state"]["present_value"] == pytest.approx(result.present_value / 2)


# --- uncertainty -----------------------------------------------------------------------------


def ranged_map() -> dict:
    return simple_map(
        quantity={"low": 5, "central": 10, "high": 20},
        deadweight={"low": 0.1, "central": 0.2, "high": 0.4},
    )


def test_central_results_use_the_central_values_of_ranges():
    assert result_of(ranged_map()).present_value == pytest.approx(
        result_of(simple_map()).present_value
    )


def test_monte_carlo_is_reproducible_with_a_seed_and_ordered():
    a = result_of(ranged_map(), seed=42).uncertainty
    b = result_of(ranged_map(), seed=42).uncertainty
    c = result_of(ranged_map(), seed=43).uncertainty
    assert a == b
    assert a.ratio_percentiles != c.ratio_percentiles
    p = a.ratio_percentiles
    assert p[5] < p[50] < p[95]
    # Every draw lies between the ratio at the lowest and at the highest assumptions.
    worst = result_of(simple_map(quantity=5, deadweight=0.4)).sroi_ratio
    best = result_of(simple_map(quantity=20, deadweight=0.1)).sroi_ratio
    assert worst <= p[5] and p[95] <= best
    assert sum(a.ratio_histogram[1]) == a.draws


def test_fixed_values_give_a_band_of_zero_width():
    u = result_of(simple_map()).uncertainty
    ratio = result_of(simple_map()).sroi_ratio
    assert u.ranged_assumptions == 0
    assert u.ratio_percentiles[5] == pytest.approx(ratio)
    assert u.ratio_percentiles[95] == pytest.approx(ratio)
    assert u.probability_ratio_above_1 == 0.0


def test_probability_above_one_matches_the_share_of_draws():
    data = ranged_map()
    model = engine.Model(parse(data))
    X = model.sample(np.random.default_rng(5), 5000)
    ratios = np.divide(*model.evaluate(X))
    u = engine.monte_carlo(model, 5000, seed=5)
    assert u.probability_ratio_above_1 == pytest.approx(float(np.mean(ratios > 1)))


def test_a_run_in_chunks_is_reproducible_and_agrees_with_one_chunk():
    model = engine.Model(parse(ranged_map()))
    whole = engine.monte_carlo(model, 20_000, seed=9, chunk=20_000)
    pieces = engine.monte_carlo(model, 20_000, seed=9, chunk=777)
    assert pieces == engine.monte_carlo(model, 20_000, seed=9, chunk=777)
    assert pieces.draws == 20_000 and sum(pieces.ratio_histogram[1]) == 20_000
    for level in (5, 50, 95):
        assert pieces.ratio_percentiles[level] == pytest.approx(
            whole.ratio_percentiles[level], rel=0.02
        )


def test_tornado_moves_one_range_at_a_time_widest_first():
    bars = result_of(ranged_map()).tornado
    assert [b.parameter.key for b in bars] == ["outcomes[0].quantity", "outcomes[0].deadweight"]
    at_low_quantity = result_of(simple_map(quantity=5)).sroi_ratio
    assert bars[0].ratio_at_low == pytest.approx(at_low_quantity)
    at_high_deadweight = result_of(simple_map(deadweight=0.4)).sroi_ratio
    assert bars[1].ratio_at_high == pytest.approx(at_high_deadweight)


def test_break_even_values_bring_the_ratio_to_one():
    result = result_of(ranged_map())
    found = {be.parameter.key: be for be in result.break_even}
    # Ratio 0.9731 at quantity 10: linear, so 1 at 10 / 0.9731.
    quantity = found["outcomes[0].quantity"]
    assert quantity.value == pytest.approx(10 / result.sroi_ratio)
    assert quantity.ratio_above_one_when == "above"
    assert result_of(simple_map(quantity=quantity.value)).sroi_ratio == pytest.approx(1)
    drop_off = found["outcomes[0].drop_off"]  # by bisection
    assert result_of(simple_map(drop_off=drop_off.value)).sroi_ratio == pytest.approx(1, abs=1e-9)
    assert drop_off.ratio_above_one_when == "below"
    amount = found["inputs[0].amount"]
    assert amount.value == pytest.approx(result.present_value)


def test_break_even_is_none_when_no_value_in_range_reaches_one():
    result = result_of(simple_map(quantity=100))  # ratio 9.7: even 100 % deadweight? No: 0.
    found = {be.parameter.key: be for be in result.break_even}
    assert found["outcomes[0].deadweight"].value is not None
    # Displacement has a root in [0, 1]; the discount rate does not (ratio > 1 at 100 %).
    assert found["discounting.rate"].value is None
    assert found["discounting.rate"].ratio_above_one_when == "always"


def test_a_ranged_discount_rate_varies_the_discount_factors():
    data = ranged_map()
    data["discounting"]["rate"] = {"low": 0.0, "central": 0.05, "high": 0.1}
    bars = {b.parameter.key: b for b in result_of(data).tornado}
    undiscounted = 600 + 300 + 150
    assert bars["discounting.rate"].ratio_at_low == pytest.approx(undiscounted / 1000)


# --- honesty checks --------------------------------------------------------------------------


def codes(data: dict) -> set[tuple[str, str]]:
    return {(w.code, w.place) for w in engine.honesty_warnings(parse(data))}


def test_missing_and_zero_rates_are_warned_about():
    data = simple_map(deadweight=0)
    del data["outcomes"][0]["attribution"]
    found = codes(data)
    assert ("zero_rate", "outcomes[0].deadweight") in found
    assert ("missing_rate", "outcomes[0].attribution") in found


def test_rates_outside_the_published_range_are_warned_about():
    found = codes(simple_map(deadweight=0.7, attribution=0.05, drop_off=0.6))
    assert {c for c, _ in found} == {"atypical_rate"}
    assert len(found) == 3
    assert codes(simple_map(deadweight=0.5, attribution=0.1, drop_off=0.5)) == set()


def test_a_proxy_without_source_is_warned_about():
    assert ("proxy_without_source", "outcomes[0].proxy_source") in codes(
        simple_map(proxy_source="")
    )


def test_a_long_duration_without_drop_off_is_warned_about():
    found = codes(simple_map(duration=6, drop_off=0))
    assert ("long_without_drop_off", "outcomes[0].drop_off") in found
    assert not any(
        c == "long_without_drop_off" for c, _ in codes(simple_map(duration=5, drop_off=0))
    )


def test_the_same_change_twice_for_a_stakeholder_is_warned_about():
    data = simple_map()
    data["outcomes"].append(dict(data["outcomes"][0], outcome="In paid work"))
    data["outcomes"].append(dict(data["outcomes"][0], stakeholder="Families", outcome="In work"))
    data["outcomes"].append(dict(data["outcomes"][0], outcome="Better health"))
    assert {p for c, p in codes(data) if c == "possible_double_count"} == {"outcomes[1]"}


# --- the vectorised evaluation agrees with the plain one ------------------------------------


def test_the_vectorised_evaluation_matches_the_plain_python_method():
    data = simple_map(starts="after")
    data["outcomes"].append(
        {
            "stakeholder": "State",
            "outcome": "Benefits saved",
            "quantity": {"low": 1, "central": 3, "high": 4},
            "proxy": {"low": -50, "central": 200, "high": 300},
            "duration": 5,
            "deadweight": {"low": 0, "central": 0.1, "high": 0.9},
            "drop_off": {"low": 0.05, "central": 0.2, "high": 1},
        }
    )
    data["wellbeing"] = {"value_per_point": {"low": 1, "central": 2, "high": 3}}
    data["outcomes"].append(
        {"stakeholder": "Kids", "outcome": "Happier", "quantity": 4, "life_satisfaction": 0.3}
    )
    data["inputs"].append({"stakeholder": "V", "hours": 10, "hourly_value": 7, "year": 3})
    for discounting in (
        {"rate": {"low": 0, "central": 0.04, "high": 0.2}, "first_year": "undiscounted"},
        {"schedule": "green-book", "first_year": "discounted"},
    ):
        data["discounting"] = discounting
        model = engine.Model(parse(data))
        X = model.sample(np.random.default_rng(3), 50)
        rng = random.Random(4)
        for p in range(model.n_parameters):  # fixed values too, not only the ranged ones
            X[p] *= 1 + 0.1 * rng.random()
        pv_out, pv_in = model.evaluate(X)
        for row in range(50):
            values = {p.key: X[k, row] for k, p in enumerate(model.parameters)}
            expected = reference.present_values(model.value_map, values)
            assert (pv_out[row], pv_in[row]) == pytest.approx(expected, rel=1e-12)


def test_the_vectorised_run_matches_the_plain_run_in_distribution():
    value_map = parse(ranged_map())
    model = engine.Model(value_map)
    plain = reference.monte_carlo_ratios(value_map, model.parameters, 4000, seed=1)
    fast = engine.monte_carlo(model, 40_000, seed=1)
    assert np.median(plain) == pytest.approx(fast.ratio_percentiles[50], rel=0.03)
    assert np.percentile(plain, 5) == pytest.approx(fast.ratio_percentiles[5], rel=0.05)


# --- properties -------------------------------------------------------------------------------

rates = st.floats(0, 1, allow_nan=False)
amounts = st.floats(1, 1e6, allow_nan=False)


@st.composite
def value_maps(draw) -> dict:
    outcomes = []
    for _ in range(draw(st.integers(1, 4))):
        outcomes.append(
            {
                "stakeholder": draw(st.sampled_from(["A", "B"])),
                "outcome": draw(st.text("xyz", min_size=1, max_size=5)),
                "quantity": draw(st.floats(0, 1000)),
                "proxy": draw(st.floats(0, 1e5)),
                "duration": draw(st.integers(1, 8)),
                "starts": draw(st.sampled_from(["during", "after"])),
                "deadweight": draw(rates),
                "displacement": draw(rates),
                "attribution": draw(rates),
                "drop_off": draw(rates),
            }
        )
    return {
        "title": "Property",
        "discounting": {
            "rate": draw(st.floats(0, 0.2)),
            "first_year": draw(st.sampled_from(["discounted", "undiscounted"])),
        },
        "inputs": [{"stakeholder": "M", "amount": draw(amounts), "year": draw(st.integers(0, 3))}],
        "outcomes": outcomes,
    }


fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(value_maps(), st.integers(0, 3), st.floats(0, 1), st.floats(0, 1))
def test_ratio_falls_as_deadweight_rises(data, which, a, b):
    which %= len(data["outcomes"])
    lower, higher = sorted((a, b))
    data["outcomes"][which]["deadweight"] = lower
    at_lower = engine.compute(parse(data), uncertainty=False).sroi_ratio
    data["outcomes"][which]["deadweight"] = higher
    at_higher = engine.compute(parse(data), uncertainty=False).sroi_ratio
    assert at_higher <= at_lower * (1 + 1e-12) + 1e-12


@fast
@given(value_maps())
def test_doubling_every_quantity_doubles_the_present_value(data):
    before = engine.compute(parse(data), uncertainty=False).present_value
    for outcome in data["outcomes"]:
        outcome["quantity"] *= 2
    after = engine.compute(parse(data), uncertainty=False).present_value
    assert after == pytest.approx(2 * before, rel=1e-9, abs=1e-9)


@fast
@given(value_maps())
def test_npv_is_pv_minus_inputs_and_ratio_their_quotient(data):
    r = engine.compute(parse(data), uncertainty=False)
    assert r.net_present_value == pytest.approx(r.present_value - r.present_value_of_inputs)
    assert r.sroi_ratio == pytest.approx(r.present_value / r.present_value_of_inputs)
    assert math.isfinite(r.sroi_ratio)


def test_a_map_with_no_inputs_gets_a_clear_error():
    data = simple_map()
    data["inputs"] = []
    with pytest.raises(ValueMapError, match=r"\$\.inputs: the map has no inputs"):
        parse(data)


def test_inputs_that_can_be_zero_are_refused_before_any_division():
    data = simple_map()
    data["inputs"] = [{"stakeholder": "M", "amount": {"low": 0, "central": 10, "high": 20}}]
    with pytest.raises(ValueMapError, match="division by zero"):
        parse(data)


def test_the_engine_refuses_a_map_without_inputs_built_in_code():
    value_map = parse(simple_map())
    import dataclasses

    with pytest.raises(ValueMapError, match="no inputs"):
        engine.compute(dataclasses.replace(value_map, inputs=()))


def test_a_proxy_does_not_break_even_by_changing_sign():
    data = simple_map(quantity=100)
    data["inputs"][0]["amount"] = 100
    found = {be.parameter.key: be for be in result_of(data).break_even}
    # The ratio would reach 1 only at a proxy of about 1 (still positive): found.
    assert found["outcomes[0].proxy"].value == pytest.approx(100 / result_of(data).sroi_ratio)
    data["inputs"][0]["amount"] = 1
    data["outcomes"].append(dict(data["outcomes"][0], outcome="Other", quantity=1, proxy=1))
    found = {be.parameter.key: be for be in result_of(data).break_even}
    # The small second outcome cannot pull the ratio to 1 without becoming negative.
    assert found["outcomes[1].proxy"].value is None
    assert found["outcomes[1].proxy"].ratio_above_one_when == "always"
