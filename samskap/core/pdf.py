"""PDF documents from Django templates with WeasyPrint.

WeasyPrint needs the Pango library of the operating system (Debian: ``libpango-1.0-0`` and
``libpangoft2-1.0-0``, installed by ``scripts/test`` and the README's set-up). Static files are
resolved from the collected or app static folders, never fetched over the network.
"""

import logging
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


def render_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/") if request else "http://localhost/"
    return HTML(string=html, base_url=base, url_fetcher=_local_fetcher()).write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    try:
        pdf = render_pdf(template, context, request)
    except OSError:  # WeasyPrint could not load Pango: say so rather than fail with a 500
        message = _("PDF output is not available on this server (the Pango library is missing).")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
