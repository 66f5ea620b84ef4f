"""The free look: an NEF recipient's one fee-free view of a document.

Each NEF gives each recipient address its own key per document (the doc1 link's
`magic_num`); only its SHA-256 is stored. `redeem` spends it: once, within 15 days,
and only for the signed-in PACER account linked to the CM/ECF account whose address
received it. Anyone else, or a second view, pays the usual fee (the fees app decides;
the document view only learns whether this view was the free one).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from nextgen.dockets.models import Document
from nextgen.signon.models import Account

from .models import FreeLook
from .nef import hash_key

KEY_MAX_LENGTH = 64


def redeem(
    *, acting: Account | None, request: HttpRequest, document: Document, key: str | None
) -> bool:
    """Spend the free look `key` on `document` for `acting`, the signed-in account (None:
    nobody, never free): True when this view is free. One conditional UPDATE, so two
    simultaneous views cannot both use it."""
    if not key or not key.isdigit() or len(key) > KEY_MAX_LENGTH:
        return False
    if acting is None or not acting.is_authenticated:
        return False
    now = timezone.now()
    spent = FreeLook.objects.filter(
        key_hash=hash_key(key),
        document=document,
        used_at__isnull=True,
        expires_at__gt=now,
        filer__account_id=acting.pk,
    ).update(used_at=now, used_by_id=acting.pk)
    return spent == 1
