"""The library's texts in bokmål: a ``translations`` field, filled for the shared entries from
``library.py`` (which also brings the shared entries' other texts in step)."""

from django.db import migrations, models


def fill(apps, schema_editor) -> None:
    from samskap.measurement.library import sync_library

    sync_library(apps.get_model("measurement", "LibraryIndicator"))


class Migration(migrations.Migration):
    dependencies = [("measurement", "0007_programme_slug_per_municipality")]

    operations = [
        migrations.AddField(
            model_name="libraryindicator",
            name="translations",
            field=models.JSONField(blank=True, default=dict, verbose_name="translations"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
