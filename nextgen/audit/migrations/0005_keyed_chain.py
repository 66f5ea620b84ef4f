"""Keyed hashing begins: a log with events hashed by the public formula is sealed.

From here on every event's hash is an HMAC under the audit key (NEXTGEN_AUDIT_KEY: set
it before running this migration, to the key the app servers use). Events written before
keep their plain SHA-256 hashes, which the database's owner could recompute; the seal
appended here is a keyed event naming how many of them there are and the last one's
hash, so `nextgen audit verify` accepts them only as they are now. No row is changed.
"""

from django.db import migrations

from nextgen.audit.services import seal_legacy_chain


def seal(apps, schema_editor):
    seal_legacy_chain(
        apps.get_model("audit", "Event"),
        apps.get_model("audit", "ChainHead"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_append_only"),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
