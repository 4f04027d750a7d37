"""Single sign-on through OpenID Connect, with mozilla-django-oidc.

mozilla-django-oidc does the authorization-code flow (state, nonce, PKCE), the token request,
the ID token's signature against the provider's JWKS and the userinfo request. Added here:

- the endpoints from the issuer's discovery document (OpenID Connect Discovery 1.0), fetched
  when someone signs in (not at start-up, not on every request) and kept for an hour;
- the ID token's ``iss`` and ``aud`` checked (the library leaves them unchecked), and the
  userinfo's ``sub`` compared with the ID token's (OpenID Connect Core 1.0, 5.3.2);
- who may come in (``services.oidc_sign_in``): a known identity, a pending invitation, or an
  e-mail domain of a municipality; anyone else gets no account and a page saying so.
"""

import threading
import time
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import services

DISCOVERY_TTL_SECONDS = 3600


@dataclass(frozen=True)
class ProviderEndpoints:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or is not valid."""


_lock = threading.Lock()
_cache: dict[str, tuple[float, ProviderEndpoints]] = {}


def provider() -> ProviderEndpoints:
    """The provider's endpoints: the explicit ones when all four are set, else discovered."""
    issuer = settings.SAMSKAP_OIDC_ISSUER
    explicit = settings.SAMSKAP_OIDC_ENDPOINTS
    if all(explicit.values()):
        return ProviderEndpoints(issuer=issuer, **explicit)
    with _lock:
        cached = _cache.get(issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
    url = issuer + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    # Discovery 1.0, 4.3: the document's issuer must be exactly the one configured.
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url}: issuer {document.get('issuer')!r} is not {issuer!r}")
    try:
        endpoints = ProviderEndpoints(
            issuer=issuer,
            **{key: explicit[key] or document[key] for key in explicit},
        )
    except KeyError as missing:
        raise ProviderUnavailable(f"{url}: no {missing}") from None
    with _lock:
        _cache[issuer] = (time.monotonic() + DISCOVERY_TTL_SECONDS, endpoints)
    return endpoints


def forget_provider() -> None:
    with _lock:
        _cache.clear()


class SamskapOidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs) -> None:
        # The library reads every endpoint here, and Django makes a backend for each request
        # of a signed-in person; the endpoints are looked up only when someone signs in.
        ModelBackend.__init__(self)
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs):
        if request is None or not settings.SAMSKAP_OIDC_ENABLED or "code" not in request.GET:
            return None  # a password log-in: not ours
        endpoints = provider()
        self.endpoints = endpoints
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload: str, key) -> dict:
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {alg!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.endpoints.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo is about another subject.")
        return services.oidc_sign_in(
            issuer=self.endpoints.issuer,
            subject=payload["sub"],
            email=claims.get("email") or payload.get("email") or "",
            email_verified=claims.get("email_verified", payload.get("email_verified")),
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
        )


class SignInOption:
    """For templates: whether single sign-on is on, and what to call it (read when shown)."""

    @property
    def enabled(self) -> bool:
        return settings.SAMSKAP_OIDC_ENABLED

    @property
    def name(self) -> str:
        return settings.SAMSKAP_OIDC_NAME


SSO = SignInOption()


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sso_unavailable.html", status=503)


class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE kept in the session)."""

    def __init__(self, *args, **kwargs) -> None:
        View.__init__(self, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SAMSKAP_OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except ProviderUnavailable:
            return _unavailable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with the code."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SAMSKAP_OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable:
            return _unavailable(request)


def sign_in_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", status=403)
