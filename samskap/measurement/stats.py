"""Paired before/after statistics, done honestly. Pure Python + NumPy: no Django, no SciPy.

``paired(before, after, ...)`` returns a :class:`PairedResult` for one item answered by the same
people twice. Formulas and sources:

- Mean change and its 95 % confidence interval: ``mean ± t(0.975, n−1) · sd / √n`` (Student's
  paired t). The t distribution's CDF is the regularised incomplete beta function
  ``I_x(ν/2, 1/2)`` with ``x = ν / (ν + t²)`` (Abramowitz & Stegun 26.7.1), evaluated by the
  continued fraction of A&S 26.5.8 with the modified Lentz algorithm; the quantile is found by
  bisection on that CDF.
- Standardised effect size for paired data: Cohen's ``d_z = mean change / sd of changes``
  (Cohen 1988; Lakens 2013, *Frontiers in Psychology* 4:863), and beside it
  ``d_av = mean change / ((sd_before + sd_after) / 2)`` (Lakens 2013 eq. 10), the one published
  benchmarks of between-person effects compare with. Hedges' small-sample correction
  ``g_z = d_z · J`` with ``J = 1 − 3 / (4(n − 1) − 1)`` (Hedges 1981; Borenstein et al. 2009,
  *Introduction to Meta-Analysis*, eq. 4.22–4.23 with df = n − 1).
- Interval for the effect size: the large-sample normal approximation without the noncentral t,
  ``SE(d_z) = √(1/n + d_z² / (2n))`` (Hedges & Olkin 1985; Borenstein et al. 2009 eq. 4.28 for a
  one-group / paired standardised mean), ``SE(g_z) = J · SE(d_z)``, interval ``g_z ± 1.96 SE``.
- Wilcoxon signed-rank test, two-sided, zeros dropped (Wilcoxon's own method, SciPy's
  ``zero_method="wilcox"``), average ranks for ties. The p-value is

  * ``exact``: the exact null distribution of the signed-rank sum ``W+`` when there are no ties
    and no zero differences and at most 50 non-zero pairs (SciPy's ``method="auto"`` does the
    same);
  * ``exact-conditional``: with ties or zeros and at most 13 non-zero pairs, the exact
    distribution of ``W+`` over all 2^m sign assignments of the observed (tied) ranks — what
    SciPy's default does with its deterministic permutation test;
  * ``normal``: otherwise the normal approximation with mean ``m(m+1)/4`` and variance
    ``m(m+1)(2m+1)/24 − Σ(t³−t)/48`` (tie correction) and a continuity correction of 0.5.
    Note: SciPy's public default is *without* continuity correction (``correction=False``);
    we apply it (as R's ``wilcox.test`` does) because it is the more conservative choice.

- Reliable change index per person (Jacobson & Truax 1991, *J Consult Clin Psychol* 59:12–19):
  ``RC = change / S_diff`` with ``S_diff = √2 · SE`` and ``SE = SD_before · √(1 − r_xx)``;
  ``|RC| > 1.96`` is a reliable change. Needs the scale's reliability ``r_xx``.
- Improved / unchanged / worsened: the sign of the change, turned around for indicators where
  lower is better.

Privacy: with fewer pairs than the threshold (never below 5) every figure is suppressed and a
note says so. A share (improved / unchanged / worsened) built on fewer than the threshold of
people is hidden too, and with it the next-smallest share (it could be worked out by
subtraction). Below 10 pairs there is no confidence interval: the median change and the
individual changes (sorted, so they cannot be tied to a row) are given instead.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from samskap.core import privacy
from samskap.core.privacy import MIN_GROUP_SIZE

SMALL_SAMPLE = 10  # below this many pairs: median + individual changes, no interval
Z_975 = 1.959963984540054  # the 97.5 % point of the standard normal distribution
EXACT_MAX_N = 50
EXACT_TIES_MAX_N = 13


# --- distributions ---------------------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (A&S 26.5.8), modified Lentz."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        # Even step.
        numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        # Odd step.
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        result *= step
        if abs(step - 1.0) < 1e-15:
            break
    return result


def regularized_beta(a: float, b: float, x: float) -> float:
    """``I_x(a, b)``, the regularised incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom (A&S 26.7.1)."""
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    tail = 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_cdf(t: float, df: float) -> float:
    return 1.0 - t_sf(t, df)


def t_ppf(p: float, df: float) -> float:
    """The quantile of Student's t: the ``t`` with ``t_cdf(t, df) == p``, by bisection."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-13 * max(1.0, high):
            break
    return (low + high) / 2.0


