"""lk3 settings: one module, driven by the environment.

Local defaults are safe for a laptop (SQLite under var/, loopback only).
A production configuration sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and LK3_KEYS (see README). With DEBUG off, the process refuses
to start without a real secret key and real encryption keys.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lk3.core.env import env_bool, env_int, env_list, env_secret, env_str

# Lets generic Django classes be subscripted at run time (ModelAdmin[Model], ...).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LK3_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOOPBACK_HOSTS)
if DEBUG and not set(ALLOWED_HOSTS) <= {*LOOPBACK_HOSTS, "testserver"}:
    raise ImproperlyConfigured("DEBUG may only be on when ALLOWED_HOSTS is loopback.")

INSECURE_KEY_PREFIX = "insecure-local-only-"
SECRET_KEY = env_secret("SECRET_KEY") or f"{INSECURE_KEY_PREFIX}do-not-use-in-production"
# The same bar as Django's security.W009: 50+ characters, 5+ distinct ones.
if not DEBUG and (
    SECRET_KEY.startswith(INSECURE_KEY_PREFIX) or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE) to a random value of 50+ characters."
    )

# Keys for sensitive text and the NIK lookup hash, kept apart from SECRET_KEY
# so that rotating one never touches the other. JSON, see lk3/core/crypto.py.
LK3_KEYS = env_secret("LK3_KEYS")
if not DEBUG and not LK3_KEYS:
    raise ImproperlyConfigured("DEBUG is off: set LK3_KEYS (or LK3_KEYS_FILE), see README.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lk3.core",
    "lk3.regions",
    "lk3.accounts",
    "lk3.audit",
    "lk3.people",
    "lk3.cases",
    "lk3.referrals",
    "lk3.repatriation",
    "lk3.reports",
    "lk3.seed",
    "lk3.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lk3.core.middleware.RequestIdMiddleware",
    "lk3.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lk3.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lk3.accounts.middleware.IdleTimeoutMiddleware",
    "lk3.accounts.middleware.OrganisationTimezoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "lk3.core.context_processors.csp_nonce",
                "lk3.accounts.context_processors.navigation",
            ],
        },
    },
]

# Databases. SQLite (WAL) is the embedded default; production uses
# PostgreSQL >= 15 through DATABASE_URL. Our SQLite engine only adds the
# append-only guard for whole-database flushes (lk3/core/db/sqlite3).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lk3.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "lk3.core.db.sqlite3"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests run in memory, one database per test process.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout and idle timeout (lk3/accounts/services.py, middleware.py).
LK3_LOGIN_MAX_FAILURES = env_int("LK3_LOGIN_MAX_FAILURES", 5)
LK3_LOGIN_LOCKOUT_MINUTES = env_int("LK3_LOGIN_LOCKOUT_MINUTES", 15)
LK3_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LK3_LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
LK3_IDLE_TIMEOUT_MINUTES = env_int("LK3_IDLE_TIMEOUT_MINUTES", 30)
LK3_TERM_EXPIRY_WARNING_DAYS = env_int("LK3_TERM_EXPIRY_WARNING_DAYS", 90)

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# HTTPS. On by default when DEBUG is off; `make run` on a laptop turns it off
# because it serves plain HTTP on loopback.
HTTPS = env_bool("LK3_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("LK3_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: our own files only, inline scripts only
# with the per-request nonce, no inline styles at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}

# Language and time. Indonesian first; English on request. Times are stored
# in UTC and shown in the organisation's time zone (WITA for Bontang).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "lk3_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Case attachments live outside the web root, in their own storage with no
# URL: only a view that checks the case permission serves them.
LK3_PRIVATE_ROOT = Path(env_str("LK3_PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LK3_ATTACHMENT_MAX_BYTES = env_int("LK3_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lk3 API",
    "DESCRIPTION": "Case management for LK3 and the city social office.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Background work (duplicate search, later reminders and reports): a task
# table in the same database, run by `manage.py db_worker` (no broker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lk3@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMINS", [])]
# Where people open the site: links in emails (task reminders) point here.
LK3_SITE_URL = env_str("LK3_SITE_URL", "http://127.0.0.1:8000")
# The address printed in letters' QR codes and notification links (the public
# verification page must be reachable from outside the office).
LK3_PUBLIC_URL = env_str("LK3_PUBLIC_URL", LK3_SITE_URL)
# One outbound SMS/WhatsApp gateway, as an HTTP webhook (empty URL = off).
LK3_GATEWAY_URL = env_str("LK3_GATEWAY_URL")
LK3_GATEWAY_TOKEN = env_secret("LK3_GATEWAY_TOKEN")
LK3_GATEWAY_TIMEOUT = env_int("LK3_GATEWAY_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
