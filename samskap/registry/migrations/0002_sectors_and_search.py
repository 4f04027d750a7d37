"""Sector rows, and the full-text search index for the initiative search.

SQLite: an FTS5 table with external content, kept in step by triggers (the FTS5 manual,
"External Content Tables", https://sqlite.org/fts5.html#external_content_tables).
PostgreSQL: a GIN index on the Norwegian text-search vector of the same columns; the search
selector queries exactly this expression so the planner can use the index.
"""

from django.db import migrations

SECTOR_CODES = [
    "elderly_care",
    "children_youth",
    "health",
    "work_inclusion",
    "culture",
    "environment",
    "education",
    "housing",
    "integration",
    "local_community",
]

COLUMNS = "title, need, description, target_group"
NEW = "new.title, new.need, new.description, new.target_group"
OLD = "old.title, old.need, old.description, old.target_group"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE registry_initiative_fts USING fts5({COLUMNS},
        content='registry_initiative', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER registry_initiative_fts_insert AFTER INSERT ON registry_initiative BEGIN
        INSERT INTO registry_initiative_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER registry_initiative_fts_delete AFTER DELETE ON registry_initiative BEGIN
        INSERT INTO registry_initiative_fts(registry_initiative_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER registry_initiative_fts_update AFTER UPDATE OF {COLUMNS}
        ON registry_initiative BEGIN
        INSERT INTO registry_initiative_fts(registry_initiative_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO registry_initiative_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    "INSERT INTO registry_initiative_fts(registry_initiative_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registry_initiative_fts_insert",
    "DROP TRIGGER IF EXISTS registry_initiative_fts_delete",
    "DROP TRIGGER IF EXISTS registry_initiative_fts_update",
    "DROP TABLE IF EXISTS registry_initiative_fts",
]
# Keep in step with samskap.registry.selectors.SEARCH_VECTOR_SQL.
POSTGRES_CREATE = [
    "CREATE INDEX registry_initiative_search ON registry_initiative USING gin ("
    "to_tsvector('norwegian'::regconfig, coalesce(title, '') || ' ' || coalesce(need, '') "
    "|| ' ' || coalesce(description, '') || ' ' || coalesce(target_group, '')))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS registry_initiative_search"]


def create_sectors(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    for code in SECTOR_CODES:
        Sector.objects.get_or_create(code=code)


def create_search_index(apps, schema_editor):
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_search_index(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(create_sectors, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
