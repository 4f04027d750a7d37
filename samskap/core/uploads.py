"""The one gate in front of every import: a hostile file must never take a worker.

Every uploaded file (survey answers, indicator values, value maps, the reports imports) passes
here before it is read:

- its **size** is checked against the limit of its kind, before a byte is parsed;
- a **CSV** file is read by the ``csv`` module with a cap on the length of one field and on the
  number of rows (memory is then linear in the capped file size);
- an **.xlsx** file is a zip archive: the archive is inspected first (number of entries, only
  stored or deflated entries, the total *declared* uncompressed size — Python's ``zipfile``
  never inflates an entry beyond its declared size — and the dimension each sheet declares),
  then opened by openpyxl in read-only mode with explicit row and column bounds, so a sheet
  declaring a million rows is neither believed nor padded;
- **YAML** value maps are read with PyYAML's safe loader, and a document with anchors or
  aliases is refused (``valuation.valuemap.loads_yaml``): aliases are how a 469-byte "billion
  laughs" file becomes gigabytes when walked;
- the parsing of .xlsx, and of value maps in any format — whose cost is not linear in their
  size — runs in a
  forked child process with an address-space limit (``RLIMIT_AS``), a CPU limit and a wall-clock
  timeout. Whatever the file does, the worker that received it loses at most ``seconds`` of
  time and never more memory than the parsed, capped result.

Each refusal is an ``UploadError`` whose message names the limit (e.g. "at most 5 MB").
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import pickle
import re
import select
import signal
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

MB = 1024 * 1024


class UploadError(ValueError):
    """The file as a whole cannot be read (too large, wrong type, unsafe, bad encoding)."""


@dataclass(frozen=True)
class Limits:
    """What one kind of import may hold. ``seconds`` and ``memory`` bound the parsing of
    .xlsx and YAML in a child process; the other caps are checked while reading."""

    max_bytes: int
    max_rows: int
    max_columns: int = 60
    # rows of an .xlsx sheet: openpyxl reads 5,000-20,000 a second; the time budget ends the rest
    max_sheet_rows: int = 100_000
    max_unzipped: int = 50 * MB  # an .xlsx file's declared uncompressed size, all entries
    max_entries: int = 500  # entries of an .xlsx archive
    max_field: int = 10_000  # characters in one CSV field
    seconds: float = 20.0  # below gunicorn's 30 s worker timeout
    memory: int = 512 * MB  # address space the parsing child may add

    @property
    def max_cells(self) -> int:
        return self.max_rows * self.max_columns


# One line per kind of import. Survey answers are built for a million answers in CSV
# (about 40 bytes each); an .xlsx file of that size would take openpyxl minutes, so its
# rows are capped by the same limit, which the time budget then enforces.
SURVEY_ANSWERS = Limits(max_bytes=80 * MB, max_rows=2_000_000, max_unzipped=200 * MB)
INDICATOR_VALUES = Limits(max_bytes=5 * MB, max_rows=50_000)
VALUE_MAP = Limits(max_bytes=2 * MB, max_rows=5_000, max_unzipped=20 * MB)
TABLE = Limits(max_bytes=5 * MB, max_rows=20_000)  # the reports imports (initiatives, partners)


def _megabytes(n: int) -> str:
    return f"{n / MB:g} MB"


def source_size(source) -> int | None:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    size = getattr(source, "size", None)
    return int(size) if size is not None else None


def check_size(source, limits: Limits) -> None:
    """Refuse a file larger than its kind allows, before reading it."""
    size = source_size(source)
    if size is not None and size > limits.max_bytes:
        raise UploadError(
            _("The file is larger than %(limit)s (the limit for this import).")
            % {"limit": _megabytes(limits.max_bytes)}
        )


def read_bytes(source, limits: Limits) -> bytes:
    """The bytes of a path or an uploaded file, after the size check (and never more than the
    limit plus one byte, whatever the file claims its size to be)."""
    check_size(source, limits)
    if isinstance(source, str | Path):
        with open(source, "rb") as file:
            data = file.read(limits.max_bytes + 1)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise UploadError(
            _("The file is larger than %(limit)s (the limit for this import).")
            % {"limit": _megabytes(limits.max_bytes)}
        )
    return data


# --- text and CSV ------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without byte order mark), else Windows-1252 — what Excel in a Norwegian
    (or any Western European) locale writes when it saves "CSV (semicolon separated)"."""
    not_text = UploadError(_("The CSV file is neither UTF-8 nor Windows-1252 text."))
    if b"\x00" in data:  # UTF-16 (Excel's "Unicode text") or a binary file: no CSV has NUL
        raise not_text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise not_text from error


def too_many_rows(limits: Limits) -> UploadError:
    return UploadError(
        _("The file has more than %(limit)s rows (the limit for this import).")
        % {"limit": f"{limits.max_rows:,}".replace(",", " ")}
    )


def csv_rows(text: str, dialect, limits: Limits) -> list[list[str]]:
    """All rows of a CSV text, refusing a field longer than ``max_field`` characters and more
    than ``max_rows`` rows after the header."""
    import csv

    previous = csv.field_size_limit(limits.max_field)
    try:
        rows = []
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for row in reader:
            if len(rows) > limits.max_rows:
                raise too_many_rows(limits)
            if len(row) > limits.max_columns:
                raise UploadError(
                    _("Line %(line)s has more than %(limit)s columns (the limit for this import).")
                    % {"line": reader.line_num, "limit": limits.max_columns}
                )
            rows.append(row)
        return rows
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UploadError(
                _("A field is longer than %(limit)s characters (the limit for this import).")
                % {"limit": f"{limits.max_field:,}".replace(",", " ")}
            ) from error
        raise UploadError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        csv.field_size_limit(previous)


