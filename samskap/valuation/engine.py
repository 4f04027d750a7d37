"""The societal-value engine: SROI / cost-benefit figures of a value map, with their uncertainty.

Method (Social Value UK, *A guide to Social Return on Investment*, 2012, stages 4-5; DFØ,
*Veileder i samfunnsøkonomiske analyser*, 2023; Finansdepartementet, rundskriv R-109/21):

- first-year impact of an outcome = quantity x proxy x (1 - deadweight) x (1 - displacement)
  x (1 - attribution); each later year is the previous one x (1 - drop-off); nothing after the
  duration. The first year with value is 1 (``starts: during``) or 2 (``after``).
- present value PV = sum over years t of value_t x d(e_t), with e_t = t when the first year is
  ``discounted`` (the SROI guide's template) and e_t = max(t - 1, 0) when ``undiscounted``
  (usual Norwegian practice). With one rate r, d(e) = (1 + r)^-e; with a schedule of rates by
  year, d(e) = prod over k = 1..e of 1 / (1 + r_k). Inputs in year 0 are not discounted, those
  in later years like outcomes.
- NPV = PV - PV(inputs); SROI ratio = PV / PV(inputs); net ratio = NPV / PV(inputs); payback =
  months until the cumulative undiscounted value reaches the undiscounted inputs, value accruing
  evenly within each year (None if it never does).
- uncertainty: every ranged assumption is a PERT(low, central, high) variable (``pert.py``),
  independent unless it shares a correlation group with others: then the group's draws are
  paired by a Gaussian copula on ranks (Iman & Conover 1982; ``induce_rank_correlation``) so
  that any two have the stated Spearman correlation, and the band without correlations is
  reported beside it; a Monte Carlo run gives percentiles of the ratio and NPV and P(ratio > 1);
  the tornado moves one range at a time to its low and high end; the break-even of each
  assumption is the value at which the ratio is 1 with all others central.

The computation is vectorised over draws: a matrix X (draws x parameters) is turned into the
per-outcome matrices (draws x outcomes), and the sum over years is evaluated as a polynomial in
(1 - drop-off) by Horner's rule, so memory is O(draws x outcomes), not x years. Monte Carlo runs
in chunks of ``CHUNK`` draws, so a million draws stay well under 500 MB. The same evaluation
serves the tornado and break-even (one row per scenario). No Django import here.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from samskap.core.coded import coded

from . import pert
from .valuemap import (
    FLAT_RATE_YEARS,
    PUBLIC_PAYERS,
    RATE_FIELDS,
    TAX_FINANCING_COST,
    VIEWS,
    CostBenefit,
    Discounting,
    Input,
    Outcome,
    Ranged,
    ValueMap,
    ValueMapError,
)

DEFAULT_DRAWS = 10_000
CHUNK = 10_000
HISTOGRAM_BINS = 30

# Bands outside which a central value should come with a stated reason. They are Samskap's own
# rule of thumb: no published review could be found that gives them, so the warning no longer
# claims they are "typical of published SROI reports".
TYPICAL_RATES = {
    "deadweight": (0.05, 0.50),
    "attribution": (0.10, 0.53),
    "drop_off": (0.10, 0.50),
}

LINEAR_KINDS = {
    "quantity",
    "proxy",
    "life_satisfaction",
    "value_per_point",
    "deadweight",
    "displacement",
    "attribution",
    "amount",
    "hours",
    "hourly_value",
}
KIND_LABELS = {
    "quantity": "quantity",
    "proxy": "financial proxy",
    "life_satisfaction": "life-satisfaction change",
    "deadweight": "deadweight",
    "displacement": "displacement",
    "attribution": "attribution",
    "drop_off": "drop-off",
    "amount": "amount",
    "hours": "volunteer hours",
    "hourly_value": "value per volunteer hour",
    "rate": "discount rate",
    "value_per_point": "value per life-satisfaction point",
}


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearValue:
    """One year of one outcome (or of all): value, discount exponent and factor, present value."""

    year: int
    value: float
    exponent: int
    discount_factor: float
    present_value: float


@dataclass(frozen=True)
class OutcomeResult:
    index: int
    outcome: Outcome
    unit_value: float  # value per unit and year before deductions (proxy, or points x value)
    first_year_impact: float
    years: tuple[YearValue, ...]
    present_value: float
    undiscounted_value: float

    @property
    def explanation(self) -> str:
        o = self.outcome
        parts = [f"{o.quantity.central:,.6g}", f"{self.unit_value:,.6g}"]
        parts += [
            f"(1 - {o.rate(n).central:g})" for n in ("deadweight", "displacement", "attribution")
        ]
        return (
            f"{' x '.join(parts)} = {self.first_year_impact:,.2f} in year {o.first_year}; "
            f"x (1 - {o.rate('drop_off').central:g}) each later year, for {o.duration} year(s)"
        )


@dataclass(frozen=True)
class InputResult:
    index: int
    input: Input
    amount: float
    exponent: int
    discount_factor: float
    present_value: float


@dataclass(frozen=True)
class HonestyWarning:
    """A warning, not an error: the map computes, but a reader should know this."""

    code: str
    place: str
    message: str


@dataclass(frozen=True)
class Parameter:
    """One assumption that can vary: its place in the map, its range and how it acts."""

    key: str
    kind: str
    index: int
    label: str
    value: Ranged
    minimum: float
    maximum: float

    @property
    def linear(self) -> bool:
        return self.kind in LINEAR_KINDS


@dataclass(frozen=True)
class TornadoBar:
    parameter: Parameter
    ratio_at_low: float
    ratio_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.ratio_at_high - self.ratio_at_low)


@dataclass(frozen=True)
class BreakEven:
    """The value of one assumption at which the ratio is 1, the others at their central value.

    ``value`` is None when no value in the assumption's possible range makes the ratio 1.
    ``ratio_above_one_when`` says on which side of it the ratio exceeds 1 ("below"/"above").
    """

    parameter: Parameter
    value: float | None
    ratio_above_one_when: str

    @property
    def margin(self) -> float | None:
        """How far the break-even is from the central value, relative to it (None if none)."""
        if self.value is None:
            return None
        central = self.parameter.value.central
        scale = abs(central) if central else 1.0
        return abs(self.value - central) / scale


@dataclass(frozen=True)
class Uncertainty:
    draws: int
    seed: int
    ranged_assumptions: int
    ratio_percentiles: dict[int, float]
    npv_percentiles: dict[int, float]
    pv_percentiles: dict[int, float]
    probability_ratio_above_1: float
    ratio_histogram: tuple[tuple[float, ...], tuple[int, ...]]  # (edges, counts)
    # (group, rank correlation, parameter keys) of the groups applied; () when independent.
    correlations: tuple[tuple[str, float, tuple[str, ...]], ...] = ()
    # The same run with every range independent, for comparison (only when there are groups).
    independent: Uncertainty | None = None
    # Cost-benefit view: NPV per budget krone, draw by draw (NPV / net cost to public budgets
    # in the same draw), over the draws where budgets bear a net cost; ``budget_cost_share`` is
    # the share of draws that do. The band is None when fewer than 95 % do (``BAND_DEFINED``).
    npv_per_budget_krone_percentiles: dict[int, float] | None = None
    budget_cost_share: float | None = None


@dataclass
class ValueResult:
    value_map: ValueMap
    discounting: Discounting
    present_value: float
    present_value_of_inputs: float
    total_inputs: float
    net_present_value: float
    sroi_ratio: float
    net_sroi_ratio: float
    payback_months: float | None
    outcomes: list[OutcomeResult]
    inputs: list[InputResult]
    by_year: list[dict[str, float]]
    by_stakeholder: list[dict[str, Any]]
    public_budget: dict[str, dict[str, Any]]
    wellbeing: dict[str, Any] | None
    unvalued_outcomes: list[dict[str, Any]]
    warnings: list[HonestyWarning]
    parameters: list[Parameter] = field(default_factory=list)
    uncertainty: Uncertainty | None = None
    tornado: list[TornadoBar] = field(default_factory=list)
    break_even: list[BreakEven] = field(default_factory=list)
    view: str = "sroi"
    cost_benefit: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return result_to_dict(self)


# --- the model: parameters and the vectorised evaluation ------------------------------------


def _exponent(year: int, first_year: str) -> int:
    return year if first_year == "discounted" else max(year - 1, 0)


def _schedule_factors(discounting: Discounting, last_exponent: int) -> np.ndarray:
    """d(e) for e = 0..last_exponent under a schedule: prod over k <= e of 1 / (1 + r_k)."""
    factors = np.ones(last_exponent + 1)
    for e in range(1, last_exponent + 1):
        factors[e] = factors[e - 1] / (1 + discounting.rate_for_year(e))
    return factors


def in_real_prices(value_map: ValueMap) -> ValueMap:
    """The map with every proxy that states its price year brought to the map's price year:
    proxy x index(price year) / index(proxy price year), by the map's price index (a consumer
    price index the user supplies, e.g. SSB table 03014; DFØ 2023 asks for fixed prices of one
    year throughout). A missing year is an error naming the outcome."""
    problems: list[tuple[str, str]] = []
    outcomes = list(value_map.outcomes)
    index = value_map.price_index
    for i, o in enumerate(outcomes):
        if o.proxy is None or o.proxy_price_year is None:
            continue
        if value_map.price_year is None:
            problems.append(
                (
                    "$.price_year",
                    coded(
                        "price_year_needed",
                        "a proxy states its price year, so the map needs a price_year",
                    ),
                )
            )
            break
        if o.proxy_price_year == value_map.price_year:
            continue
        missing = [y for y in (o.proxy_price_year, value_map.price_year) if y not in index]
        if missing:
            problems.append(
                (
                    f"$.outcomes[{i}].proxy_price_year",
                    coded(
                        "price_index_missing",
                        f"the price index has no value for {', '.join(map(str, missing))}",
                        years=[str(y) for y in missing],
                    ),
                )
            )
            continue
        factor = index[value_map.price_year] / index[o.proxy_price_year]
        p = o.proxy
        outcomes[i] = dataclasses.replace(
            o, proxy=Ranged(p.low * factor, p.central * factor, p.high * factor, p.group)
        )
    if problems:
        raise ValueMapError(problems)
    return dataclasses.replace(value_map, outcomes=tuple(outcomes))


def within_period(value_map: ValueMap) -> ValueMap:
    """The map with each outcome's duration cut at the end of the analysis period."""
    period = value_map.cost_benefit.analysis_period
    if period is None:
        return value_map
    outcomes = tuple(
        dataclasses.replace(o, duration=max(1, min(o.duration, period - o.first_year + 1)))
        for o in value_map.outcomes
    )
    return dataclasses.replace(value_map, outcomes=outcomes)


