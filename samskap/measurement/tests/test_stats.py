"""The statistics module against SciPy (an independent implementation)."""

import json
import math

import numpy as np
import pytest
from scipy import stats as sp

from samskap.cli import main
from samskap.measurement import stats

RNG = np.random.default_rng(20240905)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 29, 120, 1000])
@pytest.mark.parametrize("t", [-7.5, -2.1, -0.3, 0.0, 0.8, 1.96, 3.3, 12.0])
def test_t_cdf_matches_scipy(df: int, t: float) -> None:
    assert stats.t_cdf(t, df) == pytest.approx(sp.t.cdf(t, df), rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("df", [1, 2, 4, 9, 30, 500])
@pytest.mark.parametrize("p", [0.025, 0.5, 0.9, 0.975, 0.999])
def test_t_quantile_matches_scipy(df: int, p: float) -> None:
    assert stats.t_ppf(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-8, abs=1e-12)


def _scipy_wilcoxon_p(d, **kwargs) -> float:
    return float(sp.wilcoxon(d, zero_method="wilcox", **kwargs).pvalue)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 12, 20, 50])
def test_wilcoxon_exact_without_ties_matches_scipy(n: int) -> None:
    d = RNG.normal(0.4, 1.0, n)
    ours = stats.wilcoxon_signed_rank(d)
    assert ours.method == "exact"
    assert ours.p_value == pytest.approx(_scipy_wilcoxon_p(d), rel=1e-10)
    assert ours.statistic == pytest.approx(sp.wilcoxon(d).statistic)


def test_wilcoxon_n_equals_one() -> None:
    ours = stats.wilcoxon_signed_rank([2.0])
    assert ours.p_value == 1.0
    assert ours.p_value == pytest.approx(_scipy_wilcoxon_p([2.0]))


@pytest.mark.parametrize(
    "d",
    [
        [1, 1, 2, 2, 3, -1, 4, 0, 0, 2],  # ties and zeros, n <= 13
        [2, 2, 2, -2, 1, 3, 3],  # ties only
        [0, 1, 2, 3, 4, 5, -1],  # one zero
        [1, 1, -1],  # n below 5
    ],
)
def test_wilcoxon_small_with_ties_or_zeros_matches_scipy_exact_permutation(d) -> None:
    ours = stats.wilcoxon_signed_rank(d)
    assert ours.method == "exact-conditional"
    assert ours.p_value == pytest.approx(_scipy_wilcoxon_p(d), rel=1e-9)


@pytest.mark.parametrize("n", [30, 40, 200])
def test_wilcoxon_normal_approximation_with_ties_and_zeros_matches_scipy(n: int) -> None:
    d = RNG.integers(-3, 6, n).astype(float)  # many ties, some zeros
    assert (d == 0).any()
    ours = stats.wilcoxon_signed_rank(d)
    assert ours.method == "normal"
    expected = _scipy_wilcoxon_p(d, method="asymptotic", correction=True)
    assert ours.p_value == pytest.approx(expected, rel=1e-9)
    without = stats.wilcoxon_signed_rank(d, continuity=False)
    assert without.p_value == pytest.approx(
        _scipy_wilcoxon_p(d, method="asymptotic", correction=False), rel=1e-9
    )


def test_wilcoxon_all_zero_differences_gives_no_p_value() -> None:
    ours = stats.wilcoxon_signed_rank([0, 0, 0, 0, 0, 0])
    assert ours.p_value is None
    assert ours.zeros == 6


def test_paired_matches_scipy_t_test_and_interval() -> None:
    before = RNG.integers(0, 11, 40).astype(float)
    after = np.clip(before + RNG.integers(-2, 4, 40), 0, 10)
    result = stats.paired(before, after)
    d = after - before
    reference = sp.ttest_rel(after, before)
    assert result.n == 40
    assert result.t == pytest.approx(reference.statistic, rel=1e-10)
    assert result.p_t == pytest.approx(reference.pvalue, rel=1e-8)
    low, high = reference.confidence_interval(0.95)
    assert result.ci95 == pytest.approx((low, high), rel=1e-9)
    assert result.mean_change == pytest.approx(d.mean())
    dz = d.mean() / d.std(ddof=1)
    j = 1 - 3 / (4 * 39 - 1)
    assert result.cohens_dz == pytest.approx(dz)
    assert result.hedges_gz == pytest.approx(dz * j)
    se = j * math.sqrt(1 / 40 + dz**2 / 80)
    assert result.hedges_gz_ci95 == pytest.approx((dz * j - 1.959964 * se, dz * j + 1.959964 * se))
    assert result.wilcoxon_p == pytest.approx(
        sp.wilcoxon(after, before, method="asymptotic", correction=True).pvalue, rel=1e-9
    )


def test_paired_shares_respect_direction() -> None:
    before = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]
    after = [6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 5, 5]
    higher = stats.paired(before, after)
    # 5 improved, 5 worsened, 2 unchanged: the 2 are hidden, and the next smallest share too.
    assert higher.unchanged is None
    assert sum(x is None for x in (higher.improved, higher.worsened)) == 1
    before = [5] * 12
    after = [6] * 6 + [4] * 6
    assert stats.paired(before, after).improved == 0.5
    lower = stats.paired([5] * 12, [6] * 7 + [4] * 5, direction="lower")
    assert lower.improved == pytest.approx(5 / 12)
    assert lower.worsened == pytest.approx(7 / 12)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_paired_suppresses_below_five(n: int) -> None:
    result = stats.paired([3] * n, [5] * n)
    assert result.suppressed
    assert result.n is None and result.mean_change is None and result.ci95 is None
    assert any("fewer than 5" in note for note in result.notes)


