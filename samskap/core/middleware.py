"""Refuse text with NUL characters before it reaches a view.

PostgreSQL text cannot hold the NUL character (0x00): a search or a story containing one
would fail in the database with a server error. Django's form fields already refuse it; this
covers the query string of every request and JSON bodies (the API), with a 400 that says why.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNullCharactersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [key for key, values in request.GET.lists() if any(NUL in v for v in values)]
        fields += [key for key in request.GET if NUL in key]
        body_has_nul = request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        )
        if fields or body_has_nul:
            message = _("Text must not contain the NUL character (0x00).")
            if request.path.startswith("/api/"):
                # The API's one error body, {"detail": str}, naming the field(s).
                where = ", ".join(f"query.{f}" for f in fields) or "body"
                return JsonResponse({"detail": f"{where}: {message}"}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person and on the
    pages of personal links (a URL with a ``token``): no shared cache or browser history keeps
    a page or a private file (an agreement PDF) that someone else could open later."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        personal = match is not None and "token" in (match.kwargs or {})
        if personal or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "private, no-store"
        return response