def normal_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def normal_ppf(p: float) -> float:
    """The standard normal quantile, by bisection on ``normal_sf`` (enough for intervals)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    low, high = -40.0, 40.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if 1.0 - normal_sf(middle) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-14:
            break
    return (low + high) / 2.0


def regularized_gamma_q(a: float, x: float) -> float:
    """``Q(a, x) = Γ(a, x) / Γ(a)``, the upper regularised incomplete gamma function.

    For ``x < a + 1`` the series of A&S 6.5.29 gives ``P = 1 − Q``; otherwise the continued
    fraction of A&S 6.5.31, evaluated with the modified Lentz algorithm (as for the beta function
    above), gives ``Q`` directly.
    """
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = 1.0 / a
        total = term
        for n in range(1, 10_000):
            term *= x / (a + n)
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for n in range(1, 10_000):
        an = -n * (n - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = b + an / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            break
    return math.exp(log_front) * h


def chi2_sf(x: float, df: float) -> float:
    """P(X > x) for a chi-square variable with ``df`` degrees of freedom: ``Q(df/2, x/2)``."""
    if df <= 0:
        raise ValueError("df must be positive")
    return regularized_gamma_q(df / 2.0, max(x, 0.0) / 2.0)


# --- Wilcoxon signed-rank ---------------------------------------------------------------------


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``values``, ties sharing their average rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    ranks = np.empty(len(values), dtype=float)
    # Start of each run of equal values.
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    average = (starts + ends + 1) / 2.0  # mean of positions start+1 .. end
    ranks[order] = np.repeat(average, ends - starts)
    return ranks


@dataclass(frozen=True)
class WilcoxonResult:
    statistic: float | None  # min(W+, W-), as SciPy reports it
    p_value: float | None
    method: str  # "exact", "exact-conditional", "normal" or "none"
    n_used: int  # non-zero differences
    zeros: int
    ties: bool


def _signed_rank_counts(doubled_ranks: np.ndarray) -> np.ndarray:
    """How many of the 2^m sign assignments give each value of 2·W+ (subset-sum counting)."""
    total = int(doubled_ranks.sum())
    counts = np.zeros(total + 1, dtype=float)
    counts[0] = 1.0
    for rank in doubled_ranks.astype(int):
        shifted = np.zeros_like(counts)
        shifted[rank:] = counts[: total + 1 - rank]
        counts = counts + shifted
    return counts


def wilcoxon_signed_rank(differences, continuity: bool = True) -> WilcoxonResult:
    """Two-sided Wilcoxon signed-rank test of ``differences`` (after − before)."""
    d = np.asarray(differences, dtype=float)
    zeros = int(np.count_nonzero(d == 0))
    d = d[d != 0]
    m = len(d)
    if m == 0:
        return WilcoxonResult(None, None, "none", 0, zeros, False)
    ranks = average_ranks(np.abs(d))
    _, tie_sizes = np.unique(np.abs(d), return_counts=True)
    ties = bool(np.any(tie_sizes > 1))
    w_plus = float(ranks[d > 0].sum())
    w_minus = float(ranks[d < 0].sum())
    statistic = min(w_plus, w_minus)
    exact = (not ties and zeros == 0 and m <= EXACT_MAX_N) or (
        (ties or zeros) and m <= EXACT_TIES_MAX_N
    )
    if exact:
        # Ranks are whole or half numbers, so 2·rank is a whole number and the distribution of
        # 2·W+ over all sign assignments is counted exactly.
        doubled = np.rint(2 * ranks).astype(int)
        counts = _signed_rank_counts(doubled)
        probabilities = counts / counts.sum()
        observed = int(round(2 * w_plus))
        lower = probabilities[: observed + 1].sum()
        upper = probabilities[observed:].sum()
        p = min(1.0, 2.0 * min(lower, upper))
        method = "exact" if not (ties or zeros) else "exact-conditional"
        return WilcoxonResult(statistic, float(p), method, m, zeros, ties)
    mean = m * (m + 1) / 4.0
    variance = m * (m + 1) * (2 * m + 1) / 24.0 - float(np.sum(tie_sizes**3 - tie_sizes)) / 48.0
    if variance <= 0:
        return WilcoxonResult(statistic, None, "none", m, zeros, ties)
    deviation = w_plus - mean
    if continuity and deviation != 0:
        deviation -= math.copysign(0.5, deviation)
    z = deviation / math.sqrt(variance)
    p = min(1.0, 2.0 * normal_sf(abs(z)))
    return WilcoxonResult(statistic, p, "normal", m, zeros, ties)


# --- paired analysis --------------------------------------------------------------------------


@dataclass
class PairedResult:
    """Every figure of one paired before/after analysis; ``None`` where not computable or
    suppressed. ``notes`` explains each omission in plain words."""

    n: int | None
    mean_before: float | None = None
    mean_after: float | None = None
    mean_change: float | None = None
    median_change: float | None = None
    sd_change: float | None = None
    ci95: tuple[float, float] | None = None
    cohens_dz: float | None = None
    cohens_dav: float | None = None  # mean change / average of the two SDs (Lakens 2013 eq. 10)
    hedges_gz: float | None = None
    hedges_gz_ci95: tuple[float, float] | None = None
    t: float | None = None
    df: int | None = None
    p_t: float | None = None
    wilcoxon_statistic: float | None = None
    wilcoxon_p: float | None = None
    wilcoxon_method: str | None = None
    wilcoxon_min_p: float | None = None  # the smallest p the exact test could give at this n
    improved: float | None = None  # shares 0..1 of the pairs
    unchanged: float | None = None
    worsened: float | None = None
    reliable_improved: float | None = None
    reliable_worsened: float | None = None
    reliable_change_index: list[float] | None = None  # per person, in input order
    changes: list[float] | None = None  # sorted individual changes (for a dot plot)
    suppressed: bool = False
    small_sample: bool = False
    threshold: int = MIN_GROUP_SIZE
    direction: str = "higher"
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("ci95", "hedges_gz_ci95"):
            if data[key] is not None:
                data[key] = list(data[key])
        return data


def _as_array(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def pairs(before, after) -> tuple[np.ndarray, np.ndarray, int]:
    """The complete pairs of two equally long sequences (None / NaN = missing), and how many
    rows were dropped for a missing value."""
    b = _as_array(before)
    a = _as_array(after)
    if b.shape != a.shape:
        raise ValueError("before and after must have the same length")
    keep = ~(np.isnan(b) | np.isnan(a))
    return b[keep], a[keep], int(len(b) - keep.sum())


def paired(
    before,
    after,
    *,
    direction: str = "higher",
    reliability: float | None = None,
    threshold: int = MIN_GROUP_SIZE,
) -> PairedResult:
    """Paired analysis of ``before`` and ``after`` (same people, same order).

    ``direction`` is "higher" or "lower" (which way is better); ``reliability`` the scale's
    r_xx (0 < r < 1) for the reliable change index; ``threshold`` the smallest group a figure
    may describe (raised to 5 if lower).
    """
    if direction not in ("higher", "lower"):
        raise ValueError("direction must be 'higher' or 'lower'")
    if reliability is not None and not 0.0 < reliability < 1.0:
        raise ValueError("reliability must be between 0 and 1")
    threshold = max(int(threshold), MIN_GROUP_SIZE)
    b, a, _dropped = pairs(before, after)
    n = len(b)
    result = PairedResult(n=n, threshold=threshold, direction=direction)
    if n < threshold:
        result.n = None
        result.suppressed = True
        result.notes.append(
            f"Suppressed: fewer than {threshold} people answered both times, so no figure is "
            "shown to protect their privacy."
        )
        return result
    d = a - b
    sign = 1.0 if direction == "higher" else -1.0
    result.mean_before = float(b.mean())
    result.mean_after = float(a.mean())
    result.mean_change = float(d.mean())
    result.median_change = float(np.median(d))
    sd = float(d.std(ddof=1))
    result.sd_change = sd
    df = n - 1
    result.df = df
    result.small_sample = n < SMALL_SAMPLE
    if sd > 0:
        result.t = result.mean_change / (sd / math.sqrt(n))
        result.p_t = min(1.0, 2.0 * t_sf(abs(result.t), df))
        dz = result.mean_change / sd
        j = 1.0 - 3.0 / (4.0 * df - 1.0)
        result.cohens_dz = dz
        result.hedges_gz = dz * j
        if not result.small_sample:
            half = t_ppf(0.975, df) * sd / math.sqrt(n)
            result.ci95 = (result.mean_change - half, result.mean_change + half)
            se_g = j * math.sqrt(1.0 / n + dz * dz / (2.0 * n))
            result.hedges_gz_ci95 = (
                result.hedges_gz - Z_975 * se_g,
                result.hedges_gz + Z_975 * se_g,
            )
        average_sd = (float(b.std(ddof=1)) + float(a.std(ddof=1))) / 2.0
        if average_sd > 0:
            result.cohens_dav = result.mean_change / average_sd
    else:
        result.notes.append(
            "Everyone changed by exactly the same amount, so the t-test and the effect size "
            "cannot be computed."
        )
    if result.small_sample:
        # Individual changes are a breakdown by value: given only when every value is shared
        # by at least the threshold of people (core.privacy, rule 4), else only the median.
        result.changes = privacy.disclosable_values([float(x) for x in d], threshold)
        if result.changes is not None:
            result.notes.append(
                f"Fewer than {SMALL_SAMPLE} pairs: the median change and the individual changes "
                "are shown instead of a confidence interval."
            )
        else:
            result.notes.append(
                f"Fewer than {SMALL_SAMPLE} pairs: the median change is shown instead of a "
                "confidence interval; the individual changes are not shown, because some of "
                f"them are shared by fewer than {threshold} people."
            )
    wilcoxon = wilcoxon_signed_rank(d)
    result.wilcoxon_statistic = wilcoxon.statistic
    result.wilcoxon_p = wilcoxon.p_value
    result.wilcoxon_method = wilcoxon.method
    if wilcoxon.n_used:
        result.wilcoxon_min_p = smallest_exact_wilcoxon_p(wilcoxon.n_used)
        if result.wilcoxon_min_p >= 0.05:
            result.notes.append(
                f"With {wilcoxon.n_used} non-zero changes the Wilcoxon test cannot give a p below "
                f"{result.wilcoxon_min_p:.4g} (2 / 2^{wilcoxon.n_used}), even if everyone "
                "changed the same way: a p above 0.05 here says little."
            )
    better = sign * d
    counts = {
        "improved": int(np.count_nonzero(better > 0)),
        "unchanged": int(np.count_nonzero(better == 0)),
        "worsened": int(np.count_nonzero(better < 0)),
    }
    hidden = privacy.hidden_categories(counts, threshold)
    for key, count in counts.items():
        setattr(result, key, None if key in hidden else count / n)
    if hidden:
        result.notes.append(
            "Some shares of improved / unchanged / worsened are hidden because they describe "
            f"fewer than {threshold} people (or would reveal such a share by subtraction)."
        )
    if reliability is not None:
        sd_before = float(b.std(ddof=1))
        s_diff = math.sqrt(2.0) * sd_before * math.sqrt(1.0 - reliability)
        if s_diff > 0:
            rc = d / s_diff
            result.reliable_change_index = [float(x) for x in rc]
            reliable = {
                "improved": int(np.count_nonzero(sign * rc > Z_975)),
                "worsened": int(np.count_nonzero(sign * rc < -Z_975)),
            }
            reliable["none"] = n - reliable["improved"] - reliable["worsened"]
            hidden_rc = privacy.hidden_categories(reliable, threshold)
            result.reliable_improved = None if "improved" in hidden_rc else reliable["improved"] / n
            result.reliable_worsened = None if "worsened" in hidden_rc else reliable["worsened"] / n
        else:
            result.notes.append("All before scores are equal, so no reliable change index.")
    return result


def unpaired_summary(values, threshold: int = MIN_GROUP_SIZE) -> dict:
    """n and mean of answers without a partner at the other time point (reported separately,
    never mixed into paired change)."""
    v = np.array([x for x in values if x is not None], dtype=float)
    v = v[~np.isnan(v)]
    threshold = max(int(threshold), MIN_GROUP_SIZE)
    if 0 < len(v) < threshold:
        return {"n": None, "mean": None, "suppressed": True}
    return {
        "n": len(v),
        "mean": float(v.mean()) if len(v) else None,
        "suppressed": False,
    }


# --- comparisons ------------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, z: float = Z_975) -> tuple[float, float] | None:
    """Wilson's score interval for a proportion (Wilson 1927, *JASA* 22:209–212; recommended
    over the Wald interval by Brown, Cai & DasGupta 2001, *Statistical Science* 16:101–133):
    ``(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)``. ``None`` for n = 0."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    return (max(0.0, (centre - half) / denominator), min(1.0, (centre + half) / denominator))


