"""talentpool settings, configured from the environment.

Every value a deployment must set comes from a ``TALENTPOOL_*`` variable; the defaults are safe
for the demo (SQLite in ``var/``) and documented in docs/deploy.md.
"""

import base64
import hashlib
import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TALENTPOOL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEMO_SECRET_KEY = "talentpool-demo-secret-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("TALENTPOOL_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("TALENTPOOL_DEBUG", False)
# Never "*": a production host is named (docs/deploy.env.example); scripts/demo --lan adds the
# machine's LAN addresses.
ALLOWED_HOSTS = env_list("TALENTPOOL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("TALENTPOOL_CSRF_TRUSTED_ORIGINS", "")

# Personal data (ID numbers, phones) is encrypted with this key (32 bytes, urlsafe base64).
# The demo derives one from the secret key; production must set its own and keep it safe.
ENCRYPTION_KEY_IS_DERIVED = not os.environ.get("TALENTPOOL_ENCRYPTION_KEY")
ENCRYPTION_KEY = (
    os.environ.get("TALENTPOOL_ENCRYPTION_KEY")
    or base64.urlsafe_b64encode(hashlib.sha256(("encryption:" + SECRET_KEY).encode()).digest()).decode()
)

# Title certificates carry a payload signed with this Ed25519 key (PEM, or a base64 32-byte seed),
# so a printed copy checks offline (titles.verification). Without it the key is derived from the
# secret key: changing the secret key would then invalidate every certificate already printed.
TALENTPOOL_CERTIFICATE_SIGNING_KEY = os.environ.get("TALENTPOOL_CERTIFICATE_SIGNING_KEY") or None

INSTALLED_APPS = [
    "talentpool.core.adminsite.AdminConfig",  # the Django admin, signed in and audited like the rest
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "csp",
    # core before django_tasks_db: its db_worker command (fail dead jobs, purge job files, then run)
    # takes the place of theirs, and the first app listed wins.
    "talentpool.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "talentpool.registry",
    "talentpool.cultivation",
    "talentpool.titles",
    "talentpool.selection",
    "talentpool.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # below whitenoise: static files need no policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "talentpool.core.middleware.PersonalNumberInUrlMiddleware",  # before anything redirects with the URL
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "talentpool.core.security.NoStoreMiddleware",  # every signed-in response: Cache-Control no-store
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "talentpool.core.twofactor.TwoFactorMiddleware",  # after OTPMiddleware: refuses pages until verified
    "talentpool.core.accounts.AccountMiddleware",  # after the second factor: a temporary password is changed first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talentpool.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talentpool.urls"
WSGI_APPLICATION = "talentpool.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "talentpool" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "talentpool.core.context_processors.navigation",
                "talentpool.core.programme.programme",  # the district's and programme's names (data)
            ],
        },
    },
]

# Database: TALENTPOOL_DATABASE_URL (postgres://… in production); SQLite in WAL mode otherwise.
DATABASE_URL = os.environ.get("TALENTPOOL_DATABASE_URL", f"sqlite:///{VAR_DIR / 'talentpool.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "talentpool.core.passwords.CharacterClassValidator"},
]

