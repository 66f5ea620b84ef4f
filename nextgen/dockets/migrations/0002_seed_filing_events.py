"""Give the courts that existed before this app their seeded filing events."""

from django.db import migrations


def seed(apps, schema_editor):
    from nextgen.dockets.events import seed_events

    Court = apps.get_model("ecf", "Court")
    FilingEvent = apps.get_model("dockets", "FilingEvent")
    for court in Court.objects.all():
        seed_events(court, model=FilingEvent)


class Migration(migrations.Migration):
    dependencies = [("dockets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
