"""Bulk insert of many rows of whole numbers and timestamps, for imports of a million rows,
and bulk reads of plain tuples.

``insert_columns(model, columns)`` writes one row per position of equally long NumPy arrays
(one array per column), in the caller's transaction:

- PostgreSQL: one ``COPY … FROM STDIN (FORMAT BINARY)``. The rows are laid out by NumPy as a
  structured array in PostgreSQL's binary copy format (each row: the number of fields, then per
  field its length and its big-endian value), so no Python code runs per row. Format: the
  PostgreSQL documentation, "COPY", section "Binary Format".
- Other databases: ``executemany`` in batches through the driver's cursor.

Only non-null ``bigint``/``integer``/``smallint`` and ``timestamp with time zone`` columns
(given as ``datetime64[us]`` in UTC) are supported; on PostgreSQL any other column type is
refused with an error naming the column rather than written wrongly. Constraints, indexes and
triggers apply as for any insert, and a duplicate key raises Django's ``IntegrityError``.
"""

import itertools
import struct

import numpy as np
from django.db import connection

BATCH = 50_000
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_TRAILER = struct.pack(">h", -1)
_PG_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")
_BINARY = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "timestamp with time zone": ">i8",
}


def insert_columns(model, columns: dict[str, np.ndarray]) -> None:
    """Insert ``len(array)`` rows into ``model``'s table; ``columns`` maps column names (e.g.
    ``response_id``) to arrays of the same length."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("All columns must have the same length.")
    if not lengths.pop():
        return
    table = model._meta.db_table
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_binary(cursor.cursor, table, _pg_types(model, columns), columns)
        else:
            _executemany(cursor.cursor, table, columns)


def _pg_types(model, columns: dict) -> dict[str, str]:
    fields = {f.column: f for f in model._meta.concrete_fields}
    types = {}
    for name in columns:
        db_type = fields[name].db_type(connection)
        # A primary key's type reads e.g. "bigint" for BigAutoField's generated identity column.
        db_type = db_type.split(" GENERATED")[0] if db_type else db_type
        if db_type not in _BINARY:
            raise ValueError(f"{model._meta.db_table}.{name}: type {db_type!r} is not supported.")
        types[name] = db_type
    return types


def _copy_binary(raw, table: str, types: dict[str, str], columns: dict) -> None:
    layout = [("fields", ">i2")]
    for name, db_type in types.items():
        layout += [(f"{name}__size", ">i4"), (name, _BINARY[db_type])]
    rows = np.empty(len(next(iter(columns.values()))), dtype=np.dtype(layout))
    rows["fields"] = len(types)
    for name, db_type in types.items():
        values = np.asarray(columns[name])
        if db_type == "timestamp with time zone":
            values = (values.astype("datetime64[us]") - _PG_EPOCH).astype(np.int64)
        rows[f"{name}__size"] = np.dtype(_BINARY[db_type]).itemsize
        rows[name] = values
    statement = f"COPY {table} ({', '.join(types)}) FROM STDIN (FORMAT BINARY)"
    with raw.copy(statement) as copy:
        copy.write(_HEADER)
        for start in range(0, len(rows), BATCH):
            copy.write(rows[start : start + BATCH].tobytes())
        copy.write(_TRAILER)


def _executemany(raw, table: str, columns: dict) -> None:
    names = list(columns)
    marks = ", ".join(["%s" if connection.vendor != "sqlite" else "?"] * len(names))
    statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608 - names from the models
    lists = [_python_values(columns[name]) for name in names]
    rows = zip(*lists, strict=True)
    while batch := list(itertools.islice(rows, BATCH)):
        raw.executemany(statement, batch)


def _python_values(values) -> list:
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.datetime64):
        # As Django stores a UTC datetime on SQLite.
        return [str(v).replace("T", " ") for v in values.astype("datetime64[us]")]
    return values.tolist()


def fetch_rows(queryset, *fields: str, share_lock: bool = False) -> list[tuple]:
    """The rows of ``queryset.values_list(*fields)``, read through the driver's cursor: for
    many thousands of rows the ORM's per-row step costs as much as the query. The values are as
    the driver returns them (no Django converters): use it for ids, text and numbers, not for
    dates, JSON or booleans on SQLite.

    ``share_lock`` (inside a transaction): on PostgreSQL the rows are read ``FOR SHARE``, so
    nobody can change or delete them until the transaction ends — a lock Django's
    ``select_for_update`` does not offer. Other databases lock nothing per row."""
    queryset = queryset.order_by() if share_lock else queryset
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    if share_lock and connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
