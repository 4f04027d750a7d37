"""The JSON API (django-ninja): ``/api/v1/``, OpenAPI schema at ``/api/v1/openapi.json``.

Authentication: a personal token (``Authorization: Bearer smk_…``, see ``ApiToken``) or the
browser session (with CSRF on writes). The permissions are those of the pages: endpoints read
through the same selectors with ``api_access(request)``. Each app adds its endpoints with a
``router`` in ``samskap/<app>/api.py``, mounted at ``/api/v1/<app label>/``.
"""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, django_auth

from samskap.accounts.access import Access, access_for
from samskap.accounts.models import ApiToken, User
from samskap.core.tokens import digest

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> User:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), user__is_active=True)
            .first()
        )
        now = timezone.now()
        if found is None or (found.expires_at and found.expires_at <= now):
            # A wrong or expired token is an error, never a silent fall-back to anonymous.
            raise AuthenticationError(401, "Invalid or expired API token.")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class _Anonymous:
    """The value of ``request.auth`` for a caller without credentials on a public endpoint."""

    def __bool__(self) -> bool:
        return True


ANONYMOUS = _Anonymous()


def anonymous(request) -> _Anonymous:
    return ANONYMOUS


class Pages(PageNumberPagination):
    """Page-number pagination with bounded numbers: a huge page or page size is a 422, not an
    integer overflow in the database (schemathesis found that one)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class ErrorOut(Schema):
    """The body of every error but 422: a message, or (400 on a write) the messages per field."""

    detail: str | dict[str, list[str]]


class InvalidField(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: the part of the request, then the field.")
    msg: str


class InvalidOut(Schema):
    """422: the request does not match the schema."""

    detail: list[InvalidField]


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The responses of an operation: ``ok`` (status: schema) and the error body for each of
    ``errors``. 400 and 401 are always among them: every request with a NUL character in its
    query string or JSON body is refused (``core.middleware``), and every wrong token."""
    out = dict(ok)
    for status in sorted({400, 401, *errors}):
        out[status] = InvalidOut if status == 422 else ErrorOut
    return out


AUTH_REQUIRED = [TokenAuth(), django_auth]
AUTH_OPTIONAL = [TokenAuth(), django_auth, anonymous]


def api_access(request) -> Access | None:
    """The caller's access (token or session), or None for an anonymous caller."""
    user = getattr(request, "auth", None)
    if isinstance(user, User) and user.is_authenticated:
        return access_for(user)
    return None


api = NinjaAPI(
    title="Samskap API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=AUTH_OPTIONAL,
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    """A selector's refusal is a JSON 403 like every other error, not Django's HTML page."""
    return api.create_response(request, {"detail": "Not allowed."}, status=403)


for config in apps.get_app_configs():
    module_name = f"{config.name}.api"
    if config.name.startswith("samskap.") and find_spec(module_name):
        router = getattr(import_module(module_name), "router", None)
        if router is not None:
            api.add_router(f"/{config.label}/", router, tags=[str(config.verbose_name)])
