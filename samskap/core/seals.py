"""Keyed seals (HMAC-SHA256) for records that must show any change made behind the
application's back, such as a signed agreement version.

A plain hash stored next to the text proves nothing against someone who can write to the
database: they change the text and the hash together. A seal is computed with a key that is
not in the database — ``SAMSKAP_SIGNING_KEY`` when set (recommended: a dedicated key that is
never rotated), else a key derived from ``SECRET_KEY`` — so it cannot be recomputed without it.
Seals made with an earlier key are still accepted when that key is listed in
``SAMSKAP_SIGNING_KEY_FALLBACKS`` (or, for derived keys, in ``SECRET_KEY_FALLBACKS``).
"""

import hashlib
import hmac

from django.conf import settings

_SALT = b"samskap.core.seals"


def _keys() -> list[bytes]:
    dedicated = getattr(settings, "SAMSKAP_SIGNING_KEY", "") or ""
    if dedicated:
        fallbacks = getattr(settings, "SAMSKAP_SIGNING_KEY_FALLBACKS", []) or []
        return [key.encode() for key in [dedicated, *fallbacks]]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Derived, not the secret key itself: a seal never helps to forge a session or a token.
    return [hmac.new(secret.encode(), _SALT, hashlib.sha256).digest() for secret in secrets]


def seal(text: str) -> str:
    """The seal (hex) of ``text`` with the current key."""
    return hmac.new(_keys()[0], text.encode(), hashlib.sha256).hexdigest()


def verify(text: str, mac: str) -> bool:
    """True when ``mac`` is the seal of ``text`` under the current or a fallback key."""
    if not mac:
        return False
    return any(
        hmac.compare_digest(hmac.new(key, text.encode(), hashlib.sha256).hexdigest(), mac)
        for key in _keys()
    )
