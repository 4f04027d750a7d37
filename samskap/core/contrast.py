"""Colour contrast by WCAG 2.2 (success criterion 1.4.3, "Contrast (Minimum)"), and the text
of an inline SVG chart with the colour it is read against.

Relative luminance and contrast ratio follow the WCAG definitions
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance, #dfn-contrast-ratio). Text in a chart is
small (7–10 px), so it needs the ratio of normal text: ``AA_TEXT`` = 4.5.

``chart_texts`` reads the SVG that ``core/charts.py`` writes (matplotlib with
``svg.fonttype = none``: each label a ``<text>`` with absolute ``x``/``y`` and its ``fill``;
each bar and background a ``<path>`` with its ``fill`` and ``opacity``, as presentation
attributes or in ``style``). A text's background is
every filled rectangle drawn before it that holds its anchor point, laid over white in drawing
order with its opacity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml import ElementTree
from matplotlib.colors import to_rgb

AA_TEXT = 4.5
SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = r"(-?[\d.]+(?:e-?\d+)?)"
_POINT = rf"{_NUMBER} {_NUMBER}"
_RECTANGLE = re.compile(rf"^M {_POINT} L {_POINT} L {_POINT} L {_POINT} z$")

RGB = tuple[float, float, float]


def relative_luminance(colour: RGB) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: RGB | str, background: RGB | str) -> float:
    """From 1 (no contrast) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(to_rgb(foreground)), relative_luminance(to_rgb(background))),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class ChartText:
    text: str
    colour: RGB
    background: RGB

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.colour, self.background)


def _style(element) -> dict[str, str]:
    """Presentation attributes (``fill="#444444"``), overridden by a ``style`` attribute."""
    pairs = (part.split(":", 1) for part in element.get("style", "").split(";") if ":" in part)
    return {**element.attrib, **{key.strip(): value.strip() for key, value in pairs}}


def _fill(element) -> tuple[RGB, float] | None:
    style = _style(element)
    colour = style.get("fill", "#000000")  # SVG's initial fill: matplotlib leaves black out
    if colour == "none" or colour.startswith("url("):
        return None
    opacity = float(style.get("opacity", 1)) * float(style.get("fill-opacity", 1))
    return to_rgb(colour), opacity


def _blend(below: RGB, above: RGB, opacity: float) -> RGB:
    return tuple(b * (1 - opacity) + a * opacity for b, a in zip(below, above, strict=True))


def _drawn(element) -> Iterator:
    """The elements in drawing order, without the definitions (markers, clip paths,
    patterns) that are drawn only where they are used."""
    yield element
    for child in element:
        if child.tag not in (f"{SVG}defs", f"{SVG}clipPath", f"{SVG}pattern"):
            yield from _drawn(child)


def chart_texts(svg: str) -> list[ChartText]:
    """Every text of the chart with its colour and the colour behind it."""
    root = ElementTree.fromstring(svg)
    rectangles: list[tuple[float, float, float, float, RGB, float]] = []
    found = []
    for element in _drawn(root):
        if element.tag == f"{SVG}path":
            fill = _fill(element)
            shape = _RECTANGLE.match(" ".join(element.get("d", "").split()))
            if fill and shape:
                xs, ys = (
                    [float(v) for v in shape.groups()[::2]],
                    [float(v) for v in shape.groups()[1::2]],
                )
                rectangles.append((min(xs), max(xs), min(ys), max(ys), *fill))
        elif element.tag == f"{SVG}text":
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            background: RGB = (1.0, 1.0, 1.0)
            for left, right, top, bottom, colour, opacity in rectangles:
                if left <= x <= right and top <= y <= bottom:
                    background = _blend(background, colour, opacity)
            style = _style(element)
            colour = to_rgb(style.get("fill", "#000000"))
            found.append(ChartText("".join(element.itertext()), colour, background))
    return found
