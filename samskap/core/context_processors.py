from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from samskap.accounts.access import access_for


def navigation(request: HttpRequest) -> dict:
    """What the header needs to decide which links to show."""
    # No user when a middleware refused the request before authentication (e.g. an unknown
    # Host header): the error page then renders for an anonymous visitor.
    return {"access": access_for(getattr(request, "user", None) or AnonymousUser())}
