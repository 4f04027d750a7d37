"""Every change to a value map goes through these functions: permission re-checked, fields
validated (``full_clean``), one transaction, the map row locked (``select_for_update``) and its
``version`` compared with the one the editor started from — a concurrent edit is refused, never
overwritten. Each change bumps the version, keeps history (django-simple-history) and refreshes
the headline figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samskap.accounts.access import Access
from samskap.measurement.models import Period, SurveyItem
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit

from . import selectors
from .models import (
    COUNTRY_SCHEDULE,
    LinkKind,
    MeasurementLink,
    Proxy,
    Schedule,
    ValueInput,
    ValueMap,
    ValueOutcome,
)
from .valuemap import ValueMap as EngineMap

# The map fields an editor may change, in the order the form shows them.
MAP_FIELDS = (
    "title",
    "currency",
    "price_year",
    "discount_rate",
    "discount_rate_low",
    "discount_rate_high",
    "schedule",
    "first_year",
    "wellbeing_value_per_point",
    "wellbeing_value_per_point_low",
    "wellbeing_value_per_point_high",
    "wellbeing_source",
    "analysis_period",
    "residual_value",
    "tax_financing_cost",
    "price_index",
    "correlations",
)


def _check_edit(access: Access, initiative: Initiative) -> None:
    if not can_edit(access, initiative):
        raise PermissionDenied(_("You cannot change this initiative's value map."))


def _lock(access: Access, value_map: ValueMap, expected_version: int) -> ValueMap:
    current = ValueMap.objects.select_for_update().select_related("initiative").get(pk=value_map.pk)
    _check_edit(access, current.initiative)
    if current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this value map while you were editing. "
                "Reload the page to see their changes, then make yours again."
            ),
            code="conflict",
        )
    return current


def _bump(value_map: ValueMap) -> ValueMap:
    value_map.version += 1
    value_map.save()
    value_map.summary = selectors.summary_of(value_map)
    ValueMap.objects.filter(pk=value_map.pk).update(summary=value_map.summary)
    return value_map


@transaction.atomic
def value_map_create(*, access: Access, initiative: Initiative, title: str = "") -> ValueMap:
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    _check_edit(access, initiative)
    if ValueMap.objects.filter(initiative=initiative).exists():
        raise ValidationError(_("This initiative already has a value map."), code="exists")
    value_map = ValueMap(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        title=title or initiative.title,
        # The convention of the municipality's country (Norway: R-109/21's declining
        # schedule) unless the editor chooses another or a flat rate (one rate).
        schedule=COUNTRY_SCHEDULE.get(initiative.municipality.country, Schedule.R109),
    )
    value_map.full_clean()
    value_map.save()
    value_map.summary = selectors.summary_of(value_map)
    # The summary is derived data: an update, not a save, so it makes no history entry.
    ValueMap.objects.filter(pk=value_map.pk).update(summary=value_map.summary)
    return value_map


@transaction.atomic
def value_map_update(
    *, access: Access, value_map: ValueMap, expected_version: int, **changes: Any
) -> ValueMap:
    unknown = set(changes) - set(MAP_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    current = _lock(access, value_map, expected_version)
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    return _bump(current)


@transaction.atomic
def input_save(
    *,
    access: Access,
    value_map: ValueMap,
    expected_version: int,
    item: ValueInput | None = None,
    **fields: Any,
) -> ValueInput:
    """Add an input (``item`` None) or change one of this map's inputs."""
    current = _lock(access, value_map, expected_version)
    if item is None:
        item = ValueInput(value_map=current, municipality_id=current.municipality_id)
    elif item.value_map_id != current.pk:
        raise PermissionDenied
    for field, value in fields.items():
        setattr(item, field, value)
    item.full_clean()
    item.save()
    _bump(current)
    return item


@transaction.atomic
def outcome_save(
    *,
    access: Access,
    value_map: ValueMap,
    expected_version: int,
    item: ValueOutcome | None = None,
    **fields: Any,
) -> ValueOutcome:
    """Add an outcome (``item`` None) or change one of this map's outcomes."""
    current = _lock(access, value_map, expected_version)
    if item is None:
        item = ValueOutcome(value_map=current, municipality_id=current.municipality_id)
    elif item.value_map_id != current.pk:
        raise PermissionDenied
    for field, value in fields.items():
        setattr(item, field, value)
    if item.proxy is not None and item.proxy_value is None and item.life_satisfaction is None:
        item.proxy_value = item.proxy.value
    if item.proxy is not None and not item.proxy_source:
        item.proxy_source = item.proxy.text("source")  # in the language of whoever picks it
    item.full_clean()
    item.save()
    _bump(current)
    return item


