"""The URL patterns' answer for a path, kept per process (issue 14).

Django tries the patterns in order on every request; a court page's path passes some
sixty patterns of the apps mounted before it (records, fees, dockets, noticing, filing),
each failing include raising and catching its own Resolver404: about 50 microseconds a
court page. The answer for a path never changes while the patterns are the same, so
KeptResolver, an include of all of NextGen's patterns under the empty prefix, keeps it:
each request still gets a ResolverMatch of its own (Django's top resolver builds one from
the kept answer, and the kept answer's dicts are copied), and a path that matches
nothing is never kept (it raises as always). At most MAX_KEPT paths are kept; past that
the store starts over, so paths with ids in them cannot grow it without bound. Paths longer
than MAX_KEPT_PATH are answered but never kept, and a kept answer drops its list of
patterns tried (only debug pages read it): a client sending long random paths that match a
catch-all (the admin's) cannot make each entry large.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLResolver
from django.urls.resolvers import ResolverMatch, RoutePattern

MAX_KEPT = 4096
# Longer than any of NextGen's own pages' paths with their ids.
MAX_KEPT_PATH = 256


class KeptResolver(URLResolver):
    def __init__(self, patterns: list[Any]) -> None:
        # The empty route: every path and every route text stay as without this layer.
        super().__init__(RoutePattern(""), patterns)
        self._kept: dict[str, ResolverMatch] = {}

    def resolve(self, path: Any) -> ResolverMatch:
        path = str(path)
        match = self._kept.get(path)
        if match is None:
            match = super().resolve(path)  # Resolver404 for no match, never kept
            if len(path) > MAX_KEPT_PATH:
                return match  # a match made for this request alone
            match.tried = None
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[path] = match
        # A match of its own for this request: nothing it changes reaches the kept one.
        # (ResolverMatch refuses copy.copy(), which pickles: its attributes are copied.)
        answer = ResolverMatch.__new__(ResolverMatch)
        vars(answer).update(vars(match))
        for name in ("kwargs", "captured_kwargs", "extra_kwargs"):
            setattr(answer, name, dict(getattr(match, name)))
        for name in ("app_names", "namespaces", "tried"):
            value = getattr(match, name)
            setattr(answer, name, None if value is None else list(value))
        return answer
