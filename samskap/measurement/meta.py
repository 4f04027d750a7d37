"""Random-effects meta-analysis of effects from several initiatives. NumPy only, no Django.

``random_effects(effects, variances, labels, method="reml"|"dl")`` pools k effects ``y_i`` with
known sampling variances ``v_i`` under the model ``y_i = μ + u_i + e_i``, ``u_i ~ N(0, τ²)``,
``e_i ~ N(0, v_i)``. Formulas and sources:

- Cochran's Q ``= Σ w_i (y_i − ȳ_w)²`` with fixed-effect weights ``w_i = 1/v_i``; under
  homogeneity Q ~ χ²(k − 1), so its p is the chi-square survival function (Cochran 1954).
- τ² by DerSimonian & Laird (1986, *Control Clin Trials* 7:177–188):
  ``max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))``.
- τ² by restricted maximum likelihood (REML; Viechtbauer 2005, *J Educ Behav Stat* 30:261–293,
  eq. 8–9): Fisher scoring ``τ² ← τ² + (yᵀPPy − tr P) / tr(PP)`` with ``W = diag(1/(v_i + τ²))``
  and ``P = W − W11ᵀW / 1ᵀW1``, from the DL value, truncated at 0, until the step is below 1e-10
  — what metafor's ``rma(method="REML")`` does by default.
- pooled estimate ``μ̂ = Σ w*_i y_i / Σ w*_i`` with ``w*_i = 1 / (v_i + τ²)``,
  ``SE = 1 / √Σw*_i``, 95 % interval ``μ̂ ± 1.96 SE`` (Borenstein et al. 2009, *Introduction to
  Meta-Analysis*, ch. 12).
- I² ``= 100 τ² / (τ² + s²)`` with the "typical" within-study variance
  ``s² = (k − 1) Σw / ((Σw)² − Σw²)`` (Higgins & Thompson 2002, *Stat Med* 21:1539–1558); for DL
  this equals ``(Q − df)/Q``; metafor reports the same.
- 95 % prediction interval for the effect in a new setting:
  ``μ̂ ± t(0.975, k − 2) √(τ² + SE²)`` (Higgins, Thompson & Spiegelhalter 2009, *J R Stat Soc A*
  172:137–159; Riley, Higgins & Deeks 2011, *BMJ* 342:d549); needs k ≥ 3.
- leave-one-out: the same analysis without each study in turn (Viechtbauer & Cheung 2010), to
  show which one moves the pooled estimate most.

The effect of one initiative is its paired Hedges' ``g_z`` with variance
``J² (1/n + d_z²/(2n))`` (see ``stats.py``): ``effect_of_paired`` gives both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .stats import Z_975, chi2_sf, t_ppf

METHODS = ("reml", "dl")
MAX_ITERATIONS = 100
TOLERANCE = 1e-10


class MetaAnalysisError(ValueError):
    pass


@dataclass(frozen=True)
class Study:
    label: str
    effect: float
    variance: float
    weight: float  # percent of the random-effects weights


@dataclass(frozen=True)
class LeaveOneOut:
    label: str
    estimate: float
    ci95: tuple[float, float]
    tau2: float
    i2: float
    shift: float  # estimate without this study minus the estimate with all


@dataclass
class MetaResult:
    k: int
    method: str
    estimate: float
    se: float
    ci95: tuple[float, float]
    tau2: float
    i2: float
    q: float
    q_p: float
    prediction95: tuple[float, float] | None
    studies: list[Study]
    iterations: int = 0
    leave_one_out: list[LeaveOneOut] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "k": self.k,
            "method": self.method,
            "estimate": self.estimate,
            "se": self.se,
            "ci95": list(self.ci95),
            "tau2": self.tau2,
            "i2": self.i2,
            "q": self.q,
            "q_p": self.q_p,
            "prediction95": list(self.prediction95) if self.prediction95 else None,
            "studies": [
                {"label": s.label, "effect": s.effect, "variance": s.variance, "weight": s.weight}
                for s in self.studies
            ],
        }

    @property
    def most_influential(self) -> LeaveOneOut | None:
        if not self.leave_one_out:
            return None
        return max(self.leave_one_out, key=lambda row: abs(row.shift))


def effect_of_paired(hedges_gz: float, cohens_dz: float, n: int) -> tuple[float, float]:
    """(g_z, its sampling variance) for one paired before/after analysis of n people."""
    j = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
    return hedges_gz, j * j * (1.0 / n + cohens_dz * cohens_dz / (2.0 * n))


def cochran_q(y: np.ndarray, v: np.ndarray) -> float:
    w = 1.0 / v
    mean = float(np.sum(w * y) / np.sum(w))
    return float(np.sum(w * (y - mean) ** 2))


def tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    w = 1.0 / v
    q = cochran_q(y, v)
    c = float(w.sum() - np.sum(w * w) / w.sum())
    return max(0.0, (q - (len(y) - 1)) / c) if c > 0 else 0.0


def tau2_reml(y: np.ndarray, v: np.ndarray) -> tuple[float, int]:
    """REML τ² by Fisher scoring (Viechtbauer 2005), started at DerSimonian–Laird."""
    tau2 = tau2_dl(y, v)
    for iteration in range(1, MAX_ITERATIONS + 1):
        w = 1.0 / (v + tau2)
        # P = W - w wᵀ / Σw, so Py = w (y - μ̂) and tr P = Σw - Σw²/Σw.
        mu = float(np.sum(w * y) / w.sum())
        py = w * (y - mu)
        p_matrix = np.diag(w) - np.outer(w, w) / w.sum()
        trace_p = float(np.trace(p_matrix))
        trace_pp = float(np.sum(p_matrix * p_matrix))
        step = (float(py @ py) - trace_p) / trace_pp
        new = max(0.0, tau2 + step)
        if abs(new - tau2) < TOLERANCE:
            return new, iteration
        tau2 = new
    raise MetaAnalysisError("REML did not converge; try --method dl")


def _check(effects, variances, labels) -> tuple[np.ndarray, np.ndarray, list[str]]:
    y = np.asarray(effects, dtype=float)
    v = np.asarray(variances, dtype=float)
    if y.shape != v.shape or y.ndim != 1:
        raise MetaAnalysisError("effects and variances must be two lists of the same length")
    if len(y) < 2:
        raise MetaAnalysisError(f"a meta-analysis needs at least 2 studies, not {len(y)}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v))):
        raise MetaAnalysisError("every effect and variance must be a finite number")
    if np.any(v <= 0):
        raise MetaAnalysisError("every variance must be greater than 0")
    names = list(labels) if labels is not None else [str(i + 1) for i in range(len(y))]
    if len(names) != len(y):
        raise MetaAnalysisError("there must be one label per study")
    return y, v, names


def _pool(y: np.ndarray, v: np.ndarray, method: str) -> tuple[float, float, float, float, int]:
    """(estimate, se, tau2, i2, iterations)."""
    if method == "dl":
        tau2, iterations = tau2_dl(y, v), 0
    else:
        tau2, iterations = tau2_reml(y, v)
    w_star = 1.0 / (v + tau2)
    estimate = float(np.sum(w_star * y) / w_star.sum())
    se = 1.0 / math.sqrt(float(w_star.sum()))
    w = 1.0 / v
    k = len(y)
    typical = (k - 1) * float(w.sum()) / (float(w.sum()) ** 2 - float(np.sum(w * w)))
    i2 = 100.0 * tau2 / (tau2 + typical) if tau2 + typical > 0 else 0.0
    return estimate, se, tau2, i2, iterations


def random_effects(
    effects, variances, labels=None, *, method: str = "reml", leave_one_out: bool = True
) -> MetaResult:
    """Pool the effects by a random-effects model (see the module docstring)."""
    if method not in METHODS:
        raise MetaAnalysisError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    y, v, names = _check(effects, variances, labels)
    k = len(y)
    estimate, se, tau2, i2, iterations = _pool(y, v, method)
    q = cochran_q(y, v)
    prediction = None
    if k >= 3:
        half = t_ppf(0.975, k - 2) * math.sqrt(tau2 + se * se)
        prediction = (estimate - half, estimate + half)
    w_star = 1.0 / (v + tau2)
    weights = 100.0 * w_star / w_star.sum()
    result = MetaResult(
        k=k,
        method=method,
        estimate=estimate,
        se=se,
        ci95=(estimate - Z_975 * se, estimate + Z_975 * se),
        tau2=tau2,
        i2=i2,
        q=q,
        q_p=chi2_sf(q, k - 1),
        prediction95=prediction,
        studies=[Study(names[i], float(y[i]), float(v[i]), float(weights[i])) for i in range(k)],
        iterations=iterations,
    )
    if leave_one_out and k >= 3:
        for i in range(k):
            keep = np.arange(k) != i
            e, s, t2, i2_loo, _ = _pool(y[keep], v[keep], method)
            result.leave_one_out.append(
                LeaveOneOut(names[i], e, (e - Z_975 * s, e + Z_975 * s), t2, i2_loo, e - estimate)
            )
    return result
