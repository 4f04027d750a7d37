"""Random-effects meta-analysis against metafor's published output and an independent SciPy fit.

Published figures: metafor (Viechtbauer 2010, R package) on its own example data ``dat.bcg``
(13 BCG vaccine trials, Colditz et al. 1994), log risk ratios from ``escalc(measure="RR")``:

- ``rma(yi, vi, data=dat)`` (REML), as printed in the RoBMA vignette "Bayesian Meta-Analysis"
  (CRAN, F. Bartoš, 2026), which shows metafor's output: estimate −0.7145, SE 0.1798,
  CI −1.0669 to −0.3622, tau² 0.3132, I² 92.22 %, Q(df = 12) = 152.2330.
- ``rma(yi, vi, data=dat, method="DL")`` from metafor's own test file
  ``tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r`` (checked there against Stata's
  metan): estimate −0.7141, CI −1.0644 to −0.3638, tau² 0.3088, I² 92.1173 %.
"""

import json
import math

import numpy as np
import pytest
from scipy import optimize
from scipy import stats as sp

from samskap.cli import main
from samskap.measurement import meta, stats

# dat.bcg: trial author, tpos, tneg, cpos, cneg (Colditz et al. 1994, as in metafor).
BCG = [
    ("Aronson", 4, 119, 11, 128),
    ("Ferguson & Simes", 6, 300, 29, 274),
    ("Rosenthal et al 1960", 3, 228, 11, 209),
    ("Hart & Sutherland", 62, 13536, 248, 12619),
    ("Frimodt-Moller et al", 33, 5036, 47, 5761),
    ("Stein & Aronson", 180, 1361, 372, 1079),
    ("Vandiviere et al", 8, 2537, 10, 619),
    ("TPT Madras", 505, 87886, 499, 87892),
    ("Coetzee & Berjak", 29, 7470, 45, 7232),
    ("Rosenthal et al 1961", 17, 1699, 65, 1600),
    ("Comstock et al 1974", 186, 50448, 141, 27197),
    ("Comstock & Webster", 5, 2493, 3, 2338),
    ("Comstock et al 1976", 27, 16886, 29, 17825),
]
LABELS = [row[0] for row in BCG]
# escalc(measure="RR"): log relative risk and its large-sample variance.
Y = np.array([math.log((a / (a + b)) / (c / (c + d))) for _, a, b, c, d in BCG])
V = np.array([1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for _, a, b, c, d in BCG])


def test_reml_matches_metafor_on_dat_bcg() -> None:
    result = meta.random_effects(Y, V, LABELS)
    assert result.method == "reml"
    assert result.k == 13
    assert result.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert result.se == pytest.approx(0.1798, abs=5e-5)
    assert result.ci95[0] == pytest.approx(-1.0669, abs=5e-5)
    assert result.ci95[1] == pytest.approx(-0.3622, abs=5e-5)
    assert result.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert result.i2 == pytest.approx(92.22, abs=5e-3)
    assert result.q == pytest.approx(152.2330, abs=5e-4)
    assert result.q_p < 1e-4


def test_dl_matches_metafor_on_dat_bcg() -> None:
    result = meta.random_effects(Y, V, LABELS, method="dl")
    assert result.estimate == pytest.approx(-0.7141, abs=5e-5)
    assert result.ci95[0] == pytest.approx(-1.0644, abs=5e-5)
    assert result.ci95[1] == pytest.approx(-0.3638, abs=5e-5)
    assert result.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert result.i2 == pytest.approx(92.1173, abs=5e-4)


