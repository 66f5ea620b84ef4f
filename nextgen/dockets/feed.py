"""The court's RSS feed, `cgi-bin/rss_outside.pl`: recent public filings, in the RSS 2.0
form PACER courts publish (and juriscraper's `PacerRssFeed` reads).

- One item per docket entry entered in the last FEED_WINDOW (newest first, at most
  FEED_MAX_ITEMS) whose event type court staff leave in the feed (`FilingEvent.in_rss_feed`,
  ticked on the staff page "RSS feed"; `set_feed_events` below).
- Public only: an entry of a sealed case, or a sealed entry, never appears, whatever the
  event's flag says (the case list is the anonymous visitor's, from nextgen.dockets.selectors).
- Item title "<case number> <case title>"; link the case's docket report
  (`cgi-bin/DktRpt.pl?<case id>`); description "[<event>] (<a href=doc1>N</a>)", with
  "Type: bk Office: 1 Chapter: 7 Trustee: <name>" before it in a bankruptcy court, as
  PACER writes it; guid the docket report with the entry's id; pubDate when entered.

The document link is `doc1/<12-digit id>?caseid=<case>&de_seq_num=<entry>`: PACER's shape,
with the id of nextgen.dockets.doc_ids (the same as the docket report's and the NEF's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from nextgen.audit.models import Action
from nextgen.audit.services import record
from nextgen.ecf.models import Court, CourtKind
from nextgen.signon.models import Account

from . import notices
from .actions import require_staff
from .doc_ids import doc1_path
from .models import Case, DocketEntry, Document, FilingEvent, Party, PartyRole
from .selectors import visible_cases

FEED_WINDOW = dt.timedelta(hours=24)
FEED_MAX_ITEMS = 500
ACTION_FEED_EVENTS = Action.DOCKET_STAFF_FEED_EVENTS


def feed_entries(court: Court) -> QuerySet[DocketEntry]:
    """The entries the public feed lists now, with what an item shows, in a fixed number
    of queries."""
    since = timezone.now() - FEED_WINDOW
    public_cases = visible_cases(AnonymousUser(), court)
    return (
        DocketEntry.objects.filter(
            case__in=public_cases,
            sealed=False,
            event__in_rss_feed=True,
            event__court=court,
            date_entered__gte=since,
        )
        .select_related("case__court", "event")
        .prefetch_related(
            Prefetch(
                "documents", queryset=Document.objects.filter(number=0), to_attr="main_documents"
            ),
            Prefetch(
                "case__parties",
                queryset=Party.objects.filter(role=PartyRole.TRUSTEE, date_terminated=None),
                to_attr="feed_trustees",
            ),
        )
        .order_by("-date_entered", "-pk")[:FEED_MAX_ITEMS]
    )


def docket_report_path(case: Case) -> str:
    """The case's docket report, CM/ECF's `cgi-bin/DktRpt.pl?<case id>`."""
    return f"{reverse('ecf:main', args=[case.court.code])}DktRpt.pl?{case.pk}"


def document_path(document: Document) -> str:
    """PACER's doc1 link for a document (see the module docstring for the id)."""
    entry = document.entry
    path = doc1_path(document, entry.case.court)
    return f"{path}?caseid={entry.case_id}&de_seq_num={entry.pk}"


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    description: str
    guid: str
    entered: dt.datetime


def _bankruptcy_prefix(case: Case) -> str:
    chapter = case.chapter if case.chapter is not None else ""
    prefix = f"Type: {case.case_type} Office: {case.office} Chapter: {chapter} "
    trustees = getattr(case, "feed_trustees", [])
    if trustees:
        prefix += f"Trustee: {trustees[0].name} "
    return prefix


def feed_item(entry: DocketEntry, absolute) -> FeedItem:
    """One entry as an RSS item; `absolute` turns a path into a full URL."""
    case = entry.case
    docket_url = absolute(docket_report_path(case))
    description = f"[{escape(entry.event.label if entry.event else '')}] "
    main = getattr(entry, "main_documents", None)
    if main is None:
        main = list(entry.documents.filter(number=0))
    if main:
        main[0].entry = entry
        description += f'(<a href="{escape(absolute(document_path(main[0])))}" >{entry.number}</a>)'
    bankruptcy = case.court.kind == CourtKind.BANKRUPTCY
    if bankruptcy:
        description = _bankruptcy_prefix(case) + description
    # PACER's two guid forms: "?<case>&<entry>" (district), "?<case>-<entry>" (bankruptcy).
    guid = f"{docket_url}{'-' if bankruptcy else '&'}{entry.pk}"
    return FeedItem(
        title=f"{case.number} {case.title}",
        link=docket_url,
        description=description,
        guid=guid,
        entered=entry.date_entered,
    )


def feed_description(court: Court) -> str:
    """PACER's channel description: which event types the feed lists."""
    events = FilingEvent.objects.filter(court=court)
    if not events.filter(in_rss_feed=False).exists():
        return "Docket entries of type: all"
    codes = sorted(set(events.filter(in_rss_feed=True).values_list("code", flat=True)))
    return "Docket entries of type: " + (",".join(codes) or "none")


def render_feed(court: Court, request: HttpRequest) -> tuple[bytes, str]:
    """The feed's XML (UTF-8) and its ETag."""
    absolute = request.build_absolute_uri
    feed = Rss201rev2Feed(
        title=notices.FEED_TITLE.format(court=court.name),
        link=absolute(reverse("ecf:court_home", args=[court.code])),
        description=feed_description(court),
        language="en-us",
        feed_url=absolute(reverse("dockets:rss_feed", args=[court.code])),
    )
    # The ETag covers what the feed says, not when it was built (an empty feed's
    # lastBuildDate is "now"), so an unchanged feed answers 304.
    digest = hashlib.sha256(repr(feed.feed).encode())
    for entry in feed_entries(court):
        item = feed_item(entry, absolute)
        digest.update(repr(item).encode())
        feed.add_item(
            title=item.title,
            link=item.link,
            description=item.description,
            unique_id=item.guid,
            unique_id_is_permalink=True,
            pubdate=item.entered,
        )
    return feed.writeString("utf-8").encode("utf-8"), f'"{digest.hexdigest()[:32]}"'


# --- court staff choose the event types ------------------------------------------------------


def set_feed_events(
    *,
    acting: Account,
    court: Court,
    events: Collection[FilingEvent],
    request: HttpRequest | None,
) -> tuple[list[FilingEvent], list[FilingEvent]]:
    """Make exactly `events` (of this court) the event types the RSS feed lists; return
    (added, removed). Court staff only; audited when anything changes."""
    require_staff(acting, court)
    wanted = {e.pk for e in events}
    if any(e.court_id != court.pk for e in events):
        raise ValidationError({"events": notices.FEED_EVENT_WRONG_COURT})
    with transaction.atomic(durable=True):
        current = list(
            FilingEvent.objects.select_for_update().filter(court=court).order_by("menu", "order")
        )
        added = [e for e in current if e.pk in wanted and not e.in_rss_feed]
        removed = [e for e in current if e.pk not in wanted and e.in_rss_feed]
        if added:
            FilingEvent.objects.filter(pk__in=[e.pk for e in added]).update(in_rss_feed=True)
        if removed:
            FilingEvent.objects.filter(pk__in=[e.pk for e in removed]).update(in_rss_feed=False)
        if added or removed:
            record(
                ACTION_FEED_EVENTS,
                request=request,
                actor=acting,
                court_code=court.code,
                details={
                    "added": [f"{e.menu}:{e.code}" for e in added],
                    "removed": [f"{e.menu}:{e.code}" for e in removed],
                },
            )
    return added, removed
