"""Translated names for the engine's assumptions and explanations (the engine itself stays
free of Django and speaks English in its own output)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskap.core import numbers

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
        "quantity": numbers.number(o.quantity.central, 2),
        "unit": numbers.number(result.unit_value, 2),
        "deadweight": numbers.number(o.rate("deadweight").central, 3),
        "displacement": numbers.number(o.rate("displacement").central, 3),
        "attribution": numbers.number(o.rate("attribution").central, 3),
        "impact": numbers.integer(result.first_year_impact),
        "year": o.first_year,
        "drop_off": numbers.number(o.rate("drop_off").central, 3),
        "duration": o.duration,
    }


# --- the value-map workbook's headers in the reader's language -------------------------------


def _workbook_labels() -> list[str]:
    """The English headers of the workbook's settings, Inputs and Impact map (``excel.py``, the
    one list; each is a message of the catalogue)."""
    from .excel import INPUT_COLUMNS, OUTCOME_COLUMNS, SETTINGS_ROWS

    return list(
        dict.fromkeys(label for label, _field in (*SETTINGS_ROWS, *INPUT_COLUMNS, *OUTCOME_COLUMNS))
    )


def workbook_headers() -> dict[str, str]:
    """English header -> the header in the active language, for a template a person fills."""
    return {label: _(label) for label in _workbook_labels()}  # marked in excel.py


def workbook_aliases() -> dict[str, str]:
    """The header in each of Samskap's languages (lower case) -> the English header, so a
    template filled in any language reads back."""
    from django.conf import settings
    from django.utils import translation

    aliases: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for label in _workbook_labels():
                aliases.setdefault(_(label).strip().lower(), label)
    return aliases
