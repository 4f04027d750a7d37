"""Load the shared indicator library, so it exists on a fresh database."""

from django.db import migrations


def load(apps, schema_editor) -> None:
    from samskap.measurement.library import sync_library

    sync_library(apps.get_model("measurement", "LibraryIndicator"))


class Migration(migrations.Migration):
    dependencies = [("measurement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
