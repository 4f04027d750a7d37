"""``samskap backup FILE`` and ``samskap restore FILE``.

- SQLite: Python's ``sqlite3`` online backup API (``Connection.backup``), page by page while the
  server keeps running; the backup is itself a SQLite database. Restoring copies it back the same
  way, so running processes see the restored database at once.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction`` (all or nothing), with the connection taken from ``DATABASE_URL``.

Only the database is in the file; uploaded files (``<data dir>/uploads``) are copied with the
file system (docs/operations.md). A restore refuses a file that is not a Samskap backup of the
configured database engine.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[name] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client).")
    return path


def backup(path: str | Path) -> Path:
    """Write a consistent copy of the database to ``path`` (replaced if it exists)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if _engine() == "sqlite":
        target = sqlite3.connect(partial)
        try:
            _raw_sqlite().backup(target)
        finally:
            target.close()
    else:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(partial),
                connection.settings_dict["NAME"],
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    # Renamed only when complete: a FILE that exists is a whole backup.
    partial.replace(path)
    return path


def _check_sqlite_backup(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
    finally:
        source.close()
    if "django_migrations" not in tables or "registry_initiative" not in tables:
        raise BackupError(f"{path} is a SQLite file but not a Samskap database.")


def restore(path: str | Path) -> None:
    """Replace the whole database with the backup in ``path``."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    engine = _engine()
    if engine == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            kind = "a PostgreSQL dump" if head.startswith(PGDUMP_MAGIC) else "not a backup"
            raise BackupError(f"{path} is {kind}; this installation uses SQLite.")
        _check_sqlite_backup(path)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(_raw_sqlite())
        finally:
            source.close()
    else:
        if not head.startswith(PGDUMP_MAGIC):
            kind = "a SQLite database" if head.startswith(SQLITE_MAGIC) else "not a backup"
            raise BackupError(f"{path} is {kind}; this installation uses PostgreSQL.")
        connections.close_all()
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")
    connections.close_all()


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (for checking a restore)."""
    tables = connection.introspection.table_names(include_views=False)
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
