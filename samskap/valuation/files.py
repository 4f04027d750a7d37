"""Reading a value map from a file of any of its formats: .json, .yaml/.yml or .xlsx.

Above both readers: ``valuemap`` (the format, parser and JSON/YAML) and ``excel`` (the
workbook) import nothing from each other's side but ``excel`` uses ``valuemap``; this module
picks one by the file's suffix, so neither has to import the other in a circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from samskap.core.coded import coded

from .excel import read_workbook
from .valuemap import ValueMap, ValueMapError, loads_json, loads_yaml


def load(path: str | Path, aliases: Mapping[str, str] | None = None) -> ValueMap:
    """Read a value map from a .json, .yaml/.yml or .xlsx file (``aliases``: the workbook's
    headers in other languages, see ``excel.read_workbook``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(path, aliases)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueMapError(
            [(str(path), coded("unreadable", f"cannot be read: {error.strerror}"))]
        ) from error
    except UnicodeDecodeError as error:
        raise ValueMapError([(str(path), coded("not_utf8", "is not UTF-8 text"))]) from error
    if suffix in (".yaml", ".yml"):
        return loads_yaml(text)
    if suffix == ".json":
        return loads_json(text)
    raise ValueMapError(
        [(str(path), coded("wrong_file_type", "must be a .json, .yaml, .yml or .xlsx file"))]
    )
