"""The health check's gap interval (Welch) and the very-low flag."""

import pytest
from scipy import stats as sp

from samskap.health import scoring

ITEMS = {"a": "trust", "b": "trust"}


def _responses(party: str, scores: list[tuple[int, int]]) -> list[scoring.Response]:
    return [scoring.Response(party, {"a": x, "b": y}) for x, y in scores]


def test_gap_interval_is_welchs_interval() -> None:
    municipality = [(4, 5), (4, 4), (5, 5), (3, 4), (4, 5), (5, 4)]
    partner = [(3, 3), (2, 3), (4, 3), (3, 2), (3, 4), (2, 2), (3, 3)]
    score = scoring.score_round(
        _responses("municipality", municipality) + _responses("partner", partner),
        ITEMS,
        ["trust"],
        threshold=5,
    )
    dim = score.dimension("trust")
    m = [(x + y) / 2 for x, y in municipality]
    p = [(x + y) / 2 for x, y in partner]
    ci = sp.ttest_ind(m, p, equal_var=False).confidence_interval(0.95)
    assert dim.gap_ci95 == pytest.approx((ci.low, ci.high))
    assert dim.gap_ci95[0] < dim.gap < dim.gap_ci95[1]


def test_no_interval_when_a_side_is_suppressed() -> None:
    score = scoring.score_round(
        _responses("municipality", [(4, 4)] * 6) + _responses("partner", [(3, 3), (2, 3)]),
        ITEMS,
        ["trust"],
        threshold=5,
    )
    assert score.dimension("trust").gap_ci95 is None


def test_a_very_low_side_is_flagged_even_when_both_agree() -> None:
    low = [(2, 2), (2, 3), (1, 2), (3, 2), (2, 2)]
    score = scoring.score_round(
        _responses("municipality", low) + _responses("partner", low), ITEMS, ["trust"], threshold=5
    )
    dim = score.dimension("trust")
    assert dim.gap == 0
    assert "very_low_municipality" in dim.flags and "very_low_partner" in dim.flags
    assert "gap" not in dim.flags
