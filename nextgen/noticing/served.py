"""Who was attorney of record when an entry was made: the rule the NEF (nef.plan_for) and
the Daily Summary (summaries.py) both serve by, as a query and as a test of one row.

An attorney was of record for an entry when the representation began at or before the
entry was entered and had not ended before it: not ended; ended on a later day; ended
the same day after the entry was entered (staff ending it record the moment,
`terminated_at`; an imported end, with its date only, counts as before any entry of
that day). A representation still open for a party since terminated ends with the
party's day (rows from before terminating a party ended its attorneys with it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from nextgen.dockets.models import DocketEntry


def served_q(entry: DocketEntry) -> Q:
    """Representations whose attorney was of record when `entry` was made."""
    not_ended = Q(date_terminated__isnull=True) & (
        Q(party__date_terminated__isnull=True) | Q(party__date_terminated__gt=entry.date_filed)
    )
    ended_later = Q(date_terminated__gt=entry.date_filed) | Q(
        date_terminated=entry.date_filed, terminated_at__gt=entry.date_entered
    )
    return Q(created_at__lte=entry.date_entered) & (not_ended | ended_later)


def was_served(
    entry: DocketEntry,
    *,
    created_at: dt.datetime,
    terminated: dt.date | None,
    terminated_at: dt.datetime | None,
    party_terminated: dt.date | None,
) -> bool:
    """served_q's rule for one representation's values."""
    if created_at > entry.date_entered:
        return False
    if terminated is None:
        return party_terminated is None or party_terminated > entry.date_filed
    if terminated != entry.date_filed:
        return terminated > entry.date_filed
    return terminated_at is not None and terminated_at > entry.date_entered
