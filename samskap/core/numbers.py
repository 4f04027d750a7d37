"""The one way Samskap writes a number for a person to read.

Every page, sentence, chart label, PDF and export header that shows a figure goes through
these functions, so that one page never writes the same figure two ways. They follow the
active Django language, and the marks of each language come from the Unicode CLDR data through
Babel (https://babel.pocoo.org/en/latest/numbers.html):

- decimal comma in nb/nn/sv/da, point in English; thousands grouped with a no-break space in
  nb/nn/sv/da (CLDR gives Danish a point; the Nordic public sector's own style guides and this
  project use the space, which cannot be misread as a decimal mark), a comma in English;
- a real minus sign (U+2212), and never "−0": a figure that rounds to zero is written 0;
- rounding half away from zero on the decimal value of the figure (2.675 → 2.68), never
  truncation, so a sentence and the table beside it always show the same digits;
- percentages from shares (0.2 → "20 %"), money in whole kroner ("130 160 kr").

The kinds of figure and their usual digits: ``money`` 0, ``ratio`` 2, ``percent`` 0,
``decimal`` as asked, ``number`` at most as asked (trailing zeros dropped), ``integer`` 0,
``significant`` a number of significant figures. ``signed`` writes a change with its sign,
``interval`` a range. Spreadsheets get real numbers with an ``excel_format`` (and real dates,
``core.spreadsheets``); charts get ``axis_formatter``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel import Locale
from babel import numbers as babel_numbers
from django.utils import translation

MINUS = "\u2212"
NBSP = "\u00a0"
DASH = "\u2013"

# Django language code -> Babel (CLDR) locale.
LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "sv": "sv_SE", "da": "da_DK", "en": "en_GB"}
# Languages whose thousands are grouped with a no-break space whatever CLDR says.
SPACE_GROUPED = {"nb", "nn", "sv", "da"}

Number = float | int | Decimal


def language_code(language: str | None = None) -> str:
    """The Django language to write in: the given one, the active one, or the default."""
    code = (language or translation.get_language() or "nb").lower().split("-")[0]
    return code if code in LOCALES else "en" if code == "en" else "nb"


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(LOCALES[code])


@functools.cache
def marks(language: str | None = None) -> tuple[str, str]:
    """(decimal mark, thousands mark) of a language."""
    code = language_code(language)
    group = NBSP if code in SPACE_GROUPED else babel_numbers.get_group_symbol(_locale(code))
    return babel_numbers.get_decimal_symbol(_locale(code)), group


def _exact(value: Number) -> Decimal | None:
    """The decimal value a reader means by ``value`` (a float's shortest repr, not its binary
    expansion: 2.675 is 2.675, so it rounds up); ``None`` for missing or not finite."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        # A decimal string as stored (agreement amounts: "350000.00").
        try:
            text = Decimal(value.strip())
        except ArithmeticError:
            return None
        return text if text.is_finite() else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(number))


def rounded(value: Number, digits: int = 0) -> Decimal | None:
    """``value`` rounded half away from zero to ``digits`` decimals (negative ``digits`` round
    to tens, hundreds …); a result of zero is positive zero."""
    exact = _exact(value)
    if exact is None:
        return None
    with localcontext() as context:
        context.prec = max(28, exact.adjusted() + abs(digits) + 4)
        result = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if result == 0:
        result = abs(result)
    return result


def _write(exact: Decimal, digits: int, language: str | None, *, trim: bool = False) -> str:
    """An already rounded value with the language's marks; ``trim`` drops trailing zeros."""
    code = language_code(language)
    fraction = "0" * max(digits, 0)
    if trim:
        fraction = "#" * max(digits, 0)
    pattern = "#,##0" + (f".{fraction}" if fraction else "")
    text = babel_numbers.format_decimal(
        abs(exact), format=pattern, locale=_locale(code), decimal_quantization=True
    )
    cldr_group = babel_numbers.get_group_symbol(_locale(code))
    decimal_mark, group = marks(code)
    if group != cldr_group:
        integer_part, sep, rest = text.partition(decimal_mark)
        text = integer_part.replace(cldr_group, group) + sep + rest
    return (MINUS + text) if exact < 0 else text


def decimal(value: Number, digits: int = 2, language: str | None = None) -> str:
    """Exactly ``digits`` decimals: ``decimal(1.675, 2)`` → "1,68" (nb)."""
    exact = rounded(value, digits)
    return "" if exact is None else _write(exact, digits, language)


def number(value: Number, digits: int = 2, language: str | None = None) -> str:
    """At most ``digits`` decimals, trailing zeros dropped: 25 → "25", 1.5 → "1,5"."""
    exact = rounded(value, digits)
    return "" if exact is None else _write(exact, digits, language, trim=True)


def integer(value: Number, language: str | None = None) -> str:
    """A whole number, grouped: 130160 → "130 160" (nb)."""
    return decimal(value, 0, language)


def significant(value: Number, figures: int = 3, language: str | None = None) -> str:
    """Rounded to ``figures`` significant figures: 184523 → "185 000", 0.012345 → "0,0123"."""
    exact = _exact(value)
    if exact is None:
        return ""
    if exact == 0:
        return "0"
    digits = figures - 1 - exact.adjusted()
    result = rounded(exact, digits)
    assert result is not None
    # Rounding may add a figure (999.6 → 1000): show the figures asked for, no more.
    return _write(result, max(digits, 0), language)


