"""`nextgen init_var`: the first run's files, made once (`make demo` runs it).

Importing the settings writes nothing, so this command is where var/ (the SQLite
database's folder) and the demo's keys come from: var/secret_key (sessions survive a
restart of the demo) and var/audit_key (the audit log verifies across restarts).
Production sets NEXTGEN_SECRET_KEY and NEXTGEN_AUDIT_KEY instead (docs/operations.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def write_key_once(path: Path) -> bool:
    """A random key at `path`, readable by its owner only, unless one is there already.
    Whether it wrote one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(64))
    return True


class Command(BaseCommand):
    help = "Create var/ with the demo's secret key and audit key (kept if already there)."
    requires_system_checks: list = []

    def handle(self, *args, **options) -> None:
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        for name in ("secret_key", "audit_key"):
            made = write_key_once(var / name)
            self.stdout.write(f"{var / name}: {'created' if made else 'kept'}")
