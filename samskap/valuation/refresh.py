"""The stored headline of a value map (``ValueMap.summary``: the ratio with its band, read by
the panels and the portfolio) follows the measurements its outcomes link to (``links.py``).

The map's own pages compute on read; only the stored headline needs refreshing. Every service
that changes what a link reads says so here, naming the indicator periods or surveys it
changed:

- an indicator value approved, or an approved one changed back to a draft
  (``measurement.services``);
- survey answers submitted (by link or on paper), imported, or deleted by a withdrawal, and a
  time point added (``measurement.surveys``, ``measurement.imports``).

One mechanism for all of them: the changed sources are collected during the transaction and
the maps that link to them are recomputed once, after it commits (``transaction.on_commit``),
whatever the number of answers or calls — a file of a thousand answers refreshes each linked
map once, a survey no map links to costs one query. A rolled-back transaction refreshes
nothing of its own (its sources, still pending, are refreshed with the next commit: recomputing
from what is stored is always right). Each map is recomputed under its row lock, so two
refreshes of the same map write in the order they read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from . import selectors
from .models import ValueMap

_pending = threading.local()


def _sources() -> tuple[set[int], set[int]]:
    if not hasattr(_pending, "periods"):
        _pending.periods, _pending.surveys = set(), set()
    return _pending.periods, _pending.surveys


def measurement_changed(*, period_ids: Iterable[int] = (), survey_ids: Iterable[int] = ()) -> None:
    """Note that these indicator periods or surveys changed: the value maps linked to them get
    their headline recomputed when the current transaction commits (at once outside one)."""
    periods, surveys = _sources()
    periods.update(period_ids)
    surveys.update(survey_ids)
    # One callback per call, but the first to run takes every pending source and the others
    # find nothing left: the work is done once per transaction.
    transaction.on_commit(refresh_pending, robust=True)


def refresh_pending() -> int:
    """Recompute the headline of every map linked to a pending source; returns how many."""
    periods, surveys = _sources()
    if not periods and not surveys:
        return 0
    chosen = Q(outcomes__link__period_id__in=list(periods)) | Q(
        outcomes__link__survey_item__survey_id__in=list(surveys)
    )
    periods.clear()
    surveys.clear()
    map_ids = sorted(set(ValueMap.objects.filter(chosen).values_list("pk", flat=True)))
    for pk in map_ids:
        refresh_headline(pk)
    return len(map_ids)


def refresh_headline(value_map_id: int) -> None:
    """Recompute one map's stored headline from what is stored now."""
    with transaction.atomic():
        value_map = ValueMap.objects.select_for_update().filter(pk=value_map_id).first()
        if value_map is None:
            return
        summary = selectors.summary_of(value_map)
        # Derived data: an update, not a save, so it makes no history entry.
        ValueMap.objects.filter(pk=value_map_id).update(summary=summary)
