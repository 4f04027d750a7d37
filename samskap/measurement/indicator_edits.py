"""Changes to an indicator after adoption, and to its periods.

An indicator's values were reported against its definition, so a change that would leave an
existing value outside the new definition is refused with a message naming the field — values
are never silently invalidated. Concurrent edits are refused through ``Indicator.version``.
django-simple-history keeps every saved version.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samskap.accounts.access import Access

from .models import ChainItem, Indicator, IndicatorValue, Period
from .services import INDICATOR_FIELDS, _check_chain_item, _check_edit, _validate_disaggregations

EDITABLE_FIELDS = INDICATOR_FIELDS | {"chain_item"}


def _check_scale(values: list[IndicatorValue], low: Decimal | None, high: Decimal | None) -> None:
    if low is not None and high is not None and low >= high:
        raise ValidationError(
            {"scale_max": _("The highest possible value must be above the lowest.")}
        )
    below = [v for v in values if low is not None and v.value < low]
    above = [v for v in values if high is not None and v.value > high]
    for field, outside in (("scale_min", below), ("scale_max", above)):
        if outside:
            raise ValidationError(
                {
                    field: ngettext(
                        "%(count)s reported value lies outside the new scale (%(value)s in "
                        "%(period)s). Change that value first, or keep the scale.",
                        "%(count)s reported values lie outside the new scale (e.g. %(value)s in "
                        "%(period)s). Change those values first, or keep the scale.",
                        len(outside),
                    )
                    % {
                        "count": len(outside),
                        "value": f"{outside[0].value.normalize():f}",
                        "period": outside[0].period.label,
                    }
                }
            )


def _check_disaggregations(new: dict, values: list[IndicatorValue]) -> None:
    """Refuse to drop a dimension or category that has reported values."""
    lost = sorted(
        {
            f"{v.dimension}: {v.category}"
            for v in values
            if v.dimension and v.category not in (new.get(v.dimension) or [])
        }
    )
    if lost:
        raise ValidationError(
            {
                "disaggregations": _(
                    "Values are already reported for %(categories)s. Keep these categories, or "
                    "change those values first."
                )
                % {"categories": ", ".join(lost)}
            }
        )


@transaction.atomic
def indicator_update(
    *, access: Access, indicator: Indicator, expected_version: int | None = None, **fields: object
) -> Indicator:
    """Change an adopted indicator's definition. ``expected_version`` is the version the form
    was read at; a later change by someone else makes the save fail (no lost updates)."""
    _check_edit(access, indicator.initiative)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this indicator while you were editing. Reload the page "
                "to see their change, then make yours again."
            ),
            code="conflict",
        )
    chain_item = fields.get("chain_item", current.chain_item)
    if isinstance(chain_item, ChainItem):
        _check_chain_item(current.initiative, chain_item)
    if "disaggregations" in fields:
        _validate_disaggregations(fields["disaggregations"])
    values = list(IndicatorValue.objects.filter(period__indicator=current).select_related("period"))
    unit = fields.get("unit", current.unit)
    if current.library_id and unit != current.library.unit:
        # One unit per library indicator: programme totals add up the adoptions of an entry.
        raise ValidationError(
            {
                "unit": _(
                    "An indicator adopted from the library keeps the library's unit (%(unit)s), "
                    "so that programme totals can add it up. Create an indicator of your own "
                    "for another unit."
                )
                % {"unit": current.library.get_unit_display().lower()}
            }
        )
    if unit != current.unit and values:
        raise ValidationError(
            {
                "unit": ngettext(
                    "%(count)s value is already reported as %(unit)s; it would not fit a new "
                    "unit. Keep the unit, or adopt a new indicator.",
                    "%(count)s values are already reported as %(unit)s; they would not fit a "
                    "new unit. Keep the unit, or adopt a new indicator.",
                    len(values),
                )
                % {"count": len(values), "unit": current.get_unit_display().lower()}
            }
        )
    _check_scale(
        values,
        fields.get("scale_min", current.scale_min),
        fields.get("scale_max", current.scale_max),
    )
    _check_disaggregations(fields.get("disaggregations", current.disaggregations) or {}, values)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def period_update(
    *, access: Access, period: Period, label: str, start: datetime.date, end: datetime.date
) -> Period:
    _check_edit(access, period.indicator.initiative)
    period.label, period.start, period.end = label, start, end
    period.full_clean()
    period.save()
    return period
