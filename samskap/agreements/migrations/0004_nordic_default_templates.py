"""The default templates in nynorsk, Swedish and Danish (``defaults_nordic.py``), in each
country's own terms."""

from django.db import migrations


def load(apps, schema_editor):
    from samskap.agreements.defaults import all_defaults

    Template = apps.get_model("agreements", "AgreementTemplate")
    for row in all_defaults():
        if row["language"] in ("nn", "sv", "da"):
            Template.objects.update_or_create(
                municipality=None,
                type=row["type"],
                language=row["language"],
                defaults={"name": row["name"], "content": row["content"]},
            )


def unload(apps, schema_editor):
    apps.get_model("agreements", "AgreementTemplate").objects.filter(
        municipality__isnull=True, language__in=("nn", "sv", "da")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_version_seal")]

    operations = [migrations.RunPython(load, unload)]
