"""The database table of the "throttle" cache (settings.CACHES), made as createcachetable
would, so that an installation gets it with ``migrate`` like every other table."""

from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor) -> None:
    call_command(
        "createcachetable",
        "samskap_throttle_cache",
        database=schema_editor.connection.alias,
        verbosity=0,
    )


def drop_table(apps, schema_editor) -> None:
    schema_editor.execute(
        "DROP TABLE IF EXISTS " + schema_editor.quote_name("samskap_throttle_cache")
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_invitations_and_email_domains")]

    operations = [migrations.RunPython(create_table, drop_table)]
