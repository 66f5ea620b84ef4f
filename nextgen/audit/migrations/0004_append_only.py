"""The audit log becomes append-only in the database, and the chain head always exists.

Triggers (nextgen/audit/append_only.py) refuse UPDATE, DELETE and, on PostgreSQL,
TRUNCATE on audit_event. The single ChainHead row is created here, holding the newest
event's hash, so the row lock that orders concurrent appends always finds a row.
"""

from django.db import migrations

from nextgen.audit import append_only


def create_chain_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    Event = apps.get_model("audit", "Event")
    db = schema_editor.connection.alias
    last = Event.objects.using(db).order_by("-id").values_list("hash", flat=True).first()
    ChainHead.objects.using(db).get_or_create(id=1, defaults={"last_hash": last or ""})


def install_triggers(apps, schema_editor):
    append_only.install(schema_editor.connection)


def uninstall_triggers(apps, schema_editor):
    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_protect_accounts"),
    ]

    operations = [
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