def percent(share: Number, digits: int = 0, language: str | None = None) -> str:
    """A share 0..1 as a percentage: 0.2 → "20 %" (nb), "20%" (en)."""
    exact = _exact(share)
    if exact is None:
        return ""
    return percent_points(exact * 100, digits, language)


def percent_points(value: Number, digits: int = 0, language: str | None = None) -> str:
    """A value already in percent: 20 → "20 %" (nb)."""
    exact = rounded(value, digits)
    if exact is None:
        return ""
    code = language_code(language)
    pattern = _locale(code).percent_formats[None].pattern
    space = NBSP if "\u00a0%" in pattern or " %" in pattern else ""
    return f"{_write(exact, digits, code)}{space}%"


def currency_symbol(currency: str = "NOK", language: str | None = None) -> str:
    return babel_numbers.get_currency_symbol(currency or "NOK", _locale(language_code(language)))


def money(
    value: Number, currency: str = "NOK", digits: int = 0, language: str | None = None
) -> str:
    """An amount in whole units with the currency as the language writes it:
    130160 → "130 160 kr" (nb), "NOK 130,160" (en)."""
    exact = rounded(value, digits)
    if exact is None:
        return ""
    code = language_code(language)
    symbol = currency_symbol(currency, code)
    figure = _write(exact, digits, code)
    if _locale(code).currency_formats["standard"].pattern.startswith("¤"):
        return f"{symbol}{NBSP}{figure}"
    return f"{figure}{NBSP}{symbol}"


def amount(value: Number, currency: str = "NOK", language: str | None = None) -> str:
    """An amount agreed or paid: whole units, or with øre when it has them
    (350000 → "350 000 kr", 1250.5 → "1 250,50 kr"); computed values use ``money``."""
    exact = _exact(value)
    if exact is None:
        return ""
    digits = 0 if exact == exact.to_integral_value() else 2
    return money(exact, currency, digits, language)


def ratio(value: Number, digits: int = 2, language: str | None = None) -> str:
    """A ratio such as SROI: 3.214 → "3,21"."""
    return decimal(value, digits, language)


def signed(value: Number, digits: int = 1, language: str | None = None) -> str:
    """A change with its sign: "+1,7", "−0,4"; a change that rounds to zero is "0,0"."""
    exact = rounded(value, digits)
    if exact is None:
        return ""
    text = _write(exact, digits, language)
    return f"+{text}" if exact > 0 else text


def p_value(value: Number, language: str | None = None) -> str:
    """A p-value with three decimals; below 0.001 as "< 0,001" (never "0,000")."""
    exact = _exact(value)
    if exact is None:
        return ""
    if exact < Decimal("0.0005"):
        return f"<{NBSP}{decimal(0.001, 3, language)}"
    return decimal(exact, 3, language)


def interval(
    low: Number,
    high: Number,
    digits: int = 2,
    language: str | None = None,
    kind: Callable[..., str] | None = None,
) -> str:
    """A range: "1,18–2,18"; spaced ("−0,38 – 0,12") when a minus sign would touch the dash."""
    write = kind or decimal
    a, b = write(low, digits, language=language), write(high, digits, language=language)
    if not a or not b:
        return ""
    if MINUS in a or MINUS in b:
        return f"{a} {DASH} {b}"
    return f"{a}{DASH}{b}"


def parse(text: str, language: str | None = None) -> Decimal:
    """The value of a figure this module wrote (for tests and for reading input back)."""
    decimal_mark, group = marks(language)
    cleaned = text.replace(NBSP, "").replace(" ", "").replace(group, "").replace(MINUS, "-")
    cleaned = cleaned.rstrip("%").replace(decimal_mark, ".")
    return Decimal(cleaned)


# --- charts and spreadsheets ----------------------------------------------------------------


def axis_formatter(kind: str = "number", digits: int = 2, currency: str = "NOK"):
    """A matplotlib tick formatter writing ticks the way the page writes figures (the active
    language at the time the chart is drawn)."""
    from matplotlib.ticker import FuncFormatter

    language = language_code()

    def write(value: float, _position: int | None = None) -> str:
        if kind == "percent":
            return percent(value, digits, language)
        if kind == "money":
            return money(value, currency, digits, language)
        if kind == "decimal":
            return decimal(value, digits, language)
        if kind == "integer":
            return integer(value, language)
        return number(value, digits, language)

    return FuncFormatter(write)


def excel_format(kind: str = "number", digits: int = 2, currency: str = "NOK") -> str:
    """An Excel number format for a real number cell; Excel shows the marks of the reader's
    own settings, so the file holds the number, not a text."""
    fraction = ("." + "0" * digits) if digits > 0 else ""
    if kind == "percent":
        return f"0{fraction}%"
    if kind == "money":
        symbol = {"NOK": "kr", "SEK": "kr", "DKK": "kr."}.get(currency, currency)
        return f'#,##0{fraction} "{symbol}"'
    if kind == "integer":
        return "#,##0"
    return f"#,##0{fraction}"

