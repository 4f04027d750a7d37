"""Messages from the pure engines that a page can show in the reader's language.

The value engine and the statistics speak English (the command line shows their text as it is)
and import no Django. Each message they return is a ``Coded`` text: the English sentence itself
(a ``str``, so every existing use keeps working) that also carries a stable ``code`` and the
``params`` it was built from. Where a message is shown to a user, ``samskap.core.coded_texts``
looks the code up in the owning app's table of gettext templates and fills in the parameters,
numbers written the reader's way.

Parameters are plain JSON values (text, numbers, lists of text), so a message survives being
stored in a JSON field (``as_data`` / ``from_data``).
"""

from __future__ import annotations

from typing import Any


class Coded(str):
    """An English message with the code and parameters it was made from."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str = "", params: dict[str, Any] | None = None) -> Coded:
        self = super().__new__(cls, text)
        self.code = code
        self.params = dict(params or {})
        return self

    def __reduce__(self) -> tuple:
        # A str subclass pickles through its text alone by default; keep code and parameters.
        return (Coded, (str(self), self.code, self.params))

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "text": str(self)}


def coded(code: str, text: str, **params: Any) -> Coded:
    """``text`` (English, already filled in) known by ``code`` with its ``params``."""
    return Coded(text, code, params)


def as_data(message: str) -> dict[str, Any]:
    """A message as JSON data (a plain string gets no code)."""
    if isinstance(message, Coded):
        return message.as_data()
    return {"code": "", "params": {}, "text": str(message)}


def from_data(data: Any) -> str:
    """The message back from ``as_data`` (or a plain string stored before codes existed)."""
    if isinstance(data, dict):
        return Coded(str(data.get("text", "")), str(data.get("code", "")), data.get("params"))
    return str(data)
