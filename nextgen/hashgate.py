"""Password checks run a few at a time per app process, behind every other page.

A password check (Argon2id, ~20 MB and tens of ms of one core) is most of a sign-in's
cost. On go-live day hundreds of attorneys sign in and link at once: with one request
per worker process (gunicorn's sync workers), every page then queued behind workers
busy hashing (p99 of 31 s for pages that check no password). The app servers run
threaded workers instead (gunicorn.conf.py: gthread, a thread per connection), and a
request to a view marked `@verifies_password` is handed by this gate to the process's
hashing threads: HASHES_PER_PROCESS of them, so at most that many such requests run at
once per process (each Argon2 check holds ~20 MB), and the others wait in the queue
before Django, holding no database connection. The hashing threads run at a lower CPU
priority (HASH_NICE): when the cores are busy, the pages that check no password are
served first and the checks take the time left over, which is all of it between
pages. argon2-cffi releases the GIL while it hashes, so the process's other threads
serve pages meanwhile.

The gate is a WSGI wrapper (nextgen/wsgi.py), not a middleware: a middleware runs
after the request's session and database work have begun.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.urls import Resolver404, resolve

View = TypeVar("View", bound=Callable[..., Any])

# Two checks at once per process: one per core when the server runs one process per
# core, and enough that a process never idles waiting on its own gate. More would only
# share the same cores and multiply the memory (each Argon2 check holds ~20 MB).
HASHES_PER_PROCESS = int(os.environ.get("NEXTGEN_HASHES_PER_PROCESS", "2"))
# How much lower the hashing threads' CPU priority is (Linux nice, per thread; 0: the same).
HASH_NICE = int(os.environ.get("NEXTGEN_HASH_NICE", "10"))

_MARK = "verifies_password"


def verifies_password(view: View) -> View:
    """Marks a view whose POST checks a password: it goes through the gate."""
    setattr(view, _MARK, True)
    return view


class HashGate:
    """WSGI wrapper: a POST to a `@verifies_password` view runs on one of the process's
    HASHES_PER_PROCESS hashing threads, in turn; every other request as it came."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application
        self.hashing = ThreadPoolExecutor(
            max_workers=max(1, HASHES_PER_PROCESS),
            thread_name_prefix="hashing",
            initializer=_lower_priority,
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not _hashes(environ.get("PATH_INFO", "")):
            return self.application(environ, start_response)
        return self.hashing.submit(self._whole, environ, start_response).result()

    def _whole(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The response, read and closed on the hashing thread: closing it ends the
        request there (Django's request_finished), which gives that thread's database
        connection back to the pool. These views never stream; their pages are small."""
        result = self.application(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _lower_priority() -> None:
    if HASH_NICE > 0:
        # Per thread on Linux; elsewhere (or refused) the checks run at normal priority.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICE)


def _hashes(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, _MARK, False)
