"""Full-text search over stories and lessons, as migration 0002 does for initiatives.

SQLite: an FTS5 external-content table kept by triggers; PostgreSQL: a GIN index on the
Norwegian text-search vector that ``selectors.STORY_VECTOR_SQL`` queries.
"""

from django.db import migrations

COLUMNS = "title, text"
NEW = "new.title, new.text"
OLD = "old.title, old.text"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE registry_story_fts USING fts5({COLUMNS},
        content='registry_story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER registry_story_fts_insert AFTER INSERT ON registry_story BEGIN
        INSERT INTO registry_story_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER registry_story_fts_delete AFTER DELETE ON registry_story BEGIN
        INSERT INTO registry_story_fts(registry_story_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER registry_story_fts_update AFTER UPDATE OF {COLUMNS}
        ON registry_story BEGIN
        INSERT INTO registry_story_fts(registry_story_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO registry_story_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    "INSERT INTO registry_story_fts(registry_story_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registry_story_fts_insert",
    "DROP TRIGGER IF EXISTS registry_story_fts_delete",
    "DROP TRIGGER IF EXISTS registry_story_fts_update",
    "DROP TABLE IF EXISTS registry_story_fts",
]
# Keep in step with samskap.registry.selectors.STORY_VECTOR_SQL.
POSTGRES_CREATE = [
    "CREATE INDEX registry_story_search ON registry_story USING gin ("
    "to_tsvector('norwegian'::regconfig, coalesce(title, '') || ' ' || coalesce(text, '')))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS registry_story_search"]


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_portfolio_indexes")]

    operations = [migrations.RunPython(create, drop)]
