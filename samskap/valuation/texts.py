"""The value engine's and value map's messages in the reader's language (registered in
``ValuationConfig.ready``; the engine itself stays English and free of Django). One row per
code the engine emits (``samskap.core.coded``); a test checks that none is missing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from samskap.core import numbers
from samskap.core.coded_texts import Text, as_list, as_percent, from_table

from .labels import KINDS

# The things a value map is built of, as the parser names them ("an input must be an object").
PARTS = {
    "a value map": _("The value map"),
    "'discounting'": _("'discounting'"),
    "a schedule step": _("A step of the discounting schedule"),
    "an input": _("An input"),
    "'evidence'": _("'evidence'"),
    "an evidence entry": _("An evidence entry"),
    "an outcome": _("An outcome"),
    "'wellbeing'": _("'wellbeing'"),
}


def _kind(value: Any) -> str:
    return str(KINDS.get(value, value)).lower()


def _rate(value: Any) -> str:
    """A discount rate: whole percents as such, others with one decimal (3.5 %)."""
    digits = 0 if round(float(value) * 100, 6).is_integer() else 1
    return numbers.percent(value, digits)


def _first_year(value: Any) -> str:
    return str({"discounted": _("discounted"), "undiscounted": _("undiscounted")}.get(value, value))


def _steps(value: Any) -> str:
    """A schedule's steps ([from, to or None, rate]) in words."""
    parts = []
    for start, end, rate in value:
        if end is None:
            parts.append(_("%(rate)s from year %(start)s") % {"rate": _rate(rate), "start": start})
        else:
            parts.append(
                _("%(rate)s years %(start)s–%(end)s")
                % {"rate": _rate(rate), "start": start, "end": end}
            )
    return ", ".join(parts)


KIND = _kind
PERCENT = as_percent


def _amount(value: Any) -> str:
    return numbers.number(value, 0)


REASONS = {
    "transfers": _("transfers between parties (%(amount)s) count zero for society"),
    "tax_cost": _(
        "public budgets bear a net cost of %(net)s, and the tax-financing cost of %(rate)s of "
        "it (%(amount)s) counts as a cost"
    ),
    "tax_gain": _(
        "public budgets save %(net)s net, and %(rate)s of it (%(amount)s) counts as a gain of "
        "less tax financing"
    ),
    "period": _("value after the %(period)s-year analysis period (%(amount)s) is left out"),
    "residual": _("a residual value of %(amount)s is added"),
}


def _reasons(value: Any) -> str:
    """The reasons of ``engine.why_views_differ`` in the reader's language, joined."""
    parts = []
    for item in value if isinstance(value, list) else []:
        template = REASONS.get(item.get("reason"))
        if template is None:
            continue
        values = {
            key: (numbers.percent(v) if key == "rate" else _amount(v) if key != "period" else v)
            for key, v in item.items()
            if key != "reason"
        }
        parts.append(str(template) % values)
    return "; ".join(parts)


