"""Single-use, expiring links to set a new CM/ECF password (no table needed).

Django's PasswordResetTokenGenerator signs a hash value with the secret key and a
timestamp, checks it in constant time and refuses it after
settings.PASSWORD_RESET_TIMEOUT. Here the hash value is the CM/ECF account's state:
setting the password changes the hash (and updated_at), so a used link dies, and so
does every older one; linking the account also changes updated_at (and account_id),
so a link mailed before the account was linked cannot be used after.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from .models import FilerAccount


class FilerPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a PACER reset token can never pass as a CM/ECF one, or back.
    key_salt = "nextgen.ecf.tokens.FilerPasswordResetTokenGenerator"

    def _make_hash_value(self, user: FilerAccount, timestamp: int) -> str:  # type: ignore[override]
        updated = user.updated_at.isoformat() if user.updated_at else ""
        return f"{user.pk}|{user.password}|{updated}|{user.account_id or ''}|{timestamp}"


filer_token_generator = FilerPasswordResetTokenGenerator()
