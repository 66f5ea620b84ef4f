"""What both peer sites share: PostgreSQL, Redis sessions in front of the database
(Django's cached_db, as NextGen's production), Argon2id with NextGen's parameters,
DEBUG off. Everything comes from the environment bench/run.py sets."""

import os
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "bench-peer-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

_db = urlsplit(os.environ["PEER_DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.path.lstrip("/"),
        "USER": _db.username or "postgres",
        "PASSWORD": _db.password or "",
        "HOST": _db.hostname or "127.0.0.1",
        "PORT": str(_db.port or 5432),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("PEER_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "KEY_PREFIX": os.environ.get("PEER_CACHE_PREFIX", "nextgen-bench-peer"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# NextGen's Argon2id parameters (bench/run.py passes the settings' values).
PASSWORD_HASHERS = ["peersite.hashers.BenchArgon2Hasher"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_REDIRECT_URL = "/page/"
WSGI_APPLICATION = "peersite.wsgi.application"
