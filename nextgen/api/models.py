"""Tokens of the PACER Authentication API: what `nextGenCSO` stands for on our side."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """One token issued by POST /services/cso-auth.

    Only the SHA-256 of the token is stored: a copy of this table opens no session.
    `auth_hash` is the account's session hash at issue; a password change or a
    rotated security stamp changes that hash, which ends the token with no write here.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    auth_hash = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    client_code = models.CharField(max_length=32, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        indexes = [models.Index(fields=["account", "revoked_at"])]

    def __str__(self) -> str:
        return f"token {self.pk} of {self.account_id}"
