"""NextGen settings, read from the environment (see .env.example).

Nothing secret lives in this file: the secret key comes from NEXTGEN_SECRET_KEY, else
from var/secret_key (written by `nextgen init-var`, which `make demo` runs), and the
database from DATABASE_URL. Importing this module writes nothing: no folder, no key file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEXTGEN_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> tuple[str, str]:
    """The key and where it came from: the environment ("env"), else var/secret_key
    ("file", written by `nextgen init-var`), else a random key held in this process's
    memory only ("ephemeral": sessions do not outlive the process, which suits tests and
    a quick look; `nextgen check --deploy` refuses anything but "env")."""
    from_env = os.environ.get("NEXTGEN_SECRET_KEY")
    if from_env:
        return from_env, "env"
    path = VAR_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip(), "file"
    return secrets.token_urlsafe(64), "ephemeral"


SECRET_KEY, NEXTGEN_SECRET_KEY_SOURCE = _secret_key()
# Keys retired by a rotation (docs/operations.md, "Rotating the secret key"), newest first,
# comma separated: what they signed (sessions, backup codes, API tokens, reset links) is
# still accepted, and new signatures use SECRET_KEY.
SECRET_KEY_FALLBACKS = [
    key.strip()
    for key in os.environ.get("NEXTGEN_SECRET_KEY_FALLBACKS", "").split(",")
    if key.strip()
]
# Keys the courts' electronic document stamps (nextgen.dockets.documents); falls back to
# SECRET_KEY. Set it so rotating SECRET_KEY does not change how new stamps are keyed.
NEXTGEN_STAMP_SECRET = os.environ.get("NEXTGEN_STAMP_SECRET", "")
DEBUG = _env_bool("NEXTGEN_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "nextgen.signon.admin_apps.NextGenAdminConfig",  # the admin, behind NextGen sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",  # django-csp: the Content-Security-Policy header (and its settings checks)
    "nextgen.audit",
    "nextgen.outbox",  # the mail outbox and `nextgen mail worker` (nextgen/mail.py)
    "nextgen.signon",
    "nextgen.ecf",
    "nextgen.dockets",
    "nextgen.noticing",  # NEFs, e-mail preferences, free-look keys
    "nextgen.fees",
    "nextgen.records",
    "nextgen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nextgen.contentsecurity.CSPMiddleware",  # django-csp's, its header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nextgen.signon.devices.DeviceCookieMiddleware",  # the owner's known device (throttle)
    "nextgen.signon.middleware.TryAgainShortlyMiddleware",  # no cache: 503, never a 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "nextgen.signon.middleware.AuthenticationMiddleware",  # Django's, the user read at once
    "nextgen.api.middleware.ApiTokenMiddleware",  # court pages accept API tokens
    "nextgen.signon.middleware.SignedInMiddleware",  # no-store, session activity, device
    "nextgen.signon.samesite.SameSiteMarkerMiddleware",  # GET logout: own-site requests only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The benchmarks (bench/run.py) add a bare "hello" view through their own URLconf.
ROOT_URLCONF = os.environ.get("NEXTGEN_ROOT_URLCONF", "nextgen.urls")
WSGI_APPLICATION = "nextgen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nextgen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nextgen.signon.context_processors.account_notices",
                "nextgen.fees.context_processors.quarter_to_date",  # waiver line, lazy
            ],
            # `{% url %}` with the reversed paths kept per process (nextgen/reversing.py),
            # `{% extends %}` with the root template's blocks kept (nextgen/extending.py).
            "builtins": ["nextgen.reversing", "nextgen.extending"],
        },
    },
]

# Django's form renderer, with plain <input> widgets written without three templates each.
FORM_RENDERER = "nextgen.formrender.FormRenderer"

# --- Database ---------------------------------------------------------------


def database_config(url: str) -> dj_database_url.DBConfig:
    """One DATABASES entry for `url`. PostgreSQL connections are kept open between
    requests (NEXTGEN_CONN_MAX_AGE seconds, default 60) and checked before a request
    uses one (NEXTGEN_CONN_HEALTH_CHECKS, default on): after a database restart, each
    worker quietly opens a new connection instead of failing one request with a 500. The
    check looks at the socket and asks the server only when the socket has news
    (nextgen/pgbackend)."""
    default_age = "0" if url.startswith("sqlite") else "60"
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("NEXTGEN_CONN_MAX_AGE", default_age)),
        conn_health_checks=_env_bool("NEXTGEN_CONN_HEALTH_CHECKS", True),
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, whose health checks ask the socket before the server
        # (nextgen/pgbackend/liveness.py: no round trip per request).
        config["ENGINE"] = "nextgen.pgbackend"
        if _env_bool("NEXTGEN_DB_PREPARED", True):
            # Parameters bound by the server and statements prepared on their fifth use
            # per connection: PostgreSQL then parses and plans each of the pages' few
            # repeated queries once per connection, not on every request (issue 14).
            # Off (NEXTGEN_DB_PREPARED=0) behind a transaction-pooling PgBouncer.
            config.setdefault("OPTIONS", {}).update(
                {"server_side_binding": True, "prepare_threshold": 5}
            )
    pool = int(os.environ.get("NEXTGEN_DB_POOL", "0"))
    if pool > 0 and config["ENGINE"] == "nextgen.pgbackend":
        # Threaded app servers (gunicorn.conf.py sets NEXTGEN_DB_POOL): the process's
        # threads share `pool` connections (psycopg_pool), each taken for one request
        # and given back at its end (Django requires CONN_MAX_AGE 0 with a pool). Django
        # has the pool check a connection before handing it out when the health checks are on.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, pool),
            "max_size": pool,
            "timeout": 30,  # seconds a request waits for a connection before a 500
        }
    return config


DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'nextgen.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two concurrent
    # writers queue instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling counters live here) -----------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
# A Redis that is down or frozen must cost a request a fraction of a second, not hang
# it: short connect and read timeouts (seconds), no retries. Pages then carry on without
# it (sessions from the database) and sign-in says "try again shortly" (docs/operations.md,
# "When a part fails").
NEXTGEN_REDIS_TIMEOUT = float(os.environ.get("NEXTGEN_REDIS_TIMEOUT", "0.5"))


def redis_cache_config(url: str) -> dict:
    """The CACHES entry for a Redis at `url` (redis-py retries nothing by default)."""
    return {
        "BACKEND": "nextgen.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("NEXTGEN_CACHE_PREFIX", "nextgen"),
        "OPTIONS": {
            "socket_connect_timeout": NEXTGEN_REDIS_TIMEOUT,
            "socket_timeout": NEXTGEN_REDIS_TIMEOUT,
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache_config(REDIS_URL)}
else:
    # One process (the demo, the test suite): counters in memory are enough.
    # Any deployment with more than one process must set REDIS_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# `nextgen check --deploy` (run by `make serve`) refuses a cache in one process's memory
# unless this says exactly one process serves NextGen (nextgen/checks.py).
NEXTGEN_ALLOW_LOCAL_CACHE = _env_bool("NEXTGEN_ALLOW_LOCAL_CACHE")

# --- Accounts, passwords, sessions -------------------------------------------
AUTH_USER_MODEL = "signon.Account"
# AccountBackend reads a signed-in request's account with precompiled SQL and checks no
# password: NextGen's own sign-in does, throttled and audited (signon/backends.py).
AUTHENTICATION_BACKENDS = ["nextgen.signon.backends.AccountBackend"]
LOGIN_URL = "signon:login"
LOGIN_REDIRECT_URL = "home"

# Argon2id first: new and re-hashed passwords use it. The others only verify
# hashes brought in from older systems (CM/ECF imports) and are upgraded on use.
PASSWORD_HASHERS = [
    "nextgen.signon.hashers.NextGenArgon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "nextgen.signon.hashers.BCryptPasswordHasher",  # bcrypt's 72 bytes, as the old systems
    "nextgen.ecf.hashers.SaltedSHA256Hasher",
]
ARGON2_TIME_COST = int(os.environ.get("NEXTGEN_ARGON2_TIME_COST", "2"))
ARGON2_MEMORY_COST = int(os.environ.get("NEXTGEN_ARGON2_MEMORY_KIB", "19456"))
ARGON2_PARALLELISM = int(os.environ.get("NEXTGEN_ARGON2_PARALLELISM", "1"))

# The seeds' rule ("minimum 8; upper- & lower-case letters; include digit or
# special character") plus common passwords and the user name. One place.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "nextgen.signon.passwords.SeedRuleValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "nextgen.signon.passwords.UsernameNotInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# --- Multi-factor authentication (django-otp TOTP; see nextgen/signon/flows/mfa.py) ---
OTP_TOTP_ISSUER = os.environ.get("NEXTGEN_OTP_ISSUER", "NextGen PACER")
# django-otp's own back-off doubles without end (and grows while locked), so one who
# knows the password could lock the owner out for good; wrong codes wait on the tiered
# throttle instead, like wrong passwords: every wait ends.
OTP_TOTP_THROTTLE_FACTOR = 0

# Sessions live in the database, which every app process shares; with Redis in front
# (cached_db) most signed-in pages read them without a query, and when Redis is down or
# frozen they are read from and written to the database alone (nextgen/sessions.py).
SESSION_ENGINE = "nextgen.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("NEXTGEN_SESSION_AGE", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "nextgen.signon.views.login.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Served over HTTPS (NEXTGEN_HTTPS=1): cookies travel only over HTTPS and browsers are
# told (HSTS) to use nothing else for a year. Behind a proxy that ends TLS
# (NEXTGEN_BEHIND_PROXY=1), its X-Forwarded-Proto tells a request came over HTTPS; the
# proxy must set that header itself and drop any a client sent.
NEXTGEN_HTTPS = _env_bool("NEXTGEN_HTTPS")
NEXTGEN_BEHIND_PROXY = _env_bool("NEXTGEN_BEHIND_PROXY")
SESSION_COOKIE_SECURE = _env_bool("NEXTGEN_SECURE_COOKIES", NEXTGEN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if NEXTGEN_HTTPS and not DEBUG:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Usually the proxy or load balancer redirects http:// itself; else set this.
    SECURE_SSL_REDIRECT = _env_bool("NEXTGEN_SSL_REDIRECT")
if NEXTGEN_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only this site's own files run or style a page: no inline scripts or style attributes
# (scripts live in static/, styles in nextgen/static/nextgen/site.css), no framing, and
# forms post only here. django-csp 4's format.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the MFA set-up QR code
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Throttling tiers (count per period) for wrong credentials; growing waits,
# never a permanent lock. See nextgen/throttle.py.
NEXTGEN_THROTTLE = {
    "per_username": ["5/m", "20/h", "100/d"],  # one user name from one client
    # Across clients: NIST SP 800-63B's bound of 100 consecutive failures (a right answer
    # clears it); it holds back only clients with failures of their own.
    "per_username_any_client": ["100/d"],
    "per_client": ["20/m", "100/h", "1000/d"],
    "recovery": ["5/m", "20/h"],
    # Reset links that do not hold (bad, used, expired), per client: past it the refusals
    # are audited as throttled, a few rows a minute (nextgen.audit.services.record), so
    # a script requesting bad links cannot grow the audit log a row each.
    "bad_reset_links": ["10/m", "50/h"],
    # Registration's Security step, per client: each submission tells whether a user
    # name is taken, so it is counted like a recovery request (flows/registration.py).
    "registration": ["10/m", "30/h", "100/d"],
    # PAA invitations: attempts per administrator; invitation mails per invitee.
    "paa_invites": ["10/h", "50/d"],
    "paa_invitation_mails": ["3/d"],
}

# Trusted reverse proxies in front of the app (0: clients connect directly). The client
# address for throttling is then read from X-Forwarded-For, counted from the right.
# NEXTGEN_BEHIND_PROXY=1 means one, unless NEXTGEN_PROXY_COUNT says otherwise: else every
# client would share the load balancer's address, and one client's throttle.
NEXTGEN_PROXY_COUNT = int(
    os.environ.get("NEXTGEN_PROXY_COUNT", "1" if NEXTGEN_BEHIND_PROXY else "0")
)

# PACER Authentication API tokens (seconds): a token ends at its maximum age, or
# after this long unused, whichever comes first.
NEXTGEN_TOKEN_MAX_AGE = int(os.environ.get("NEXTGEN_TOKEN_MAX_AGE", str(24 * 60 * 60)))
NEXTGEN_TOKEN_IDLE = int(os.environ.get("NEXTGEN_TOKEN_IDLE", str(2 * 60 * 60)))

# --- The audit log (nextgen/audit; docs/operations.md, "The audit log and its anchors") ---
# Each event's hash is an HMAC under this key, kept outside the database, so whoever
# owns the database cannot rewrite events and re-hash the chain after them. Without it
# (demo, tests) a key is generated once into var/audit_key; `nextgen check --deploy`
# requires it, shared by every app process and worker. Never change it: events hashed
# under the old key would no longer verify.
NEXTGEN_AUDIT_KEY = os.environ.get("NEXTGEN_AUDIT_KEY", "")
# `nextgen audit anchor` (on a timer) appends the chain head here: a file the database
# owner cannot rewrite (another machine, or `chattr +a`). `nextgen audit verify` checks
# every anchor, so events removed from the end of the log are noticed.
NEXTGEN_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("NEXTGEN_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl")
)
# Addresses (comma-separated) that also receive each anchor by e-mail: an auditor's copy.
NEXTGEN_AUDIT_ANCHOR_EMAIL = [
    a.strip() for a in os.environ.get("NEXTGEN_AUDIT_ANCHOR_EMAIL", "").split(",") if a.strip()
]

# --- E-mail -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("NEXTGEN_FROM_EMAIL", "NextGen PACER <noreply@nextgen.test>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    # Reset links travel in this mail: encrypted (STARTTLS, or EMAIL_USE_SSL=1 for implicit
    # TLS) unless EMAIL_USE_TLS=0 says otherwise, and `nextgen check --deploy` then refuses
    # a plain connection to anything but this machine unless NEXTGEN_SMTP_PLAINTEXT=1.
    EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
else:
    # The demo writes each message as a file a person can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
NEXTGEN_SMTP_PLAINTEXT = _env_bool("NEXTGEN_SMTP_PLAINTEXT")

# A mail server that accepts the connection and never answers must not hold the worker:
# every SMTP operation gives up after this many seconds (and the message is retried).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))

# Mail leaves the request through the outbox (nextgen/mail.py, nextgen/outbox): "immediate"
# sends right after the commit in the same process (demo, tests); "worker" leaves it to
# `nextgen mail worker` (production), which retries a failed send and keeps what never went
# out. (NEXTGEN_TASKS_BACKEND=database, the setting before the outbox, means "worker".)
_MAIL_DELIVERY_DEFAULT = (
    "worker" if os.environ.get("NEXTGEN_TASKS_BACKEND", "").strip() == "database" else "immediate"
)
NEXTGEN_MAIL_DELIVERY = (
    os.environ.get("NEXTGEN_MAIL_DELIVERY", _MAIL_DELIVERY_DEFAULT).strip().lower()
)
if NEXTGEN_MAIL_DELIVERY not in ("immediate", "worker"):
    raise ImproperlyConfigured(
        f"NEXTGEN_MAIL_DELIVERY must be 'immediate' or 'worker', not {NEXTGEN_MAIL_DELIVERY!r}"
    )
# How long a worker holds a message it claimed before another worker may take it over (it
# died): well above one send, which EMAIL_TIMEOUT bounds (docs/operations.md).
NEXTGEN_MAIL_LEASE_SECONDS = float(os.environ.get("NEXTGEN_MAIL_LEASE_SECONDS", "300"))
# Waits before attempt 2, 3, ... after a mail server failure: 1 and 5 minutes, 30 minutes,
# 2 and 6 hours; after the last attempt the message is kept as failed.
NEXTGEN_MAIL_RETRY_DELAYS = tuple(
    float(seconds)
    for seconds in os.environ.get("NEXTGEN_MAIL_RETRY_DELAYS", "60,300,1800,7200,21600").split(",")
    if seconds.strip()
)

# Absolute links in mail sent without a request (go-live notices from the command line).
NEXTGEN_SITE_URL = os.environ.get("NEXTGEN_SITE_URL", "http://127.0.0.1:8000")

# --- The PACER Service Center, named in messages ------------------------------
NEXTGEN_SERVICE_CENTER = {
    "phone": os.environ.get("NEXTGEN_PSC_PHONE", "1-800-676-6856"),
    "email": os.environ.get("NEXTGEN_PSC_EMAIL", "pacer@psc.uscourts.gov"),
}

# --- Internationalisation, static files --------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# collectstatic creates it (`make serve`); nothing else writes there.
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "nextgen" / "static"]
# WhiteNoise serves static files in every mode (demo, tests, production), straight
# from the apps' static folders, so no separate web server is needed for them.
WHITENOISE_USE_FINDERS = True
# Look files up on demand rather than indexing them all when the middleware starts
# (every test client starts one). Production serving indexes once: set it to 0.
WHITENOISE_AUTOREFRESH = _env_bool("NEXTGEN_STATIC_AUTOREFRESH", True)
# `make serve` (production): collectstatic writes content-hashed, pre-compressed copies
# (gzip) that WhiteNoise serves from STATIC_ROOT with far-future caching (nextgen/storage.py).
# Tests and the demo keep the plain storage, which needs no collectstatic.
NEXTGEN_STATIC_MANIFEST = _env_bool("NEXTGEN_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Filed documents (nextgen.dockets): never served by URL, only by the document view.
    # Production may point this at S3-compatible storage (docs/operations.md).
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("NEXTGEN_DOCUMENTS_DIR", str(VAR_DIR / "documents")),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "nextgen.storage.CompressedManifestStorage"
            if NEXTGEN_STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if NEXTGEN_STATIC_MANIFEST:
    # Serve the collected files only, not the apps' folders as well.
    WHITENOISE_USE_FINDERS = False

# Uploads (filed PDF documents) stream to temporary files on disk, never into a worker's
# memory: anything over this many bytes goes to FILE_UPLOAD_TEMP_DIR (the system's temp
# directory unless NEXTGEN_UPLOAD_TEMP_DIR is set). The filing pages write every file to
# disk whatever its size (nextgen/dockets/filing/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("NEXTGEN_UPLOAD_TEMP_DIR") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Reset tokens in a logged URL become [redacted] (nextgen/logredact.py).
    "filters": {"redact_tokens": {"()": "nextgen.logredact.RedactTokensFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("NEXTGEN_LOG_LEVEL", "WARNING")},
}
