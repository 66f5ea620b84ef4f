"""Importing the settings writes nothing; the first run's keys come from `nextgen
init_var` (`make demo`), and `nextgen check --deploy` refuses a production server whose
secret key, HTTPS or ALLOWED_HOSTS were left at their development defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from nextgen.checks import check_production_basics

ROOT = Path(__file__).resolve().parents[2]


def fresh_process(var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "NEXTGEN_SECRET_KEY"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "nextgen.settings",
            "NEXTGEN_VAR_DIR": str(var_dir),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_the_settings_creates_no_file_and_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    done = fresh_process(
        var_dir,
        "-c",
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.NEXTGEN_SECRET_KEY_SOURCE)",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ephemeral"
    assert list(var_dir.iterdir()) == []


def test_init_var_writes_the_keys_once_and_the_settings_read_them(tmp_path):
    var_dir = tmp_path / "var"
    made = fresh_process(var_dir, "-m", "nextgen.cli", "init_var")
    assert made.returncode == 0, made.stderr
    key = (var_dir / "secret_key").read_text()
    assert (var_dir / "secret_key").stat().st_mode & 0o077 == 0
    assert (var_dir / "audit_key").read_text()
    again = fresh_process(var_dir, "-m", "nextgen.cli", "init_var")
    assert again.returncode == 0, again.stderr
    assert (var_dir / "secret_key").read_text() == key
    shown = fresh_process(
        var_dir,
        "-c",
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.NEXTGEN_SECRET_KEY_SOURCE, settings.SECRET_KEY)",
    )
    assert shown.stdout.split() == ["file", key]


PRODUCTION = dict(
    NEXTGEN_SECRET_KEY_SOURCE="env",
    DEBUG=False,
    NEXTGEN_HTTPS=True,
    SESSION_COOKIE_SECURE=True,
    ALLOWED_HOSTS=["pacer.example.gov"],
)


def test_production_settings_pass():
    with override_settings(**PRODUCTION):
        assert check_production_basics() == []


@pytest.mark.parametrize(
    "changed, error_id, complaint",
    [
        ({"NEXTGEN_SECRET_KEY_SOURCE": "file"}, "nextgen.E020", "var/secret_key"),
        ({"NEXTGEN_SECRET_KEY_SOURCE": "ephemeral"}, "nextgen.E020", "memory"),
        ({"NEXTGEN_HTTPS": False}, "nextgen.E021", "HTTPS is off"),
        ({"SESSION_COOKIE_SECURE": False}, "nextgen.E021", "HTTPS is off"),
        ({"ALLOWED_HOSTS": ["pacer.example.gov", "testserver"]}, "nextgen.E022", "testserver"),
    ],
)
def test_the_deploy_check_refuses_development_defaults(changed, error_id, complaint):
    with override_settings(**{**PRODUCTION, **changed}):
        (error,) = check_production_basics()
    assert error.id == error_id
    assert complaint in error.msg


def test_plain_http_is_accepted_with_debug_on():
    with override_settings(**{**PRODUCTION, "DEBUG": True, "NEXTGEN_HTTPS": False}):
        assert check_production_basics() == []


def test_nextgen_check_deploy_fails_on_the_defaults(tmp_path):
    """The whole command, as `make serve` runs it: the defaults stop it with errors."""
    done = fresh_process(
        tmp_path,
        "-m",
        "nextgen.cli",
        "check",
        "--deploy",
        "--fail-level",
        "ERROR",
        NEXTGEN_DEBUG="0",
        NEXTGEN_ALLOW_LOCAL_CACHE="1",
    )
    assert done.returncode != 0
    for error_id in ("nextgen.E020", "nextgen.E021", "nextgen.E022"):
        assert error_id in done.stderr + done.stdout