def test_paired_threshold_can_be_raised_not_lowered() -> None:
    assert stats.paired(range(6), range(1, 7), threshold=8).suppressed
    assert stats.paired([1, 2, 3, 4], [2, 3, 4, 5], threshold=2).suppressed


def test_paired_below_ten_pairs_gives_median_and_changes_not_interval() -> None:
    result = stats.paired([1, 2, 3, 4, 5, 6], [2, 2, 5, 7, 5, 9])
    assert result.n == 6 and result.small_sample
    assert result.ci95 is None and result.hedges_gz_ci95 is None
    assert result.median_change == 1.5
    # Each of these changes is one or two people's: no individual changes (core.privacy).
    assert result.changes is None
    assert any("individual changes are not shown" in note for note in result.notes)
    # Six people who all changed by 1: the one group they reveal has six people.
    assert stats.paired([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]).changes == [1.0] * 6


def test_paired_drops_missing_values() -> None:
    b, a, dropped = stats.pairs([1, None, 3, float("nan")], [2, 3, None, 4])
    assert list(b) == [1.0] and list(a) == [2.0] and dropped == 3


def test_zero_spread_of_changes_gives_no_t() -> None:
    result = stats.paired([1, 2, 3, 4, 5], [2, 3, 4, 5, 6])
    assert result.t is None and result.cohens_dz is None
    assert result.wilcoxon_p == pytest.approx(sp.wilcoxon([1, 1, 1, 1, 1]).pvalue)


def test_reliable_change_index_jacobson_truax() -> None:
    before = np.array([10, 12, 14, 16, 18, 20, 11, 13, 15, 17], dtype=float)
    after = before + np.array([8, 0, 1, -9, 2, 7, 0, 1, 8, 9])
    result = stats.paired(before, after, reliability=0.8)
    s_diff = math.sqrt(2) * before.std(ddof=1) * math.sqrt(0.2)
    assert result.reliable_change_index == pytest.approx(list((after - before) / s_diff))
    # RCI > 1.96 for changes of 8, 7, 8, 9 (s_diff = 2.4): 4 of 10 -> hidden (below 5).
    assert result.reliable_improved is None


def test_cli_json_keys_and_dropped(tmp_path, capsys) -> None:
    path = tmp_path / "data.csv"
    rows = ["id;before;after"] + [f"{i};{i % 5};{(i % 5) + (i % 3)}" for i in range(12)]
    rows.append("99;;7")
    rows.append("100;4,5;NA")
    path.write_text("\n".join(rows), encoding="utf-8")
    assert (
        main(
            [
                "stats",
                "paired",
                str(path),
                "--before",
                "before",
                "--after",
                "after",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    for key in [
        "n",
        "mean_before",
        "mean_after",
        "mean_change",
        "ci95",
        "cohens_dz",
        "hedges_gz",
        "t",
        "p_t",
        "wilcoxon_p",
        "improved",
        "unchanged",
        "worsened",
        "suppressed",
        "dropped",
    ]:
        assert key in data
    assert data["n"] == 12 and data["dropped"] == 2
    before = [i % 5 for i in range(12)]
    after = [(i % 5) + (i % 3) for i in range(12)]
    assert data["t"] == pytest.approx(sp.ttest_rel(after, before).statistic)
    assert len(data["ci95"]) == 2


def test_cli_reports_bad_value_with_line_and_column(tmp_path, capsys) -> None:
    path = tmp_path / "data.csv"
    path.write_text("before,after\n1,2\n3,lots\n", encoding="utf-8")
    assert main(["stats", "paired", str(path), "--before", "before", "--after", "after"]) == 2
    assert "line 3, column 'after'" in capsys.readouterr().err


def test_cli_text_suppressed(tmp_path, capsys) -> None:
    path = tmp_path / "data.csv"
    path.write_text("b,a\n1,2\n3,4\n", encoding="utf-8")
    assert main(["stats", "paired", str(path), "--before", "b", "--after", "a"]) == 0
    assert "Suppressed" in capsys.readouterr().out


def test_the_summary_sentence_writes_numbers_as_the_language_does() -> None:
    from django.utils import translation

    from samskap.measurement import results
    from samskap.measurement import stats as paired_stats

    before = [4, 5, 6, 5, 4, 6, 5, 5, 4, 6, 5, 6]
    after = [6, 6, 7, 6, 6, 7, 6, 7, 5, 7, 6, 7]
    result = paired_stats.paired(before, after)
    with translation.override("en"):
        english = results.summary_sentence("Life satisfaction", result, "points")
    with translation.override("nb"):
        bokmal = results.summary_sentence("Livstilfredshet", result, "poeng")
    import re

    assert re.findall(r"\d[.,]\d", english) == ["1.2", "0.9", "1.5"]
    assert re.findall(r"\d[.,]\d", bokmal) == ["1,2", "0,9", "1,5"]