@transaction.atomic
def row_delete(
    *, access: Access, value_map: ValueMap, expected_version: int, item: ValueInput | ValueOutcome
) -> None:
    current = _lock(access, value_map, expected_version)
    if item.value_map_id != current.pk:
        raise PermissionDenied
    item.delete()
    _bump(current)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def _ranged(prefix: str, value) -> dict[str, Decimal | None]:
    if value is None:
        return {prefix: None, f"{prefix}_low": None, f"{prefix}_high": None}
    if not value.is_range:
        return {prefix: _decimal(value.central), f"{prefix}_low": None, f"{prefix}_high": None}
    return {
        prefix: _decimal(value.central),
        f"{prefix}_low": _decimal(value.low),
        f"{prefix}_high": _decimal(value.high),
    }


@transaction.atomic
def value_map_import(
    *, access: Access, value_map: ValueMap, expected_version: int, source: EngineMap
) -> ValueMap:
    """Replace the map's settings, inputs and outcomes with a checked file's, all or nothing."""
    current = _lock(access, value_map, expected_version)
    d = source.discounting
    current.title = source.title[:200]
    current.currency = source.currency[:3]
    current.price_year = source.price_year
    current.first_year = d.first_year
    if d.schedule is not None and d.schedule_name:
        current.schedule = d.schedule_name
    elif d.schedule is not None:
        raise ValidationError(_("Only the named discount schedules can be stored in the app."))
    else:
        current.schedule = ""
        for field, value in _ranged("discount_rate", d.rate).items():
            setattr(current, field, value)
    wellbeing = source.wellbeing
    for field, value in _ranged(
        "wellbeing_value_per_point", wellbeing.value_per_point if wellbeing else None
    ).items():
        setattr(current, field, value)
    current.wellbeing_source = wellbeing.source if wellbeing else ""
    cb = source.cost_benefit
    current.analysis_period = cb.analysis_period
    current.residual_value = _decimal(cb.residual_value) if cb.residual_value else None
    current.tax_financing_cost = _decimal(cb.tax_financing_cost)
    current.price_index = {str(year): index for year, index in source.price_index.items()}
    current.correlations = dict(source.correlations)
    current.full_clean()
    current.inputs.all().delete()
    current.outcomes.all().delete()
    for item in source.inputs:
        row = ValueInput(
            value_map=current,
            municipality_id=current.municipality_id,
            stakeholder=item.stakeholder,
            description=item.description,
            year=item.year,
            rationale=item.notes,
            payer=item.payer,
            flow=item.flow,
        )
        if item.is_volunteer_time:
            if item.hours.is_range or item.hourly_value.is_range:  # type: ignore[union-attr]
                raise ValidationError(
                    _(
                        "Volunteer hours and their value cannot be ranges in the app; "
                        "give the uncertainty as a range of the amount instead."
                    )
                )
            row.hours = _decimal(item.hours.central)  # type: ignore[union-attr]
            row.hourly_value = _decimal(item.hourly_value.central)  # type: ignore[union-attr]
        else:
            for field, value in _ranged("amount", item.amount).items():
                setattr(row, field, value)
        row.full_clean()
        row.save()
    for o in source.outcomes:
        row = ValueOutcome(
            value_map=current,
            municipality_id=current.municipality_id,
            stakeholder=o.stakeholder,
            outcome=o.outcome,
            indicator=o.indicator,
            proxy_source=o.proxy_source,
            duration=o.duration,
            starts=o.starts,
            payer=o.payer,
            flow=o.flow,
            proxy_price_year=o.proxy_price_year,
            correlation_group=next(
                (r.group for r in (o.quantity, o.proxy) if r is not None and r.group), ""
            ),
        )
        values = {
            **_ranged("quantity", o.quantity),
            **_ranged("proxy_value", o.proxy),
            **_ranged("life_satisfaction", o.life_satisfaction),
        }
        for name in ("deadweight", "displacement", "attribution", "drop_off"):
            values.update(_ranged(name, getattr(o, name)))
        for name in ("deadweight", "attribution"):
            evidence = o.evidence.get(name)
            if evidence is not None:
                values[f"{name}_evidence"] = evidence.level
                values[f"{name}_source"] = evidence.source
                values[f"{name}_rationale"] = evidence.rationale
        for field, value in values.items():
            setattr(row, field, value)
        row.full_clean()
        row.save()
    return _bump(current)


