"""Carry mail still waiting in the django-tasks table (the queue before the outbox) over to
the outbox, so an upgrade loses none: ready and running (a running one was lost: its worker
died) become queued messages, failed ones failed messages; a pending go-live announcement
becomes its fan-out job. The old table itself is left alone (docs/operations.md, "Release
steps", says when to drop it)."""

import json

from django.db import migrations
from django.utils import timezone

OLD_TABLE = "django_tasks_database_dbtaskresult"
SEND = "nextgen.mail.send_queued_mail"
ANNOUNCE = "nextgen.tasks.announce_go_live"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    Message = apps.get_model("outbox", "OutboxMessage")
    Job = apps.get_model("outbox", "FanoutJob")
    Court = apps.get_model("ecf", "Court")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, status, task_path, args_kwargs FROM {OLD_TABLE} "  # noqa: S608
            "WHERE status IN ('READY', 'RUNNING', 'FAILED') AND task_path IN (%s, %s)",
            [SEND, ANNOUNCE],
        )
        rows = cursor.fetchall()
    now = timezone.now()
    for task_id, status, path, args_kwargs in rows:
        if isinstance(args_kwargs, str):
            args_kwargs = json.loads(args_kwargs)
        kwargs = (args_kwargs or {}).get("kwargs", {})
        if path == SEND:
            Message.objects.create(
                to=list(kwargs.get("to") or []),
                reply_to=list(kwargs.get("reply_to") or []),
                subject=kwargs.get("subject", ""),
                body=kwargs.get("body", ""),
                state="failed" if status == "FAILED" else "queued",
                run_after=now,
                created_at=now,
            )
        elif status != "FAILED":
            court = Court.objects.filter(pk=kwargs.get("court_id")).first()
            if court is None:
                continue
            Job.objects.get_or_create(
                key=f"ecf.go-live/{court.code}/{kwargs.get('go_live')}/carried-over-{task_id}",
                defaults={
                    "builder": "nextgen.ecf.notifications.GoLiveNotices",
                    "params": {
                        "court_id": court.pk,
                        "go_live": kwargs.get("go_live"),
                        "base_url": kwargs.get("base_url", ""),
                    },
                    "created_at": now,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outbox_messages_and_fanout_jobs"),
        ("ecf", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
