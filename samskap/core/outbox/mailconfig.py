"""``SAMSKAP_EMAIL_URL`` → Django e-mail settings (pure, no Django import).

- unset or empty: messages are written as ``.eml`` files in ``<data dir>/mail/`` (no mail server
  needed; an administrator can open them, or pick them up with any tool);
- ``smtp://user:password@host:25`` plain SMTP (``?starttls=1`` to upgrade);
- ``smtp+starttls://…`` (default port 587) SMTP with STARTTLS;
- ``smtps://…`` (default port 465) SMTP over TLS;
- ``file:///path/to/folder`` files in another folder; ``console:`` to standard output.

User name and password are percent-decoded, so ``@`` in a user name is written ``%40``.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

FILE_BACKEND = "samskap.core.outbox.backends.FileEmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


class EmailUrlError(ValueError):
    pass


@dataclass(frozen=True)
class MailSettings:
    backend: str
    options: dict = field(default_factory=dict)


TRUE = {"1", "true", "yes", "on"}


def parse_email_url(url: str | None, *, default_folder: str) -> MailSettings:
    """The transport the worker delivers with. Raises EmailUrlError naming what is wrong."""
    if not url:
        return MailSettings(FILE_BACKEND, {"folder": default_folder})
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return MailSettings(FILE_BACKEND, {"folder": unquote(parts.path) or default_folder})
    if scheme == "console":
        return MailSettings(CONSOLE_BACKEND, {})
    if scheme not in {"smtp", "smtp+starttls", "starttls", "smtps", "smtp+ssl"}:
        raise EmailUrlError(
            f"SAMSKAP_EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp://, smtp+starttls://, "
            "smtps://, file:// or console:"
        )
    if not parts.hostname:
        raise EmailUrlError("SAMSKAP_EMAIL_URL: the mail server's host name is missing.")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    implicit_tls = scheme in {"smtps", "smtp+ssl"}
    starttls = scheme in {"smtp+starttls", "starttls"} or query.get("starttls", "") in TRUE
    default_port = 465 if implicit_tls else 587 if starttls else 25
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise EmailUrlError(f"SAMSKAP_EMAIL_URL: the port is not a number ({error}).") from None
    try:
        timeout = float(query.get("timeout", "20"))
    except ValueError:
        raise EmailUrlError("SAMSKAP_EMAIL_URL: timeout must be a number of seconds.") from None
    return MailSettings(
        SMTP_BACKEND,
        {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": starttls,
            "use_ssl": implicit_tls,
            "timeout": timeout,
        },
    )
