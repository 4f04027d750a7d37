"""Migrations 0003–0005 fill the tenant column from the initiative's municipality."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from samskap.accounts.access import access_for
from samskap.measurement import services
from samskap.measurement.models import Indicator, IndicatorValue, Period

BEFORE = [("measurement", "0003_tenant_column_added")]
AFTER = [("measurement", "0005_tenant_column_required")]


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_municipality_of_existing_rows(world, setup) -> None:
    access = access_for(world.coordinator)
    period = services.period_add(
        access=access,
        indicator=setup.life,
        label="2025",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    services.value_save(access=access, period=period, kind="actual", value=Decimal(6))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    for name in ("Indicator", "Period", "IndicatorValue", "HistoricalIndicator"):
        old.get_model("measurement", name).objects.update(municipality=None)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # Back to the latest migrations of every app, so later tests find the later columns (e.g.
    # 0007's) and the tables of other apps' migrations that depend on measurement's and were
    # unapplied with them (valuation's published results): migrating measurement alone left
    # those tables missing for every later test.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    home = world.internal.municipality_id
    assert set(Indicator.objects.values_list("municipality_id", flat=True)) == {home}
    assert set(Period.objects.values_list("municipality_id", flat=True)) == {home}
    assert set(IndicatorValue.objects.values_list("municipality_id", flat=True)) == {home}
    history = Indicator.history.model.objects.values_list("municipality_id", flat=True)
    assert set(history) == {home}
