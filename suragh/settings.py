"""Settings for Suragh.

Embedded defaults (SQLite under $SURAGH_HOME) need no configuration; production sets
DATABASE_URL, SURAGH_SECRET_KEY, SURAGH_ALLOWED_HOSTS and SURAGH_DEBUG=0.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
SURAGH_HOME = Path(os.environ.get("SURAGH_HOME", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("SURAGH_SECRET_KEY"):
        return key
    SURAGH_HOME.mkdir(parents=True, exist_ok=True)
    path = SURAGH_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SURAGH_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("SURAGH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SURAGH_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "suragh.core",
    "suragh.people",
    "suragh.cases",
    "suragh.seizures",
    "suragh.evidence",
    "suragh.work",
    "suragh.intake",
    "suragh.imports",
    "suragh.tips",
    "suragh.stats",
    "suragh.assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "suragh.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "suragh.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Repeated wrong passwords lock the account (not the address: officers share station networks).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("SURAGH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SURAGH_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not a lockout parameter; per-account lockout is the choice made above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "suragh.urls"
WSGI_APPLICATION = "suragh.wsgi.application"

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
                "suragh.core.context_processors.navigation",
            ],
        },
    },
]

if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    SURAGH_HOME.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SURAGH_HOME / "suragh.sqlite3",
            # Each server thread keeps its connection rather than opening one (and its PRAGMAs) per request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ur", "اردو")]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = SURAGH_HOME / "static"
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = SURAGH_HOME / "media"

# Photos are at most 10 MB each and a field report carries up to six; bigger files come in by `suragh import`.
SURAGH_MAX_UPLOAD_BYTES = int(os.environ.get("SURAGH_MAX_UPLOAD_BYTES", str(64 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = os.environ.get("SURAGH_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background jobs (bulk imports): SQLite storage beside the database by default, Redis in production.
HUEY = {
    "name": "suragh",
    "redis_url": os.environ.get("SURAGH_REDIS_URL", ""),
    "filename": str(SURAGH_HOME / "jobs.db"),
}
# One cache for every server process (gunicorn runs several), so that the tip line's hourly allowance is one count,
# not one per process: files under SURAGH_HOME by default, the same Redis as the jobs when SURAGH_REDIS_URL is set.
if cache_redis_url := os.environ.get("SURAGH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cache_redis_url,
            "KEY_PREFIX": "suragh-cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(SURAGH_HOME / "cache"),
            # Past MAX_ENTRIES Django deletes a third of the entries at random (counts with them): keep it far off.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# An upload through the web or the API larger than this is refused before it is read; `suragh import` has no limit.
SURAGH_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("SURAGH_IMPORT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# A job whose worker has said nothing for this long shows as stalled.
SURAGH_IMPORT_STALL_SECONDS = int(os.environ.get("SURAGH_IMPORT_STALL_SECONDS", "60"))

# Tokens issued by POST /api/v1/auth/token expire after this many hours.
SURAGH_API_TOKEN_HOURS = int(os.environ.get("SURAGH_API_TOKEN_HOURS", "12"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SURAGH_LOG_LEVEL", "WARNING")},
}
