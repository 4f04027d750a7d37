"""Secret tokens that are shown or sent once and stored only as a digest.

Used for API tokens, health-check links and survey links: the database never holds a usable
secret, and a lookup compares digests (SHA-256 of the token text).
"""

import hashlib
import secrets


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh unguessable token (32 random bytes, URL-safe) and its digest."""
    token = prefix + secrets.token_urlsafe(32)
    return token, digest(token)