# Login hardening (django-axes, core/auth.py): an account is locked after LOGIN_FAILURE_LIMIT failed
# passwords or codes from any addresses, one address after LOGIN_ADDRESS_FAILURE_LIMIT failures for any
# accounts (a password spray), each for LOGIN_LOCKOUT_MINUTES after its last failure. One address never
# locks other addresses, and never every account at once.
LOGIN_FAILURE_LIMIT = int(os.environ.get("TALENTPOOL_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("TALENTPOOL_LOGIN_ADDRESS_FAILURE_LIMIT", str(LOGIN_FAILURE_LIMIT * 5))
)
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("TALENTPOOL_LOGIN_LOCKOUT_MINUTES", "15"))
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed; empty: REMOTE_ADDR is
# the client (core.middleware.client_ip, used by the lockout and the audit log alike).
TRUSTED_PROXIES = [str(ipaddress.ip_network(p, strict=False)) for p in env_list("TALENTPOOL_TRUSTED_PROXIES", "")]
AUTHENTICATION_BACKENDS = [
    "talentpool.core.auth.LockoutBackend",  # refuses a locked account or address before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "talentpool.core.auth.LockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # counted apart, each with its limit (LockoutHandler)
AXES_USERNAME_CALLABLE = "talentpool.core.auth.lockout_username"
AXES_CLIENT_IP_CALLABLE = "talentpool.core.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "talentpool.core.auth.lockout_response"
AXES_RESET_ON_SUCCESS = False  # core.auth.complete_sign_in resets, once the second factor is given too
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends LOGIN_LOCKOUT_MINUTES after it began
AXES_DISABLE_ACCESS_LOG = True  # the audit log records every sign-in
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "csrfmiddlewaretoken"]
# Two-factor sign-in (core/twofactor.py): required of admins and leaders when on (production).
REQUIRE_2FA = env_bool("TALENTPOOL_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "技能人才库"
# Wrong codes count towards the lockout above instead of django-otp's own growing delays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the Django admin never shows a device's key or recovery codes
# Registration refused because the ID (or certificate) number is held elsewhere: the operator is
# told nothing more, and after this many refusals in an hour registration by ID number pauses, so
# nobody can probe who works where (registry.services.check_refusal_throttle).
DUPLICATE_REFUSALS_PER_HOUR = int(os.environ.get("TALENTPOOL_DUPLICATE_REFUSALS_PER_HOUR", "20"))
# Searches by exact ID number per user (admins too) in any hour, from the lists' search boxes and
# the API's lookup: the masked number and birth year leave ~33 candidates for the hidden digits,
# so each search is audited and counted, and beyond this many refused (registry.search).
ID_SEARCHES_PER_HOUR = int(os.environ.get("TALENTPOOL_ID_SEARCHES_PER_HOUR", "30"))
# Audit records are kept at least 180 days (MLPS 2.0, Cybersecurity Law art. 21); purge_audit
# deletes older ones only, and refuses a shorter period (core.checks reports one).
AUDIT_RETENTION_DAYS = int(os.environ.get("TALENTPOOL_AUDIT_RETENTION_DAYS", "180"))
# Sessions end after 30 idle minutes and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("TALENTPOOL_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("TALENTPOOL_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "talentpool" / "locale"]
# One date format everywhere, YYYY-MM-DD (talentpool/formats), in both languages.
FORMAT_MODULE_PATH = ["talentpool.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end assets come from pinned npm packages installed by scripts/install (never a CDN).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[object] = [BASE_DIR / "talentpool" / "static"]
STATICFILES_DIRS += [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/bootstrap", "bootstrap/dist"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/echarts", "echarts/dist"),
        ("vendor/bootstrap-icons", "bootstrap-icons/font"),
    ]
    if (NODE_MODULES / path).is_dir()
]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_bool("TALENTPOOL_STATIC_MANIFEST", False):  # production: after collectstatic (docs/deploy.md)
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    WHITENOISE_USE_FINDERS = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Import files (uploads, parsed copies, error reports) are encrypted; an upload is deleted when its
# job ends, the rest this many hours later (core.files, manage.py purge_job_files).
IMPORT_FILE_HOURS = int(os.environ.get("TALENTPOOL_IMPORT_FILE_HOURS", "24"))
# Memory (MB) the reading of one uploaded workbook may add, in a child process of the worker.
IMPORT_MEMORY_MB = int(os.environ.get("TALENTPOOL_IMPORT_MEMORY_MB", "1536"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TALENTPOOL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "talentpool.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "talentpool.core.api.AutoSchema",  # documents the 4xx answers
    "EXCEPTION_HANDLER": "talentpool.core.api.exception_handler",  # refusals are 4xx, never 500
}
SPECTACULAR_SETTINGS = {
    "TITLE": "talentpool API",
    "DESCRIPTION": "技能人才库 API",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "SkillLevelEnum": "talentpool.registry.choices.SkillLevel",
        "HonourLevelEnum": "talentpool.registry.choices.HonourLevel",
    },
}

FILTERS_EMPTY_CHOICE_LABEL = _("All")
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-hover table-sm align-middle"}

SECURE_CONTENT_TYPE_NOSNIFF = True
if env_bool("TALENTPOOL_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (docs/deploy.md): behind the TLS proxy, redirect plain HTTP and tell browsers to use HTTPS
# only (HSTS). Off by default, for the demo on http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("TALENTPOOL_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("TALENTPOOL_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TALENTPOOL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("TALENTPOOL_HSTS_PRELOAD", False)
# Content-Security-Policy (django-csp): scripts and styles from this site's own files only, never
# inline, so injected markup cannot run; data: images for the two-factor QR code; no framing, no
# plugins, forms post only here. The API docs pages relax style-src (core.security.DOCS_POLICY).
CONTENT_SECURITY_POLICY = {
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

# Logs never carry personal data: request bodies are not logged and ID numbers never reach URLs.
# Every handler masks ID numbers and mobile numbers (core/logging.py). Django's own handlers on
# "django" (console, mail to admins) and "django.server" would bypass that filter: they are dropped
# and those records reach the root handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_numbers": {"()": "talentpool.core.logging.RedactPersonalNumbers"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_personal_numbers"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("TALENTPOOL_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner would print on every manage.py command
    },
}

# The programme being run; other districts change these (and the data), never the code.
PROGRAMME_NAME = os.environ.get("TALENTPOOL_PROGRAMME_NAME", "南浔区“千名技能人才”培育选树")
DISTRICT_NAME = os.environ.get("TALENTPOOL_DISTRICT_NAME", "南浔区")
DISTRICT_REGION_CODE = os.environ.get("TALENTPOOL_DISTRICT_REGION_CODE", "330503")

TESTING = "pytest" in sys.modules
