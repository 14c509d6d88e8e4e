"""Settings for the delegation-visits project, read from the environment.

Every variable is documented in README.md and listed in .env.example.
"""

import datetime
import multiprocessing
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.logs import json_formatter, redact_filter

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (required when DJANGO_DEBUG is off).")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",
    "core.apps.AdminConfig",  # django.contrib.admin, with the project's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "csp",
    "axes",
    "simple_history",
    "import_export",
    "core",
    "contacts",
    "delegations",
    "meetings",
    "matchmaking",
    "documents",
    "workbooks",
    "mailings",
    "public",
    "sampledata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses a login attempt while its username and address are locked out, before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Published itineraries and outcomes are cached for anonymous visitors (public.cache). Several
# processes or servers must share one Redis, so that an edit in one empties the cache of all; the
# local-memory default is per process, for development and single-process runs.
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "visits"),
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "visits"}
}

# Background tasks (Celery, config/celery.py): agenda e-mails and Schedule all's solve. With a broker
# (Redis: redis://127.0.0.1:6379/1) they run in `celery -A config worker`; without one, at once in the
# request that asks for them (task_always_eager), so that development and the default tests need no worker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("DJANGO_CELERY_BROKER_URL", ""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"  # never connected to: named so that Celery does not look for a local AMQP
# An eager task raises its error in the caller, as a function would.
CELERY_TASK_EAGER_PROPAGATES = True
# The queue tasks are sent to and the worker reads (default "celery"): sites or test runs sharing one Redis
# keep apart by it.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A task is acknowledged once it has run, so that a worker killed halfway leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# An agenda e-mail the mail server refuses is tried this many times in all, waiting MAILINGS_RETRY_SECONDS, then
# twice as long, and so on, before it is reported failed (mailings.tasks).
MAILINGS_SEND_ATTEMPTS = int(os.environ.get("DJANGO_MAILINGS_SEND_ATTEMPTS", "4"))
MAILINGS_RETRY_SECONDS = float(os.environ.get("DJANGO_MAILINGS_RETRY_SECONDS", "60"))

# How many registration forms one invitation link may send in an hour (matchmaking.views), counted in the
# cache above: shared by every process with Redis, per process without.
MATCHMAKING_POSTS_PER_HOUR = 20

# How many processes serve the site: gunicorn's workers, as config/gunicorn.conf.py counts them. With more
# than one, `check --deploy` warns about a per-process cache (core.checks).
SERVER_PROCESSES = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content (titles, descriptions, outcomes) is entered in English and, where staff give it, French;
# a missing French text falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
# Dates read one way per language on every page (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

# Server time zone. Itinerary and meeting times never depend on it: they are
# entered and shown in the local time of their venue (see delegations.models).
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Inputs and selects written in Python, byte for byte as Django's templates write them (core.widgets).
FORM_RENDERER = "core.widgets.PythonWidgetRenderer"
# A visit's admin page posts some 30 fields an itinerary item (two languages, its folded detail) and 12 a
# member: a 300-item programme posts about 10,000. Django's default (1,000) refused a 30-item visit's save.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# HTTPS and browser protections. The defaults are for production over HTTPS (see README "Deploy");
# the test run turns the redirect and secure cookies off, its servers speaking plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy, trust the X-Forwarded-Proto and X-Forwarded-For it sets (only then:
# a client could send them too).
BEHIND_PROXY = env_bool("DJANGO_SECURE_PROXY_SSL_HEADER")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
# Sessions read from the cache (Redis, shared by every process) and written through to the database, which
# keeps them when the cache is emptied: a staff page reads its session without a query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
# No script of ours reads a cookie: the CSRF token travels in the forms.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: everything from this site, no inline script or style. Neither our templates
# nor Django's admin have any; one that must be inline takes the nonce: <script nonce="{{ request.csp_nonce }}">.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# E-mail (the weekly follow-up digest, the companies' agendas): printed on the console in development, sent
# over SMTP otherwise, unless DJANGO_EMAIL_BACKEND names another backend (django-anymail's for a provider's API,
# django.core.mail.backends.filebased.EmailBackend with DJANGO_EMAIL_FILE_PATH to write files).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
if os.environ.get("DJANGO_EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["DJANGO_EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "visits@localhost")
# The site's own address, for links in e-mails (no request to take it from).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://localhost:8000").rstrip("/")

# Admin login throttling (django-axes): five failures for one username from one address lock that
# pair out for 15 minutes. Attempts are kept in the database, shared by every app server.
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.views.client_address"

# One JSON object a line on standard output, for the log collector; gunicorn's access log
# uses the same format (config/gunicorn.conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": json_formatter()},
    # Share-link tokens are redacted from every line (Django's "Not Found: /share/…", tracebacks…).
    "filters": {"redact": redact_filter()},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (plain text on standard error in debug, runserver's requests, error
        # e-mails to ADMINS, which the site never sets) would bypass the redaction: everything goes to root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # django-axes logs every login and its housekeeping at INFO; lockouts (WARNING) are what matter
        # in the logs, and every attempt is in the admin (Axes › Access attempts, Access logs).
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO; its warnings (a resource refused) still show.
        "weasyprint": {"level": "WARNING"},
    },
}
# Files made for staff by background batches (all organizations' agendas as a ZIP): outside MEDIA_ROOT, never
# served by the web server, only through the admin's permission-checked download.
DOCUMENTS_ROOT = Path(os.environ.get("DJANGO_DOCUMENTS_ROOT", BASE_DIR / "var" / "documents"))
