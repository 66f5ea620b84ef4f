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

# The free look of an NEF recipient: `redeem(*, acting, request, document, key) -> bool`, set by
# nextgen.noticing (None: no free looks, every view is charged as usual).
FREE_LOOK_REDEEMER: list[Callable[..., bool]] = []

# Court staff's docket: each takes the entries and returns them with a `delivery_report`
# (nextgen.noticing: how far each entry's notices got).
ENTRY_REPORTERS: list[Callable[[Any], Any]] = []

# Who the NEF of an entry goes to, as its filing receipt lists it: each planner takes the
# entry and returns ([(name, [addresses])], [names noticed by other means]) (nextgen.noticing:
# the NEF's own plan, so the receipt and the notice never disagree).
NOTICE_PLANNERS: list[Callable[[Any], tuple[list[tuple[str, list[str]]], list[str]]]] = []


def entry_filed(*, entry: Any, request: Any = None) -> None:
    for listener in ENTRY_FILED_LISTENERS:
        listener(entry=entry, request=request)


def free_look(*, acting: Any, request: Any, document: Any) -> bool:
    """Whether this view of `document` is the free look of `acting`, the signed-in NEF
    recipient (the doc1 link's `magic_num`), spending it if so."""
    key = request.GET.get("magic_num", "")
    return any(
        redeem(acting=acting, request=request, document=document, key=key)
        for redeem in FREE_LOOK_REDEEMER
    )


def mark_free_look(request: Any, free: bool) -> None:
    """Say on the request whether this view was a free look (`request.nextgen_free_look`,
    which tests read); an attribute Django's request does not declare."""
    vars(request)["nextgen_free_look"] = free


def with_reports(entries: Any) -> Any:
    """The staff docket's entries, annotated by every reporter (as they are without one)."""
    for reporter in ENTRY_REPORTERS:
        entries = reporter(entries)
    return entries


def notice_lists(entry: Any) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Who the NEF of `entry` is mailed to (name and addresses) and who is noticed by other
    means, as the notice itself says; two empty lists without a planner."""
    for planner in NOTICE_PLANNERS:
        return planner(entry)
    return [], []
