"""A comparison group flag on participants, and the minimal important difference of library
instruments where one is published (filled from ``library.py``)."""

from django.db import migrations, models


def fill(apps, schema_editor) -> None:
    from samskap.measurement.library import sync_library

    sync_library(apps.get_model("measurement", "LibraryIndicator"))


class Migration(migrations.Migration):
    dependencies = [("measurement", "0008_library_translations")]

    operations = [
        migrations.AddField(
            model_name="libraryindicator",
            name="minimal_important_difference",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="The smallest change people notice as important, where it is published.",
                max_digits=6,
                null=True,
                verbose_name="minimal important difference",
            ),
        ),
        migrations.AddField(
            model_name="libraryindicator",
            name="mid_source",
            field=models.TextField(
                blank=True, verbose_name="source of the minimal important difference"
            ),
        ),
        migrations.AddField(
            model_name="participant",
            name="comparison",
            field=models.BooleanField(default=False, verbose_name="comparison group"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
