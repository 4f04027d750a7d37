"""Translated names for the engine's assumptions and explanations (the engine itself stays
free of Django and speaks English in its own output)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine import OutcomeResult, Parameter
from .valuemap import ValueMap

KINDS = {
    "quantity": gettext_lazy("Quantity"),
    "proxy": gettext_lazy("Value per unit per year"),
    "life_satisfaction": gettext_lazy("Change in life satisfaction"),
    "deadweight": gettext_lazy("Deadweight"),
    "displacement": gettext_lazy("Displacement"),
    "attribution": gettext_lazy("Attribution"),
    "drop_off": gettext_lazy("Drop-off"),
    "amount": gettext_lazy("Amount"),
    "hours": gettext_lazy("Volunteer hours"),
    "hourly_value": gettext_lazy("Value per hour"),
    "rate": gettext_lazy("Discount rate"),
    "value_per_point": gettext_lazy("Value of one point of life satisfaction"),
}
INPUT_KINDS = {"amount", "hours", "hourly_value"}


def parameter_label(parameter: Parameter, value_map: ValueMap) -> str:
    kind = str(KINDS[parameter.kind])
    if parameter.index < 0:
        return kind
    if parameter.kind in INPUT_KINDS:
        item = value_map.inputs[parameter.index]
        return f"{kind}: {item.description or item.stakeholder} ({item.stakeholder})"
    outcome = value_map.outcomes[parameter.index]
    return f"{kind}: {outcome.outcome} ({outcome.stakeholder})"


def explanation(result: OutcomeResult) -> str:
    o = result.outcome
    return _(
        "%(quantity)s × %(unit)s × (1 − %(deadweight)s) × (1 − %(displacement)s) × "
        "(1 − %(attribution)s) = %(impact)s in year %(year)s; × (1 − %(drop_off)s) each "
        "later year, %(duration)s year(s) in all"
    ) % {
        "quantity": f"{o.quantity.central:,.6g}",
        "unit": f"{result.unit_value:,.6g}",
        "deadweight": f"{o.rate('deadweight').central:g}",
        "displacement": f"{o.rate('displacement').central:g}",
        "attribution": f"{o.rate('attribution').central:g}",
        "impact": f"{result.first_year_impact:,.0f}",
        "year": o.first_year,
        "drop_off": f"{o.rate('drop_off').central:g}",
        "duration": o.duration,
    }
