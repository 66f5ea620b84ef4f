"""`nextgen demo`: load the demo accounts (idempotent) and print their logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from nextgen.signon.demo import DEMO_LOADERS
from nextgen.signon.models import Account, UserType, normalize_username
from nextgen.signon.services import create_account

DEMO_ACCOUNTS: list[dict[str, Any]] = [
    dict(
        username="jattorney",
        password="Demo#Filer2026",
        first_name="John",
        last_name="Attorney",
        email="john.attorney@example.com",
        user_type=UserType.ATTORNEY,
        firm="Attorney & Associates",
        address="1 Main Street",
        city="Hartford",
        state="CT",
        county="Hartford",
        zip_code="06103",
        phone="860-555-0100",
        security=("first_pet", "Rex", "birth_city", "Hartford"),
        label="upgraded individual attorney",
    ),
    dict(
        username="llegacy",
        password="Demo#Legacy2012",
        first_name="Linda",
        last_name="Legacy",
        email="linda.legacy@example.com",
        user_type=UserType.ATTORNEY,
        legacy=True,
        label="legacy account (2012), must upgrade",
    ),
    dict(
        username="smithfirm",
        password="Demo#Shared2026",
        first_name="Smith",
        last_name="Firm",
        email="office@smithfirm.example.com",
        user_type=UserType.SEARCH_ONLY,
        shared=True,
        label="shared firm account",
    ),
    dict(
        username="psc.staff",
        password="Demo#Service2026",
        first_name="Pat",
        last_name="Service",
        email="psc.staff@example.com",
        user_type=UserType.SEARCH_ONLY,
        service_center=True,
        label="PACER Service Center staff",
    ),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        rows = []
        with transaction.atomic():
            for spec in DEMO_ACCOUNTS:
                spec = dict(spec)
                label = spec.pop("label")
                if not Account.objects.filter(
                    username_key=normalize_username(spec["username"])
                ).exists():
                    create_account(via="demo", **spec)
                rows.append((spec["username"], spec["password"], label))
        self.stdout.write("Demo PACER accounts (user name / password):")
        for username, password, label in rows:
            self.stdout.write(f"  {username:<12} {password:<18} {label}")
        # Courts, CM/ECF logins, court staff, cases: loaded by the apps above this one.
        for loader in DEMO_LOADERS:
            loader(self.stdout.write)
