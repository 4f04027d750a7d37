"""Comparison statistics (Wilson, McNemar, Holm, Welch, difference-in-differences, d_av, the
smallest exact Wilcoxon p) against SciPy and published worked examples."""

import math

import numpy as np
import pytest
from scipy import stats as sp

from samskap.measurement import stats

RNG = np.random.default_rng(18)


def test_wilson_matches_newcombe_1998_worked_example() -> None:
    # Newcombe 1998, Stat Med 17:857-872, table I, example 81/263: Wilson 0.2553 to 0.3662.
    low, high = stats.wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=5e-5)
    assert high == pytest.approx(0.3662, abs=5e-5)


@pytest.mark.parametrize(("k", "n"), [(0, 5), (5, 5), (3, 7), (12, 40), (1, 1)])
def test_wilson_matches_scipy(k: int, n: int) -> None:
    ci = sp.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert stats.wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_mcnemar_exact_matches_scipy_binomial_test() -> None:
    before = [True] * 9 + [False] * 6 + [True] * 4 + [False] * 5
    after = [False] * 9 + [True] * 6 + [True] * 4 + [False] * 5
    result = stats.mcnemar(before, after)
    assert (result.b, result.c, result.method) == (9, 6, "exact")
    assert result.p_value == pytest.approx(sp.binomtest(9, 15, 0.5).pvalue)


def test_mcnemar_large_uses_corrected_chi_square() -> None:
    before = [True] * 30 + [False] * 12
    after = [False] * 30 + [True] * 12
    result = stats.mcnemar(before, after)
    assert result.method == "chi-square"
    assert result.p_value == pytest.approx(sp.chi2.sf((abs(30 - 12) - 1) ** 2 / 42, 1))


def test_mcnemar_without_discordant_pairs_has_no_p() -> None:
    assert stats.mcnemar([True, False], [True, False]).p_value is None


def test_holm_adjusts_step_down_and_keeps_order() -> None:
    # Worked by hand: sorted 0.01, 0.02, 0.04 -> 3 x 0.01, 2 x 0.02, max(0.04, 0.04).
    assert stats.holm([0.04, 0.01, None, 0.02]) == pytest.approx([0.04, 0.03, None, 0.04])
    assert stats.holm([0.5, 0.9]) == [1.0, 1.0]


def test_welch_difference_matches_scipy() -> None:
    a = RNG.normal(3.4, 0.8, 14)
    b = RNG.normal(3.0, 1.3, 9)
    ours = stats.welch_difference(a, b)
    theirs = sp.ttest_ind(a, b, equal_var=False)
    ci = theirs.confidence_interval(0.95)
    assert ours.ci95 == pytest.approx((ci.low, ci.high), rel=1e-8)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-8)
    assert ours.df == pytest.approx(theirs.df)


def test_difference_in_differences_formula() -> None:
    before = RNG.normal(3, 1, 20)
    after = before + RNG.normal(0.6, 0.5, 20)
    comparison_before = RNG.normal(3, 1, 15)
    comparison_after = RNG.normal(3.2, 1, 12)
    did = stats.difference_in_differences(before, after, comparison_before, comparison_after)
    d = after - before
    expected = d.mean() - (comparison_after.mean() - comparison_before.mean())
    parts = [
        d.var(ddof=1) / 20,
        comparison_after.var(ddof=1) / 12,
        comparison_before.var(ddof=1) / 15,
    ]
    se = math.sqrt(sum(parts))
    df = se**4 / (parts[0] ** 2 / 19 + parts[1] ** 2 / 11 + parts[2] ** 2 / 14)
    assert did.estimate == pytest.approx(expected)
    assert did.se == pytest.approx(se)
    assert did.df == pytest.approx(df)
    half = sp.t.ppf(0.975, df) * se
    assert did.ci95 == pytest.approx((expected - half, expected + half))


def test_difference_in_differences_needs_two_answers_per_part() -> None:
    assert stats.difference_in_differences([1, 2], [2, 3], [1], [2, 3]) is None


def test_d_av_divides_by_the_average_sd_lakens_2013() -> None:
    before = np.array([3, 4, 2, 5, 3, 4, 3, 2, 4, 5.0])
    after = np.array([4, 5, 3, 5, 4, 5, 3, 3, 5, 5.0])
    result = stats.paired(before, after)
    average = (before.std(ddof=1) + after.std(ddof=1)) / 2
    assert result.cohens_dav == pytest.approx((after - before).mean() / average)
    assert result.cohens_dz != pytest.approx(result.cohens_dav)


@pytest.mark.parametrize(("n", "p"), [(5, 0.0625), (6, 0.03125), (1, 1.0)])
def test_smallest_exact_wilcoxon_p_is_two_over_two_to_the_n(n: int, p: float) -> None:
    assert stats.smallest_exact_wilcoxon_p(n) == p
    if n >= 2:
        # Everyone improving is the most extreme outcome: SciPy's exact p equals it.
        assert sp.wilcoxon(np.arange(1, n + 1), method="exact").pvalue == pytest.approx(p)


def test_paired_at_n_5_says_the_smallest_p_is_0_0625() -> None:
    result = stats.paired([1, 2, 3, 2, 1], [2, 4, 5, 5, 5])
    assert result.wilcoxon_min_p == 0.0625
    assert result.wilcoxon_p == pytest.approx(0.0625)
    assert any("0.0625" in note for note in result.notes)


def test_exceeds_mid_respects_direction() -> None:
    assert stats.exceeds_mid(0.6, 0.5) is True
    assert stats.exceeds_mid(0.4, 0.5) is False
    assert stats.exceeds_mid(-0.6, 0.5, "lower") is True
    assert stats.exceeds_mid(None, 0.5) is None
