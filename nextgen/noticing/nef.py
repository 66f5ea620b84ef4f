"""Notices of Electronic Filing (filled in below)."""

from __future__ import annotations

from typing import Any


def queue_nef(*, entry: Any, request: Any = None) -> None:
    """Queue the NEF fan-out of a new entry (one job; the worker builds every message)."""
