"""Correlated ranges: the Gaussian copula on ranks (Iman & Conover 1982) in the value engine."""

import numpy as np
import pytest
from scipy import stats as sp

from samskap.valuation import engine, pert
from samskap.valuation.valuemap import ValueMapError, parse


def _map(group: str | None, rho: float | None, outcomes: int = 4) -> dict:
    def quantity(i: int) -> dict:
        data = {"low": 50 + i, "central": 100 + i, "high": 200 + i}
        if group:
            data["group"] = group
        return data

    data = {
        "title": "Correlated",
        "inputs": [{"stakeholder": "Municipality", "amount": 100_000}],
        "outcomes": [
            {
                "stakeholder": f"Group {i}",
                "outcome": f"Outcome number {i} of a kind {'abcdefgh'[i]}",
                "quantity": quantity(i),
                "proxy": 500,
                "proxy_source": "test",
            }
            for i in range(outcomes)
        ],
    }
    if rho is not None:
        data["correlations"] = {group: rho}
    return data


def test_sampled_rank_correlations_match_the_requested_one() -> None:
    model = engine.Model(parse(_map("takeup", 0.6)))
    X = model.sample(np.random.default_rng(1), 20_000)
    rows = model.groups["takeup"][1]
    rho = sp.spearmanr(X[rows].T).statistic
    off_diagonal = rho[~np.eye(len(rows), dtype=bool)]
    # The SE of a Spearman correlation near 0.6 at n = 20,000 is about 0.005.
    assert off_diagonal == pytest.approx(0.6, abs=0.02)


def test_correlation_keeps_each_ranges_own_draws() -> None:
    value_map = parse(_map("takeup", 0.9))
    model = engine.Model(value_map)
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    correlated = model.sample(rng_a, 1000)
    independent = model.sample(rng_b, 1000, correlated=False)
    for row in model.groups["takeup"][1]:
        assert np.sort(correlated[row]) == pytest.approx(np.sort(independent[row]))


def test_correlation_one_reproduces_the_comonotone_band() -> None:
    model = engine.Model(parse(_map("takeup", 1.0)))
    draws = 40_000
    ours = engine.monte_carlo(model, draws, seed=3)
    # Comonotone by construction: one uniform u per draw, every range at its own quantile of u.
    u = np.random.default_rng(99).random(draws)
    pv = (
        sum(
            sp.beta.ppf(u, *pert.pert_shape(50 + i, 100 + i, 200 + i)) * 150 + 50 + i
            for i in range(4)
        )
        * 500
    )
    band = np.percentile(pv / 100_000, [5, 95])
    assert ours.ratio_percentiles[5] == pytest.approx(band[0], rel=0.01)
    assert ours.ratio_percentiles[95] == pytest.approx(band[1], rel=0.01)
    assert ours.independent is not None
    # The independent band is narrower.
    width = ours.ratio_percentiles[95] - ours.ratio_percentiles[5]
    independent = ours.independent.ratio_percentiles
    assert independent[95] - independent[5] < 0.7 * width


def test_correlation_zero_reproduces_the_independent_band() -> None:
    correlated = engine.monte_carlo(engine.Model(parse(_map("takeup", 0.0))), 40_000, seed=4)
    independent = engine.monte_carlo(engine.Model(parse(_map(None, None))), 40_000, seed=8)
    for level in (5, 50, 95):
        assert correlated.ratio_percentiles[level] == pytest.approx(
            independent.ratio_percentiles[level], rel=0.01
        )


def test_negative_correlation_within_bounds_and_beyond() -> None:
    model = engine.Model(parse(_map("swap", -0.5, outcomes=2)))
    X = model.sample(np.random.default_rng(2), 20_000)
    rows = model.groups["swap"][1]
    assert sp.spearmanr(X[rows[0]], X[rows[1]]).statistic == pytest.approx(-0.5, abs=0.02)
    with pytest.raises(ValueMapError, match="cannot all have a rank correlation"):
        engine.Model(parse(_map("swap", -0.9, outcomes=4)))


def test_a_group_without_a_correlation_is_an_error_naming_the_place() -> None:
    with pytest.raises(ValueMapError) as error:
        parse(_map("takeup", None))
    assert "$.outcomes[0].quantity" in str(error.value)
    assert "'takeup' has no entry in 'correlations'" in str(error.value)


def test_out_of_range_correlation_is_refused() -> None:
    with pytest.raises(ValueMapError, match=r"between -1 and 1"):
        parse(_map("takeup", 1.5))


def test_result_json_shows_both_bands_and_the_groups() -> None:
    result = engine.compute(parse(_map("takeup", 0.8)), draws=2000, seed=1).to_dict()
    u = result["uncertainty"]
    assert u["correlations"][0]["group"] == "takeup"
    assert u["correlations"][0]["rank_correlation"] == 0.8
    assert len(u["correlations"][0]["parameters"]) == 4
    assert set(u["independent"]["sroi_ratio"]) == {"p5", "p50", "p95"}
    assert (
        engine.compute(parse(_map(None, None)), draws=200, seed=1).to_dict()["uncertainty"][
            "independent"
        ]
        is None
    )


def test_groups_round_trip_through_plain_data() -> None:
    from samskap.valuation.valuemap import to_data

    value_map = parse(_map("takeup", 0.8))
    assert parse(to_data(value_map)) == value_map
