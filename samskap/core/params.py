"""Whole numbers from request parameters: ASCII digits only, within bounds, or ``None``.

``str.isdigit`` is true for "²" and "٣", which ``int`` then refuses or reads as another
number; a number too large for the database's integer makes the query fail. Every number taken
from a query string or a form field outside a Django form goes through ``whole_number``.
"""

import re

# The largest id or number a 32-bit signed integer column holds (PostgreSQL ``integer``).
MAX_INTEGER = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def whole_number(value: object, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> int | None:
    """``value`` as an int when it is 1–10 ASCII digits within ``minimum``–``maximum``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def whole_numbers(values, *, minimum: int = 0, maximum: int = MAX_INTEGER) -> list[int]:
    """The valid whole numbers of a list (e.g. ``request.POST.getlist(...)``), in order."""
    found = (whole_number(v, minimum=minimum, maximum=maximum) for v in values)
    return [n for n in found if n is not None]
