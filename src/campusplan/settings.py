"""Django settings for campusplan, configured from the environment (12-factor).

| variable                   | default                          | meaning                          |
|----------------------------|----------------------------------|----------------------------------|
| `CAMPUSPLAN_DEBUG`         | `1`                              | Django DEBUG; set `0` in production |
| `CAMPUSPLAN_SECRET_KEY`    | a dev key, only while DEBUG      | required when DEBUG is off       |
| `CAMPUSPLAN_ALLOWED_HOSTS` | `localhost,127.0.0.1`            | comma-separated                  |
| `CAMPUSPLAN_HTTPS`         | on when DEBUG is off             | secure cookies, HSTS             |
| `CAMPUSPLAN_VAR_DIR`       | `var/` of the checkout, else `./var` | SQLite file, collected static |
| `DATABASE_URL`             | `sqlite:///<var>/campusplan.sqlite3` | e.g. `postgres://user@host/db` |
| `CAMPUSPLAN_DB_CONN_MAX_AGE` | `0` (`campusplan serve`: `60`) | seconds a database connection is kept for the next request |
| `CAMPUSPLAN_UPLOAD_DIR`    | `<var>/uploads`                  | import files awaiting confirmation |
| `CAMPUSPLAN_UPLOAD_RETENTION_SECONDS` | `3600`                | an unconfirmed upload is deleted after |
| `CAMPUSPLAN_API_RATE`      | `120/min`                        | API calls per token (or session user); `s`, `min`, `h`, `day` |
| `CAMPUSPLAN_API_TOKENS_PER_USER` | `10`                       | active API tokens one user may hold |
| `CAMPUSPLAN_SESSION_SECONDS` | `28800` (8 h)                  | idle timeout of a login session |
| `CAMPUSPLAN_STANDARDS`     | `beijing`                        | active standards, comma-separated (`beijing,youzhi`); the first judges the stored runs |

| `CAMPUSPLAN_REQUIRE_2FA`   | `0`                              | `1`: TOTP for city and district accounts that may change data and for the 三员 |
| `CAMPUSPLAN_AUDIT_RETENTION_DAYS` | `180` (the minimum)       | audit rows stay online at least this long; older ones may be archived |
| `CAMPUSPLAN_OIDC_ISSUER`   | unset (no OpenID Connect)        | the provider's base URL; its endpoints are `…/authorize`, `…/token`, `…/userinfo`, `…/jwks` unless set below |
| `CAMPUSPLAN_OIDC_CLIENT_ID`, `CAMPUSPLAN_OIDC_CLIENT_SECRET` | unset | the client registered at the provider |
| `CAMPUSPLAN_OIDC_AUTHORIZE_URL`, `…_TOKEN_URL`, `…_USERINFO_URL`, `…_JWKS_URL` | from the issuer | the provider's endpoints |
| `CAMPUSPLAN_OIDC_SIGN_ALGO` | `RS256`                         | `RS256` (the provider's JWKS) or `HS256` (the client secret) |
| `CAMPUSPLAN_CAS_SERVER`    | unset (no CAS)                   | the CAS server's URL, e.g. `https://cas.example.edu.cn/cas/` |
| `CAMPUSPLAN_SSO_ROLE_CLAIM`, `…_DISTRICT_CLAIM`, `…_SCHOOL_CLAIM` | `campusplan_role`, `district_code`, `school_code` | the claim (OIDC) or attribute (CAS) naming the role (city, district, school, auditor) and the scope |
| `CAMPUSPLAN_TASKS_IMMEDIATE` | `0`                            | `1`: run background tasks in the request |
| `CAMPUSPLAN_EMAIL_HOST`    | empty: no e-mail                 | SMTP server for notifications (`_PORT`, `_TLS`, `_USER`, `_PASSWORD`, `_FROM`) |
| `CAMPUSPLAN_OIDC_AUTHORIZE_URL`, `CAMPUSPLAN_OIDC_TOKEN_URL`, `CAMPUSPLAN_OIDC_USERINFO_URL`, `CAMPUSPLAN_OIDC_JWKS_URL` | from the issuer | the provider's endpoints, one by one |
| `CAMPUSPLAN_SSO_DISTRICT_CLAIM`, `CAMPUSPLAN_SSO_SCHOOL_CLAIM` | `district_code`, `school_code` | the claims naming the scope |
| `CAMPUSPLAN_EMAIL_PORT`, `CAMPUSPLAN_EMAIL_TLS`, `CAMPUSPLAN_EMAIL_USER`, `CAMPUSPLAN_EMAIL_PASSWORD`, `CAMPUSPLAN_EMAIL_FROM` | `25`, off, empty, empty, `campusplan@localhost` | the SMTP server's port, TLS, login and sender |
| `CAMPUSPLAN_JOBS_DIR` | `<var>/jobs` | background jobs' result files (e.g. the city workbook) |
| `CAMPUSPLAN_REMINDER_DAYS` | `7,3,1` | a school not yet submitted is reminded when a campaign's deadline is this many days away or fewer, once per number (`campusplan campaign remind`, run daily) |
| `CAMPUSPLAN_CACHE_MAX_ENTRIES` | `200000` | the database cache's size (Django's MAX_ENTRIES), sized for a city of 17,000 schools |
| `CAMPUSPLAN_RUN_DIR` | `<var>/runs` | each stored run's full result matrix, one zstd Parquet file per run (assessments/matrix.py); the school page reads a school's met rows from it: back it up with the database |
| `CAMPUSPLAN_RUN_BATCH` | `10000` | a stored run of more schools is assessed and written this many schools (whole districts) at a time, so its memory is bounded by the batch; at most 50,000 |
| `CAMPUSPLAN_PARTITION_SCHOOLS` | `1000` | on PostgreSQL, a stored run of at least this many schools writes its result rows into a partition of its own, indexed once when attached (assessments/partitions.py) |
| `CAMPUSPLAN_EVIDENCE_DIR` | `<var>/evidence` | evidence files (photos, contracts, acceptance reports), outside the web root |
| `CAMPUSPLAN_EVIDENCE_MAX_BYTES` | `10485760` (10 MiB) | the largest evidence file accepted |
| `CAMPUSPLAN_EVIDENCE_TYPES` | `jpg,jpeg,png,pdf,docx,xlsx` | the file types accepted as evidence (checked by content too) |
| `CAMPUSPLAN_EMAIL` | — | (derived: on when `CAMPUSPLAN_EMAIL_HOST` is set; not read from the environment) |

Production: docs/deployment.md (`make serve`: gunicorn, static files by whitenoise, DEBUG off).
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
    "campusplan.accounts.admin_app.CampusplanAdminConfig",  # django.contrib.admin, 系统管理员 only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",
    "campusplan.web",
    "campusplan.schools",
    "campusplan.assessments",
    "campusplan.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_cas_ng",  # CAS single sign-on (its session tickets), used when configured
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "campusplan.campaigns",
    "campusplan.projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "campusplan.web.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campusplan.web.middleware.SlidingSessionMiddleware",
    "campusplan.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "campusplan.accounts.audit.AuditMiddleware",
    "campusplan.accounts.middleware.SecondFactorMiddleware",
    "campusplan.accounts.middleware.DeviceCookieMiddleware",
    "campusplan.web.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "campusplan.web.middleware.BusyDatabaseMiddleware",
    "campusplan.web.middleware.CachedFormTokenMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE takes the write lock when a transaction starts, so a writer waits its turn
    # (busy timeout) instead of failing at once when a read transaction upgrades: writers of one
    # school are serialised (accounts.versions) and the audit "before" values chain; WAL lets
    # pages read while a long import writes. Still locked after the timeout: 409
    # (BusyDatabaseMiddleware).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
# Persistent connections (seconds; 0: a new one per request, Django's default, kept for the
# development server, the CLI and the tests). `campusplan serve` keeps each thread's connection
# 60 s: on PostgreSQL a new connection is a backend process and a handshake per request, what a
# kept list page costs in all (docs/web.md, measured load).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CAMPUSPLAN_DB_CONN_MAX_AGE") or 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background tasks (usecases.jobs): the database backend, no extra server. The worker is
# `manage.py db_worker` (started by `make run`); CAMPUSPLAN_TASKS_IMMEDIATE=1 runs each task at
# once in the request instead (tests, a single-process demo).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
                     if env_bool("CAMPUSPLAN_TASKS_IMMEDIATE", False)
                     else "django_tasks_db.DatabaseBackend"}}

# --- e-mail: notifications are mailed when a backend is configured (CAMPUSPLAN_EMAIL_HOST),
# else only shown in the app
EMAIL_HOST = os.environ.get("CAMPUSPLAN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("CAMPUSPLAN_EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("CAMPUSPLAN_EMAIL_TLS", False)
EMAIL_HOST_USER = os.environ.get("CAMPUSPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CAMPUSPLAN_EMAIL_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ.get("CAMPUSPLAN_EMAIL_FROM", "campusplan@localhost")
CAMPUSPLAN_EMAIL = bool(EMAIL_HOST)

# --- campaigns: the deadline reminders (usecases.campaigns.remind), days before the deadline;
# campusplan's default, not a number of the standard
CAMPAIGN_REMINDER_DAYS = sorted({int(d) for d in env_list("CAMPUSPLAN_REMINDER_DAYS", "7,3,1")
                                 if d.isdigit()}, reverse=True)

# 等保 2.0 level 3 身份鉴别: length, complexity, not common, not one of the last five
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "campusplan.accounts.passwords.ComplexityValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "campusplan.accounts.passwords.HistoryValidator", "OPTIONS": {"keep": 5}},
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
# Served by whitenoise from the same process (no front proxy needed). With DEBUG off the files
# are collected (`manage.py collectstatic`, done by `make serve`) under hashed, compressed names
# cached for a year; while DEBUG they are found in the apps' static/ folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it

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
SESSION_COOKIE_AGE = int(os.environ.get("CAMPUSPLAN_SESSION_SECONDS") or 8 * 3600)
# the age counts from the last request (an idle timeout), refreshed at most once a minute by
# SlidingSessionMiddleware: saving on every request made each page view a database write
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# failed logins (accounts/throttle.py), each counted within LOGIN_LOCK_SECONDS: per account and
# address (or per known device of the account), per address, per account from unknown devices
LOGIN_MAX_FAILURES = 5
LOGIN_ADDRESS_MAX_FAILURES = 30
LOGIN_ACCOUNT_MAX_FAILURES = 20
LOGIN_LOCK_SECONDS = 15 * 60
AUTHENTICATION_BACKENDS = ["campusplan.accounts.backends.ThrottledModelBackend"]
CAMPUSPLAN_REQUIRE_2FA = env_bool("CAMPUSPLAN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "campusplan"

# --- single sign-on (accounts/sso.py): on when configured; local accounts stay ---
CAMPUSPLAN_SSO_ROLE_CLAIM = os.environ.get("CAMPUSPLAN_SSO_ROLE_CLAIM", "campusplan_role")
CAMPUSPLAN_SSO_DISTRICT_CLAIM = os.environ.get("CAMPUSPLAN_SSO_DISTRICT_CLAIM", "district_code")
CAMPUSPLAN_SSO_SCHOOL_CLAIM = os.environ.get("CAMPUSPLAN_SSO_SCHOOL_CLAIM", "school_code")
_OIDC = os.environ.get("CAMPUSPLAN_OIDC_ISSUER", "").rstrip("/")
if _OIDC:
    OIDC_RP_CLIENT_ID = os.environ.get("CAMPUSPLAN_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("CAMPUSPLAN_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("CAMPUSPLAN_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid profile"
    OIDC_OP_AUTHORIZATION_ENDPOINT = (os.environ.get("CAMPUSPLAN_OIDC_AUTHORIZE_URL")
                                      or f"{_OIDC}/authorize")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CAMPUSPLAN_OIDC_TOKEN_URL") or f"{_OIDC}/token"
    OIDC_OP_USER_ENDPOINT = os.environ.get("CAMPUSPLAN_OIDC_USERINFO_URL") or f"{_OIDC}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("CAMPUSPLAN_OIDC_JWKS_URL") or f"{_OIDC}/jwks"
    AUTHENTICATION_BACKENDS.append("campusplan.accounts.sso.OIDCBackend")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # a path: the OIDC library does not reverse it
CAS_SERVER_URL = os.environ.get("CAMPUSPLAN_CAS_SERVER", "")
CAS_VERSION = "3"
CAS_CREATE_USER = True
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
if CAS_SERVER_URL:
    AUTHENTICATION_BACKENDS.append("campusplan.accounts.sso.CASBackend")

# 网络安全法 第二十一条: network logs kept no less than six months
CAMPUSPLAN_AUDIT_RETENTION_DAYS = int(os.environ.get("CAMPUSPLAN_AUDIT_RETENTION_DAYS") or 180)
if CAMPUSPLAN_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("CAMPUSPLAN_AUDIT_RETENTION_DAYS must be at least 180")
# sized for a city of 17,000 schools: a viewed school keeps ≈10 fragments (results per status
# filter and language, facts, inventory; web/templates/web/school/) → 170,000, plus the
# dashboards' few hundred; Django's default of 300 would cull a city's pages every few views
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "campusplan_cache",
                      "OPTIONS": {"MAX_ENTRIES": int(
                          os.environ.get("CAMPUSPLAN_CACHE_MAX_ENTRIES") or 200_000)}}}


# --- the app's own settings (the table above) ---
CAMPUSPLAN_UPLOAD_DIR = os.environ.get("CAMPUSPLAN_UPLOAD_DIR") or str(VAR_DIR / "uploads")
CAMPUSPLAN_UPLOAD_RETENTION_SECONDS = int(
    os.environ.get("CAMPUSPLAN_UPLOAD_RETENTION_SECONDS") or 3600)
CAMPUSPLAN_API_RATE = os.environ.get("CAMPUSPLAN_API_RATE") or "120/min"
# the standards the pages offer (catalog, 优质均衡 readiness); the first judges the stored runs
CAMPUSPLAN_STANDARDS = [k.strip() for k in (
    os.environ.get("CAMPUSPLAN_STANDARDS") or "beijing").split(",") if k.strip()]
CAMPUSPLAN_API_TOKENS_PER_USER = int(os.environ.get("CAMPUSPLAN_API_TOKENS_PER_USER") or 10)
CAMPUSPLAN_EVIDENCE_DIR = os.environ.get("CAMPUSPLAN_EVIDENCE_DIR") or str(VAR_DIR / "evidence")
CAMPUSPLAN_RUN_DIR = os.environ.get("CAMPUSPLAN_RUN_DIR") or str(VAR_DIR / "runs")
CAMPUSPLAN_RUN_BATCH = max(1, int(os.environ.get("CAMPUSPLAN_RUN_BATCH") or 10000))
# a batch's fact values reach the engine as one text of ≈ 6.3 KB a school (schools/bulk.py
# `_csv_text`), and PostgreSQL's largest value is 1 GB: 50,000 schools keep a third of it
if CAMPUSPLAN_RUN_BATCH > 50_000:
    raise ImproperlyConfigured("CAMPUSPLAN_RUN_BATCH must be at most 50000")
CAMPUSPLAN_PARTITION_SCHOOLS = max(1, int(os.environ.get("CAMPUSPLAN_PARTITION_SCHOOLS") or 1000))
CAMPUSPLAN_EVIDENCE_MAX_BYTES = int(os.environ.get("CAMPUSPLAN_EVIDENCE_MAX_BYTES") or 10 * 2**20)
CAMPUSPLAN_EVIDENCE_TYPES = tuple(t.strip().lower().lstrip(".") for t in (
    os.environ.get("CAMPUSPLAN_EVIDENCE_TYPES") or "jpg,jpeg,png,pdf,docx,xlsx").split(",")
    if t.strip())

# --- the app's own error pages (templates 400/403/404/500.html), also for a CSRF failure ---
CSRF_FAILURE_VIEW = "campusplan.web.errors.csrf_failure"

# --- Content-Security-Policy (django-csp) and Permissions-Policy: scripts, styles, images and
# fetches from our own origin only; no inline script (chart data are JSON blocks, htmx runs
# with allowEval off); ECharts and htmx set element styles through the CSSOM, which
# style-src does not govern. ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")
