"""Production settings (docs/operations.md, "Running the app servers"): HTTPS, the
proxy, static files, shared state, and the Content-Security-Policy every page is served under."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from nextgen.checks import check_shared_state

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = (
    "NEXTGEN_DEBUG",
    "NEXTGEN_HTTPS",
    "NEXTGEN_SSL_REDIRECT",
    "NEXTGEN_BEHIND_PROXY",
    "NEXTGEN_PROXY_COUNT",
    "NEXTGEN_SECURE_COOKIES",
    "NEXTGEN_STATIC_MANIFEST",
    "REDIS_URL",
)
SHOWN = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "NEXTGEN_PROXY_COUNT",
    "SESSION_ENGINE",
    "STORAGES",
    "WHITENOISE_USE_FINDERS",
]


def settings_with(tmp_path, **env: str) -> dict:
    """The settings a fresh process reads from this environment (settings are read once,
    at start-up, so a subprocess is the honest way to see them)."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k, None) for k in {SHOWN!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "nextgen.settings",
            "NEXTGEN_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_by_default_nothing_assumes_https_and_static_files_need_no_collectstatic(tmp_path):
    s = settings_with(tmp_path)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["NEXTGEN_PROXY_COUNT"] == 0
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert s["STORAGES"]["staticfiles"]["BACKEND"].endswith(".StaticFilesStorage")
    assert s["WHITENOISE_USE_FINDERS"] is True


def test_production_behind_an_https_proxy(tmp_path):
    s = settings_with(
        tmp_path,
        NEXTGEN_HTTPS="1",
        NEXTGEN_BEHIND_PROXY="1",
        NEXTGEN_STATIC_MANIFEST="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_SSL_REDIRECT"] is False  # the proxy redirects, unless told otherwise
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # The client address comes from the proxy's X-Forwarded-For, not the proxy's own.
    assert s["NEXTGEN_PROXY_COUNT"] == 1
    assert s["SESSION_ENGINE"] == "nextgen.sessions"  # cached_db that survives Redis
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "nextgen.storage.CompressedManifestStorage"
    assert s["WHITENOISE_USE_FINDERS"] is False


def test_ssl_redirect_and_proxy_count_can_be_set(tmp_path):
    s = settings_with(
        tmp_path,
        NEXTGEN_HTTPS="1",
        NEXTGEN_SSL_REDIRECT="1",
        NEXTGEN_BEHIND_PROXY="1",
        NEXTGEN_PROXY_COUNT="2",
    )
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["NEXTGEN_PROXY_COUNT"] == 2


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


@pytest.mark.parametrize(
    ("caches", "allow", "session_engine", "errors"),
    [
        (LOCMEM, False, "django.contrib.sessions.backends.db", ["nextgen.E001"]),
        (LOCMEM, True, "django.contrib.sessions.backends.db", []),
        (REDIS, False, "nextgen.sessions", []),
        (REDIS, False, "django.contrib.sessions.backends.file", ["nextgen.E002"]),
    ],
)
def test_the_deploy_check_refuses_state_kept_in_one_process(caches, allow, session_engine, errors):
    with override_settings(
        CACHES=caches, NEXTGEN_ALLOW_LOCAL_CACHE=allow, SESSION_ENGINE=session_engine
    ):
        assert [e.id for e in check_shared_state()] == errors


def test_the_deploy_check_message_says_what_to_set():
    with override_settings(CACHES=LOCMEM, NEXTGEN_ALLOW_LOCAL_CACHE=False):
        (error,) = check_shared_state()
    assert "REDIS_URL" in error.hint
    assert "NEXTGEN_ALLOW_LOCAL_CACHE" in error.hint


# --- Content-Security-Policy ---------------------------------------------------------


def test_pages_carry_the_content_security_policy(client, db):
    header = client.get("/csologin/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in header.split(";"))
    assert directives == {
        "default-src": "'self'",
        "img-src": "'self' data:",
        "style-src": "'self'",
        "script-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
    }


TEMPLATES = sorted((ROOT / "nextgen").glob("**/templates/**/*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template):
    """The policy allows only this site's files: an inline <script>, a style attribute,
    a <style> element or an on...= handler would be blocked in the browser."""
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b", html), "<style> element"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
