"""The cost-benefit view (R-109/21, DFØ 2023) beside the SROI view, checked by hand."""

import json

import numpy as np
import pytest

from samskap.cli import main
from samskap.valuation import engine
from samskap.valuation.valuemap import ValueMapError, parse


def _map(**changes) -> dict:
    data = {
        "title": "Hand-computed",
        "price_year": 2024,
        "discounting": {"rate": 0},
        "inputs": [{"stakeholder": "Municipality", "amount": 1_000_000, "payer": "municipality"}],
        "outcomes": [
            {
                "stakeholder": "Participants",
                "outcome": "In paid work",
                "quantity": 10,
                "proxy": 100_000,
                "proxy_source": "test",
                "duration": 3,
            },
            {
                "stakeholder": "Municipality",
                "outcome": "Social assistance no longer paid",
                "quantity": 10,
                "proxy": 20_000,
                "proxy_source": "test",
                "duration": 2,
                "payer": "municipality",
                "flow": "transfer",
            },
        ],
    }
    data.update(changes)
    return data


def test_sroi_counts_the_transfer_and_cba_does_not() -> None:
    value_map = parse(_map())
    sroi = engine.compute(value_map, uncertainty=False)
    cba = engine.compute(value_map, uncertainty=False, view="cba")
    assert sroi.present_value == pytest.approx(3_400_000)
    assert sroi.net_present_value == pytest.approx(2_400_000)
    # Benefits 3,000,000; costs 1,000,000 + 20 % of the net public cost 1,000,000 - 400,000.
    assert cba.present_value == pytest.approx(3_000_000)
    assert cba.cost_benefit["net_public_budget_cost"] == pytest.approx(600_000)
    assert cba.cost_benefit["tax_financing_cost"] == pytest.approx(120_000)
    assert cba.present_value_of_inputs == pytest.approx(1_120_000)
    assert cba.net_present_value == pytest.approx(1_880_000)
    assert cba.cost_benefit["npv_per_budget_krone"] == pytest.approx(1_880_000 / 600_000)
    assert cba.cost_benefit["transfers_present_value"] == pytest.approx(400_000)
    # The payer lens still shows the saving, marked as a transfer.
    assert cba.public_budget["municipality"]["present_value"] == pytest.approx(400_000)
    assert cba.public_budget["municipality"]["transfers_present_value"] == pytest.approx(400_000)


def test_tax_financing_cost_setting_and_map_value() -> None:
    value_map = parse(_map())
    cba = engine.compute(value_map, uncertainty=False, view="cba", tax_financing_cost=0.1)
    assert cba.cost_benefit["tax_financing_cost"] == pytest.approx(60_000)
    own = parse(_map(cost_benefit={"tax_financing_cost": 0.3}))
    cba = engine.compute(own, uncertainty=False, view="cba", tax_financing_cost=0.1)
    assert cba.cost_benefit["tax_financing_cost"] == pytest.approx(180_000)


def test_budget_savings_larger_than_costs_are_a_tax_financing_gain() -> None:
    data = _map()
    data["outcomes"][1]["proxy"] = 100_000  # saves 2,000,000 against 1,000,000 spent
    cba = engine.compute(parse(data), uncertainty=False, view="cba")
    assert cba.cost_benefit["net_public_budget_cost"] == pytest.approx(-1_000_000)
    assert cba.cost_benefit["tax_financing_gain"] == pytest.approx(200_000)
    assert cba.net_present_value == pytest.approx(3_000_000 + 200_000 - 1_000_000)
    assert cba.cost_benefit["npv_per_budget_krone"] is None


def test_analysis_period_cuts_value_and_adds_the_discounted_residual_value() -> None:
    data = _map(
        cost_benefit={"analysis_period": 2, "residual_value": 300_000},
        discounting={"rate": 0.04},
    )
    cba = engine.compute(parse(data), uncertainty=False, view="cba")
    sroi = engine.compute(parse(data), uncertainty=False)
    # Undiscounted first year: year t has exponent t - 1.
    work = 1_000_000 * (1 + 1 / 1.04)
    residual = 300_000 / 1.04
    assert cba.cost_benefit["residual_present_value"] == pytest.approx(residual)
    assert cba.cost_benefit["cut_off_present_value"] == pytest.approx(1_000_000 / 1.04**2)
    assert cba.present_value == pytest.approx(work + residual)
    # The SROI view ignores the period.
    assert sroi.outcomes[0].outcome.duration == 3


