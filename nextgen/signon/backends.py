"""The authentication backend: Django's ModelBackend, with the account of a signed-in
request read by SQL compiled once per process (nextgen.precompiled). Every signed-in
request reads its account; building that query cost more CPU than running it.

Settings list it first and Django's ModelBackend second: ModelBackend still answers for
sessions begun before this backend existed (a session names the backend that signed it
in), so nobody is signed out by the change."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from nextgen.precompiled import Precompiled

from .models import Account

_ACCOUNT = Precompiled[Account](lambda pk: Account._default_manager.filter(pk=pk), int)


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs) -> None:  # noqa: ANN001
        """Checks no password: NextGen's sign-in (flows/login.py) does, and Django's own
        authenticate() goes on to ModelBackend, so a wrong password costs one hash."""
        return None

    def get_user(self, user_id: int) -> Account | None:
        user = _ACCOUNT.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
