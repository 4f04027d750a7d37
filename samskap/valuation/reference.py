"""The method written as plain Python loops, one scenario at a time.

It is the yardstick for the vectorised engine: the tests check that both give the same present
values for the same parameter values, and ``benchmarks/value_engine.py`` times a Monte Carlo run
of this code against the engine's. Slow on purpose (readable, no NumPy).
"""

from __future__ import annotations

import random

from .valuemap import ValueMap


def _factor(value_map: ValueMap, exponent: int, rate: float | None) -> float:
    d = value_map.discounting
    if d.schedule is None:
        return (1 + rate) ** -exponent  # type: ignore[operator]
    factor = 1.0
    for year in range(1, exponent + 1):
        factor /= 1 + d.rate_for_year(year)
    return factor


def _exponent(value_map: ValueMap, year: int) -> int:
    return year if value_map.discounting.first_year == "discounted" else max(year - 1, 0)


def present_values(value_map: ValueMap, values: dict[str, float]) -> tuple[float, float]:
    """(PV of outcomes, PV of inputs) with every assumption at ``values[key]`` (keys as in
    ``engine.Parameter.key``, e.g. ``outcomes[2].deadweight``); missing keys take the central."""

    def get(key: str, central: float) -> float:
        return values.get(key, central)

    rate = None
    if value_map.discounting.rate is not None:
        rate = get("discounting.rate", value_map.discounting.rate.central)
    vpp = 0.0
    if value_map.wellbeing is not None:
        vpp = get("wellbeing.value_per_point", value_map.wellbeing.value_per_point.central)
    pv_out = 0.0
    for i, o in enumerate(value_map.outcomes):
        if not o.is_valued:
            continue
        key = f"outcomes[{i}]."
        if o.proxy is not None:
            unit = get(key + "proxy", o.proxy.central)
        else:
            unit = get(key + "life_satisfaction", o.life_satisfaction.central) * vpp  # type: ignore[union-attr]
        value = get(key + "quantity", o.quantity.central) * unit
        for name in ("deadweight", "displacement", "attribution"):
            value *= 1 - get(key + name, o.rate(name).central)
        drop_off = get(key + "drop_off", o.rate("drop_off").central)
        for k in range(o.duration):
            year = o.first_year + k
            pv_out += value * _factor(value_map, _exponent(value_map, year), rate)
            value *= 1 - drop_off
    pv_in = 0.0
    for j, item in enumerate(value_map.inputs):
        key = f"inputs[{j}]."
        if item.is_volunteer_time:
            amount = get(key + "hours", item.hours.central) * get(  # type: ignore[union-attr]
                key + "hourly_value",
                item.hourly_value.central,  # type: ignore[union-attr]
            )
        else:
            amount = get(key + "amount", item.amount.central)
        pv_in += amount * _factor(value_map, _exponent(value_map, item.year), rate)
    return pv_out, pv_in


def pert_draw(rng: random.Random, low: float, mode: float, high: float) -> float:
    if not low < high:
        return mode
    alpha = 1 + 4 * (mode - low) / (high - low)
    beta = 1 + 4 * (high - mode) / (high - low)
    return low + (high - low) * rng.betavariate(alpha, beta)


def monte_carlo_ratios(value_map: ValueMap, parameters: list, draws: int, seed: int) -> list[float]:
    """SROI ratios of ``draws`` scenarios, each assumption an independent PERT draw."""
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    ratios = []
    for _ in range(draws):
        values = {
            p.key: pert_draw(rng, p.value.low, p.value.central, p.value.high) for p in parameters
        }
        pv_out, pv_in = present_values(value_map, values)
        ratios.append(pv_out / pv_in)
    return ratios