def test_proxies_are_brought_to_the_price_year_in_both_views() -> None:
    data = _map(price_index={"2020": 112.2, "2024": 133.9})
    data["outcomes"][0]["proxy_price_year"] = 2020
    for view in ("sroi", "cba"):
        result = engine.compute(parse(data), uncertainty=False, view=view)
        assert result.outcomes[0].unit_value == pytest.approx(100_000 * 133.9 / 112.2)


def test_a_missing_price_index_year_names_the_outcome() -> None:
    data = _map(price_index={"2024": 133.9})
    data["outcomes"][0]["proxy_price_year"] = 2019
    with pytest.raises(ValueMapError) as error:
        engine.compute(parse(data), uncertainty=False)
    place, message = error.value.problems[0]
    assert place == "$.outcomes[0].proxy_price_year"
    assert "2019" in message


def test_the_vectorised_model_agrees_with_the_detail_in_the_cba_view() -> None:
    data = _map(
        cost_benefit={"analysis_period": 2, "residual_value": 300_000},
        discounting={"rate": {"low": 0.02, "central": 0.04, "high": 0.06}},
    )
    data["outcomes"][0]["quantity"] = {"low": 5, "central": 10, "high": 14}
    value_map = parse(data)
    result = engine.compute(value_map, uncertainty=False, view="cba")
    model = engine.Model(value_map, "cba")
    pv_out, pv_in = model.evaluate(model.matrix(1))
    assert pv_out[0] == pytest.approx(result.present_value)
    assert pv_in[0] == pytest.approx(result.present_value_of_inputs)


def test_monte_carlo_tornado_and_break_even_work_in_the_cba_view() -> None:
    data = _map()
    data["outcomes"][0]["quantity"] = {"low": 2, "central": 10, "high": 14}
    data["outcomes"][1]["quantity"] = {"low": 5, "central": 10, "high": 20}
    value_map = parse(data)
    cba = engine.compute(value_map, view="cba", draws=2000, seed=1)
    sroi = engine.compute(value_map, view="sroi", draws=2000, seed=1)
    assert cba.uncertainty.ratio_percentiles[50] < sroi.uncertainty.ratio_percentiles[50]
    keys = [bar.parameter.key for bar in cba.tornado]
    assert "outcomes[0].quantity" in keys
    # The transfer's quantity moves the CBA only through the tax-financing cost.
    transfer = next(b for b in cba.tornado if b.parameter.key == "outcomes[1].quantity")
    work = next(b for b in cba.tornado if b.parameter.key == "outcomes[0].quantity")
    assert transfer.swing < work.swing
    model = engine.Model(value_map, "cba")
    for be in cba.break_even:
        if be.value is None:
            continue
        index = model.parameters.index(be.parameter)
        X = model.matrix(1)
        X[index, 0] = be.value
        pv_out, pv_in = model.evaluate(X)
        assert pv_out[0] - pv_in[0] == pytest.approx(0, abs=1e-3)


def test_one_sentence_says_why_the_views_differ() -> None:
    _, _, sentence = engine.compute_both(parse(_map()), uncertainty=False)
    assert sentence.code == "views_differ"
    assert "transfers between parties" in sentence
    assert "tax-financing cost" in sentence
    assert sentence.params["difference"] == pytest.approx(1_880_000 - 2_400_000)
    assert [item["reason"] for item in sentence.params["because"]] == ["transfers", "tax_cost"]


def test_cli_view_cba_has_the_same_keys_plus_view(tmp_path, capsys) -> None:
    path = tmp_path / "map.json"
    data = _map()
    data["outcomes"][0]["proxy_price_year"] = 2020
    path.write_text(json.dumps(data), encoding="utf-8")
    cpi = tmp_path / "cpi.csv"
    cpi.write_text("year;index\n2020;112,2\n2024;133,9\n", encoding="utf-8")
    outputs = {}
    for view in ("sroi", "cba"):
        code = main(
            [
                "value",
                str(path),
                "--view",
                view,
                "--cpi",
                str(cpi),
                "--format",
                "json",
                "--draws",
                "500",
                "--seed",
                "1",
            ]
        )
        assert code == 0
        outputs[view] = json.loads(capsys.readouterr().out)
    assert set(outputs["sroi"]) == set(outputs["cba"])
    assert outputs["sroi"]["view"] == "sroi" and outputs["sroi"]["cost_benefit"] is None
    assert outputs["cba"]["view"] == "cba"
    assert outputs["cba"]["cost_benefit"]["real_price_adjustments"][0]["factor"] == pytest.approx(
        133.9 / 112.2
    )
    assert outputs["cba"]["net_present_value"] < outputs["sroi"]["net_present_value"]