def _restricted_log_likelihood(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """The REML log-likelihood of the random-effects model, written out (Viechtbauer 2005 eq. 7)."""
    w = 1 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return -0.5 * (np.sum(np.log(v + tau2)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))


def test_reml_matches_an_independent_scipy_maximisation() -> None:
    found = optimize.minimize_scalar(
        lambda t: -_restricted_log_likelihood(t, Y, V),
        bounds=(0, 5),
        method="bounded",
        options={"xatol": 1e-12},
    )
    result = meta.random_effects(Y, V)
    assert result.tau2 == pytest.approx(found.x, abs=1e-6)
    w = 1 / (V + found.x)
    assert result.estimate == pytest.approx(np.sum(w * Y) / np.sum(w), abs=1e-6)
    # Q's p from SciPy's chi-square; the prediction interval from SciPy's t (k - 2 df).
    assert result.q_p == pytest.approx(sp.chi2.sf(result.q, 12), rel=1e-8)
    half = sp.t.ppf(0.975, 11) * math.sqrt(result.tau2 + result.se**2)
    assert result.prediction95 == pytest.approx((result.estimate - half, result.estimate + half))


def test_weights_are_percent_of_random_effects_weights_and_sum_to_100() -> None:
    result = meta.random_effects(Y, V, LABELS)
    w = 1 / (V + result.tau2)
    assert [s.weight for s in result.studies] == pytest.approx(list(100 * w / w.sum()))
    assert sum(s.weight for s in result.studies) == pytest.approx(100)


def test_homogeneous_studies_give_zero_tau2_and_fixed_effect_estimate() -> None:
    y = [0.5, 0.5, 0.5, 0.5]
    v = [0.1, 0.2, 0.05, 0.1]
    result = meta.random_effects(y, v)
    assert result.tau2 == 0.0
    assert result.i2 == 0.0
    assert result.estimate == pytest.approx(0.5)
    assert result.se == pytest.approx(1 / math.sqrt(sum(1 / x for x in v)))


def test_leave_one_out_names_the_study_that_moves_the_estimate_most() -> None:
    y = [0.3, 0.35, 0.25, 0.3, 1.6]
    v = [0.02, 0.03, 0.02, 0.025, 0.02]
    result = meta.random_effects(y, v, ["a", "b", "c", "d", "outlier"])
    assert result.most_influential.label == "outlier"
    without = meta.random_effects(y[:4], v[:4], leave_one_out=False)
    assert result.most_influential.estimate == pytest.approx(without.estimate)


def test_effect_of_paired_is_hedges_gz_with_its_variance() -> None:
    result = stats.paired(
        [1, 2, 3, 2, 3, 4, 2, 3, 1, 2, 3, 2], [2, 3, 3, 4, 4, 4, 3, 4, 2, 2, 4, 3]
    )
    g, variance = meta.effect_of_paired(result.hedges_gz, result.cohens_dz, result.n)
    assert g == result.hedges_gz
    low, high = result.hedges_gz_ci95
    assert math.sqrt(variance) == pytest.approx((high - low) / (2 * stats.Z_975))


@pytest.mark.parametrize(
    ("effects", "variances", "message"),
    [
        ([1.0], [0.1], "at least 2"),
        ([1.0, 2.0], [0.1, 0.0], "greater than 0"),
        ([1.0, math.nan], [0.1, 0.1], "finite"),
    ],
)
def test_it_refuses_bad_input_with_a_reason(effects, variances, message) -> None:
    with pytest.raises(meta.MetaAnalysisError, match=message):
        meta.random_effects(effects, variances)


@pytest.mark.parametrize("df", [1, 2, 5, 12, 40])
@pytest.mark.parametrize("x", [0.0, 0.3, 1.0, 3.84, 12.0, 60.0, 152.233])
def test_chi2_sf_matches_scipy(df: int, x: float) -> None:
    assert stats.chi2_sf(x, df) == pytest.approx(sp.chi2.sf(x, df), rel=1e-9, abs=1e-300)


def _write_bcg(tmp_path, sep: str = ",") -> str:
    path = tmp_path / "bcg.csv"
    lines = [sep.join(["trial", "yi", "vi"])]
    lines += [
        sep.join([label, repr(float(y)), repr(float(v))])
        for label, y, v in zip(LABELS, Y, V, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_cli_json_has_exactly_the_documented_keys(tmp_path, capsys) -> None:
    path = _write_bcg(tmp_path)
    code = main(
        [
            "stats",
            "meta",
            path,
            "--effect",
            "yi",
            "--variance",
            "vi",
            "--label",
            "trial",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "k",
        "method",
        "estimate",
        "se",
        "ci95",
        "tau2",
        "i2",
        "q",
        "q_p",
        "prediction95",
        "studies",
    ]
    assert data["k"] == 13
    assert data["estimate"] == pytest.approx(-0.7145, abs=5e-5)
    assert len(data["ci95"]) == 2 and len(data["prediction95"]) == 2
    assert data["studies"][0]["label"] == "Aronson"
    assert set(data["studies"][0]) == {"label", "effect", "variance", "weight"}


def test_cli_dl_and_text(tmp_path, capsys) -> None:
    path = _write_bcg(tmp_path, sep=";")
    assert (
        main(["stats", "meta", path, "--effect", "yi", "--variance", "vi", "--method", "dl"]) == 0
    )
    out = capsys.readouterr().out
    assert "DerSimonian-Laird" in out
    assert "-0.7141" in out
    assert "Leave-one-out" in out


def test_cli_names_line_and_column_of_a_bad_variance(tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("yi,vi\n0.1,0.2\n0.3,\n", encoding="utf-8")
    assert main(["stats", "meta", str(path), "--effect", "yi", "--variance", "vi"]) == 2
    assert "line 3, column 'vi'" in capsys.readouterr().err
