"""Writes for results chains, indicators and their period values.

Each service re-checks permission, validates (``full_clean``) and writes inside a transaction;
django-simple-history keeps every change of chain items, indicators and values.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samskap.accounts.access import Access
from samskap.accounts.models import Municipality, User
from samskap.registry.models import Initiative
from samskap.registry.selectors import can_edit, can_steer
from samskap.valuation.refresh import measurement_changed

from .models import (
    ChainItem,
    Indicator,
    IndicatorValue,
    Level,
    LibraryIndicator,
    Period,
    Status,
    Unit,
    ValueKind,
)


def _user(access: Access) -> User | None:
    return User.objects.filter(pk=access.user_id).first()


def _check_edit(access: Access, initiative: Initiative) -> None:
    if not can_edit(access, initiative):
        raise PermissionDenied


# --- results chain ----------------------------------------------------------------------------


@transaction.atomic
def chain_item_add(
    *,
    access: Access,
    initiative: Initiative,
    level: str,
    text: str,
    for_whom: str = "",
    intended: bool = True,
    valence: str = "positive",
) -> ChainItem:
    _check_edit(access, initiative)
    last = initiative.chain_items.filter(level=level).aggregate(m=Max("position"))["m"]
    item = ChainItem(
        initiative=initiative,
        level=level,
        text=text,
        for_whom=for_whom if level == Level.OUTCOME else "",
        intended=intended if level == Level.OUTCOME else True,
        valence=valence if level == Level.OUTCOME else "positive",
        position=(last or 0) + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def chain_item_delete(*, access: Access, item: ChainItem) -> None:
    _check_edit(access, item.initiative)
    if item.indicators.exists():
        raise ValidationError(
            _("This item has indicators. Remove or move them before deleting the item.")
        )
    item.delete()


@transaction.atomic
def chain_item_move(*, access: Access, item: ChainItem, up: bool) -> None:
    """Swap the item with its neighbour in the same level."""
    _check_edit(access, item.initiative)
    siblings = list(
        ChainItem.objects.select_for_update()
        .filter(initiative=item.initiative, level=item.level)
        .order_by("position", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


# --- indicators -------------------------------------------------------------------------------


def _check_chain_item(initiative: Initiative, chain_item: ChainItem) -> None:
    if chain_item.initiative_id != initiative.pk or chain_item.level not in (
        Level.OUTPUT,
        Level.OUTCOME,
    ):
        raise ValidationError(
            {"chain_item": _("An indicator belongs to an output or outcome of this initiative.")}
        )


def _unique_code(initiative: Initiative, base: str) -> str:
    base = slugify(base)[:50] or "indicator"
    code, n = base, 2
    while initiative.indicators.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def indicator_adopt(
    *, access: Access, initiative: Initiative, library: LibraryIndicator, chain_item: ChainItem
) -> Indicator:
    """Adopt a library indicator: a copy of its definition (name and definition in the active
    language of the person adopting), linked to the library entry."""
    _check_edit(access, initiative)
    _check_chain_item(initiative, chain_item)
    if library.municipality_id not in (None, initiative.municipality_id):
        raise PermissionDenied
    score = library.score_range()
    indicator = Indicator(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        chain_item=chain_item,
        library=library,
        code=_unique_code(initiative, library.code),
        name=library.text("name"),
        definition=library.text("definition"),
        # One unit per library indicator (programme totals add adoptions up): the library's,
        # kept by ``indicator_update`` and ``library_entry_save``.
        unit=library.unit,
        direction=library.direction,
        scale_min=Decimal(score[0]) if score else None,
        scale_max=Decimal(score[1]) if score else None,
        # The English message, translated where shown (the reader's language).
        data_source=gettext_noop("Participant survey") if library.is_survey_item else "",
        method=library.source[:300],
    )
    indicator.full_clean()
    indicator.save()
    return indicator


INDICATOR_FIELDS = {
    "name",
    "definition",
    "unit",
    "direction",
    "scale_min",
    "scale_max",
    "data_source",
    "method",
    "frequency",
    "reporter",
    "cumulative",
    "disaggregations",
}


@transaction.atomic
def indicator_create(
    *, access: Access, initiative: Initiative, chain_item: ChainItem, **fields: object
) -> Indicator:
    _check_edit(access, initiative)
    _check_chain_item(initiative, chain_item)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    indicator = Indicator(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        chain_item=chain_item,
        **fields,
    )
    indicator.code = _unique_code(initiative, str(fields.get("name", "")))
    _validate_disaggregations(indicator.disaggregations)
    indicator.full_clean()
    indicator.save()
    return indicator


def _validate_disaggregations(data: object) -> None:
    ok = isinstance(data, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(c, str) for c in v)
        for k, v in data.items()
    )
    if not ok:
        raise ValidationError(
            {"disaggregations": _("Give each dimension a list of category names.")}
        )


@transaction.atomic
def period_add(
    *, access: Access, indicator: Indicator, label: str, start: datetime.date, end: datetime.date
) -> Period:
    _check_edit(access, indicator.initiative)
    period = Period(
        indicator=indicator,
        municipality_id=indicator.municipality_id,
        label=label,
        start=start,
        end=end,
    )
    period.full_clean()
    period.save()
    return period


# --- period values: draft → submitted → approved / returned ------------------------------------


def check_value(
    indicator: Indicator,
    *,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    dimension: str,
    category: str,
) -> Decimal:
    """The value to store, or ValidationError naming the field. Percentages are computed from
    numerator and denominator; scale values must lie within the scale."""
    if dimension or category:
        categories = (indicator.disaggregations or {}).get(dimension)
        if categories is None:
            raise ValidationError({"dimension": _("This indicator has no such disaggregation.")})
        if category not in categories:
            raise ValidationError({"category": _("Not a category of this disaggregation.")})
    if indicator.unit == Unit.PERCENTAGE:
        if numerator is None or denominator is None:
            raise ValidationError(
                {"numerator": _("A percentage needs its numerator and denominator.")}
            )
        if denominator <= 0 or numerator < 0 or numerator > denominator:
            raise ValidationError(
                {"denominator": _("The denominator must be positive and at least the numerator.")}
            )
        return (numerator / denominator * 100).quantize(Decimal("0.0001"))
    if value is None:
        raise ValidationError({"value": _("Enter a number.")})
    low, high = indicator.scale_min, indicator.scale_max
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(
            {
                "value": _("The value must lie between %(low)s and %(high)s.")
                % {
                    "low": low if low is not None else "–",
                    "high": high if high is not None else "–",
                }
            }
        )
    return value


@transaction.atomic
def value_save(
    *,
    access: Access,
    period: Period,
    kind: str,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    dimension: str = "",
    category: str = "",
    measured_on: datetime.date | None = None,
    method: str = "",
    expected_version: int | None = None,
) -> IndicatorValue:
    """Create or change a value; it becomes (again) a draft. ``expected_version`` guards
    against overwriting someone else's change."""
    indicator = period.indicator
    _check_edit(access, indicator.initiative)
    if kind not in ValueKind.values:
        raise ValidationError({"kind": _("Choose baseline, target or actual.")})
    stored = check_value(
        indicator,
        value=value,
        numerator=numerator,
        denominator=denominator,
        dimension=dimension,
        category=category,
    )
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(period=period, kind=kind, dimension=dimension, category=category)
        .first()
    )
    if current is None:
        current = IndicatorValue(
            period=period,
            municipality_id=period.municipality_id,
            kind=kind,
            dimension=dimension,
            category=category,
        )
    elif expected_version is not None and current.version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed this value while you were editing. Reload the page to "
                "see their change, then make yours again."
            ),
            code="conflict",
        )
    else:
        current.version += 1
    current.value = stored
    current.numerator = numerator if indicator.unit == Unit.PERCENTAGE else None
    current.denominator = denominator if indicator.unit == Unit.PERCENTAGE else None
    current.measured_on = measured_on
    current.method = method
    was_approved = current.status == Status.APPROVED
    current.status = Status.DRAFT
    current.reported_by = _user(access)
    current.full_clean()
    current.save()
    if was_approved:
        # The approved figure a value map may link to is gone until this one is approved.
        measurement_changed(period_ids=[period.pk])
    return current


