"""A pg_trgm GIN index on the padded, upper-case party name (' ' || UPPER(name) || ' '),
the expression Query's name searches match with LIKE ('% SMI% %': a word starting SMI),
so they are answered through the index, not a scan of every party.
PostgreSQL only: on SQLite the searches fall back to LIKE (fine at its small scale)."""

from django.db import migrations


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_index(apps, schema_editor) -> None:
    if _postgres(schema_editor):
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS records_party_name_trgm "
            "ON dockets_party USING gin ((' ' || UPPER(name) || ' ') gin_trgm_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if _postgres(schema_editor):
        schema_editor.execute("DROP INDEX IF EXISTS records_party_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("dockets", "0002_seed_filing_events")]

    operations = [migrations.RunPython(create_index, drop_index)]
