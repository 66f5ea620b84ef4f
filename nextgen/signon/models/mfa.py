"""Multi-factor authentication data that django-otp does not keep for us.

The authenticator app itself is django-otp's TOTPDevice (drift, replay protection).
Backup codes live here instead of in django-otp's StaticToken, which keeps them in
clear: ours keep only a salted HMAC.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

if TYPE_CHECKING:
    from .accounts import Account

_HMAC_PURPOSE = "nextgen.signon.BackupCode"


def _digest(salt: str, code: str, secret: str) -> str:
    return salted_hmac(
        _HMAC_PURPOSE, f"{salt}:{code}", secret=secret, algorithm="sha256"
    ).hexdigest()


class BackupCode(models.Model):
    """One single-use backup code, stored as HMAC-SHA256(SECRET_KEY, salt + code).

    A backup code carries about 50 random bits, so a fast keyed hash is enough: a copy
    of this table without the secret key opens nothing, and checking the ten codes of
    an account costs microseconds rather than ten password hashes.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_backup_codes"
    )
    salt = models.CharField(max_length=32, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "MFA backup code"
        indexes = [models.Index(fields=["account", "used_at"])]

    def __str__(self) -> str:
        return f"backup code {self.pk} of {self.account_id}{' (used)' if self.used_at else ''}"

    @classmethod
    def for_code(cls, account: Account, code: str) -> BackupCode:
        """An unsaved row for `code` (already normalized): only its hash is kept."""
        salt = secrets.token_hex(16)
        return cls(account=account, salt=salt, digest=_digest(salt, code, settings.SECRET_KEY))

    def matches(self, code: str) -> bool:
        """Whether `code` (normalized) is this one; a rotated SECRET_KEY still matches
        through SECRET_KEY_FALLBACKS, so rotating the key does not void anyone's codes."""
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(
            constant_time_compare(self.digest, _digest(self.salt, code, key)) for key in keys
        )


class MfaPrompt(models.Model):
    """How often a filer put off setting up MFA at sign-in (at most MFA_SKIPS_ALLOWED)."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_prompt"
    )
    skips = models.PositiveSmallIntegerField(default=0)
    last_skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "MFA enrollment prompt"

    def __str__(self) -> str:
        return f"{self.account_id}: {self.skips} skip(s)"
