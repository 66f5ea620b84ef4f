"""The authentication backend: Django's ModelBackend, with the account of a signed-in
request read by SQL compiled once per process (nextgen.precompiled). Every signed-in
request reads its account; building that query cost more CPU than running it.

It is the only backend, and it checks no password: NextGen's sign-in (flows/login.py)
does, throttled and audited, so Django's own authenticate() opens nothing. (Django's
ModelBackend was listed after it for the sessions begun before it; one of those still
in use, its age renewed by activity, is signed out once and signs in again.)"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from nextgen.precompiled import Precompiled

from .models import Account

_ACCOUNT = Precompiled[Account](lambda pk: Account._default_manager.filter(pk=pk), int)


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs) -> None:  # noqa: ANN001
        """Checks no password: NextGen's sign-in (flows/login.py) does, throttled and
        audited; Django's authenticate() finds no account here, right password or not."""
        return None

    def get_user(self, user_id: int) -> Account | None:
        user = _ACCOUNT.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
