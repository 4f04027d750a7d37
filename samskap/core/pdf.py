"""PDF documents from Django templates with WeasyPrint.

WeasyPrint needs the Pango library of the operating system (Debian: ``libpango-1.0-0`` and
``libpangoft2-1.0-0``, installed by ``scripts/test`` and the README's set-up). Static files are
resolved from the collected or app static folders, never fetched over the network.
"""

import base64
import logging
import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _local_fetcher():
    """A WeasyPrint fetcher for static files from disk and ``data:`` URLs; nothing else, so a
    PDF never reaches the network."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if "/static/" in url and not url.startswith("file:"):
                path = finders.find(url.split("/static/", 1)[1].split("?", 1)[0])
                if not path:
                    raise ValueError(f"No such static file: {url}")
                url = Path(path).as_uri()
            elif not url.startswith("data:"):
                raise ValueError(f"PDF resources must be local static files: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


# WeasyPrint logs every SVG presentation property it does not use as a warning; keep errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.DOTALL)


def _svg_as_image(match: re.Match) -> str:
    """An inline chart as an image of itself. WeasyPrint matches every CSS rule against every
    element of the document, and a matplotlib chart has hundreds of elements: as images, the
    charts of the Matvenner report no longer cost seconds of style matching (measured with
    ``benchmarks/reports.py``). The chart's accessible name becomes the image's alternative
    text (already escaped in its ``<title>``)."""
    svg = match.group(0)
    if "chart-phone" in svg[: svg.index(">")]:
        return ""  # a chart's copy for phones (core.charts), drawn before the PDF was asked for
    title = _TITLE.search(svg)
    alt = title.group(1).strip() if title else ""
    data = base64.b64encode(svg.encode()).decode()
    return f'<img class="chart" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


def render_pdf(
    template: str,
    context: dict,
    request: HttpRequest | None = None,
    on_progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """The template as PDF. ``on_progress(per_cent, step)``, when given, hears when the HTML is
    written and the pages are laid out (a report built by the worker shows it)."""
    from weasyprint import HTML

    from samskap.core.charts import without_phone_copy

    with without_phone_copy():  # paper is not a phone (core.charts)
        html = render_to_string(template, context, request=request)
    html = _INLINE_SVG.sub(_svg_as_image, html)
    if on_progress:
        on_progress(50, _("Laying out the pages"))
    base = request.build_absolute_uri("/") if request else "http://localhost/"
    document = HTML(string=html, base_url=base, url_fetcher=_local_fetcher()).render()
    if on_progress:
        on_progress(80, _("Writing the PDF"))
    return document.write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    try:
        pdf = render_pdf(template, context, request)
    except OSError:  # WeasyPrint could not load Pango: say so rather than fail with a 500
        message = _("PDF output is not available on this server (the Pango library is missing).")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
