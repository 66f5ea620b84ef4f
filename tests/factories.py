"""Factories for test data (factory_boy), rather than fixtures files."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from nextgen.ecf.models import Court, CourtKind, FilerAccount, LinkMenu
from nextgen.signon.models import Account, UserType

PASSWORD = "Correct#Horse9"
ECF_PASSWORD = "Ecf#Pass2020"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "John"
    last_name = "Attorney"
    email = factory.LazyAttribute(lambda a: f"{a.username}@example.com")
    date_of_birth = dt.date(1980, 5, 17)
    user_type = UserType.ATTORNEY
    upgraded_at = factory.LazyFunction(timezone.now)
    address = "1 Main Street"
    city = "Hartford"
    state = "CT"
    zip_code = "06103"
    phone = "860-555-0100"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        self.set_security_answers("first_pet", "Rex", "birth_city", "Hartford")
        if create:
            self.save()


class LegacyAccountFactory(AccountFactory):
    upgraded_at = None
    created_at = dt.datetime(2012, 3, 1, tzinfo=dt.UTC)


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"c{n}")
    name = factory.LazyAttribute(lambda c: f"United States District Court {c.code.upper()}")
    kind = CourtKind.DISTRICT
    go_live = dt.date(2020, 1, 1)
    link_menu = LinkMenu.UTILITIES
    help_contact = "Call the Clerk's Office at 555-0100."


class FilerAccountFactory(factory.django.DjangoModelFactory):
    """A court-issued CM/ECF account; its password is ECF_PASSWORD unless given
    (pass `password=make_password(...)`: the field holds a hash)."""

    class Meta:
        model = FilerAccount

    court = factory.SubFactory(CourtFactory)
    login = factory.Sequence(lambda n: f"filer{n}")
    first_name = "John"
    last_name = "Attorney"
    email = factory.LazyAttribute(lambda f: f"{f.login}@example.com")
    bar_number = factory.Sequence(lambda n: f"CT{10000 + n}")
    password = factory.LazyFunction(lambda: make_password(ECF_PASSWORD))


def audit_event(action, **kwargs):
    """One audit event in a transaction of its own, as an action writes it (record()
    runs only inside its caller's transaction)."""
    from django.db import transaction

    from nextgen.audit.services import record

    with transaction.atomic():
        return record(action, **kwargs)
