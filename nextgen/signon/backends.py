"""The authentication backend: Django's ModelBackend, with the account of a signed-in
request read by SQL compiled once per process (nextgen.precompiled). Every signed-in
request reads its account; building that query cost more CPU than running it.

NextGen checks passwords in its own sign-in flow (flows/login.py), never through
`authenticate()`; the inherited `authenticate` stays for Django's own callers."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from nextgen.precompiled import Precompiled

from .models import Account

_ACCOUNT = Precompiled(lambda pk: Account._default_manager.filter(pk=pk), int)


class AccountBackend(ModelBackend):
    def get_user(self, user_id: int) -> Account | None:
        user = _ACCOUNT.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