def binomial_two_sided_p(k: int, n: int) -> float:
    """Exact two-sided p of ``k`` successes in ``n`` trials with p = 1/2 (symmetric, so twice
    the smaller tail, at most 1)."""
    if n == 0:
        return 1.0
    k = min(k, n - k)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n
    return min(1.0, 2.0 * tail)


MCNEMAR_EXACT_BELOW = 25  # discordant pairs: below this the exact binomial test is used


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's test for a yes/no item answered twice by the same people (McNemar 1947,
    *Psychometrika* 12:153–157). ``b`` = yes before / no after, ``c`` = no before / yes after.
    With fewer than 25 discordant pairs the exact binomial test of b against b + c with p = 1/2
    (the "exact McNemar"; Fagerland, Lydersen & Laake 2013, *BMC Med Res Methodol* 13:91);
    otherwise the chi-square ``(|b − c| − 1)² / (b + c)`` with 1 df (Edwards' correction)."""

    b: int
    c: int
    p_value: float | None
    method: str  # "exact", "chi-square" or "none"


def mcnemar(before, after) -> McNemarResult:
    """McNemar's test from two equally long sequences of booleans (None = missing)."""
    if len(before) != len(after):
        raise ValueError("before and after must have the same length")
    b = c = 0
    for x, y in zip(before, after, strict=True):
        if x is None or y is None:
            continue
        if x and not y:
            b += 1
        elif y and not x:
            c += 1
    n = b + c
    if n == 0:
        return McNemarResult(b, c, None, "none")
    if n < MCNEMAR_EXACT_BELOW:
        return McNemarResult(b, c, binomial_two_sided_p(b, n), "exact")
    statistic = (abs(b - c) - 1.0) ** 2 / n
    return McNemarResult(b, c, chi2_sf(statistic, 1), "chi-square")


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (Holm 1979, *Scand J Statist* 6:65–70): sorted
    ascending, ``p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j))``; None stays None and does not
    count in m."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(present):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def welch_se_df(components: list[tuple[float, int]]) -> tuple[float, float]:
    """The standard error of a sum/difference of independent means and its Welch–Satterthwaite
    degrees of freedom (Welch 1947; Satterthwaite 1946): each component is (variance of the
    mean, its df); ``SE² = Σ vᵢ`` and ``df = SE⁴ / Σ (vᵢ² / dfᵢ)``."""
    total = sum(v for v, _ in components)
    denominator = sum(v * v / df for v, df in components if df > 0)
    if total <= 0 or denominator <= 0:
        return math.sqrt(max(total, 0.0)), math.inf
    return math.sqrt(total), total * total / denominator


