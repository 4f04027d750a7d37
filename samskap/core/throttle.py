"""Simple rate limits for public forms: at most N actions per client address per window.

Counts live in the "throttle" cache, which is a database table by default (settings.CACHES),
so every web process and node shares them. Failed log-ins are throttled by django-axes, not
here.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from.

    Without a proxy: REMOTE_ADDR. Behind ``SAMSKAP_TRUSTED_PROXIES`` = N proxies (a TLS proxy on
    the same machine: 1), the address the outermost of them saw, which is the N-th entry from
    the right of X-Forwarded-For (each proxy appends the address it received from). Entries
    further left are written by the client and never trusted.
    """
    proxies = settings.SAMSKAP_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def login_address(request: HttpRequest) -> str | None:
    """``client_address`` for django-axes, which stores it in an address column: None when it is
    not an IP address (a request made inside the process, such as the test client's log-in,
    has none; PostgreSQL refuses anything but an address there)."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def hit(scope: str, request: HttpRequest, *, limit: int, window_seconds: int) -> bool:
    """Count one action of ``scope`` from this request's address; False when over the limit.

    Fixed windows: the count starts anew when the window of the current hour (or other
    length) begins. The address is stored only as a hash.
    """
    window = int(time.time()) // window_seconds
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{window}:{address}"
    cache = caches["throttle"]
    # add() is a no-op when the key exists; incr() then counts. Both are single statements.
    cache.add(key, 0, timeout=window_seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds + 60)
        count = 1
    return count <= limit
