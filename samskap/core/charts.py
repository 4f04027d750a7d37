"""Accessible inline SVG charts from matplotlib figures.

Build a figure with ``matplotlib.figure.Figure`` (no pyplot: no global state, safe in threads),
then ``svg(fig, title, description)``. Text stays text (``svg.fonttype = none``), the ``<svg>``
gets ``role="img"`` and is labelled by its ``<title>`` and ``<desc>``. A chart never stands alone:
pages show the same figures in a table next to it.
"""

import collections
import contextlib
import contextvars
import hashlib
import io
import itertools
import re
import textwrap
import threading
import warnings
from collections.abc import Callable

import matplotlib
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import ScalarFormatter

from samskap.core import numbers

matplotlib.use("Agg")
# Text is text. Labels come from users (stakeholders, outcomes, round titles); with mathtext on,
# "Kommune $\x$" is parsed as mathematics and a page fails for good. Samskap never draws
# formulas, so mathtext and TeX are off for every chart of the process, and ``svg`` turns them
# off again on each text of a figure in case a setting was changed in between.
TEXT_ONLY = {"text.parse_math": False, "text.usetex": False}
matplotlib.rcParams.update(TEXT_ONLY)

_ids = itertools.count(1)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>\*\{([^}]*)\}</style>\s*")
# SVG presentation attributes: the CSS properties matplotlib writes, which an element may
# carry as attributes of their own. The Content-Security-Policy allows no inline style (a
# ``style`` attribute or element), but presentation attributes are not style.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "font-family",
        "font-size",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "opacity",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)


def _declarations(css: str) -> str:
    """``fill: #fff; stroke-width: 0.8`` as attributes ``fill="#fff" stroke-width="0.8"``."""
    attributes = []
    for declaration in css.split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name not in PRESENTATION_ATTRIBUTES:
            raise ValueError(f"matplotlib wrote the style {name!r}, not a presentation attribute")
        attributes.append(f' {name}="{escape(value)}"')
    return "".join(attributes)


def without_inline_style(text: str) -> str:
    """Matplotlib's SVG with every ``style`` attribute turned into presentation attributes and
    its one ``<style>`` rule (``*{…}``, inherited properties) moved onto the root element, so
    the chart can stand inline in a page whose policy refuses inline style."""
    text = _STYLE_ATTRIBUTE.sub(lambda m: _declarations(m.group(1)), text)
    rule = _STYLE_ELEMENT.search(text)
    if rule:
        text = text[: rule.start()] + text[rule.end() :]
        opening = _SVG_OPEN.search(text)
        text = text[: opening.end() - 1] + _declarations(rule.group(1)) + text[opening.end() - 1 :]
    return text


_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _prefix_ids(text: str, prefix: str) -> str:
    """Make matplotlib's element ids unique on a page that shows several charts."""
    ids = set(_ID.findall(text))
    return _REFERENCE.sub(
        lambda m: m.group(1) + (prefix + m.group(2) if m.group(2) in ids else m.group(2)), text
    )


def new_figure(width: float = 6.4, height: float = 3.2) -> Figure:
    """A figure with Samskap's defaults (size in inches)."""
    matplotlib.rcParams.update(TEXT_ONLY)
    return Figure(figsize=(width, height), layout="constrained")