TEXTS: dict[str, Text] = {
    # The value map as read from a form, file or spreadsheet.
    "required": Text(_("'%(key)s' is required."), {"key": KIND}),
    "not_text": Text(_("'%(key)s' must be text."), {"key": KIND}),
    "not_whole_number": Text(_("'%(key)s' must be a whole number, not %(value)s."), {"key": KIND}),
    "below_minimum": Text(
        _("'%(key)s' must be at least %(minimum)s (it is %(value)s)."), {"key": KIND}
    ),
    "above_maximum": Text(
        _("'%(key)s' must be at most %(maximum)s (it is %(value)s)."), {"key": KIND}
    ),
    "not_an_option": Text(_("'%(key)s' must be one of %(options)s, not %(value)s."), {"key": KIND}),
    "not_a_number": Text(_("'%(key)s' must be a number, not %(value)s."), {"key": KIND}),
    "not_finite": Text(_("'%(key)s' must be a finite number."), {"key": KIND}),
    "range_unknown_parts": Text(
        _("A range has only low, central, high and group, not %(parts)s."), {"parts": as_list}
    ),
    "group_not_text": Text(_("'group' must be the name of a correlation group.")),
    "group_without_correlation": Text(
        _("The correlation group %(group)s has no entry in 'correlations'.")
    ),
    "correlation_out_of_range": Text(
        _("A rank correlation must be between -1 and 1, not %(value)s.")
    ),
    "correlation_impossible": Text(
        _("%(members)s ranges cannot all have a rank correlation of %(value)s with each other.")
    ),
    "range_incomplete": Text(
        _("The range of '%(key)s' lacks %(missing)s."), {"key": KIND, "missing": as_list}
    ),
    "range_out_of_order": Text(
        _(
            "The range of '%(key)s' must have low ≤ central ≤ high "
            "(it has %(low)s, %(central)s, %(high)s)."
        ),
        {"key": KIND},
    ),
    "not_an_object": Text(
        _("%(what)s must be an object with named fields."), {"what": from_table(PARTS)}
    ),
    "unknown_field": Text(_("Unknown field '%(key)s'."), {}),
    "rate_and_schedule": Text(_("Give either a discount rate or a schedule, not both.")),
    "unknown_schedule": Text(
        _("Unknown discounting schedule %(name)s; the named schedules are %(names)s.")
    ),
    "schedule_not_list": Text(_("The schedule must be a name or a list of steps.")),
    "schedule_gap": Text(
        _(
            "The steps of the schedule must follow each other: the next one starts in year "
            "%(expected)s."
        )
    ),
    "schedule_backwards": Text(_("A step of the schedule ends before it starts.")),
    "schedule_open_early": Text(_("Only the last step of the schedule may be open-ended.")),
    "schedule_closed_end": Text(_("The last step of the schedule must be open-ended.")),
    "schedule_range": Text(_("The rates of a schedule cannot be ranges.")),
    "amount_and_hours": Text(
        _("Give either an amount or volunteer hours and their value, not both.")
    ),
    "hours_incomplete": Text(_("Volunteer time needs both the hours and the value per hour.")),
    "evidence_unknown": Text(_("Evidence can be given for %(allowed)s."), {"allowed": as_list}),
    "proxy_and_life_satisfaction": Text(
        _("Give either a financial proxy or a change in life satisfaction, not both.")
    ),
    "not_a_list": Text(_("'%(key)s' must be a list."), {"key": KIND}),
    "no_inputs": Text(
        _("The map has no inputs: the SROI ratio divides by the inputs, so give at least one.")
    ),
    "inputs_zero_pv": Text(_("The inputs' present value is 0: the ratio is undefined.")),
    "no_outcomes": Text(_("The map has no outcomes.")),
    "wellbeing_missing": Text(
        _(
            "Outcomes valued by life satisfaction need the value of one point of life "
            "satisfaction and its source."
        )
    ),
    "inputs_zero": Text(
        _(
            "The inputs add up to 0 (at their low values): the SROI ratio would be a "
            "division by zero."
        )
    ),
    "not_a_value_map": Text(_("This is not a value map.")),
    "invalid_json": Text(_("Not valid JSON: %(detail)s.")),
    "invalid_yaml": Text(_("Not valid YAML: %(detail)s.")),
    "unreadable": Text(_("The file cannot be read.")),
    "not_utf8": Text(_("The file is not UTF-8 text.")),
    "wrong_file_type": Text(_("The file must be a .json, .yaml, .yml or .xlsx file.")),
    "not_xlsx": Text(_("The file cannot be read as an Excel workbook (.xlsx).")),
    "missing_sheets": Text(
        _("The workbook lacks the sheet(s) %(sheets)s; start from the template."),
        {"sheets": as_list},
    ),
    "schedule_twice": Text(
        _(
            "Give a named schedule in 'Settings' or the steps of your own in 'Discount "
            "schedule', not both."
        )
    ),
    "evidence_no_outcome": Text(_("Row %(row)s of 'Impact map' holds no outcome.")),
    # Honesty checks: the map computes, but a reader should know this.
    "missing_rate": Text(
        _("'%(outcome)s' (%(stakeholder)s): no %(rate)s given; it counts as 0 %%."),
        {"rate": KIND},
    ),
    "zero_rate": Text(
        _("'%(outcome)s' (%(stakeholder)s): %(rate)s is 0 %%; say why, or estimate it."),
        {"rate": KIND},
    ),
    "atypical_rate": Text(
        _(
            "'%(outcome)s' (%(stakeholder)s): %(rate)s %(value)s is outside %(low)s–%(high)s, "
            "the band Samskap asks a reason for; give the reason."
        ),
        {"rate": KIND, "value": PERCENT, "low": PERCENT, "high": PERCENT},
    ),
    "wellbeing_without_source": Text(
        _("The value of one point of life satisfaction has no source.")
    ),
    "flat_rate_long": Text(
        _(
            "Outcomes run to year %(years)s on a flat discount rate; R-109/21 lowers the rate "
            "after year %(limit)s (3 %%, then 2 %% after year 75): use its schedule."
        )
    ),
    # The discounting convention, printed with every result.
    "convention_flat": Text(
        _(
            "flat %(rate)s a year (chosen instead of R-109/21's declining schedule); "
            "first year %(first_year)s"
        ),
        {"rate": _rate, "first_year": _first_year},
    ),
    "convention_named": Text(
        _("%(name)s declining schedule (%(steps)s); first year %(first_year)s"),
        {"steps": _steps, "first_year": _first_year},
    ),
    "convention_named_constant": Text(
        _("%(name)s: %(rate)s a year in every year; first year %(first_year)s"),
        {"rate": _rate, "first_year": _first_year},
    ),
    "convention_custom": Text(
        _("own schedule (%(steps)s); first year %(first_year)s"),
        {"steps": _steps, "first_year": _first_year},
    ),
    "proxy_without_source": Text(
        _("'%(outcome)s' (%(stakeholder)s): the financial proxy has no source.")
    ),
    "long_without_drop_off": Text(
        _("'%(outcome)s' (%(stakeholder)s): lasts %(years)s years with no drop-off.")
    ),
    "possible_double_count": Text(
        _(
            "'%(first)s' and '%(second)s' for %(stakeholder)s look like the same change "
            "counted twice."
        )
    ),
    # Correlated ranges, real prices and the cost-benefit view.
    "price_year_needed": Text(_("A proxy states its price year, so the map needs a price year.")),
    "price_index_missing": Text(
        _("The price index has no value for %(years)s."), {"years": as_list}
    ),
    "price_index_year": Text(_("%(value)s is not a year.")),
    "price_index_header": Text(_("The header must name the columns year and index.")),
    "price_index_row": Text(_("Each row needs a whole year and a number above 0.")),
    "price_index_not_positive": Text(_("A price index must be above 0, not %(value)s.")),
    "views_same": Text(
        _(
            "The two views agree: the map has no transfers, no net change in public budgets "
            "and no analysis period that cuts value."
        )
    ),
    "views_differ": Text(
        _("The cost-benefit NPV differs from the SROI NPV by %(difference)s because %(because)s."),
        {"difference": _amount, "because": _reasons},
    ),
}
