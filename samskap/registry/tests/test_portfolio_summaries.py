"""PostgreSQL keeps the portfolio's summaries itself (migrations ``registry.0006`` and
``measurement.0010``): after every kind of change, they must give exactly what counting from
the rows gives (the SQLite way, which runs on PostgreSQL too)."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from samskap.accounts.models import Organisation
from samskap.conftest import World, make_initiative
from samskap.measurement import queries
from samskap.measurement.models import ChainItem, Indicator, IndicatorValue, Period
from samskap.registry import selectors
from samskap.registry.models import GovernanceLogic, Initiative, Participation, Sector, Stage

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the summaries are PostgreSQL's (SQLite counts rows)"
)


def _live_counts(compiled) -> dict:
    counts = {key: {} for key in ("stage", "governance_logic", "sector", "partner_kind")}
    for grouping, value, second, n in selectors.on_portfolio(compiled, selectors._COUNTS_SQL):
        if grouping == "stage":
            counts["stage"][value] = counts["stage"].get(value, 0) + n
            counts["governance_logic"][second] = counts["governance_logic"].get(second, 0) + n
        else:
            key = "sector" if grouping == "sector" else "partner_kind"
            counts[key][value] = n
    return counts


def _assert_same(world: World, day: datetime.date) -> None:
    """The facts (any portfolio) and the per-owner counts (a portfolio without filters) give
    what counting the rows gives, for one owner and for two (co-owned initiatives once)."""
    for ids in ([world.home.pk], [world.other.pk], [world.home.pk, world.other.pk]):
        compiled = selectors.compiled_ids(selectors.portfolio_initiatives(ids))
        live = _live_counts(compiled)
        for owners in (None, ids):
            summary = selectors.portfolio_counts(compiled, owners)
            assert {k: dict(v) for k, v in summary.items()} == live, owners
        from_values = queries._status_from_values(compiled, day)
        for owners in (None, tuple(ids)):
            from_summary = queries._status_from_summary(compiled, day, owners)
            assert from_summary[:3] == from_values[:3], owners
            expected = [(pytest.approx(s), i, p) for s, i, p in from_values[3]]
            assert expected == from_summary[3], owners


def test_the_summaries_follow_every_change(world: World) -> None:
    rng = random.Random(11)
    today = timezone.localdate()
    sectors = list(Sector.objects.all())
    organisations = [
        Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}", kind=kind)
        for n, kind in enumerate(["voluntary", "business", "research"])
    ]
    initiatives = []
    for n in range(6):
        owner, coordinator = [
            (world.home, world.coordinator),
            (world.other, world.other_coordinator),
        ][n % 2]
        initiative = make_initiative(
            coordinator,
            owner,
            f"Summary {n}",
            sectors=rng.sample(sectors, 2),
            co_owners=[world.other] if n in (0, 4) else [],
        )
        initiatives.append(initiative)
        Participation.objects.create(
            municipality=owner,
            initiative=initiative,
            organisation=organisations[n % 3],
            role="co_creator",
        )
        outcome = ChainItem.objects.create(initiative=initiative, level="outcome", text="x")
        indicator = Indicator.objects.create(
            municipality=owner,
            initiative=initiative,
            chain_item=outcome,
            code="ind",
            name="Ind",
            definition="-",
            unit="number",
            direction="higher",
        )
        for year, values in ((2023, (10, 20, 12 + n)), (2024, (10, 20, 18 + n))):
            period = Period.objects.create(
                municipality=owner,
                indicator=indicator,
                label=str(year),
                start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31),
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(municipality=owner, period=period, kind=kind, value=value)
                for kind, value in zip(("baseline", "target", "actual"), values, strict=True)
            )
    _assert_same(world, today)

    # Owners: a co-owner added, one removed.
    initiatives[2].owners.add(world.other)
    initiatives[4].owners.remove(world.other)
    _assert_same(world, today)

    # Registry: stage and logic by a bulk update, sectors replaced, a participation ended and
    # another deleted, an organisation's type changed, an initiative deleted.
    Initiative.objects.filter(pk__in=[i.pk for i in initiatives[:3]]).update(
        stage=Stage.PILOT, governance_logic=GovernanceLogic.NETWORK
    )
    initiatives[1].sectors.set(sectors[:1])
    Participation.objects.filter(initiative=initiatives[2]).delete()
    Organisation.objects.filter(pk=organisations[0].pk).update(kind="business")
    Indicator.objects.filter(initiative=initiatives[5]).delete()
    ChainItem.objects.filter(initiative=initiatives[5]).delete()
    initiatives[5].delete()
    _assert_same(world, today)

    # Measurement: a value changed, a value deleted, a period that starts later (so the day
    # decides), a new future period with values, an indicator deleted, another day.
    first = Indicator.objects.filter(initiative=initiatives[0]).get()
    IndicatorValue.objects.filter(period__indicator=first, kind="actual").update(value=Decimal(25))
    IndicatorValue.objects.filter(
        period__indicator__initiative=initiatives[1], period__label="2024", kind="baseline"
    ).delete()
    later = today + datetime.timedelta(days=40)
    period = Period.objects.create(
        municipality=world.home,
        indicator=first,
        label="next",
        start=later,
        end=later + datetime.timedelta(days=30),
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(municipality=world.home, period=period, kind=kind, value=value)
        for kind, value in (("baseline", 0), ("target", 10), ("actual", 3))
    )
    Indicator.objects.filter(initiative=initiatives[3]).delete()
    _assert_same(world, today)
    _assert_same(world, later)
    _assert_same(world, today)
    Period.objects.filter(pk=period.pk).update(start=today - datetime.timedelta(days=1))
    _assert_same(world, today)
