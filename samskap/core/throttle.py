"""Simple rate limits for public forms: at most N actions per client address per window.

Counts live in the "throttle" cache, which is a database table by default (settings.CACHES),
so every web process and node shares them. Failed log-ins are throttled by django-axes, not
here.
"""

import hashlib
import time

from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the web server saw it (REMOTE_ADDR).

    Behind a proxy, the proxy must set REMOTE_ADDR to the client (docs/accounts.md); a
    forwarded-for header is not trusted, since any client can write one.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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