def test_cli_text_cba_and_bad_cpi(tmp_path, capsys) -> None:
    path = tmp_path / "map.json"
    path.write_text(json.dumps(_map()), encoding="utf-8")
    assert main(["value", str(path), "--view", "cba", "--draws", "200"]) == 0
    out = capsys.readouterr().out
    assert "cost-benefit view" in out and "NPV per budget krone: 3.13" in out
    cpi = tmp_path / "cpi.csv"
    cpi.write_text("year,index\n2020,abc\n", encoding="utf-8")
    assert main(["value", str(path), "--cpi", str(cpi)]) == 2
    assert "line 2" in capsys.readouterr().err


def test_flows_round_trip_through_plain_data() -> None:
    from samskap.valuation.valuemap import to_data

    data = _map(cost_benefit={"analysis_period": 4, "residual_value": 5}, price_index={"2024": 1})
    data["inputs"][0]["flow"] = "transfer"
    value_map = parse(data)
    assert parse(json.loads(json.dumps(to_data(value_map)))) == value_map
    assert np.isfinite(engine.compute(value_map, uncertainty=False, view="cba").present_value)


def test_the_sentence_is_translated_on_pages() -> None:
    from django.utils import translation

    from samskap.core.coded_texts import translated

    _, _, sentence = engine.compute_both(parse(_map()), uncertainty=False)
    with translation.override("nb"):
        text = translated(sentence)
    assert text.startswith("Netto nåverdi i den samfunnsøkonomiske analysen")
    assert "overføringer mellom parter" in text and "skattefinansieringskostnaden på 20" in text


def _ranged_cost_map(low: float, high: float) -> dict:
    """Benefits 1,000,000 to participants (no public budget), the municipality's cost a range
    low-1,000,000-high: NPV per budget krone = (1,000,000 - 1.2 A) / A = 1,000,000 / A - 1.2."""
    data = _map()
    data["inputs"][0]["amount"] = {"low": low, "central": 1_000_000, "high": high}
    data["outcomes"] = data["outcomes"][:1]
    data["outcomes"][0]["duration"] = 1
    return data


def test_npv_per_budget_krone_has_a_band_from_the_draws() -> None:
    """Draw by draw, NPV / net budget cost; here a decreasing function of the cost A, so its
    5th percentile is f(A's 95th) — A is PERT(low, mode, high) = low + (high - low) Beta(α, β)
    with α = 1 + 4 (mode - low)/(high - low), β = 1 + 4 (high - mode)/(high - low) (Vose 2008),
    whose percentiles SciPy gives."""
    from scipy import stats

    low, high = 800_000, 1_500_000
    cba = engine.compute(parse(_ranged_cost_map(low, high)), view="cba", draws=20_000, seed=3)
    assert cba.cost_benefit["npv_per_budget_krone"] == pytest.approx(1_000_000 / 1_000_000 - 1.2)
    alpha = 1 + 4 * (1_000_000 - low) / (high - low)
    beta = 1 + 4 * (high - 1_000_000) / (high - low)
    cost = {q: low + (high - low) * stats.beta.ppf(q / 100, alpha, beta) for q in (5, 50, 95)}
    band = cba.uncertainty.npv_per_budget_krone_percentiles
    assert cba.uncertainty.budget_cost_share == 1.0
    assert band[5] == pytest.approx(1_000_000 / cost[95] - 1.2, abs=0.01)
    assert band[50] == pytest.approx(1_000_000 / cost[50] - 1.2, abs=0.01)
    assert band[95] == pytest.approx(1_000_000 / cost[5] - 1.2, abs=0.01)
    # Not the ratio of the NPV's and the cost's percentiles: per draw.
    data = cba.to_dict()["uncertainty"]
    assert data["npv_per_budget_krone"]["p5"] == pytest.approx(band[5], abs=1e-6)
    assert data["budget_cost_share"] == 1.0
    sroi = engine.compute(parse(_ranged_cost_map(low, high)), draws=2_000, seed=3)
    assert sroi.to_dict()["uncertainty"]["npv_per_budget_krone"] is None


def test_npv_per_budget_krone_has_no_band_when_budgets_often_save() -> None:
    """A saving to the municipality (10 x 60,000-100,000-140,000) against its cost of
    1,000,000: budgets bear a net cost at central values but save in many draws."""
    data = _map()
    data["outcomes"][1].update(
        proxy={"low": 60_000, "central": 99_000, "high": 140_000}, flow="resource", duration=1
    )
    cba = engine.compute(parse(data), view="cba", draws=4_000, seed=1)
    assert cba.cost_benefit["net_public_budget_cost"] == pytest.approx(10_000)
    share = cba.uncertainty.budget_cost_share
    assert 0.05 < share < engine.BAND_DEFINED
    assert cba.uncertainty.npv_per_budget_krone_percentiles is None
