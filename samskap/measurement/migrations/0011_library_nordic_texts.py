"""The shared indicator library in nynorsk, Swedish and Danish, and its licence and source notes
in every Nordic language (``library_texts.py``), merged into ``translations``."""

from django.db import migrations


def fill(apps, schema_editor) -> None:
    from samskap.measurement.library import sync_library

    sync_library(apps.get_model("measurement", "LibraryIndicator"))


class Migration(migrations.Migration):
    dependencies = [("measurement", "0010_indicator_status")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
