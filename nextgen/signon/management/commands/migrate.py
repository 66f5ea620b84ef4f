"""`nextgen migrate`: Django's migrate, one process at a time on PostgreSQL.

Migrating is a release step (docs/operations.md, "Release steps"), not something every
app server does when it starts. Should two run at once all the same (two deploy jobs, a
retried one), the second waits on a PostgreSQL advisory lock until the first has
finished, then finds nothing left to do, instead of racing it and crashing on a table
the first has just created.
"""

from __future__ import annotations

import time

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

# Any fixed 64-bit number; it names this lock among the database's advisory locks.
MIGRATE_LOCK = 0x6E657874_67656E31  # "nextgen1"


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " On PostgreSQL, one migrate runs at a time (advisory lock)."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql" or options.get("check_unapplied"):
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATE_LOCK])
            if not cursor.fetchone()[0]:
                self.stdout.write("Another migrate is running; waiting for it to finish.")
                started = time.monotonic()
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
                self.stdout.write(f"It finished after {time.monotonic() - started:.1f} s.")
        try:
            return super().handle(*args, **options)
        finally:
            # A session lock: released here, or by PostgreSQL if this process dies.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])
