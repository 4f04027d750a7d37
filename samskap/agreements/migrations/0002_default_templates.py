"""The default agreement templates (one per type, bokmål and English), so that a fresh
database can create agreements without the demo."""

from django.db import migrations


def load(apps, schema_editor):
    from samskap.agreements.defaults import all_defaults

    Template = apps.get_model("agreements", "AgreementTemplate")
    for row in all_defaults():
        Template.objects.update_or_create(
            municipality=None,
            type=row["type"],
            language=row["language"],
            defaults={"name": row["name"], "content": row["content"]},
        )


def unload(apps, schema_editor):
    apps.get_model("agreements", "AgreementTemplate").objects.filter(
        municipality__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
