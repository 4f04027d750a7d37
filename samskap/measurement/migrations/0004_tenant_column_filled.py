"""Fill the new tenant column of indicators, periods and values (and of their history) from
the initiative's (lead) municipality. Set-based updates: one statement per table."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor) -> None:
    initiative = apps.get_model("registry", "Initiative")
    indicator = apps.get_model("measurement", "Indicator")
    period = apps.get_model("measurement", "Period")
    value = apps.get_model("measurement", "IndicatorValue")
    of_initiative = initiative.objects.filter(pk=OuterRef("initiative_id")).values(
        "municipality_id"
    )[:1]
    of_indicator = indicator.objects.filter(pk=OuterRef("indicator_id")).values(
        "municipality_id"
    )[:1]
    of_period = period.objects.filter(pk=OuterRef("period_id")).values("municipality_id")[:1]
    indicator.objects.update(municipality_id=Subquery(of_initiative))
    period.objects.update(municipality_id=Subquery(of_indicator))
    value.objects.update(municipality_id=Subquery(of_period))
    # History rows keep the column nullable (simple-history makes every foreign key so); rows
    # of deleted indicators or periods stay empty.
    historical_indicator = apps.get_model("measurement", "HistoricalIndicator")
    historical_value = apps.get_model("measurement", "HistoricalIndicatorValue")
    historical_indicator.objects.update(municipality_id=Subquery(of_initiative))
    historical_value.objects.update(municipality_id=Subquery(of_period))


class Migration(migrations.Migration):
    dependencies = [("measurement", "0003_tenant_column_added")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
