"""Deployment checks for filed documents: fail loudly on a storage that would lose or
expose them."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def documents_storage(app_configs, **kwargs):
    storages = getattr(settings, "STORAGES", {}) or {}
    if "documents" not in storages:
        return [
            Error(
                'STORAGES has no "documents" entry: filed documents have nowhere to go.',
                hint='Add STORAGES["documents"] (see docs/operations.md).',
                id="dockets.E001",
            )
        ]
    options = storages["documents"].get("OPTIONS", {})
    backend = storages["documents"].get("BACKEND", "")
    if backend.endswith("FileSystemStorage") and options.get("base_url") is not None:
        return [
            Warning(
                "The documents storage has a base_url: its files could be reached by URL "
                "without the document view's checks.",
                hint='Set STORAGES["documents"]["OPTIONS"]["base_url"] to None.',
                id="dockets.W001",
            )
        ]
    return []