# --- .xlsx ---------------------------------------------------------------------------------

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:  # bytes: each an int
        number = number * 26 + letter - 64
    return number


def inspect_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse an .xlsx archive whose entries, uncompressed size or declared sheet size exceed
    the limits, without inflating more than the first kilobytes of each sheet."""
    not_workbook = UploadError(_("The file is not a readable Excel workbook."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise not_workbook from error
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise UploadError(
                _("The workbook has more than %(limit)s parts (the limit for this import).")
                % {"limit": limits.max_entries}
            )
        if any(e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for e in entries):
            raise not_workbook  # bzip2/lzma entries are not bounded while inflating
        # zipfile stops every entry at its declared size, so the declared total is a true bound.
        if sum(entry.file_size for entry in entries) > limits.max_unzipped:
            raise UploadError(
                _("The workbook unpacks to more than %(limit)s (the limit for this import).")
                % {"limit": _megabytes(limits.max_unzipped)}
            )
        for entry in entries:
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", entry.filename):
                continue
            try:
                with archive.open(entry) as sheet:
                    head = sheet.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
                raise not_workbook from error
            match = _DIMENSION.search(head)
            if not match or not match.group(3):
                continue
            rows = int(match.group(4)) - int(match.group(2) or 1) + 1
            columns = _column_number(match.group(3)) - _column_number(match.group(1) or b"A") + 1
            max_rows = min(limits.max_rows, limits.max_sheet_rows)
            if rows - 1 > max_rows or rows * columns > limits.max_cells:
                raise UploadError(
                    _(
                        "A sheet declares %(rows)s rows and %(columns)s columns; an import "
                        "takes at most %(limit)s rows and %(cells)s cells."
                    )
                    % {
                        "rows": rows,
                        "columns": columns,
                        "limit": max_rows,
                        "cells": limits.max_cells,
                    }
                )


def _xlsx_first_sheet(data: bytes, limits: Limits) -> list[list[object]]:
    """The first sheet's rows (trailing empty cells dropped), read within the caps. Runs in
    the bounded child."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise UploadError(_("The file is not a readable Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows: list[list[object]] = []
    cells = 0
    max_rows = min(limits.max_rows, limits.max_sheet_rows)
    # Explicit bounds: openpyxl would otherwise trust (and pad to) the declared dimension.
    for row in sheet.iter_rows(max_row=max_rows + 1, max_col=limits.max_columns, values_only=True):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        cells += len(values)
        if cells > limits.max_cells:
            raise UploadError(
                _("The sheet has more than %(limit)s cells (the limit for this import).")
                % {"limit": limits.max_cells}
            )
        rows.append(values)
    if len(rows) > max_rows:
        raise UploadError(
            _(
                "The sheet has more than %(limit)s rows (the limit for an Excel file in this "
                "import; a CSV file may hold more)."
            )
            % {"limit": f"{max_rows:,}".replace(",", " ")}
        )
    workbook.close()
    return rows


def xlsx_rows(data: bytes, limits: Limits) -> list[list[object]]:
    """The rows of an .xlsx file's first sheet, inspected and then parsed within budget."""
    inspect_xlsx(data, limits)
    return run_bounded(_xlsx_first_sheet, data, limits, limits=limits)


# --- the budget ----------------------------------------------------------------------------


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def _limit_child(limits: Limits) -> None:
    import resource

    current = _address_space()
    if current is not None:
        cap = current + limits.memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime + limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _over_budget(limits: Limits) -> UploadError:
    return UploadError(
        _(
            "The file could not be read within %(seconds)s seconds and %(memory)s of memory "
            "(the limits for one import). Split it, or save it again as a plain file."
        )
        % {"seconds": f"{limits.seconds:g}", "memory": _megabytes(limits.memory)}
    )


def run_bounded(function: Callable[..., Any], *args: Any, limits: Limits) -> Any:
    """``function(*args)`` in a forked child with ``limits.memory`` more address space,
    ``limits.seconds`` of CPU and of wall-clock time. Its result (or ``UploadError``) comes
    back pickled through a pipe; a child that runs out of either is killed and the caller gets
    an ``UploadError`` naming both limits. Where ``fork`` is missing it runs in-process."""
    if not hasattr(os, "fork"):  # pragma: no cover - not on the supported servers
        return function(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 0
        try:
            os.close(read_end)
            _limit_child(limits)
            try:
                outcome: tuple[str, Any] = ("ok", function(*args))
            except UploadError as error:
                outcome = ("refused", str(error))
            except MemoryError:
                outcome = ("budget", None)
            except RecursionError:
                outcome = ("refused", _("The file is nested too deeply to be read."))
            except Exception as error:  # noqa: BLE001 - reported to the parent, as text
                outcome = ("failed", f"{type(error).__name__}: {error}")
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001 - the child must end here whatever happened
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _over_budget(limits)
            ready, _w, _x = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    try:
        kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    except (pickle.UnpicklingError, EOFError, ValueError):
        raise _over_budget(limits) from None  # killed by a limit before it could answer
    if kind == "ok":
        return value
    if kind == "refused":
        raise UploadError(value)
    if kind == "budget":
        raise _over_budget(limits)
    raise UploadError(_("The file cannot be read: %(error)s") % {"error": value})