class Model:
    """A value map prepared for evaluation over many parameter sets at once.

    ``view="sroi"`` counts every outcome and input; ``view="cba"`` is the cost-benefit view of
    R-109/21 and DFØ (2023): transfers count zero for society, the tax-financing cost
    (``tax_financing_cost`` x the net change in public budgets) is a cost (a gain when budgets
    improve), value after the analysis period is cut and its residual value added in its last
    year. Proxies are in the map's prices in both views (``in_real_prices``)."""

    def __init__(
        self,
        value_map: ValueMap,
        view: str = "sroi",
        tax_financing_cost: float | None = None,
    ):
        if not value_map.inputs:
            raise ValueMapError(
                [("$.inputs", coded("no_inputs", "the map has no inputs: the ratio is undefined"))]
            )
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}")
        self.view = view
        value_map = in_real_prices(value_map)
        if view == "cba":
            value_map = within_period(value_map)
        cb = value_map.cost_benefit
        self.tax_financing_cost = (
            cb.tax_financing_cost
            if cb.tax_financing_cost is not None
            else (tax_financing_cost if tax_financing_cost is not None else TAX_FINANCING_COST)
        )
        self.analysis_period = cb.analysis_period if view == "cba" else None
        self.residual_value = cb.residual_value if view == "cba" else 0.0
        self.value_map = value_map
        self.discounting = value_map.discounting
        self.valued = [i for i, o in enumerate(value_map.outcomes) if o.is_valued]
        self.parameters: list[Parameter] = []
        columns: dict[str, list[int]] = defaultdict(list)
        one = -1  # replaced by the index of the constant column below

        def add(kind: str, index: int, value: Ranged, label: str, lo: float, hi: float) -> int:
            prefix = "inputs" if kind in ("amount", "hours", "hourly_value") else "outcomes"
            key = f"{prefix}[{index}].{kind}" if index >= 0 else kind
            self.parameters.append(Parameter(key, kind, index, label, value, lo, hi))
            return len(self.parameters) - 1

        vpp_column = None
        if value_map.wellbeing is not None:
            vpp_column = add(
                "value_per_point",
                -1,
                value_map.wellbeing.value_per_point,
                "Value per life-satisfaction point",
                0.0,
                np.inf,
            )
            self.parameters[-1] = dataclasses.replace(
                self.parameters[-1], key="wellbeing.value_per_point"
            )
        for i in self.valued:
            o = value_map.outcomes[i]
            name = f"{o.outcome} ({o.stakeholder})"
            columns["quantity"].append(
                add("quantity", i, o.quantity, f"Quantity: {name}", 0, np.inf)
            )
            if o.proxy is not None:
                # A proxy keeps its sign: a benefit cannot break even by turning into a cost.
                lo, hi = (0.0, np.inf) if o.proxy.central >= 0 else (-np.inf, 0.0)
                columns["proxy"].append(add("proxy", i, o.proxy, f"Proxy: {name}", lo, hi))
                columns["life_satisfaction"].append(one)
                columns["value_per_point"].append(one)
            else:
                assert o.life_satisfaction is not None
                columns["proxy"].append(one)
                columns["life_satisfaction"].append(
                    add(
                        "life_satisfaction",
                        i,
                        o.life_satisfaction,
                        f"Life satisfaction change: {name}",
                        *((0.0, 10.0) if o.life_satisfaction.central >= 0 else (-10.0, 0.0)),
                    )
                )
                columns["value_per_point"].append(vpp_column if vpp_column is not None else one)
            for kind in RATE_FIELDS:
                label = f"{KIND_LABELS[kind].capitalize()}: {name}"
                columns[kind].append(add(kind, i, o.rate(kind), label, 0.0, 1.0))
        for j, item in enumerate(value_map.inputs):
            name = f"{item.description or 'input'} ({item.stakeholder})"
            if item.is_volunteer_time:
                assert item.hours is not None and item.hourly_value is not None
                columns["amount"].append(one)
                columns["hours"].append(add("hours", j, item.hours, f"Hours: {name}", 0, np.inf))
                columns["hourly_value"].append(
                    add("hourly_value", j, item.hourly_value, f"Value per hour: {name}", 0, np.inf)
                )
            else:
                columns["amount"].append(
                    add("amount", j, item.amount, f"Amount: {name}", 0, np.inf)
                )
                columns["hours"].append(one)
                columns["hourly_value"].append(one)
        self.rate_column: int | None = None
        if self.discounting.schedule is None:
            assert self.discounting.rate is not None
            self.rate_column = add("rate", -1, self.discounting.rate, "Discount rate", 0.0, 1.0)
            self.parameters[-1] = dataclasses.replace(self.parameters[-1], key="discounting.rate")

        self.n_parameters = len(self.parameters)
        constant = self.n_parameters  # the column of ones
        self.columns = {
            kind: np.array([constant if c == one else c for c in cols], dtype=np.intp)
            for kind, cols in columns.items()
        }
        for kind in ("quantity", "proxy", "life_satisfaction", "value_per_point", *RATE_FIELDS):
            self.columns.setdefault(kind, np.zeros(0, dtype=np.intp))
        for kind in ("amount", "hours", "hourly_value"):
            self.columns.setdefault(kind, np.zeros(0, dtype=np.intp))
        self.central = np.array([p.value.central for p in self.parameters] + [1.0])
        self.low = np.array([p.value.low for p in self.parameters] + [1.0])
        self.high = np.array([p.value.high for p in self.parameters] + [1.0])
        self.ranged = np.array([i for i, p in enumerate(self.parameters) if p.value.is_range])
        # Correlation groups: name -> (rank correlation, rows of X that move together).
        self.groups: dict[str, tuple[float, np.ndarray]] = {}
        for name, rho in value_map.correlations.items():
            rows = [i for i in self.ranged.tolist() if self.parameters[i].value.group == name]
            if len(rows) >= 2:
                self.groups[name] = (rho, np.array(rows, dtype=np.intp))
                _correlation_factor(rho, len(rows), name)  # fails early if impossible

        outcomes = [value_map.outcomes[i] for i in self.valued]
        self.first_years = np.array([o.first_year for o in outcomes], dtype=np.intp)
        self.durations = np.array([o.duration for o in outcomes], dtype=np.intp)
        self.input_years = np.array([i.year for i in value_map.inputs], dtype=np.intp)
        last_outcome_year = max((o.first_year + o.duration - 1 for o in outcomes), default=0)
        self.horizon = max(last_outcome_year, int(self.input_years.max(initial=0)))
        # Weights of each valued outcome / input: counted for society, and public budget lens.
        cba = view == "cba"
        period = self.analysis_period

        def inside(year: int) -> bool:
            return period is None or year <= period

        self.society_out = np.array(
            [
                0.0 if cba and (o.flow == "transfer" or not inside(o.first_year)) else 1.0
                for o in outcomes
            ]
        )
        self.public_out = np.array(
            [1.0 if o.payer in PUBLIC_PAYERS and inside(o.first_year) else 0.0 for o in outcomes]
        )
        self.society_in = np.array(
            [
                0.0 if cba and (i.flow == "transfer" or not inside(i.year)) else 1.0
                for i in value_map.inputs
            ]
        )
        self.public_in = np.array(
            [1.0 if i.payer in PUBLIC_PAYERS and inside(i.year) else 0.0 for i in value_map.inputs]
        )
        if cba and self.residual_value and period is not None:
            self.horizon = max(self.horizon, period)
        first = self.discounting.first_year
        self.exponents = np.array([_exponent(t, first) for t in range(self.horizon + 1)])
        self.max_duration = int(self.durations.max(initial=0))
        self.fixed_factors: np.ndarray | None = None
        # 1 while an outcome still has value in its (k+1)-th year, else 0.
        self._running = [
            (k < self.durations).astype(float)[:, None] for k in range(self.max_duration)
        ]
        if self.rate_column is None:
            factors = _schedule_factors(self.discounting, int(self.exponents.max(initial=0)))
            self.fixed_factors = factors[self.exponents][:, None]
            self.fixed_weights = [
                self._weights(self.fixed_factors, k) for k in range(self.max_duration)
            ]

    # Discount factors by year, shape (horizon + 1, scenarios or 1).
    def factors(self, X: np.ndarray) -> np.ndarray:
        if self.fixed_factors is not None:
            return self.fixed_factors
        rate = X[self.rate_column][None, :]
        return (1.0 + rate) ** -self.exponents[:, None]

    def _weights(self, factors: np.ndarray, k: int) -> np.ndarray:
        """The discount factor of each outcome's (k+1)-th year, 0 past its duration."""
        years = np.minimum(self.first_years + k, self.horizon)
        return factors[years] * (k < self.durations)[:, None]

    def matrix(self, scenarios: int) -> np.ndarray:
        """The central parameter vector (plus the row of ones), one column per scenario."""
        return np.repeat(self.central[:, None], scenarios, axis=1)

    def evaluate(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(PV of outcomes, PV of inputs) for each column of X (parameters + 1 x scenarios).

        Parameters are rows, so that gathering one kind for all outcomes reads whole rows."""
        pv_out, pv_in, _public_net = self.evaluate_parts(X)
        return pv_out, pv_in

    def evaluate_parts(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``evaluate`` plus, in the cost-benefit view, the present value of the net cost to
        public budgets in each scenario (None in the SROI view)."""
        c = self.columns
        unit = X[c["proxy"]] * X[c["life_satisfaction"]] * X[c["value_per_point"]]
        impact = X[c["quantity"]] * unit
        impact *= 1.0 - X[c["deadweight"]]
        impact *= 1.0 - X[c["displacement"]]
        impact *= 1.0 - X[c["attribution"]]
        keep = 1.0 - X[c["drop_off"]]
        factors = self.factors(X)
        if self.max_duration:
            # Sum over k of keep^k x weight_k by Horner's rule: no (rows x outcomes x years).
            if self.fixed_factors is not None:
                weights = self.fixed_weights
                total = np.broadcast_to(weights[-1], impact.shape).copy()
                for k in range(self.max_duration - 2, -1, -1):
                    total *= keep
                    total += weights[k]
            else:
                # One rate r: year t0 + k has factor d(e0) v^k with v = 1 / (1 + r), because
                # the exponent grows by one a year from the first year with value on. So the
                # sum is d(e0) x sum over k < duration of (keep x v)^k, again by Horner.
                step = keep * (1.0 / (1.0 + X[self.rate_column]))[None, :]
                total = np.broadcast_to(self._running[-1], impact.shape).copy()
                for k in range(self.max_duration - 2, -1, -1):
                    total *= step
                    total += self._running[k]
                total *= factors[self.first_years]
            impact *= total  # now each outcome's present value
            pv_out = self.society_out @ impact
        else:
            impact = np.zeros((0, X.shape[1]))
            pv_out = np.zeros(X.shape[1])
        amounts = X[c["amount"]] * X[c["hours"]] * X[c["hourly_value"]]
        amounts *= np.broadcast_to(factors[self.input_years], amounts.shape)
        pv_in = self.society_in @ amounts
        public_net = None
        if self.view == "cba":
            public_net = self.public_in @ amounts - self.public_out @ impact
            tax = self.tax_financing_cost * public_net
            # A cost when public budgets grow, a gain when they shrink; NPV is the same either
            # way, and the ratio keeps a positive denominator.
            pv_in = pv_in + np.maximum(tax, 0.0)
            pv_out = pv_out + np.maximum(-tax, 0.0)
            if self.residual_value and self.analysis_period is not None:
                pv_out = pv_out + self.residual_value * factors[self.analysis_period]
        return pv_out, pv_in, public_net

    def sample(
        self, rng: np.random.Generator, scenarios: int, correlated: bool = True
    ) -> np.ndarray:
        X = self.matrix(scenarios)
        if len(self.ranged):
            r = self.ranged
            pert.fill_pert(X, r, self.low[r], self.central[r], self.high[r], rng)
            if correlated:
                for name, (rho, rows) in self.groups.items():
                    induce_rank_correlation(X, rows, rho, rng, name)
        return X


def _correlation_factor(rho: float, members: int, name: str = "") -> np.ndarray:
    """A factor L with L Lᵀ = the equicorrelation matrix of the normal scores that gives the
    Spearman correlation ``rho`` between any two members: Pearson r = 2 sin(π ρ / 6) (Pearson
    1907; Kruskal 1958, *JASA* 53:814–861, for the bivariate normal)."""
    r = 2.0 * np.sin(np.pi * rho / 6.0)
    matrix = np.full((members, members), r)
    np.fill_diagonal(matrix, 1.0)
    if r >= 0:
        # Z_i = √r W + √(1 − r) E_i: valid up to r = 1 (comonotone), where Cholesky fails.
        return np.hstack([np.full((members, 1), np.sqrt(r)), np.sqrt(1 - r) * np.eye(members)])
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise ValueMapError(
            [
                (
                    f"$.correlations.{name}",
                    coded(
                        "correlation_impossible",
                        f"{members} ranges cannot all have a rank correlation of {rho:g} with "
                        f"each other (at least {-1 / (members - 1):.2f} for a group of this size)",
                        members=members,
                        value=rho,
                    ),
                )
            ]
        ) from None


def induce_rank_correlation(
    X: np.ndarray, rows: np.ndarray, rho: float, rng: np.random.Generator, name: str = ""
) -> None:
    """Reorder the independent draws of ``X[rows]`` so that they follow the ranks of
    correlated normal scores: a Gaussian copula with the draws' own marginals — the
    distribution-free method of Iman & Conover (1982, *Commun Stat Simul Comput* 11:311–334),
    with normal instead of van der Waerden scores. Each range keeps exactly its PERT draws;
    only their pairing changes. ρ = 1 pairs the k-th smallest of every member (comonotone)."""
    factor = _correlation_factor(rho, len(rows), name)
    scores = factor @ rng.standard_normal((factor.shape[1], X.shape[1]))
    ranks = np.argsort(np.argsort(scores, axis=1, kind="stable"), axis=1)
    X[rows] = np.take_along_axis(np.sort(X[rows], axis=1), ranks, axis=1)


# --- central detail --------------------------------------------------------------------------


def _factor(model: Model, exponent: int) -> float:
    d = model.discounting
    if d.schedule is None:
        assert d.rate is not None
        return float((1 + d.rate.central) ** -exponent)
    return float(_schedule_factors(d, exponent)[exponent])


def _detail(model: Model) -> tuple[list[OutcomeResult], list[InputResult]]:
    vm = model.value_map
    first = model.discounting.first_year
    vpp = vm.wellbeing.value_per_point.central if vm.wellbeing else 0.0
    outcomes = []
    for i in model.valued:
        o = vm.outcomes[i]
        unit = o.proxy.central if o.proxy is not None else o.life_satisfaction.central * vpp  # type: ignore[union-attr]
        impact = o.quantity.central * unit
        for name in ("deadweight", "displacement", "attribution"):
            impact *= 1 - o.rate(name).central
        years = []
        value = impact
        for k in range(o.duration):
            t = o.first_year + k
            e = _exponent(t, first)
            f = _factor(model, e)
            years.append(YearValue(t, value, e, f, value * f))
            value *= 1 - o.rate("drop_off").central
        outcomes.append(
            OutcomeResult(
                i,
                o,
                unit,
                impact,
                tuple(years),
                sum(y.present_value for y in years),
                sum(y.value for y in years),
            )
        )
    inputs = []
    for j, item in enumerate(vm.inputs):
        amount = item.amount.central
        if item.is_volunteer_time:
            amount = item.hours.central * item.hourly_value.central  # type: ignore[union-attr]
        e = _exponent(item.year, first)
        f = _factor(model, e)
        inputs.append(InputResult(j, item, amount, e, f, amount * f))
    return outcomes, inputs


def payback_months(values_by_year: dict[int, float], total_inputs: float) -> float | None:
    """Months until the cumulative undiscounted value reaches the inputs (even within a year)."""
    cumulative = 0.0
    for year in sorted(values_by_year):
        value = values_by_year[year]
        if value > 0 and cumulative + value >= total_inputs:
            return 12 * (year - 1) + 12 * (total_inputs - cumulative) / value
        cumulative += value
    return None


# --- honesty checks --------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


def _looks_same(a: Outcome, b: Outcome) -> bool:
    if a.indicator and a.indicator.strip().lower() == b.indicator.strip().lower():
        return True
    if SequenceMatcher(None, a.outcome.lower(), b.outcome.lower()).ratio() >= 0.8:
        return True
    wa, wb = _words(a.outcome), _words(b.outcome)
    if not (wa and wb):
        return False
    # One description contained in the other ("in work" / "in paid work"), or mostly shared.
    return wa <= wb or wb <= wa or len(wa & wb) / len(wa | wb) >= 0.6


def honesty_warnings(value_map: ValueMap) -> list[HonestyWarning]:
    """The checks that guard against over-claiming (warnings; the map still computes)."""
    found = []

    def warn(code: str, place: str, message: str, **params: Any) -> None:
        # The message carries its code and parameters, so a page can show it translated
        # (samskap.valuation.texts); the command line shows the English as it is.
        found.append(HonestyWarning(code, place, coded(code, message, **params)))

    for i, o in enumerate(value_map.outcomes):
        if not o.is_valued:
            continue
        name = f"'{o.outcome}' ({o.stakeholder})"
        about = {"outcome": o.outcome, "stakeholder": o.stakeholder}
        for rate in ("deadweight", "attribution", "drop_off"):
            if rate == "drop_off" and o.duration == 1:
                continue  # drop-off changes nothing in an outcome that lasts one year
            place = f"outcomes[{i}].{rate}"
            value = getattr(o, rate)
            label = KIND_LABELS[rate]
            if value is None:
                warn(
                    "missing_rate",
                    place,
                    f"{name}: no {label} given; it counts as 0 %.",
                    rate=rate,
                    **about,
                )
                continue
            if value.central == 0:
                warn(
                    "zero_rate",
                    place,
                    f"{name}: {label} is 0 %; say why, or estimate it.",
                    rate=rate,
                    **about,
                )
                continue
            low, high = TYPICAL_RATES[rate]
            if not low <= value.central <= high:
                warn(
                    "atypical_rate",
                    place,
                    f"{name}: {label} {value.central:.0%} is outside {low:.0%}-{high:.0%}, the "
                    "band Samskap asks a reason for; give the reason.",
                    rate=rate,
                    value=value.central,
                    low=low,
                    high=high,
                    **about,
                )
        if o.proxy is not None and not o.proxy_source:
            warn(
                "proxy_without_source",
                f"outcomes[{i}].proxy_source",
                f"{name}: proxy has no source.",
                **about,
            )
        if o.duration > 5 and (o.drop_off is None or o.drop_off.central == 0):
            warn(
                "long_without_drop_off",
                f"outcomes[{i}].drop_off",
                f"{name}: lasts {o.duration} years with no drop-off.",
                years=o.duration,
                **about,
            )
    wellbeing = value_map.wellbeing
    uses_wellbeing = any(o.life_satisfaction is not None for o in value_map.outcomes)
    if uses_wellbeing and wellbeing is not None and not wellbeing.source:
        warn(
            "wellbeing_without_source",
            "wellbeing.source",
            "the value of one point of life satisfaction has no source.",
        )
    d = value_map.discounting
    last_years = [o.first_year + o.duration - 1 for o in value_map.outcomes if o.is_valued]
    if d.schedule is None and last_years and max(last_years) > FLAT_RATE_YEARS:
        warn(
            "flat_rate_long",
            "discounting.rate",
            f"outcomes run to year {max(last_years)} on a flat rate; R-109/21 lowers the rate "
            f"after year {FLAT_RATE_YEARS} (3 %, then 2 % after year 75): use its schedule.",
            years=max(last_years),
            limit=FLAT_RATE_YEARS,
        )
    outcomes = value_map.outcomes
    for i, a in enumerate(outcomes):
        for j in range(i + 1, len(outcomes)):
            b = outcomes[j]
            same_stakeholder = a.stakeholder.lower() == b.stakeholder.lower()
            if a.is_valued and b.is_valued and same_stakeholder and _looks_same(a, b):
                warn(
                    "possible_double_count",
                    f"outcomes[{j}]",
                    f"'{a.outcome}' and '{b.outcome}' for {a.stakeholder} look like the "
                    "same change counted twice.",
                    first=a.outcome,
                    second=b.outcome,
                    stakeholder=a.stakeholder,
                )
    return found


# --- uncertainty ------------------------------------------------------------------------------


# The NPV per budget krone gets a 5-95 % band only when at least this share of the draws has a
# net cost to public budgets (where the ratio is defined).
BAND_DEFINED = 0.95


def _ratio(pv_out: np.ndarray, pv_in: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return pv_out / pv_in


def monte_carlo(
    model: Model,
    draws: int,
    seed: int | None,
    chunk: int = CHUNK,
    correlated: bool = True,
    compare_independent: bool = True,
) -> Uncertainty:
    """Percentiles of the ratio, NPV and PV over ``draws`` PERT draws. With correlation groups,
    the band without them (same seed) is computed too, so that both can be shown."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    rng = np.random.default_rng(seed)
    ratios = np.empty(draws)
    npvs = np.empty(draws)
    pvs = np.empty(draws)
    budget = np.empty(draws) if model.view == "cba" else None
    for start in range(0, draws, chunk):
        rows = min(chunk, draws - start)
        pv_out, pv_in, public_net = model.evaluate_parts(model.sample(rng, rows, correlated))
        ratios[start : start + rows] = _ratio(pv_out, pv_in)
        npvs[start : start + rows] = pv_out - pv_in
        pvs[start : start + rows] = pv_out
        if budget is not None:
            budget[start : start + rows] = public_net
    levels = (5, 50, 95)

    def percentiles(values: np.ndarray) -> dict[int, float]:
        return dict(zip(levels, np.percentile(values, levels).tolist(), strict=True))

    per_krone, cost_share = None, None
    if budget is not None:
        # The ratio of two quantities of the same draw (never of two percentiles): undefined
        # where public budgets save money net, as at central values (DFØ 2023, "netto nytte
        # per budsjettkrone"). Percentiles over the draws where it is defined, shown only when
        # they are nearly all of them, so the 5-95 % band is not a band of a selected few.
        costs = budget > 0
        cost_share = float(np.mean(costs))
        if cost_share >= BAND_DEFINED:
            per_krone = percentiles(npvs[costs] / budget[costs])

    lo, hi = np.percentile(ratios, [0.5, 99.5])
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(np.clip(ratios, lo, hi), bins=HISTOGRAM_BINS, range=(lo, hi))
    independent = None
    if correlated and model.groups and compare_independent:
        independent = monte_carlo(model, draws, seed, chunk, correlated=False)
    return Uncertainty(
        draws=draws,
        seed=seed,
        ranged_assumptions=len(model.ranged),
        ratio_percentiles=percentiles(ratios),
        npv_percentiles=percentiles(npvs),
        pv_percentiles=percentiles(pvs),
        probability_ratio_above_1=float(np.mean(ratios > 1)),
        ratio_histogram=(tuple(edges.tolist()), tuple(int(c) for c in counts)),
        correlations=tuple(
            (name, rho, tuple(model.parameters[i].key for i in rows.tolist()))
            for name, (rho, rows) in model.groups.items()
        )
        if correlated
        else (),
        independent=independent,
        npv_per_budget_krone_percentiles=per_krone,
        budget_cost_share=cost_share,
    )


def tornado(model: Model) -> list[TornadoBar]:
    """The ratio with each range at its low and high end, the others central; widest first."""
    ranged = model.ranged
    if not len(ranged):
        return []
    X = model.matrix(2 * len(ranged))
    rows = np.arange(len(ranged))
    X[ranged, 2 * rows] = model.low[ranged]
    X[ranged, 2 * rows + 1] = model.high[ranged]
    ratios = _ratio(*model.evaluate(X))
    bars = [
        TornadoBar(model.parameters[p], float(ratios[2 * r]), float(ratios[2 * r + 1]))
        for r, p in enumerate(ranged.tolist())
    ]
    return sorted(bars, key=lambda bar: -bar.swing)


def break_even(model: Model, iterations: int = 60) -> list[BreakEven]:
    """For each assumption, the value at which the ratio is 1 (NPV = 0), the others central.

    NPV is linear in quantities, proxies, deadweight, displacement, attribution and amounts, so
    two evaluations give the root exactly; for drop-off and the discount rate it is found by
    bisection on [0, 1] (all such rows at once).
    """
    params = model.parameters
    n = len(params)
    results: dict[int, BreakEven] = {}
    central_npv = float(np.subtract(*model.evaluate(model.matrix(1)))[0])
    linear = [p for p in range(n) if params[p].linear]
    if linear:
        idx = np.array(linear)
        X = model.matrix(len(linear))
        step = np.maximum(np.abs(model.central[idx]), 1.0)
        X[idx, np.arange(len(linear))] = model.central[idx] + step
        pv_out, pv_in = model.evaluate(X)
        slopes = (pv_out - pv_in - central_npv) / step
        for r, p in enumerate(linear):
            param, slope = params[p], float(slopes[r])
            if abs(slope) < 1e-12 * max(1.0, abs(central_npv)):
                results[p] = BreakEven(param, None, "always" if central_npv > 0 else "never")
                continue
            root = param.value.central - central_npv / slope
            inside = param.minimum - 1e-12 <= root <= param.maximum + 1e-12
            if inside:
                results[p] = BreakEven(param, float(root), "above" if slope > 0 else "below")
            else:
                results[p] = BreakEven(param, None, "always" if central_npv > 0 else "never")
    nonlinear = [p for p in range(n) if not params[p].linear]
    if nonlinear:
        idx = np.array(nonlinear)
        rows = np.arange(len(nonlinear))
        lo = np.array([params[p].minimum for p in nonlinear], dtype=float)
        hi = np.array([params[p].maximum for p in nonlinear], dtype=float)

        def npv_at(values: np.ndarray) -> np.ndarray:
            X = model.matrix(len(nonlinear))
            X[idx, rows] = values
            pv_out, pv_in = model.evaluate(X)
            return pv_out - pv_in

        f_lo, f_hi = npv_at(lo), npv_at(hi)
        bracket = np.sign(f_lo) != np.sign(f_hi)
        a, b, fa = lo.copy(), hi.copy(), f_lo.copy()
        for _ in range(iterations):
            mid = (a + b) / 2
            fm = npv_at(mid)
            same = np.sign(fm) == np.sign(fa)
            a = np.where(same, mid, a)
            fa = np.where(same, fm, fa)
            b = np.where(same, b, mid)
        for r, p in enumerate(nonlinear):
            side = "below" if f_lo[r] > 0 else "above"
            if bracket[r]:
                results[p] = BreakEven(params[p], float((a[r] + b[r]) / 2), side)
            else:
                results[p] = BreakEven(params[p], None, "always" if f_lo[r] > 0 else "never")
    ordered = [results[p] for p in range(n)]
    return sorted(ordered, key=lambda be: (be.margin is None, be.margin or 0.0))


# --- the whole computation ------------------------------------------------------------------


def with_settings(
    value_map: ValueMap, *, rate: float | None = None, first_year: str | None = None
) -> ValueMap:
    """The map with its discount rate (replacing any schedule) or first-year convention set."""
    d = value_map.discounting
    if rate is not None:
        if not 0 <= rate <= 1:
            raise ValueMapError([("--rate", f"the discount rate must be in [0, 1], not {rate}")])
        d = Discounting(Ranged.of(rate), None, "", d.first_year)
    if first_year is not None:
        d = dataclasses.replace(d, first_year=first_year)
    return dataclasses.replace(value_map, discounting=d)


def _cost_benefit(
    model: Model,
    outcomes: list[OutcomeResult],
    inputs: list[InputResult],
    original: ValueMap,
) -> dict[str, Any]:
    """The cost-benefit view's own figures at central values (see ``Model``)."""
    public_costs = sum(i.present_value for j, i in enumerate(inputs) if model.public_in[j])
    public_savings = sum(o.present_value for k, o in enumerate(outcomes) if model.public_out[k])
    net_public = public_costs - public_savings
    tax = model.tax_financing_cost * net_public
    period = model.analysis_period
    residual_pv = 0.0
    if model.residual_value and period is not None:
        residual_pv = model.residual_value * _factor(
            model, _exponent(period, model.discounting.first_year)
        )
    transfers = [o for o in outcomes if o.outcome.flow == "transfer"]
    transfer_inputs = [i for i in inputs if i.input.flow == "transfer"]
    cut_off = 0.0
    if period is not None:
        # What the outcomes would still be worth to society after the period (not counted).
        whole_map = dataclasses.replace(original, cost_benefit=CostBenefit())
        whole = Model(whole_map, "cba", model.tax_financing_cost)
        counted = sum(o.present_value for k, o in enumerate(outcomes) if model.society_out[k])
        everything = sum(
            o.present_value for k, o in enumerate(_detail(whole)[0]) if whole.society_out[k]
        )
        cut_off = everything - counted
    adjusted = [
        {
            "index": i,
            "proxy_price_year": o.proxy_price_year,
            "factor": original.price_index[original.price_year]
            / original.price_index[o.proxy_price_year],
        }
        for i, o in enumerate(original.outcomes)
        if o.proxy is not None
        and o.proxy_price_year is not None
        and original.price_year is not None
        and o.proxy_price_year != original.price_year
    ]
    return {
        "tax_financing_rate": model.tax_financing_cost,
        "public_costs_present_value": public_costs,
        "public_savings_present_value": public_savings,
        "net_public_budget_cost": net_public,
        "tax_financing_cost": max(tax, 0.0),
        "tax_financing_gain": max(-tax, 0.0),
        "transfers_present_value": sum(o.present_value for o in transfers),
        "transfer_outcomes": [o.index for o in transfers],
        "transfer_inputs_present_value": sum(i.present_value for i in transfer_inputs),
        "transfer_inputs": [i.index for i in transfer_inputs],
        "analysis_period": period,
        "residual_value": model.residual_value,
        "residual_present_value": residual_pv,
        "cut_off_present_value": cut_off,
        "real_price_adjustments": adjusted,
        "npv_per_budget_krone": None,  # set by compute, which knows the NPV
    }


def compute(
    value_map: ValueMap,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = None,
    uncertainty: bool = True,
    view: str = "sroi",
    tax_financing_cost: float | None = None,
) -> ValueResult:
    """Every figure of the map at central values in the SROI or cost-benefit ``view``, and
    (unless ``uncertainty=False``) the Monte Carlo percentiles, tornado and break-even values
    in the same view. ``tax_financing_cost`` is the installation's setting (the map's own
    value, if it has one, comes first)."""
    model = Model(value_map, view, tax_financing_cost)
    all_outcomes, all_inputs = _detail(model)
    # What counts for society in this view (in the SROI view: everything).
    outcomes = [o for k, o in enumerate(all_outcomes) if model.society_out[k]]
    inputs = [i for j, i in enumerate(all_inputs) if model.society_in[j]]
    pv = sum(o.present_value for o in outcomes)
    pv_in = sum(i.present_value for i in inputs)
    total_inputs = sum(i.amount for i in inputs)
    cost_benefit = None
    if view == "cba":
        cost_benefit = _cost_benefit(model, all_outcomes, all_inputs, value_map)
        pv += cost_benefit["residual_present_value"] + cost_benefit["tax_financing_gain"]
        pv_in += cost_benefit["tax_financing_cost"]
    if pv_in <= 0:
        raise ValueMapError(
            [
                (
                    "$.inputs",
                    coded(
                        "inputs_zero_pv", "the inputs' present value is 0: the ratio is undefined"
                    ),
                )
            ]
        )
    values: dict[int, float] = defaultdict(float)
    pvs: dict[int, float] = defaultdict(float)
    for o in outcomes:
        for y in o.years:
            values[y.year] += y.value
            pvs[y.year] += y.present_value
    paid: dict[int, float] = defaultdict(float)
    paid_pv: dict[int, float] = defaultdict(float)
    for i in inputs:
        paid[i.input.year] += i.amount
        paid_pv[i.input.year] += i.present_value
    by_year = []
    cumulative = 0.0
    for t in range(model.horizon + 1):
        cumulative += values.get(t, 0.0)
        by_year.append(
            {
                "year": t,
                "value": values.get(t, 0.0),
                "present_value": pvs.get(t, 0.0),
                "inputs": paid.get(t, 0.0),
                "inputs_present_value": paid_pv.get(t, 0.0),
                "cumulative_value": cumulative,
            }
        )
    gains: dict[str, float] = defaultdict(float)
    contributes: dict[str, float] = defaultdict(float)
    for o in outcomes:
        gains[o.outcome.stakeholder] += o.present_value
    for i in inputs:
        contributes[i.input.stakeholder] += i.present_value
    by_stakeholder = [
        {
            "stakeholder": name,
            "present_value": gains.get(name, 0.0),
            "share": gains.get(name, 0.0) / pv if pv else 0.0,
            "inputs_present_value": contributes.get(name, 0.0),
        }
        for name in sorted(set(gains) | set(contributes), key=lambda s: -gains.get(s, 0.0))
    ]
    public_budget: dict[str, dict[str, Any]] = {}
    for payer in ("municipality", "state"):
        # The payer's lens shows transfers too: a benefit no longer paid is a real saving
        # for the budget that paid it.
        mine = [o for o in all_outcomes if o.outcome.payer == payer]
        if not mine:
            continue
        yearly: dict[int, float] = defaultdict(float)
        for o in mine:
            for y in o.years:
                yearly[y.year] += y.value
        public_budget[payer] = {
            "present_value": sum(o.present_value for o in mine),
            "by_year": [{"year": t, "value": v} for t, v in sorted(yearly.items())],
            "outcomes": [o.index for o in mine],
            "transfers_present_value": sum(
                o.present_value for o in mine if o.outcome.flow == "transfer"
            ),
        }
    wellbeing = None
    if value_map.wellbeing is not None:
        mine = [o for o in outcomes if o.outcome.life_satisfaction is not None]
        wellbeing = {
            "value_per_point": value_map.wellbeing.value_per_point.central,
            "source": value_map.wellbeing.source,
            "present_value": sum(o.present_value for o in mine),
            "outcomes": [o.index for o in mine],
        }
    unvalued = [
        {
            "index": i,
            "stakeholder": o.stakeholder,
            "outcome": o.outcome,
            "indicator": o.indicator,
            "quantity": o.quantity.central,
        }
        for i, o in enumerate(value_map.outcomes)
        if not o.is_valued
    ]
    result = ValueResult(
        value_map=value_map,
        discounting=value_map.discounting,
        present_value=pv,
        present_value_of_inputs=pv_in,
        total_inputs=total_inputs,
        net_present_value=pv - pv_in,
        sroi_ratio=pv / pv_in,
        net_sroi_ratio=(pv - pv_in) / pv_in,
        payback_months=payback_months(dict(values), total_inputs),
        outcomes=all_outcomes,
        inputs=all_inputs,
        by_year=by_year,
        by_stakeholder=by_stakeholder,
        public_budget=public_budget,
        wellbeing=wellbeing,
        unvalued_outcomes=unvalued,
        warnings=honesty_warnings(value_map),
        parameters=model.parameters,
        view=view,
        cost_benefit=cost_benefit,
    )
    if cost_benefit is not None:
        # NPV per budget krone: the net present value over the present value of the net cost
        # to public budgets (DFØ 2023); undefined when budgets do not bear a net cost.
        net_public = cost_benefit["net_public_budget_cost"]
        cost_benefit["npv_per_budget_krone"] = (
            result.net_present_value / net_public if net_public > 0 else None
        )
    if uncertainty:
        result.uncertainty = monte_carlo(model, draws, seed)
        result.tornado = tornado(model)
        result.break_even = break_even(model)
    return result


def compute_both(value_map: ValueMap, **kwargs: Any) -> tuple[ValueResult, ValueResult, str]:
    """The SROI and cost-benefit results of one map, and one sentence on why they differ."""
    sroi = compute(value_map, view="sroi", **kwargs)
    cba = compute(value_map, view="cba", **kwargs)
    return sroi, cba, why_views_differ(sroi, cba)


REASONS = {
    "transfers": "transfers between parties ({amount:,.0f}) count zero for society",
    "tax_cost": "public budgets bear a net cost of {net:,.0f}, and the tax-financing cost of "
    "{rate:.0%} of it ({amount:,.0f}) counts as a cost",
    "tax_gain": "public budgets save {net:,.0f} net, and {rate:.0%} of it ({amount:,.0f}) "
    "counts as a gain of less tax financing",
    "period": "value after the {period}-year analysis period ({amount:,.0f}) is left out",
    "residual": "a residual value of {amount:,.0f} is added",
}


def why_views_differ(sroi: ValueResult, cba: ValueResult) -> str:
    """One sentence naming what makes the cost-benefit NPV differ from the SROI NPV. Its
    parameter ``because`` lists the reasons (a code and its figures), so a page can say it in
    the reader's language."""
    cb = cba.cost_benefit
    assert cb is not None
    because: list[dict[str, Any]] = []
    transfers = cb["transfers_present_value"] + cb["transfer_inputs_present_value"]
    if transfers:
        because.append({"reason": "transfers", "amount": transfers})
    rate = cb["tax_financing_rate"]
    if cb["tax_financing_cost"]:
        because.append(
            {
                "reason": "tax_cost",
                "net": cb["net_public_budget_cost"],
                "rate": rate,
                "amount": cb["tax_financing_cost"],
            }
        )
    elif cb["tax_financing_gain"]:
        because.append(
            {
                "reason": "tax_gain",
                "net": -cb["net_public_budget_cost"],
                "rate": rate,
                "amount": cb["tax_financing_gain"],
            }
        )
    if cb["cut_off_present_value"]:
        because.append(
            {
                "reason": "period",
                "period": cb["analysis_period"],
                "amount": cb["cut_off_present_value"],
            }
        )
    if cb["residual_present_value"]:
        because.append({"reason": "residual", "amount": cb["residual_present_value"]})
    if not because:
        return coded(
            "views_same",
            "The two views agree: the map has no transfers, no net change in public budgets "
            "and no analysis period that cuts value.",
        )
    difference = cba.net_present_value - sroi.net_present_value
    text = "; ".join(REASONS[item["reason"]].format(**item) for item in because)
    return coded(
        "views_differ",
        f"The cost-benefit NPV differs from the SROI NPV by {difference:,.0f} because {text}.",
        difference=difference,
        because=because,
    )


# --- plain data ----------------------------------------------------------------------------


def _number(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 6)


def _parameter(p: Parameter) -> dict[str, Any]:
    return {
        "key": p.key,
        "label": p.label,
        "low": p.value.low,
        "central": p.value.central,
        "high": p.value.high,
    }


def result_to_dict(result: ValueResult) -> dict[str, Any]:
    d = result.discounting
    u = result.uncertainty
    cb = result.cost_benefit
    return {
        "view": result.view,
        "title": result.value_map.title,
        "currency": result.value_map.currency,
        "price_year": result.value_map.price_year,
        "discounting": {
            "rate": d.rate.central if d.rate is not None else None,
            "schedule": [list(step) for step in d.schedule] if d.schedule else None,
            "schedule_name": d.schedule_name or None,
            "first_year": d.first_year,
            # The convention in words, printed with every result.
            "convention": str(d.convention),
        },
        "present_value": _number(result.present_value),
        "present_value_of_inputs": _number(result.present_value_of_inputs),
        "net_present_value": _number(result.net_present_value),
        "sroi_ratio": _number(result.sroi_ratio),
        "net_sroi_ratio": _number(result.net_sroi_ratio),
        "payback_months": _number(result.payback_months),
        "total_inputs": _number(result.total_inputs),
        "by_year": [
            {k: _number(v) if k != "year" else v for k, v in row.items()} for row in result.by_year
        ],
        "by_stakeholder": [
            {
                **row,
                **{k: _number(row[k]) for k in ("present_value", "share", "inputs_present_value")},
            }
            for row in result.by_stakeholder
        ],
        "public_budget": result.public_budget,
        "cost_benefit": None
        if cb is None
        else {
            key: (_number(value) if isinstance(value, float) else value)
            for key, value in cb.items()
        },
        "wellbeing": result.wellbeing,
        "unvalued_outcomes": result.unvalued_outcomes,
        "outcomes": [
            {
                "index": o.index,
                "stakeholder": o.outcome.stakeholder,
                "outcome": o.outcome.outcome,
                "flow": o.outcome.flow,
                "proxy_source": o.outcome.proxy_source,
                "unit_value": _number(o.unit_value),
                "first_year_impact": _number(o.first_year_impact),
                "explanation": o.explanation,
                "present_value": _number(o.present_value),
                "years": [
                    {
                        "year": y.year,
                        "value": _number(y.value),
                        "exponent": y.exponent,
                        "discount_factor": _number(y.discount_factor),
                        "present_value": _number(y.present_value),
                    }
                    for y in o.years
                ],
            }
            for o in result.outcomes
        ],
        "inputs": [
            {
                "index": i.index,
                "stakeholder": i.input.stakeholder,
                "description": i.input.description,
                "flow": i.input.flow,
                "payer": i.input.payer,
                "year": i.input.year,
                "amount": _number(i.amount),
                "discount_factor": _number(i.discount_factor),
                "present_value": _number(i.present_value),
            }
            for i in result.inputs
        ],
        "uncertainty": None
        if u is None
        else {
            "draws": u.draws,
            "seed": u.seed,
            "ranged_assumptions": u.ranged_assumptions,
            "sroi_ratio": {f"p{k}": _number(v) for k, v in u.ratio_percentiles.items()},
            "net_present_value": {f"p{k}": _number(v) for k, v in u.npv_percentiles.items()},
            "present_value": {f"p{k}": _number(v) for k, v in u.pv_percentiles.items()},
            "probability_ratio_above_1": _number(u.probability_ratio_above_1),
            # Cost-benefit view only (None in the SROI view).
            "npv_per_budget_krone": None
            if u.npv_per_budget_krone_percentiles is None
            else {f"p{k}": _number(v) for k, v in u.npv_per_budget_krone_percentiles.items()},
            "budget_cost_share": _number(u.budget_cost_share),
            "ratio_histogram": {
                "edges": [_number(e) for e in u.ratio_histogram[0]],
                "counts": list(u.ratio_histogram[1]),
            },
            "correlations": [
                {"group": name, "rank_correlation": rho, "parameters": list(keys)}
                for name, rho, keys in u.correlations
            ],
            "independent": None
            if u.independent is None
            else {
                "sroi_ratio": {
                    f"p{k}": _number(v) for k, v in u.independent.ratio_percentiles.items()
                },
                "net_present_value": {
                    f"p{k}": _number(v) for k, v in u.independent.npv_percentiles.items()
                },
                "probability_ratio_above_1": _number(u.independent.probability_ratio_above_1),
            },
        },
        "tornado": [
            {
                **_parameter(bar.parameter),
                "ratio_at_low": _number(bar.ratio_at_low),
                "ratio_at_high": _number(bar.ratio_at_high),
            }
            for bar in result.tornado
        ],
        "break_even": [
            {
                **_parameter(be.parameter),
                "break_even": _number(be.value),
                "ratio_above_1_when": be.ratio_above_one_when,
            }
            for be in result.break_even
        ],
        "warnings": [
            {"code": w.code, "place": w.place, "message": w.message} for w in result.warnings
        ],
    }
