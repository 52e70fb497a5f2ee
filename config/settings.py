"""Settings for the evidence-claim site: one file, read from the environment."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for dev)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "simple_history",
    "jobs",
    "studies",
    "claims",
    "flags",
    "suggestions",
    "discussion",
    "community",
    "accounts",
    "api",  # no models: its management command (write_dump) and task (api/tasks.py)
    "axes",
]

MIDDLEWARE = [
    # First: a body over its limit is refused before anything reads it (413).
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside CommonMiddleware: its trailing-slash redirects under /api/ get the CORS header.
    "config.middleware.ApiCorsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.audit.AuditMiddleware",  # the audit trail: who, and path "admin" (core/audit.py)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take SQLite's lock when their transaction begins, so two concurrent writes wait
    # for each other (up to `timeout` seconds) instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts and never answers must not hold a request: a new connection gives
    # up after DB_CONNECT_TIMEOUT seconds (the whole handshake, libpq's connect_timeout), so the
    # page is the 503 within 5 s; a statement stops at DB_STATEMENT_TIMEOUT_MS (30 s, gunicorn's
    # timeout: no page waits longer; 0 turns it off for a long command) on the server; a
    # peer gone from the network is noticed by TCP keepalives and tcp_user_timeout. Not bounded:
    # a server frozen on an already open connection (it still ACKs, and gthread's --timeout
    # watches the worker, not the request): see docs/reliability.md, left to do.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
            "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30_000)}",
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": 10_000,
        }
    )
# After a request fails to connect to the database, the process answers 503 at once for this
# many seconds, then one request tries again (core/db_outage.py); 0 turns it off.
DB_FAIL_FAST_SECONDS = env_int("DB_FAIL_FAST_SECONDS", 5)
FORMS_URLFIELD_ASSUME_HTTPS = True

# Cache: per-process memory by default (claim page fragments, ETag-checked pages). For several
# app servers set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1 (Django's built-in
# Redis backend; it needs the `redis` package, which is not a dependency: pip install redis).
# CACHE_KEY_PREFIX: change it on a deploy that changes templates, to drop the old fragments.
_CACHE_URL = env("CACHE_URL") or env("REDIS_URL")


def _per_process_cache(max_bytes: int) -> dict:
    return {
        "BACKEND": "core.cache.BoundedLocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000), "MAX_BYTES": max_bytes},
    }


if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # A Redis outage is a miss, not a 500 (core/cache.py: the failure mode).
    _CACHE = {"BACKEND": "core.cache.SoftFailingRedisCache", "LOCATION": _CACHE_URL}
elif _CACHE_URL.startswith("dummy://"):
    _CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
elif _CACHE_URL in ("", "locmem://"):
    # Bounded in bytes too (CACHE_MAX_BYTES, 64 MiB a process): docs/performance.md, "Cache
    # sizing", says when to switch to Redis.
    _CACHE = _per_process_cache(env_int("CACHE_MAX_BYTES", 64 * 1024 * 1024))
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://…, rediss://…, locmem:// or dummy://.")
CACHES = {"default": {**_CACHE, "KEY_PREFIX": env("CACHE_KEY_PREFIX")}}
if _CACHE["BACKEND"] == "core.cache.SoftFailingRedisCache":
    # Beside a shared cache, each process keeps its own copy of the anonymous claim pages it
    # served (keyed by the page's version: never stale), so a warm page is one Redis round trip
    # for the version, not a second one for ~100 kB of page (claims/page_version.py).
    CACHES["local"] = {
        **_per_process_cache(env_int("CACHE_LOCAL_MAX_BYTES", 32 * 1024 * 1024)),
        "LOCATION": "local-pages",
    }
# A warm anonymous claim page reads its claim's version from the cache (no query) only when the
# cache is shared by every process that writes (Redis): a per-process cache never hears of a
# worker's or another web process's write (claims/page_version.py). 1 forces it on (one process
# serves and writes), 0 off.
CLAIM_VERSION_IN_CACHE = env_bool(
    "CLAIM_VERSION_IN_CACHE", _CACHE["BACKEND"] == "core.cache.SoftFailingRedisCache"
)
# How long a process trusts the claims' version generation it read before asking the shared
# cache again: another process's write reaches its pages within this (its own at once).
CLAIM_VERSION_RECHECK_MS = env_int("CLAIM_VERSION_RECHECK_MS", 500)
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# manage.py backup writes times to the microsecond (Django's JSON keeps milliseconds).
SERIALIZATION_MODULES = {"exactjson": "core.exact_json"}
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "evidence@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: where the mail is written.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH") or None

# Site behaviour
SITE_NAME = env("SITE_NAME", "Evidence Claims")
# The public origin (https://claims.example.org) for canonical URLs, og:url, JSON-LD and the
# sitemap. Unset: each request's own scheme and host (and the anonymous page cache keys on them).
SITE_URL = env("SITE_URL").strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and host such as https://claims.example.org, got {SITE_URL!r}"
    )
# Production builds every absolute URL (canonical, og:url, JSON-LD, mails) on SITE_URL, never on
# the request's Host: Django's ALLOWED_HOSTS ignores the port, so "Host: localhost:<any port>"
# chose the origin of the links and minted a new cache key per port (issue 19).
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off (the public origin, e.g. https://claims.example.org)."
    )
# /.well-known/security.txt's Contact (RFC 9116): a mailto: or https: URI. Unset:
# mailto:security@ the site's host.
SECURITY_CONTACT = env("SECURITY_CONTACT").strip()
if SECURITY_CONTACT and not re.match(r"(mailto:[^@\s]+@|https://)[^\s]+$", SECURITY_CONTACT):
    raise ImproperlyConfigured(
        f"SECURITY_CONTACT must be a mailto: or https:// URI, got {SECURITY_CONTACT!r}"
    )
FULL_VERDICT_REQUIRES_LOGIN = env_bool("FULL_VERDICT_REQUIRES_LOGIN", default=True)
SUBMISSIONS_PER_HOUR = env_int("SUBMISSIONS_PER_HOUR", 10)
FLAGS_PER_HOUR = env_int("FLAGS_PER_HOUR", 10)
SUGGESTIONS_PER_HOUR = env_int("SUGGESTIONS_PER_HOUR", 10)
COMMENTS_PER_HOUR = env_int("COMMENTS_PER_HOUR", 20)
# New accounts from one client address per hour (counted in the cache: share it across servers).
SIGNUPS_PER_HOUR_PER_ADDRESS = env_int("SIGNUPS_PER_HOUR_PER_ADDRESS", 5)
# Password-reset requests an hour from one client address, and to one email address (over
# either, the page answers the same but sends no mail; counted in the cache like sign-ups).
PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_HOUR_PER_ADDRESS", 10)
PASSWORD_RESETS_PER_HOUR_PER_EMAIL = env_int("PASSWORD_RESETS_PER_HOUR_PER_EMAIL", 3)
CLAIMS_PER_PAGE = env_int("CLAIMS_PER_PAGE", 20)
CROSSREF_API_URL = env("CROSSREF_API_URL", "https://api.crossref.org")
CROSSREF_CONTACT = env("CROSSREF_CONTACT", "editors@example.org")
CROSSREF_TIMEOUT = env_int("CROSSREF_TIMEOUT", 10)  # seconds for the whole answer, not per read
PUBMED_API_URL = env("PUBMED_API_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
PUBMED_API_KEY = env("PUBMED_API_KEY")  # optional: NCBI allows 10 requests/s with one, 3 without
PUBMED_TIMEOUT = env_int("PUBMED_TIMEOUT", 10)

# Background jobs (config/celery.py). No CELERY_BROKER_URL: every task runs inline, in the
# caller's process (eager), so `make run` and the tests need nothing but Python. Production:
# CELERY_BROKER_URL=redis://127.0.0.1:6379/0, plus a worker and beat (README, Deploy).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = (
    True  # a job whose worker dies mid-run is delivered again (tasks are idempotent)
)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_RESULT_BACKEND = None  # job state lives in the database (jobs.Job), not in Celery
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Periodic work, sent by `celery -A config beat` (one beat per site; README, Deploy).
CELERY_BEAT_SCHEDULE = {
    "check-retractions": {
        "task": "studies.retraction_tasks.check_retractions",
        "schedule": crontab(hour=3, minute=15),  # nightly, 03:15 UTC
    },
    "daily-digests": {
        "task": "community.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),  # daily, 07:00 UTC
    },
    "bulk-dump": {
        "task": "api.tasks.write_daily_dump",
        "schedule": crontab(hour=4, minute=0),  # daily, 04:00 UTC, after the retraction check
    },
    "purge-login-records": {
        "task": "accounts.tasks.purge_login_records",
        "schedule": crontab(hour=3, minute=45),  # daily, 03:45 UTC (AXES_LOG_RETENTION_DAYS)
    },
}
# The bulk dump (api/dumps.py, docs/api.md): dated directories of JSON Lines and CSV files,
# served at /api/dumps/. The web and the worker processes must share this directory.
DUMP_DIR = Path(env("DUMP_DIR") or BASE_DIR / "dumps")
DUMP_KEEP = env_int("DUMP_KEEP", 7)  # how many dates are kept

# Security: `manage.py check --deploy` is clean with DEBUG=0 and these defaults.
# Behind a TLS-terminating proxy set BEHIND_PROXY=1 so Django trusts its X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer's health check often speaks plain http: it gets 200/503, not a 301.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env_int("PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check: a plain page saying what to do (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "config.middleware.csrf_failure"
# Sent by config.middleware.ContentSecurityPolicyMiddleware. Only the site's own scripts and
# styles: no inline <script>, no style="" attributes (the score bars are SVG for that reason).
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'",
)
# Requests bigger than this are refused with 400 (forms limit each text field further).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1_048_576)
# Whole request bodies, files included, over the limit are a 413 before they are read
# (config/middleware.py RequestBodyLimitMiddleware): DATA_UPLOAD_MAX_MEMORY_SIZE, or more for the
# one upload page, the editors' RIS import (a 5 MB file and the form around it).
REQUEST_BODY_LIMITS = {"admin:studies_study_import_ris": 6 * 1_048_576}
# A RIS file of up to 5 MB stays in memory: no upload reaches a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1_048_576

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# IP address, that combination is locked out for AXES_COOLOFF_MINUTES (the page answers 429).
AUTHENTICATION_BACKENDS = [
    # AxesBackend only checks the lockout (its authenticate never logs anyone in); it extends
    # ModelBackend so `login(..., backend=AUTHENTICATION_BACKENDS[0])` still works.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# Ours, not django-axes': its log-in records (IP address, browser, username) are deleted after
# this many days by the daily beat (accounts.tasks); the privacy page states the figure.
AXES_LOG_RETENTION_DAYS = env_int("AXES_LOG_RETENTION_DAYS", 30)

# Logging: one JSON object a line on stdout (config.logging.JsonFormatter).
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
