"""Samskap settings, all driven by the environment.

Variables (all optional for local use):

- ``SAMSKAP_DATA_DIR``: where the SQLite file, uploads and collected static files live
  (default ``./samskap-data``).
- ``DATABASE_URL``: a database URL (``postgres://user@host:5432/name``); SQLite in the data
  directory when unset.
- ``SAMSKAP_SECRET_KEY``, ``SAMSKAP_DEBUG``, ``SAMSKAP_ALLOWED_HOSTS`` (comma-separated),
  ``SAMSKAP_CSRF_TRUSTED_ORIGINS`` (comma-separated).
- ``SAMSKAP_ENV``: ``production`` refuses to start with debug on or the development key.
- ``SAMSKAP_EMAIL_URL``: how the worker delivers e-mail (``smtp://user:pass@host:25``,
  ``smtp+starttls://…``, ``smtps://…``); unset: ``.eml`` files in ``<data dir>/mail``.
  ``SAMSKAP_EMAIL_FROM``: the sender address.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samskap.core.outbox.mailconfig import EmailUrlError, parse_email_url

BASE_DIR = Path(__file__).resolve().parent

DEVELOPMENT_SECRET_KEY = "samskap-development-key-not-for-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


SAMSKAP_ENV = os.environ.get("SAMSKAP_ENV", "development")
if SAMSKAP_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"SAMSKAP_ENV must be development, test or production, not {SAMSKAP_ENV!r}."
    )
PRODUCTION = SAMSKAP_ENV == "production"

DATA_DIR = Path(os.environ.get("SAMSKAP_DATA_DIR", "samskap-data")).resolve()

SECRET_KEY = os.environ.get("SAMSKAP_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# The key of the seals on signed agreement versions (core.seals); derived from SECRET_KEY when
# empty. A dedicated key, never rotated, keeps old seals valid when SECRET_KEY changes.
SAMSKAP_SIGNING_KEY = os.environ.get("SAMSKAP_SIGNING_KEY", "")
SAMSKAP_SIGNING_KEY_FALLBACKS = env_list("SAMSKAP_SIGNING_KEY_FALLBACKS", [])
DEBUG = env_bool("SAMSKAP_DEBUG", default=not PRODUCTION)

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SAMSKAP_DEBUG must be off when SAMSKAP_ENV=production.")
if PRODUCTION and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SAMSKAP_SECRET_KEY when SAMSKAP_ENV=production.")
# Key strength (Django's deployment check asks for 50 characters, 5 of them different; we ask
# for 10 different: "k" * 50 or a word repeated is not a secret).
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 10):
    raise ImproperlyConfigured(
        "SAMSKAP_SECRET_KEY must be at least 50 characters long with at least 10 different "
        "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list(
    "SAMSKAP_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("SAMSKAP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "samskap.core",
    "samskap.core.outbox",
    "samskap.accounts",
    "samskap.registry",
    "samskap.agreements",
    "samskap.health",
    "samskap.measurement",
    "samskap.valuation",
    "samskap.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "samskap.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "samskap.core.middleware.PrivateNoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samskap.urls"
WSGI_APPLICATION = "samskap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samskap.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'samskap.sqlite3'}",
        conn_max_age=int(os.environ.get("SAMSKAP_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a write is in progress; IMMEDIATE avoids
    # "database is locked" on upgrade from read to write inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: it pays off for long analytical queries, not for a web
    # page's; the national portfolio's counts ran in 40 ms and then spent 1.3 s compiling
    # (benchmarks/portfolio.py). A DATABASE_URL that sets its own options keeps them.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:dashboard"
LOGOUT_REDIRECT_URL = "registry:showcase"

# django-axes first: it refuses a locked-out person before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("en", _("English")),
    ("nn", _("Norwegian Nynorsk")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
# Created up front: SQLite needs the folder, and WhiteNoise warns about a missing STATIC_ROOT.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SAMSKAP_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a commitment for the whole domain (hstspreload.org), the operator's to make.
    SECURE_HSTS_PRELOAD = env_bool("SAMSKAP_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp): scripts and styles only from our own static files (no
# inline script, no eval, no inline style: the charts' SVG carries presentation attributes
# instead, core.charts.without_inline_style); nothing may frame the pages. The API's
# interactive docs page loads Swagger UI from a CDN and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Logs never hold a personal link's token (core.access_log.MaskTokens): the filter sits on the
# loggers that write a request's path, where their records are made, and on the one handler.
# Django's own handlers (a console in debug, mail to ADMINS with the full request) are left out:
# everything goes to the root's masked console.
LOG_LEVEL = os.environ.get("SAMSKAP_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "samskap.core.access_log.MaskTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["mask_tokens"]},
        "django.security.csrf": {"filters": ["mask_tokens"]},
        "django.server": {"filters": ["mask_tokens"], "level": "INFO"},
    },
}

# E-mail: every message goes through the outbox (samskap/core/outbox): written in the
# transaction that causes it, delivered by the worker. Django's own send_mail is queued too
# (EMAIL_BACKEND), so nothing ever talks to a mail server inside a request.
EMAIL_BACKEND = "samskap.core.outbox.backends.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SAMSKAP_EMAIL_FROM", "Samskap <samskap@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SAMSKAP_MAIL_FOLDER = DATA_DIR / "mail"
try:
    _mail = parse_email_url(
        os.environ.get("SAMSKAP_EMAIL_URL"), default_folder=str(SAMSKAP_MAIL_FOLDER)
    )
except EmailUrlError as error:
    raise ImproperlyConfigured(str(error)) from None
SAMSKAP_MAIL_BACKEND = _mail.backend
SAMSKAP_MAIL_OPTIONS = _mail.options
SAMSKAP_MESSAGE_ID_DOMAIN = os.environ.get("SAMSKAP_MESSAGE_ID_DOMAIN", "samskap.invalid")
SAMSKAP_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("SAMSKAP_OUTBOX_MAX_ATTEMPTS", "12"))

# Background tasks: django-tasks with its database backend (the same queue on SQLite and
# PostgreSQL; docs/operations.md says why). `samskap worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
# Reminders and digests, run once a day by the worker (samskap/core/outbox/periodic.py).
SAMSKAP_DAILY_JOBS: list[str] = [
    "samskap.agreements.services.agreements_sync_states",
    "samskap.core.notifications.health_rounds_closing",
    "samskap.core.notifications.agreement_dates_coming_up",
    "samskap.core.notifications.weekly_digest",
    "samskap.reports.builds.clean_up",
]
# The address people reach Samskap at, for links in messages the worker sends on its own.
SAMSKAP_BASE_URL = os.environ.get("SAMSKAP_BASE_URL", "http://127.0.0.1:8000")
SAMSKAP_DAILY_JOBS_HOUR = int(os.environ.get("SAMSKAP_DAILY_JOBS_HOUR", "7"))
# /readyz: the worker counts as alive when its last heartbeat is this recent (seconds).
SAMSKAP_WORKER_HEARTBEAT_MAX = int(os.environ.get("SAMSKAP_WORKER_HEARTBEAT_MAX", "120"))

# Showcase and lists
PAGE_SIZE = 20

# Cost-benefit view of value maps: the tax-financing cost as a share of the net change in public
# budgets (Finansdepartementet, rundskriv R-109/21: 20 %). A map may state its own.
try:
    SAMSKAP_TAX_FINANCING_COST = float(os.environ.get("SAMSKAP_TAX_FINANCING_COST", "0.2"))
except ValueError:
    raise ImproperlyConfigured("SAMSKAP_TAX_FINANCING_COST must be a number such as 0.2.") from None
if not 0 <= SAMSKAP_TAX_FINANCING_COST <= 1:
    raise ImproperlyConfigured("SAMSKAP_TAX_FINANCING_COST must be between 0 and 1.")

# Health check: a respondent's dimension score counts only when at least this share of the
# dimension's statements were answered on the scale ("don't know" is no answer). 0.5 = half.
try:
    SAMSKAP_HEALTH_MIN_ANSWERED = float(os.environ.get("SAMSKAP_HEALTH_MIN_ANSWERED", "0.5"))
except ValueError:
    raise ImproperlyConfigured(
        "SAMSKAP_HEALTH_MIN_ANSWERED must be a number such as 0.5."
    ) from None
if not 0 < SAMSKAP_HEALTH_MIN_ANSWERED <= 1:
    raise ImproperlyConfigured("SAMSKAP_HEALTH_MIN_ANSWERED must be above 0 and at most 1.")


# Accounts (docs/accounts.md)
# An invitation link works this many days, once. A password-reset link works for
# PASSWORD_RESET_TIMEOUT seconds (Django's default: 3 days), once.
SAMSKAP_INVITATION_DAYS = env_int("SAMSKAP_INVITATION_DAYS", 14)
PASSWORD_RESET_TIMEOUT = env_int("SAMSKAP_PASSWORD_RESET_HOURS", 72) * 60 * 60

# Single sign-on through OpenID Connect (mozilla-django-oidc; docs/accounts.md): on when
# SAMSKAP_OIDC_CLIENT_ID is set. The endpoints come from the issuer's discovery document unless
# all four are given explicitly.
SAMSKAP_OIDC_ISSUER = os.environ.get("SAMSKAP_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("SAMSKAP_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SAMSKAP_OIDC_CLIENT_SECRET", "")
SAMSKAP_OIDC_ENDPOINTS = {
    key: os.environ.get(f"SAMSKAP_OIDC_{key.upper()}", "")
    for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
}
SAMSKAP_OIDC_NAME = os.environ.get("SAMSKAP_OIDC_NAME", "")
SAMSKAP_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_SIGN_ALGO = os.environ.get("SAMSKAP_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 60 * 60 * 8
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
# mozilla-django-oidc redirects here as it stands (no URL name lookup).
LOGIN_REDIRECT_URL_FAILURE = "/konto/sso/ingen-tilgang/"


def oidc_domains(value: str) -> dict[str, tuple[str, str]]:
    """``fjordvik.kommune.no=fjordvik,skole.fjordvik.no=fjordvik:project_leader`` → domain:
    (municipality slug, role). Only low roles: coordinators are never made by a domain."""
    domains: dict[str, tuple[str, str]] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        domain, _sep, target = item.partition("=")
        slug, _sep, role = target.partition(":")
        role = role or "viewer"
        if not domain or not slug or role not in {"viewer", "project_leader"}:
            raise ImproperlyConfigured(
                f"SAMSKAP_OIDC_DOMAINS: {item!r} is not domain=municipality-slug[:viewer|"
                "project_leader]."
            )
        domains[domain.strip().lower().lstrip("@")] = (slug.strip(), role)
    return domains


SAMSKAP_OIDC_DOMAINS = oidc_domains(os.environ.get("SAMSKAP_OIDC_DOMAINS", ""))
if SAMSKAP_OIDC_ENABLED:
    if not (OIDC_RP_CLIENT_SECRET and SAMSKAP_OIDC_ISSUER):
        raise ImproperlyConfigured(
            "Single sign-on needs SAMSKAP_OIDC_ISSUER and SAMSKAP_OIDC_CLIENT_SECRET with "
            "SAMSKAP_OIDC_CLIENT_ID."
        )
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise ImproperlyConfigured("SAMSKAP_OIDC_SIGN_ALGO must be RS256/384/512 or ES256/384/512.")
    AUTHENTICATION_BACKENDS.append("samskap.accounts.oidc.SamskapOidcBackend")
SAMSKAP_PASSWORD_RESET_LIMIT_PER_HOUR = env_int("SAMSKAP_PASSWORD_RESET_LIMIT_PER_HOUR", 10)

# Failed log-ins (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked for the cool-off; a success before then starts the count anew.
# By user name *and* address, so that nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("SAMSKAP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SAMSKAP_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind N trusted proxies (X-Forwarded-For), for axes and the form limits.
SAMSKAP_TRUSTED_PROXIES = env_int("SAMSKAP_TRUSTED_PROXIES", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "samskap.core.throttle.login_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samskap.accounts.views.lockout.locked_out"
AXES_VERBOSE = False

# "throttle": counters of public forms (samskap/core/throttle.py), in a database table so that
# every process and node counts together (created by accounts' migration 0005).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "samskap_throttle_cache",
    },
}

# The public idea form: at most this many proposals per address and hour.
SAMSKAP_IDEA_LIMIT_PER_HOUR = env_int("SAMSKAP_IDEA_LIMIT_PER_HOUR", 10)
