"""Load version 1 of the item bank (data/itembank-1.json), so it exists on a fresh database."""

from django.db import migrations


def forwards(apps, schema_editor):
    from samskap.health.itembank import load_bank

    load_bank(apps, "1")


def backwards(apps, schema_editor):
    BankVersion = apps.get_model("health", "BankVersion")
    Item = apps.get_model("health", "Item")
    Dimension = apps.get_model("health", "Dimension")
    ItemSet = apps.get_model("health", "ItemSet")
    banks = BankVersion.objects.filter(version="1")
    Item.objects.filter(bank__in=banks, municipality__isnull=True).delete()
    Dimension.objects.filter(bank__in=banks).delete()
    ItemSet.objects.filter(bank__in=banks).delete()
    banks.delete()


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