@dataclass(frozen=True)
class Difference:
    """A difference of means with its Welch-type 95 % interval."""

    estimate: float
    se: float
    df: float
    ci95: tuple[float, float]
    p_value: float


def _difference(estimate: float, components: list[tuple[float, int]]) -> Difference | None:
    se, df = welch_se_df(components)
    if se <= 0:
        return None
    quantile = Z_975 if math.isinf(df) else t_ppf(0.975, df)
    t = estimate / se
    p = 2 * (normal_sf(abs(t)) if math.isinf(df) else t_sf(abs(t), df))
    return Difference(estimate, se, df, (estimate - quantile * se, estimate + quantile * se), p)


def _clean(values) -> np.ndarray:
    v = _as_array(values)
    return v[~np.isnan(v)]


def welch_difference(first, second) -> Difference | None:
    """Mean of ``first`` minus mean of ``second`` (independent groups), with Welch's interval.
    None when a group has fewer than 2 values or both have no spread."""
    a, b = _clean(first), _clean(second)
    if len(a) < 2 or len(b) < 2:
        return None
    return _difference(
        float(a.mean() - b.mean()),
        [(float(a.var(ddof=1)) / len(a), len(a) - 1), (float(b.var(ddof=1)) / len(b), len(b) - 1)],
    )


