"""Covering indexes for the coordinator's portfolio (measured with benchmarks/registry.py).

- ``registry_initiative_owners (municipality_id, initiative_id)``: "the initiatives this
  municipality owns" is read from the index alone. Django's index on ``municipality_id`` alone
  costs a lookup in the link table for every owned initiative; the portfolio asks this question
  three times per page, and the access checks ask it too.
- PostgreSQL only: ``registry_initiative (id) INCLUDE (stage, governance_logic)``, so the counts
  by stage and governance logic are an index-only merge join instead of a sequential scan of the
  whole table. SQLite's planner does not choose such an index without ``ANALYZE`` statistics,
  so it is not created there.

The through table of ``Initiative.owners`` is created by Django and has no ``Meta.indexes``, and
the second index is PostgreSQL-only, so both are plain SQL; the model state does not change.
"""

from django.db import migrations

CREATE = {
    "all": [
        "CREATE INDEX registry_initiative_owners_municipality_initiative "
        "ON registry_initiative_owners (municipality_id, initiative_id)"
    ],
    "postgresql": [
        "CREATE INDEX registry_initiative_portfolio "
        "ON registry_initiative (id) INCLUDE (stage, governance_logic)"
    ],
}
DROP = {
    "all": ["DROP INDEX IF EXISTS registry_initiative_owners_municipality_initiative"],
    "postgresql": ["DROP INDEX IF EXISTS registry_initiative_portfolio"],
}


def _run(statements, schema_editor):
    for sql in statements["all"] + statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create_indexes(apps, schema_editor):
    _run(CREATE, schema_editor)


def drop_indexes(apps, schema_editor):
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_sectors_and_search")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
