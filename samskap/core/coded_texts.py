"""Engine messages in the reader's language, where a page, PDF or export shows them.

A pure engine returns ``samskap.core.coded.Coded`` messages (English text + code +
parameters). Each app that owns such codes registers a table in its ``AppConfig.ready``:
code -> ``Text(gettext_lazy template with %(name)s placeholders, how to write each
parameter)``. ``translated`` fills the template in the active language, figures written by
``samskap.core.numbers``; a message with an unknown code (or a plain string) is shown as it is,
so a new engine message is never lost, only untranslated until its row is added (a test lists
the codes the engines emit and checks that each has one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from . import numbers
from .coded import Coded, from_data

Writer = Callable[[Any], str]


def as_percent(value: Any) -> str:
    return numbers.percent(value)


def as_number(value: Any) -> str:
    return numbers.number(value, 2)


def as_list(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def from_table(table: Mapping[str, Any]) -> Writer:
    """A writer that translates a parameter through a table of lazy texts (e.g. the names of
    the assumptions), leaving values it does not know as they are."""

    def write(value: Any) -> str:
        return str(table.get(value, value))

    return write


@dataclass(frozen=True)
class Text:
    template: Promise | str
    writers: dict[str, Writer] = field(default_factory=dict)


_TABLE: dict[str, Text] = {}


def register(table: Mapping[str, Text]) -> None:
    """Add an app's codes. Codes are global: name them so that two apps cannot clash, or
    give the same code the same meaning."""
    _TABLE.update(table)


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case: a sentence filled in from parts ("%(party)s
    side …" → "partner-siden …") still begins with a capital letter."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
        if not (char.isspace() or char in "«»\"'“”‘’(–—-"):
            break
    return text


def known_codes() -> set[str]:
    return set(_TABLE)


def translated(message: Any) -> str:
    """The message in the active language (``Coded``, its stored data, or plain text)."""
    if isinstance(message, dict):
        message = from_data(message)
    if not isinstance(message, Coded) or message.code not in _TABLE:
        return str(message)
    text = _TABLE[message.code]
    values: dict[str, str] = {}
    for name, value in message.params.items():
        writer = text.writers.get(name)
        if writer is not None:
            values[name] = writer(value)
        elif isinstance(value, bool):
            values[name] = str(value)
        elif isinstance(value, int | float):
            values[name] = numbers.number(value, 2)
        elif isinstance(value, list | tuple):
            values[name] = as_list(value)
        else:
            values[name] = str(value)
    try:
        return str(text.template) % values
    except (KeyError, ValueError, TypeError):
        # A translation that names a parameter the message lacks must not break the page.
        return str(message)
