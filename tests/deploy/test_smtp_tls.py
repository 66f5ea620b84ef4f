"""Mail carries password reset links: SMTP is encrypted by default, and the production
checks refuse a plain connection across a network unless told explicitly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from nextgen.checks import SMTP_BACKEND, check_smtp_encryption

ROOT = Path(__file__).resolve().parents[2]
MAIL_ENV = ("EMAIL_HOST", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "NEXTGEN_SMTP_PLAINTEXT")


def run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`nextgen <args>` in a fresh process with this mail environment (settings are read
    once, at start-up)."""
    clean = {k: v for k, v in os.environ.items() if k not in MAIL_ENV}
    return subprocess.run(
        [sys.executable, "-m", "nextgen.cli", *args],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "nextgen.settings",
            "NEXTGEN_VAR_DIR": str(tmp_path),
            "NEXTGEN_SECRET_KEY": "k" * 60,
            "NEXTGEN_ALLOW_LOCAL_CACHE": "1",
            "NEXTGEN_DEBUG": "0",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_smtp_uses_starttls_unless_told_otherwise(tmp_path):
    shown = run(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL)",
        EMAIL_HOST="smtp.example.org",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].split() == ["True", "False"]


def test_the_deploy_check_refuses_plain_smtp_across_a_network(tmp_path):
    """The attack: plain SMTP was the production default, so every reset link crossed
    the network in clear. Turning TLS off now stops `make serve` at its checks."""
    refused = run(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "ERROR",
        EMAIL_HOST="smtp.example.org",
        EMAIL_USE_TLS="0",
    )
    assert refused.returncode != 0
    assert "nextgen.E012" in refused.stderr + refused.stdout


@pytest.mark.parametrize(
    ("host", "tls", "ssl", "plaintext_ok", "errors"),
    [
        ("smtp.example.org", True, False, False, []),
        ("smtp.example.org", False, True, False, []),
        ("smtp.example.org", False, False, False, ["nextgen.E012"]),
        ("smtp.example.org", False, False, True, []),
        ("127.0.0.1", False, False, False, []),
        ("localhost", False, False, False, []),
        ("::1", False, False, False, []),
        ("10.0.0.5", False, False, False, ["nextgen.E012"]),
    ],
)
def test_which_mail_settings_pass_the_check(host, tls, ssl, plaintext_ok, errors):
    with override_settings(
        EMAIL_BACKEND=SMTP_BACKEND,
        EMAIL_HOST=host,
        EMAIL_USE_TLS=tls,
        EMAIL_USE_SSL=ssl,
        NEXTGEN_SMTP_PLAINTEXT=plaintext_ok,
    ):
        assert [e.id for e in check_smtp_encryption()] == errors


def test_mail_written_to_files_needs_no_encryption():
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_USE_TLS=False
    ):
        assert check_smtp_encryption() == []
