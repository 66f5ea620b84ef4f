"""What an account holder sees under Manage My Account → Signed-in Sessions, and the
devices their account has been used on (for the "new sign-in" e-mail).

Django's session table cannot be searched by account, and a session's key changes on
sign-in, password change and key rotation; so each signed-in session gets a row of its
own, found through a random `ref` kept in the session's data (it survives every key
change).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignedInSession(models.Model):
    """One browser session of an account, from sign-in to sign-out."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    ref = models.CharField(max_length=64, unique=True, editable=False)
    # The Django session's current key, and the session hash it was last seen with: a
    # session whose hash no longer matches the account's was ended by a password change
    # or a "sign everyone out", even if its row in the session table is still there.
    session_key = models.CharField(max_length=40, db_index=True, editable=False)
    auth_hash = models.CharField(max_length=128, editable=False)
    device = models.CharField(max_length=120, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "signed-in session"
        indexes = [models.Index(fields=["account", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.device} since {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A browser the account has signed in from, known by its device cookie (a random
    value; only its SHA-256 is kept). A sign-in from any other browser is told by mail."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    token_hash = models.CharField(max_length=64, editable=False)
    device = models.CharField(max_length=120, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "known device"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "token_hash"], name="signon_known_device_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.device}"
