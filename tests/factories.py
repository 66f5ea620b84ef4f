"""Factories for test data (factory_boy), rather than fixtures files."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from nextgen.signon.models import Account, UserType

PASSWORD = "Correct#Horse9"


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
