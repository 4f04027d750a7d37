"""Stemmed, typo-tolerant search (see samskap/registry/search.py).

SQLite: the FTS5 tables of migrations 0002 and 0004 held the raw words; they give way to FTS5
tables of each row's Norwegian, Swedish and Danish Snowball stems, written by triggers through
the ``samskap_stems`` SQL function every connection registers, with an ``fts5vocab`` table
over each for the typo-tolerant match.
PostgreSQL: the Norwegian-only GIN indexes give way to GIN indexes on the three configurations'
joined vectors, plus trigram GIN indexes (pg_trgm) on the raw text for typos.
"""

import importlib

from django.db import migrations

from samskap.registry.search import INITIATIVES, STORIES


def _sqlite_create(index):
    table, stems = index.table, index.stems_table
    new = " || ' ' || ".join(f"coalesce(new.{c}, '')" for c in index.columns)
    columns = ", ".join(index.columns)
    return [
        f"CREATE VIRTUAL TABLE {stems} USING fts5(stems, tokenize='unicode61 remove_diacritics 0')",
        f"CREATE VIRTUAL TABLE {stems}_vocab USING fts5vocab({stems}, 'row')",
        f"""CREATE TRIGGER {stems}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {stems}(rowid, stems) VALUES (new.id, samskap_stems({new}));
        END""",
        f"""CREATE TRIGGER {stems}_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM {stems} WHERE rowid = old.id;
        END""",
        f"""CREATE TRIGGER {stems}_update AFTER UPDATE OF {columns} ON {table} BEGIN
            DELETE FROM {stems} WHERE rowid = old.id;
            INSERT INTO {stems}(rowid, stems) VALUES (new.id, samskap_stems({new}));
        END""",
        f"INSERT INTO {stems}(rowid, stems) SELECT id, samskap_stems("
        + index.text_sql
        + f") FROM {table}",
    ]


def _sqlite_drop(index):
    stems = index.stems_table
    return [
        f"DROP TRIGGER IF EXISTS {stems}_insert",
        f"DROP TRIGGER IF EXISTS {stems}_delete",
        f"DROP TRIGGER IF EXISTS {stems}_update",
        f"DROP TABLE IF EXISTS {stems}_vocab",
        f"DROP TABLE IF EXISTS {stems}",
    ]


def _old_sqlite_drop(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_fts_insert",
        f"DROP TRIGGER IF EXISTS {table}_fts_delete",
        f"DROP TRIGGER IF EXISTS {table}_fts_update",
        f"DROP TABLE IF EXISTS {table}_fts",
    ]


def _postgres_create(index, name):
    return [
        f"CREATE INDEX {name}_stems ON {index.table} USING gin (({index.vector_sql}))",
        f"CREATE INDEX {name}_trigrams ON {index.table} USING gin (({index.text_sql}) gin_trgm_ops)",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _old_sqlite_drop("registry_initiative") + _old_sqlite_drop("registry_story")
        statements += _sqlite_create(INITIATIVES) + _sqlite_create(STORIES)
    elif vendor == "postgresql":
        statements = [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "DROP INDEX IF EXISTS registry_initiative_search",
            "DROP INDEX IF EXISTS registry_story_search",
            *_postgres_create(INITIATIVES, "registry_initiative"),
            *_postgres_create(STORIES, "registry_story"),
        ]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    """Back to the raw-word indexes of migrations 0002 and 0004."""
    vendor = schema_editor.connection.vendor
    old = [
        importlib.import_module(f"samskap.registry.migrations.{name}")
        for name in ("0002_sectors_and_search", "0004_story_search")
    ]
    if vendor == "sqlite":
        statements = _sqlite_drop(INITIATIVES) + _sqlite_drop(STORIES)
        statements += [sql for module in old for sql in module.SQLITE_CREATE]
    elif vendor == "postgresql":
        statements = [
            f"DROP INDEX IF EXISTS {name}_{kind}"
            for name in ("registry_initiative", "registry_story")
            for kind in ("stems", "trigrams")
        ]
        statements += [sql for module in old for sql in module.POSTGRES_CREATE]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_story_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
