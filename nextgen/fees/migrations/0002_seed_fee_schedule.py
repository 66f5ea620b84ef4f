"""The fee schedule in force: $0.10 a page, 30-page cap, 4,320 bytes a page, $30.00
quarterly waiver (PACER's schedule since 1 April 2012). A later change is a new row."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    FeeSchedule = apps.get_model("fees", "FeeSchedule")
    FeeSchedule.objects.get_or_create(
        effective_from=dt.date(2012, 4, 1),
        defaults={
            "page_price": Decimal("0.10"),
            "cap_pages": 30,
            "html_bytes_per_page": 4320,
            "quarterly_waiver": Decimal("30.00"),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
