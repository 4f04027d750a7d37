"""The value sections of the PDF reports and the portfolio's inputs by contributor.

The initiative section computes the map as the results page does (``results.results_context``:
the engine with the map's id as seed) and adds the assumptions behind every figure. The
portfolio section shows the stored headline per map (a band, never a bare figure) and what
the partnership costs: the inputs summed per contributor, in one query.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from samskap.core import numbers
from samskap.core.coded_texts import translated
from samskap.core.extensions import KeyFigure

from .models import Schedule, ValueInput
from .results import results_context
from .selectors import DISCOUNTING_FIELDS, convention_of, maps_for_portfolio


def _number(value: Decimal | float, percent: bool) -> str:
    if percent:
        return numbers.percent(value)
    return numbers.integer(value) if abs(value) >= 100 else numbers.number(value, 2)


def ranged(obj, name: str, percent: bool = False) -> str:
    """ "central (low–high)" of a ranged field, "–" when not set."""
    central = getattr(obj, name)
    if central is None:
        return "–"
    low, high = getattr(obj, f"{name}_low"), getattr(obj, f"{name}_high")
    text = _number(central, percent)
    if low is not None or high is not None:
        low = central if low is None else low
        high = central if high is None else high
        band = numbers.interval(low, high, kind=lambda v, _d, language: _number(v, percent))
        text += f" ({band})"
    return text


def assumptions(value_map) -> dict:
    inputs = [
        {
            "stakeholder": item.stakeholder,
            "description": item.description,
            "year": item.year,
            "amount": ranged(item, "amount")
            if item.hours is None
            else _("%(hours)s hours at %(value)s")
            % {
                "hours": numbers.integer(item.hours),
                "value": numbers.integer(item.hourly_value),
            },
        }
        for item in value_map.inputs.all()
    ]
    outcomes = [
        {
            "o": o,
            "quantity": ranged(o, "quantity"),
            "proxy": ranged(o, "proxy_value")
            if o.proxy_value is not None
            else (
                _("%(points)s life satisfaction points")
                % {"points": ranged(o, "life_satisfaction")}
                if o.life_satisfaction is not None
                else _("no money value")
            ),
            "proxy_source": o.proxy_source or (o.proxy.source if o.proxy else ""),
            "deadweight": ranged(o, "deadweight", percent=True),
            "displacement": ranged(o, "displacement", percent=True),
            "attribution": ranged(o, "attribution", percent=True),
            "drop_off": ranged(o, "drop_off", percent=True),
        }
        for o in value_map.outcomes.all()
    ]
    if value_map.schedule:
        discount = Schedule(value_map.schedule).label
    else:
        discount = ranged(value_map, "discount_rate", percent=True)
    return {"inputs": inputs, "outcomes": outcomes, "discount": discount}


def key_figures(context: dict, currency: str) -> list[KeyFigure]:
    """The value map's figures for the first page: ratio and net present value with bands."""
    result, uncertainty = context.get("result"), context.get("u")
    if result is None or uncertainty is None:
        return []
    band = _("5–95 %")
    ratio, npv = uncertainty.ratio_percentiles, uncertainty.npv_percentiles
    figures = [
        KeyFigure(_("SROI ratio"), result.sroi_ratio, ratio[5], ratio[95], band, 2),
        KeyFigure(
            _("Net present value"), result.net_present_value, npv[5], npv[95], band, 0, currency
        ),
    ]
    cba = context.get("cba")
    if cba is not None and cba.uncertainty is not None:
        cu = cba.uncertainty
        figures.append(
            KeyFigure(
                _("Net present value, cost–benefit (R-109/DFØ)"),
                cba.net_present_value,
                cu.npv_percentiles[5],
                cu.npv_percentiles[95],
                band,
                0,
                currency,
            )
        )
        per_krone = cba.cost_benefit["npv_per_budget_krone"]
        if per_krone is not None:
            krone_band = cu.npv_per_budget_krone_percentiles or {}
            figures.append(
                KeyFigure(
                    _("Net present value per budget krone"),
                    per_krone,
                    krone_band.get(5),
                    krone_band.get(95),
                    band if krone_band else "",
                    2,
                )
            )
    return figures


def _with_linked_numbers(table: dict, links: list[dict]) -> None:
    """The assumptions table gives the number the computation used for a linked outcome (the
    measurement's, or none when it is withheld or not approved), not the stored one."""
    linked = {row["outcome"].pk: row["resolved"] for row in links}
    for row in table["outcomes"]:
        found = linked.get(row["o"].pk)
        if found is None:
            continue
        row["linked"] = True
        used = numbers.number(found.value, 2) if found.usable else "–"
        if found.target == "quantity":
            row["quantity"] = used
        else:
            row["proxy"] = _("%(points)s life satisfaction points") % {"points": used}


def initiative_section(initiative, value_map) -> dict:
    context = results_context(initiative, value_map)
    table = assumptions(value_map)
    _with_linked_numbers(table, context.get("links", []))
    sources = sorted({row["proxy_source"] for row in table["outcomes"] if row["proxy_source"]})
    if value_map.wellbeing_source:
        sources.append(value_map.wellbeing_source)
    sources = [_("Value proxy: %(source)s") % {"source": s} for s in sources]
    return {
        "template": "valuation/report_initiative.html",
        **context,
        "key_figures": key_figures(context, value_map.currency),
        "assumptions": table,
        "sources": sources,
    }


def inputs_of(initiatives: QuerySet) -> QuerySet[ValueInput]:
    return ValueInput.objects.filter(value_map__initiative__in=initiatives)


def inputs_by_contributor(initiatives: QuerySet) -> list[dict]:
    """Per stakeholder across the maps: the sum of amounts (central), volunteer hours and
    their value, and how many initiatives are behind the row (one query)."""
    volunteer = Q(hours__isnull=False)
    money = DecimalField(max_digits=24, decimal_places=4)
    rows = (
        inputs_of(initiatives)
        .order_by()
        .values("stakeholder")
        .annotate(
            hours_value=Sum(
                ExpressionWrapper(F("hours") * F("hourly_value"), output_field=money),
                filter=volunteer,
            ),
            total_amount=Sum("amount", filter=~volunteer),
            total_hours=Sum("hours", filter=volunteer),
            initiatives=Count("value_map__initiative", distinct=True),
        )
        .order_by("stakeholder")
    )
    return list(rows)


def headlines(initiatives: QuerySet) -> list[dict]:
    """Each map's stored headline, with its discounting convention in the reader's language."""
    maps = maps_for_portfolio(initiatives).only(
        "summary", "initiative__slug", "initiative__title", *DISCOUNTING_FIELDS
    )
    return [
        {
            "slug": m.initiative.slug,
            "title": m.initiative.title,
            "s": m.summary,
            "convention": translated(convention_of(m)),
        }
        for m in maps
    ]


def portfolio_section(initiatives: QuerySet, period) -> dict:
    return {
        "template": "valuation/report_portfolio.html",
        "rows": headlines(initiatives),
        "contributors": inputs_by_contributor(initiatives),
        "period": period,
    }
