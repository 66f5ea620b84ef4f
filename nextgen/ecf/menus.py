"""The court's menu bar, computed on every request from who is signed in and the court.

Nothing about menus is cached in the session, so the full filing menu shows on the
very next page after linking: never a refresh, never a stale menu. Within one GET of a
court page the viewer's link and staff role are read once, with the court itself
(`court_for_viewer`), and every menu, link check and "Staff" link of that page uses them.
Higher apps may read more of the viewer's facts in that same query (VIEWER_EXTRAS: the
fees app's quarter-to-date line).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse

from nextgen.precompiled import Precompiled
from nextgen.reversing import reverse_kept
from nextgen.signon.http import Viewer
from nextgen.signon.models import Account

from .models import Court, CourtRole, FilerAccount

PACER_ONLY = ["Query", "Reports", "Utilities", "Search", "Help"]

# The filing menus (Civil, Criminal, Bankruptcy, Adversary) are pages of nextgen.dockets,
# a higher layer: it registers how to reach them when it is ready (its AppConfig). Until
# one registers, the menus lead to this app's own placeholder page.
_filing_menu_url: Callable[[Court, str], str] | None = None


def register_filing_menu(url_for: Callable[[Court, str], str]) -> None:
    """Called by the app that serves the filing menus: `url_for(court, menu)` with menu
    one of "civil", "criminal", "bankruptcy", "adversary"."""
    global _filing_menu_url
    _filing_menu_url = url_for
    _MENUS.clear()


# The PACER access pages (Query, Reports, Search) are nextgen.records, also higher up: it
# registers `url_for(court, label)` (None for a label it does not serve).
_menu_page_url: Callable[[Court, str], str | None] | None = None


def register_menu_page(url_for: Callable[[Court, str], str | None]) -> None:
    global _menu_page_url
    _menu_page_url = url_for
    _MENUS.clear()


def menu_page_url(court: Court, label: str) -> str:
    url = _menu_page_url(court, label) if _menu_page_url is not None else None
    return url or reverse("ecf:menu_page", args=[court.code, label.lower()])


# `?logout` on a court page may come from a client signed in by a credential of a higher
# app (the API's tokens): each handler registered here (AppConfig.ready()) ends the
# request's own credential and answers True if the request came in with one.
COURT_LOGOUT_HANDLERS: list[Callable[[HttpRequest], bool]] = []


def filing_menu_url(court: Court, menu: str) -> str | None:
    return _filing_menu_url(court, menu) if _filing_menu_url is not None else None


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str


# On a Court loaded by court_for_viewer: (account pk, linked here, staff role here).
_VIEWER_FACTS = "_nextgen_viewer_facts"


def _court_with_viewer(code: str, account_id: int):
    return Court.objects.filter(code=code).annotate(
        viewer_linked=Exists(
            FilerAccount.objects.filter(court=OuterRef("pk"), account_id=account_id)
        ),
        viewer_staff=Exists(
            CourtRole.objects.filter(
                court=OuterRef("pk"), account_id=account_id, role=CourtRole.Role.STAFF
            )
        ),
    )


@dataclass(frozen=True)
class ViewerExtra:
    """More of the viewer's facts that a higher app reads in the court's own query (one
    round trip less on every court page), registered in its AppConfig.ready()."""

    # The kinds of the values `args` gives (nextgen.precompiled: int, str or date).
    arg_types: tuple[type, ...]
    # The values of this request (e.g. today's date), computed before the query.
    args: Callable[[], tuple[Any, ...]]
    # (the court queryset, the account's pk, *args) -> the queryset with its annotations.
    annotate: Callable[..., QuerySet[Court]]
    # (the request, the court as read, args): keep what the annotations read.
    keep: Callable[[HttpRequest, Court, tuple[Any, ...]], None]


VIEWER_EXTRAS: list[ViewerExtra] = []


def _court_with_viewer_and_extras(code: str, account_id: int, *extra_args: Any):
    queryset = _court_with_viewer(code, account_id)
    for extra, args in zip(VIEWER_EXTRAS, _split(extra_args), strict=True):
        queryset = extra.annotate(queryset, account_id, *args)
    return queryset


def _split(values: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """`values` cut into each extra's own arguments, in VIEWER_EXTRAS' order."""
    parts, start = [], 0
    for extra in VIEWER_EXTRAS:
        parts.append(values[start : start + len(extra.arg_types)])
        start += len(extra.arg_types)
    return parts


# Every court page asks it: its SQL is compiled once per process (nextgen.precompiled),
# on first use, when every app has registered its extras.
@functools.cache
def _compiled_court_query() -> Precompiled[Court]:
    kinds = [kind for extra in VIEWER_EXTRAS for kind in extra.arg_types]
    return Precompiled[Court](_court_with_viewer_and_extras, str, int, *kinds)


def court_for_viewer(code: str, account: Viewer, request: HttpRequest | None = None) -> Court:
    """The court (404 if none) with the signed-in `account`'s link and staff role there,
    in one query, and with `request` the facts of VIEWER_EXTRAS. Only for a request that
    changes nothing: the facts are as of its start."""
    if not account.is_authenticated:
        return get_object_or_404(Court, code=code)
    extra_args = tuple(value for extra in VIEWER_EXTRAS for value in extra.args())
    court = _compiled_court_query().first(code, account.pk, *extra_args)
    if court is None:
        raise Http404("No court matches the given query.")
    # The query annotates these two facts; django-stubs cannot see them on Court.
    facts = (account.pk, court.viewer_linked, court.viewer_staff)  # type: ignore[attr-defined]
    setattr(court, _VIEWER_FACTS, facts)
    if request is not None:
        for extra, args in zip(VIEWER_EXTRAS, _split(extra_args), strict=True):
            extra.keep(request, court, args)
    return court


def viewer_fact(court: Court, account: Account, index: int) -> bool | None:
    """Fact `index` (1 linked, 2 staff) that court_for_viewer read for this account, or None."""
    facts = getattr(court, _VIEWER_FACTS, None)
    if facts is None or facts[0] != account.pk:
        return None
    return facts[index]


def has_filing_rights(account: Account, court: Court) -> bool:
    """A linked, active, upgraded, individual account may file in this court."""
    if not account.is_authenticated or not account.may_file:
        return False
    known = viewer_fact(court, account, 1)
    if known is not None:
        return known
    return FilerAccount.objects.filter(court=court, account=account).exists()


def is_filer_anywhere(account: Account) -> bool:
    """Whether the account may file in some court: the one place that says who is a filer
    (the API asks filers to acknowledge redaction). Court-approved e-filing
    registrations belong here too when they exist."""
    return filer_rows(account).exists()


def filer_rows(account):  # noqa: ANN001, ANN201 - an Account or an OuterRef to one
    """The rows that make `account` a filer somewhere (is_filer_anywhere's rule), also
    usable in a subquery: filer_rows(OuterRef("pk"))."""
    return FilerAccount.objects.filter(account=account)


def staff_role_rows(account):  # noqa: ANN001, ANN201 - an Account or an OuterRef to one
    """The rows that give `account` a role at some court (its staff must use MFA)."""
    return CourtRole.objects.filter(account=account)


# The menu's items for (court code, filing menus shown, script prefix): the same for every
# viewer with the same rights, so each process builds them once (about a dozen reverse()
# calls a page otherwise).
_MENUS: dict[tuple[str, tuple[str, ...], str], tuple[MenuItem, ...]] = {}


def court_menu(account: Account, court: Court) -> tuple[MenuItem, ...]:
    """The menu bar's items: a tuple of frozen items, so a template can key the menu's
    rendered text on it (`{% once court.code menu %}` in court_base.html)."""
    filing = tuple(court.filing_menus) if has_filing_rights(account, court) else ()
    key = (court.code, filing, get_script_prefix())
    items = _MENUS.get(key)
    if items is None:
        items = _MENUS[key] = _build_menu(court, filing)
    return items


def _build_menu(court: Court, filing: tuple[str, ...]) -> tuple[MenuItem, ...]:
    items = [
        MenuItem(
            label,
            filing_menu_url(court, label.lower())
            or reverse("ecf:menu_page", args=[court.code, label.lower()]),
        )
        for label in filing
    ]
    items += [MenuItem(label, menu_page_url(court, label)) for label in PACER_ONLY]
    items.append(MenuItem("Log Out", logout_url(court)))
    return tuple(items)


def logout_url(court: Court) -> str:
    # Existing PACER clients look for this exact path to know they are signed in.
    return reverse_kept("ecf:entry", args=[court.code]) + "?logout"