def proxy_create(*, access: Access, **fields: Any) -> Proxy:
    """Coordinators and administrators keep the installation's proxy library."""
    if not access.manager_municipality_ids:
        raise PermissionDenied(_("Only coordinators and administrators can add proxies."))
    proxy = Proxy(**fields)
    proxy.full_clean()
    proxy.save()
    return proxy


# --- links to measurements (links.py) ------------------------------------------------------


def _on_the_life_satisfaction_scale(survey_item: SurveyItem | None) -> bool:
    library = survey_item.library if survey_item is not None else None
    return (
        library is not None and library.direction == "higher" and library.score_range() == (0, 10)
    )


@transaction.atomic
def link_set(
    *,
    access: Access,
    value_map: ValueMap,
    expected_version: int,
    outcome: ValueOutcome,
    kind: str,
    period: Period | None = None,
    survey_item: SurveyItem | None = None,
) -> MeasurementLink:
    """Link an outcome's quantity (or, for ``mean_change``, its life-satisfaction change) to a
    measurement of the same initiative. Replaces an earlier link of the outcome; the link starts
    unreviewed."""
    current = _lock(access, value_map, expected_version)
    if outcome.value_map_id != current.pk:
        raise PermissionDenied
    initiative_id = current.initiative_id
    if kind == LinkKind.INDICATOR:
        if period is None or period.indicator.initiative_id != initiative_id:
            raise ValidationError(
                {"period": _("Choose a period of one of this initiative's indicators.")}
            )
        survey_item = None
    elif kind in (LinkKind.IMPROVED, LinkKind.MEAN_CHANGE):
        if survey_item is None or survey_item.survey.initiative_id != initiative_id:
            raise ValidationError(
                {"survey_item": _("Choose a measure of one of this initiative's surveys.")}
            )
        period = None
    else:
        raise ValidationError({"kind": _("Choose what the number is linked to.")})
    if kind == LinkKind.MEAN_CHANGE and not _on_the_life_satisfaction_scale(survey_item):
        # A change in points is valued per point of life satisfaction (0-10, higher better):
        # a change on another scale or in the other direction would be valued as if it were.
        raise ValidationError(
            {
                "survey_item": _(
                    "A mean change is valued per point of life satisfaction: choose a measure "
                    "scored from 0 to 10 where higher is better."
                )
            }
        )
    if kind == LinkKind.MEAN_CHANGE and outcome.proxy_value is not None:
        raise ValidationError(
            {
                "kind": _(
                    "A mean change is valued per point of life satisfaction; this outcome has a "
                    "value per unit instead."
                )
            }
        )
    MeasurementLink.objects.filter(outcome=outcome).delete()
    link = MeasurementLink(
        outcome=outcome,
        municipality_id=current.municipality_id,
        kind=kind,
        period=period,
        survey_item=survey_item,
    )
    link.full_clean()
    link.save()
    _bump(current)
    return link


@transaction.atomic
def link_remove(*, access: Access, value_map: ValueMap, expected_version: int, link) -> None:
    current = _lock(access, value_map, expected_version)
    if link.outcome.value_map_id != current.pk:
        raise PermissionDenied
    link.delete()
    _bump(current)


@transaction.atomic
def links_mark_reviewed(*, access: Access, value_map: ValueMap) -> int:
    """Record each link's current source value as reviewed (who, when): a later change of the
    source flags the link again. Returns how many links were marked."""
    from django.utils import timezone

    from .links import resolved_for

    current = ValueMap.objects.select_for_update().get(pk=value_map.pk)
    _check_edit(access, current.initiative)
    found = resolved_for(current)
    now = timezone.now()
    for resolved in found.values():
        link = resolved.link
        link.reviewed_value = resolved.value
        link.reviewed_at = now
        link.reviewed_by_id = access.user_id
        link.save(update_fields=["reviewed_value", "reviewed_at", "reviewed_by"])
    return len(found)