def _transition(value: IndicatorValue, allowed_from: set[str], to: str) -> IndicatorValue:
    current = IndicatorValue.objects.select_for_update().get(pk=value.pk)
    if current.status not in allowed_from:
        raise ValidationError(
            _("This value is %(status)s and cannot be changed that way.")
            % {"status": current.get_status_display().lower()}
        )
    current.status = to
    current.version += 1
    return current


@transaction.atomic
def value_submit(*, access: Access, value: IndicatorValue) -> IndicatorValue:
    _check_edit(access, value.period.indicator.initiative)
    current = _transition(value, {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED)
    current.save()
    return current


@transaction.atomic
def value_approve(*, access: Access, value: IndicatorValue) -> IndicatorValue:
    if not can_steer(access, value.period.indicator.initiative):
        raise PermissionDenied
    current = _transition(value, {Status.SUBMITTED}, Status.APPROVED)
    if current.reported_by_id == access.user_id and four_eyes(current):
        raise ValidationError(
            _(
                "You entered this value, so someone else must approve it (the municipality "
                "asks for approval by a second person)."
            ),
            code="four_eyes",
        )
    current.reviewed_by = _user(access)
    current.review_comment = ""
    current.save()
    # Value maps linked to this period compute on read; their stored headline (portfolio,
    # panels) is recomputed after the commit.
    measurement_changed(period_ids=[current.period_id])
    return current


@transaction.atomic
def value_return(*, access: Access, value: IndicatorValue, comment: str) -> IndicatorValue:
    if not can_steer(access, value.period.indicator.initiative):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    current = _transition(value, {Status.SUBMITTED}, Status.RETURNED)
    current.reviewed_by = _user(access)
    current.review_comment = comment.strip()
    current.save()
    return current


def four_eyes_wanted(initiative: Initiative) -> bool:
    return Municipality.objects.filter(
        pk=initiative.municipality_id, four_eyes_approval=True
    ).exists()


def four_eyes(value: IndicatorValue) -> bool:
    """Whether the value's municipality wants a second person to approve (the default)."""
    return Municipality.objects.filter(pk=value.municipality_id, four_eyes_approval=True).exists()


@transaction.atomic
def period_report(
    *,
    access: Access,
    period: Period,
    entries: dict[str, dict[str, Decimal | None]],
    measured_on: datetime.date | None = None,
    method: str = "",
    submit: bool = True,
) -> list[IndicatorValue]:
    """A whole period in one step: each kind's value (baseline, target, actual) that has a
    figure is saved and, with ``submit``, sent for approval. All or nothing: a problem in
    one value saves none, and is reported under that kind's field (``<kind>_<field>``)."""
    _check_edit(access, period.indicator.initiative)
    saved: list[IndicatorValue] = []
    problems: dict[str, list[str]] = {}
    for kind, figures in entries.items():
        if all(figure is None for figure in figures.values()):
            continue
        try:
            saved.append(
                value_save(
                    access=access,
                    period=period,
                    kind=kind,
                    measured_on=measured_on,
                    method=method,
                    **figures,
                )
            )
        except ValidationError as error:
            by_field = (
                error.message_dict if hasattr(error, "error_dict") else {"value": error.messages}
            )
            for field, messages in by_field.items():
                name = field if field in ("numerator", "denominator") else "value"
                problems.setdefault(f"{kind}_{name}", []).extend(messages)
    if problems:
        raise ValidationError(problems)
    if not saved:
        raise ValidationError(_("Enter at least one value for the period."), code="empty")
    if submit:
        saved = [value_submit(access=access, value=value) for value in saved]
    return saved


@transaction.atomic
def values_submit_drafts(*, access: Access, initiative: Initiative) -> int:
    """Submit every draft value of the initiative at once (after a spreadsheet import)."""
    _check_edit(access, initiative)
    drafts = IndicatorValue.objects.select_for_update().filter(
        period__indicator__initiative=initiative, status=Status.DRAFT
    )
    count = 0
    for value in drafts:
        value.status = Status.SUBMITTED
        value.version += 1
        value.save()
        count += 1
    return count
