"""System checks for a production deployment: `nextgen check --deploy` (`make serve` runs
it before starting, and refuses to start on an error).

Any number of identical app processes may serve NextGen, so nothing that must be seen by
every process may live in one process's memory: throttling counters, the cache and
sessions belong in Redis or the database. The demo and the tests run one process and
keep the cache in memory; these checks only run with --deploy.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register

# Cache backends whose contents one process (or one machine) sees and the others do not.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "in this process's memory",
    "django.core.cache.backends.filebased.FileBasedCache": "in this machine's files",
    "django.core.cache.backends.dummy.DummyCache": "nowhere (a dummy cache)",
}
PROCESS_LOCAL_SESSIONS = {
    "django.contrib.sessions.backends.file": "in this machine's files",
}


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_state(app_configs=None, **kwargs) -> list[Error]:
    """Errors when throttling counters, cache or sessions would not be shared by every
    app process. NEXTGEN_ALLOW_LOCAL_CACHE=1 accepts a local cache for a deployment of
    exactly one process."""
    errors: list[Error] = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES and not settings.NEXTGEN_ALLOW_LOCAL_CACHE:
        errors.append(
            Error(
                f"The cache, which holds the throttling counters, is kept "
                f"{PROCESS_LOCAL_CACHES[backend]}: each app process would count wrong "
                f"passwords on its own.",
                hint=(
                    "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to share it between "
                    "processes, or NEXTGEN_ALLOW_LOCAL_CACHE=1 if exactly one process "
                    "serves NextGen."
                ),
                id="nextgen.E001",
            )
        )
    if settings.SESSION_ENGINE in PROCESS_LOCAL_SESSIONS:
        errors.append(
            Error(
                f"Sessions are kept {PROCESS_LOCAL_SESSIONS[settings.SESSION_ENGINE]}: "
                f"a user signed in on one app server would be signed out on another.",
                hint="Keep sessions in the database (the default SESSION_ENGINE).",
                id="nextgen.E002",
            )
        )
    return errors


# An HMAC key shorter than this is guessable offline from the events it signs.
AUDIT_KEY_MIN_LENGTH = 32


@register(Tags.security, deploy=True)
def check_audit_key(app_configs=None, **kwargs) -> list[Error]:
    """An error unless NEXTGEN_AUDIT_KEY is set, long, and not the secret key: without it
    each process would generate a key of its own (var/audit_key), so events from
    different servers would not verify, and a key beside the database protects nothing."""
    key = settings.NEXTGEN_AUDIT_KEY
    problem = ""
    if not key:
        problem = "NEXTGEN_AUDIT_KEY is not set: the audit log's hashes need a key of their own."
    elif len(key) < AUDIT_KEY_MIN_LENGTH:
        problem = f"NEXTGEN_AUDIT_KEY is shorter than {AUDIT_KEY_MIN_LENGTH} characters."
    elif key == settings.SECRET_KEY:
        problem = "NEXTGEN_AUDIT_KEY is the secret key: rotating that would void the audit log."
    if not problem:
        return []
    return [
        Error(
            problem,
            hint=(
                "Generate one (python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                "give the same value to every app server and worker, keep it out of the "
                "database and its backups, and never change it (docs/operations.md, "
                '"The audit log and its anchors").'
            ),
            id="nextgen.audit.E001",
        )
    ]


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def check_smtp_encryption(app_configs=None, **kwargs) -> list[Error]:
    """An error when mail (it carries password reset links) would cross the network to the
    mail server unencrypted. A relay on this machine is allowed (nothing crosses a
    network); so is any server when NEXTGEN_SMTP_PLAINTEXT=1 says so explicitly."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return []
    if settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL:
        return []
    if _is_loopback(settings.EMAIL_HOST) or getattr(settings, "NEXTGEN_SMTP_PLAINTEXT", False):
        return []
    return [
        Error(
            f"Mail to {settings.EMAIL_HOST} would be sent unencrypted, and it carries "
            "password reset links.",
            hint=(
                "Leave EMAIL_USE_TLS on (the default: STARTTLS) or set EMAIL_USE_SSL=1; "
                "NEXTGEN_SMTP_PLAINTEXT=1 accepts plain SMTP when the network to the mail "
                "server is trusted."
            ),
            id="nextgen.E012",
        )
    ]


@register(Tags.security, deploy=True)
def check_production_basics(app_configs=None, **kwargs) -> list[Error]:
    """Errors (Django's own checks only warn) for three settings a production server must
    not run with: a secret key that was not given explicitly (var/secret_key, or one made up
    in memory, differs between servers and is lost with the machine), plain HTTP with DEBUG
    off, and the test client's host name in ALLOWED_HOSTS (the default, for tests)."""
    errors: list[Error] = []
    if settings.NEXTGEN_SECRET_KEY_SOURCE != "env":
        errors.append(
            Error(
                "The secret key is not set explicitly: it comes from "
                + (
                    "var/secret_key on this machine."
                    if settings.NEXTGEN_SECRET_KEY_SOURCE == "file"
                    else "this process's memory, and changes at every start."
                ),
                hint=(
                    "Set NEXTGEN_SECRET_KEY (python -c 'import secrets; "
                    "print(secrets.token_urlsafe(50))') to the same value on every app "
                    "server and worker."
                ),
                id="nextgen.E020",
            )
        )
    if not settings.DEBUG and not (settings.NEXTGEN_HTTPS and settings.SESSION_COOKIE_SECURE):
        errors.append(
            Error(
                "HTTPS is off: session cookies and passwords would travel in clear.",
                hint=(
                    "Serve NextGen over HTTPS and set NEXTGEN_HTTPS=1 (and leave "
                    "NEXTGEN_SECURE_COOKIES on)."
                ),
                id="nextgen.E021",
            )
        )
    if "testserver" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS contains 'testserver', the test client's host name.",
                hint="Set ALLOWED_HOSTS to the host names NextGen is served under, e.g. "
                "ALLOWED_HOSTS=pacer.example.gov.",
                id="nextgen.E022",
            )
        )
    return errors
