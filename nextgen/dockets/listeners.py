"""Who else learns that a docket entry was filed (the apps above dockets fill it).

Each listener is called as `listener(entry=..., request=...)` inside the filing's own
transaction, after the entry and its documents exist, so whatever it writes commits or
rolls back with the filing. A listener must do a constant amount of work (noticing
queues one fan-out job; the worker does the rest): the filing request must not grow
with the number of people to notify.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ENTRY_FILED_LISTENERS: list[Callable[..., Any]] = []


def entry_filed(*, entry: Any, request: Any = None) -> None:
    for listener in ENTRY_FILED_LISTENERS:
        listener(entry=entry, request=request)