def localise_axes(fig: Figure) -> None:
    """Write every numeric axis's ticks as the page writes figures (decimal comma, grouped
    thousands, a real minus sign in nb/nn/sv/da); axes with their own labels keep them."""
    for axes in fig.axes:
        for axis in (axes.xaxis, axes.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(numbers.axis_formatter())


# Phones. A chart drawn for a page's column (6.4 in, about 615 px) and shrunk to a 390 px
# screen writes its labels at 5 to 6 px. So a wider chart is drawn a second time at a phone's
# width, where its text keeps its size and matplotlib lays it out again (ticks, labels), and
# the stylesheet shows one copy or the other by the screen's width (``chart-wide`` and
# ``chart-phone`` in samskap.css). A PDF has no use for the phone copy (``without_phone_copy``).
PHONE_WIDTH = 4.0  # inches: 384 px, a phone's column at about its own size
PHONE_LINE = 44  # characters of a 10 pt label on one line of a phone-wide chart
_phone_copy = contextvars.ContextVar("samskap_chart_phone_copy", default=True)


@contextlib.contextmanager
def without_phone_copy():
    """Charts drawn inside draw no phone copy (a PDF's)."""
    token = _phone_copy.set(False)
    try:
        yield
    finally:
        _phone_copy.reset(token)


def phone_copy_wanted() -> bool:
    """Whether a chart drawn now gets a phone copy (part of the key of a kept chart)."""
    return _phone_copy.get()


def _render(fig: Figure, title: str, description: str, classes: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "samskap", **TEXT_ONLY}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = without_inline_style(text[text.index("<svg") :])
    n = next(_ids)
    text = _prefix_ids(text, f"c{n}-")
    title_id, desc_id = f"chart-{n}-title", f"chart-{n}-desc"
    match = _SVG_OPEN.search(text)
    opening = match.group(0)[:-1] + (
        f' role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'class="{classes}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
    )
    return text[: match.start()] + opening + text[match.end() :]


def svg(fig: Figure, title: str, description: str) -> SafeString:
    """The figure as inline SVG with an accessible name and description; a figure wider than a
    phone also as a phone-wide copy (shown instead of it on small screens)."""
    localise_axes(fig)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)
    width, height = fig.get_size_inches()
    if width <= PHONE_WIDTH or not _phone_copy.get():
        return mark_safe(_render(fig, title, description, "chart"))  # noqa: S308 - built from escaped text and matplotlib output
    wide = _render(fig, title, description, "chart chart-wide")
    fig.set_size_inches(PHONE_WIDTH, height)
    # An axis label or title as long as the wide chart is not as long as a phone's: it goes
    # on as many lines as it needs (matplotlib lays text out but never wraps it).
    texts = [
        text
        for axes in fig.axes
        for name in ("title", "_left_title", "_right_title")  # matplotlib's three titles
        if (text := getattr(axes, name, None)) is not None
    ] + [axes.xaxis.label for axes in fig.axes]
    originals = [text.get_text() for text in texts]
    for text, original in zip(texts, originals, strict=True):
        text.set_text(
            textwrap.fill(original, PHONE_LINE) if len(original) > PHONE_LINE else original
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        phone = _render(fig, title, description, "chart chart-phone")
    for text, original in zip(texts, originals, strict=True):
        text.set_text(original)
    fig.set_size_inches(width, height)
    if caught:  # the layout does not fit a phone's width: the wide chart alone, shrunk
        return mark_safe(wide.replace('class="chart chart-wide"', 'class="chart"', 1))  # noqa: S308 - as above
    return mark_safe(wide + phone)  # noqa: S308 - as above


_KEPT: "collections.OrderedDict[tuple[str, str, bool], SafeString]" = collections.OrderedDict()
_KEPT_COUNT = 256
_KEPT_LOCK = threading.Lock()


def kept(figures: object, draw: Callable[[], SafeString]) -> SafeString:
    """The chart ``draw`` gives, drawn once for the same ``figures`` (any value whose ``repr``
    holds everything the chart shows: numbers, labels, title) in the same language and with the
    same wish for a phone copy, then kept (per process, the last 256). Drawing costs tens of
    milliseconds, twice with the phone copy; a page of unchanged figures draws nothing."""
    key = (
        hashlib.sha256(repr(figures).encode()).hexdigest(),
        get_language() or "",
        phone_copy_wanted(),
    )
    with _KEPT_LOCK:
        chart = _KEPT.get(key)
        if chart is not None:
            _KEPT.move_to_end(key)
            return chart
    chart = draw()
    with _KEPT_LOCK:
        _KEPT[key] = chart
        while len(_KEPT) > _KEPT_COUNT:
            _KEPT.popitem(last=False)
    return chart


def bar_chart(title: str, rows: tuple[tuple[str, float], ...], color: str = "#1d5f8a") -> str:
    """A horizontal bar chart of (label, value) rows, top to bottom, as accessible SVG, drawn
    once for the same figures (``kept``)."""
    return kept(("bar", title, rows, color), lambda: _bar_chart(title, rows, color))


def _bar_chart(title: str, rows: tuple[tuple[str, float], ...], color: str) -> SafeString:
    fig = new_figure(6.4, 0.32 * len(rows) + 0.8)
    axes = fig.add_subplot()
    axes.barh([label for label, _n in rows][::-1], [n for _label, n in rows][::-1], color=color)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    description = "; ".join(f"{label}: {numbers.number(n, 2)}" for label, n in rows)
    return svg(fig, title, description)
