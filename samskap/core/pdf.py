"""PDF documents from Django templates with WeasyPrint.

WeasyPrint needs the Pango library of the operating system (Debian: ``libpango-1.0-0`` and
``libpangoft2-1.0-0``, installed by ``scripts/test`` and the README's set-up). Static files are
resolved from the collected or app static folders, never fetched over the network.
"""

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _local_only(url: str) -> dict:
    """Serve static files from disk and ``data:`` URLs; refuse anything else (no network)."""
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url)
    if "/static/" in url:
        path = finders.find(url.split("/static/", 1)[1].split("?", 1)[0])
        if path:
            return default_url_fetcher(f"file://{path}")
    raise ValueError(f"PDF resources must be local static files: {url}")


def render_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/") if request else "http://localhost/"
    return HTML(string=html, base_url=base, url_fetcher=_local_only).write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
