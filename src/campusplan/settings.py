"""Django settings for campusplan, configured from the environment (12-factor).

| variable                   | default                          | meaning                          |
|----------------------------|----------------------------------|----------------------------------|
| `CAMPUSPLAN_DEBUG`         | `1`                              | Django DEBUG; set `0` in production |
| `CAMPUSPLAN_SECRET_KEY`    | a dev key, only while DEBUG      | required when DEBUG is off       |
| `CAMPUSPLAN_ALLOWED_HOSTS` | `localhost,127.0.0.1`            | comma-separated                  |
| `CAMPUSPLAN_HTTPS`         | on when DEBUG is off             | secure cookies, HSTS             |
| `CAMPUSPLAN_VAR_DIR`       | `var/` of the checkout, else `./var` | SQLite file, collected static |
| `DATABASE_URL`             | `sqlite:///<var>/campusplan.sqlite3` | e.g. `postgres://user@host/db` |
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("CAMPUSPLAN_DEBUG", True)

SECRET_KEY = os.environ.get("CAMPUSPLAN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("set CAMPUSPLAN_SECRET_KEY when CAMPUSPLAN_DEBUG is off")
    SECRET_KEY = "django-insecure-campusplan-development-only"  # DEBUG only

ALLOWED_HOSTS = env_list("CAMPUSPLAN_ALLOWED_HOSTS", "localhost,127.0.0.1")

def _default_var_dir() -> Path:
    checkout = PACKAGE_DIR.parents[1]  # src/campusplan -> the repository, in a source checkout
    return checkout / "var" if (checkout / "pyproject.toml").exists() else Path("var")


VAR_DIR = Path(os.environ.get("CAMPUSPLAN_VAR_DIR") or _default_var_dir()).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "campusplan.web",
    "campusplan.schools",
    "campusplan.assessments",
    "campusplan.accounts",
    "campusplan.projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campusplan.web.middleware.SlidingSessionMiddleware",
    "campusplan.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "campusplan.accounts.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "campusplan.urls"
WSGI_APPLICATION = "campusplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _default_database_url() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'campusplan.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_database_url())
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# --- i18n: Chinese first. Source strings (msgids) are Chinese; English lives in locale/en. ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("英语"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static files: everything served from our own origin (vendor/ is filled by `make`). ---
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- security headers and cookies ---
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("CAMPUSPLAN_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 3600 if HTTPS else 0

# --- accounts: strong hashing, sessions that expire, throttled logins ---
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = int(os.environ.get("CAMPUSPLAN_SESSION_SECONDS", 8 * 3600))
# the age counts from the last request (an idle timeout), refreshed at most once a minute by
# SlidingSessionMiddleware: saving on every request made each page view a database write
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_MAX_FAILURES = 5  # per user name and address, then locked for LOGIN_LOCK_SECONDS
LOGIN_LOCK_SECONDS = 15 * 60
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "campusplan_cache"}}