def difference_in_differences(
    before, after, comparison_before, comparison_after
) -> Difference | None:
    """Difference-in-differences of the mean: the participants' mean paired change minus the
    comparison group's change in means (its before and after answers are not paired: different
    or unlinked people). ``DiD = mean(after − before) − (mean(comp_after) − mean(comp_before))``;
    the three parts are independent, so ``SE² = s_d²/n + s_ca²/n_ca + s_cb²/n_cb`` with
    Welch–Satterthwaite df (Angrist & Pischke 2009, *Mostly Harmless Econometrics* ch. 5, for
    the design; Welch 1947 for the interval). None when a part has fewer than 2 answers."""
    b, a, _ = pairs(before, after)
    cb, ca = _clean(comparison_before), _clean(comparison_after)
    if len(b) < 2 or len(cb) < 2 or len(ca) < 2:
        return None
    d = a - b
    estimate = float(d.mean() - (ca.mean() - cb.mean()))
    return _difference(
        estimate,
        [
            (float(d.var(ddof=1)) / len(d), len(d) - 1),
            (float(ca.var(ddof=1)) / len(ca), len(ca) - 1),
            (float(cb.var(ddof=1)) / len(cb), len(cb) - 1),
        ],
    )


def smallest_exact_wilcoxon_p(n: int) -> float:
    """The smallest two-sided p the exact Wilcoxon signed-rank test can give with ``n`` non-zero
    pairs and no ties: every sign the same, probability 2 / 2^n (0.0625 at n = 5)."""
    return min(1.0, 2.0 / 2.0**n) if n > 0 else 1.0


def exceeds_mid(
    mean_change: float | None, mid: float | None, direction: str = "higher"
) -> bool | None:
    """Whether a mean change is larger than the instrument's minimal important difference in
    the better direction (None when either is unknown)."""
    if mean_change is None or mid is None:
        return None
    better = mean_change if direction == "higher" else -mean_change
    return better > mid
