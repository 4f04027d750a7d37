"""Gunicorn's access log without secrets: the personal-link tokens in paths are masked.

A health-check or survey link, an invitation or a password-reset link carries its secret in
the path; the default access log writes the full path, so whoever reads the log could answer,
withdraw or sign in as that person. ``TokenMaskingLogger`` logs the route with ``[token]`` in
place of the secret: the path and request line atoms (``%(r)s``, ``%(U)s``), the query
string, and the referrer (the next page's request carries the link in ``Referer``).

Used by ``samskap serve`` (``--logger-class samskap.core.access_log.TokenMaskingLogger``).

Django's own log lines name the path too ("Not Found: /svar/<token>/", "Forbidden (CSRF token
missing.): …", runserver's request lines): ``MaskTokens`` is a logging filter with the same
masking, set in ``settings.LOGGING`` on the loggers that write paths and on the handler, and on
gunicorn's error log.
"""

import logging
import re

from gunicorn.glogging import Logger

# The segment after a route that takes a secret, and any long mixed-case random-looking one
# (token_urlsafe gives 43 characters of A–Z, a–z, 0–9, - and _).
_ROUTES = re.compile(r"(/(?:svar|invitasjon|nytt-passord/[^/?#\s]+|reset/[^/?#\s]+)/)([^/?#\s]+)")
_RANDOM = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z0-9])"
    r"[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])"
)
_QUERY = re.compile(r"((?:^|[?&])(?:token|key|code|secret)=)[^&\s]*", re.IGNORECASE)


def mask(text: str) -> str:
    """``text`` (a path, request line, query or URL) with every secret replaced."""
    if not text or text == "-":
        return text
    text = _ROUTES.sub(lambda m: m.group(1) + "[token]", text)
    text = _QUERY.sub(lambda m: m.group(1) + "[token]", text)
    return _RANDOM.sub("[token]", text)


class MaskTokens(logging.Filter):
    """A logging filter: the record's message with every secret masked (the record is changed
    where it is made, so every handler, a test's included, sees only the masked text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class TokenMaskingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(MaskTokens())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if key in atoms:
                atoms[key] = mask(atoms[key])
        return atoms
