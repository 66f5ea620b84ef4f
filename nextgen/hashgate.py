"""Password checks run a few at a time per app process, behind every other page.

A password check (Argon2id, ~20 MB and tens of ms of one core) is most of a sign-in's
cost. On go-live day hundreds of attorneys sign in and link at once: with one request
per worker process (gunicorn's sync workers), every page then queued behind workers
busy hashing (p99 of 31 s for pages that check no password). The app servers run
threaded workers instead (gunicorn.conf.py: gthread, a thread per connection), and:

* a request to a view marked `@verifies_password` enters Django only through this
  gate (`HashGate`): at most HASHES_PER_PROCESS of them run at once per process (each
  Argon2 check holds ~20 MB), the others wait here, before Django, holding no database
  connection (the pool's connections go to the pages served meanwhile);
* the hash itself (`at_low_priority`, used by the project's Argon2 hasher) runs on one
  of the process's hashing threads, at a lower CPU priority (HASH_NICE): when the cores
  are busy, pages go first and the hashes take the time left over (all of it between
  pages). Only the hash: argon2-cffi releases the GIL while it hashes, so a low-priority
  thread never holds the GIL the process's other threads wait for (a whole request at
  low priority did, and stalled every page of its process).

The gate is a WSGI wrapper (nextgen/wsgi.py), not a middleware: a middleware runs
after the request's session and database work have begun.

A place is never held by a slow client: the request's body is read in full before the
request queues for a place (a client trickling its body holds one thread, never the
gate). A request waits at most GATE_WAIT seconds, and at most GATE_QUEUE requests wait
per process, of which at most GATE_PER_CLIENT come from one client (its address as the
throttle counts it, nextgen.network: one client cannot fill the queue and keep every
other attorney out): beyond any of these, the answer is 503 with Retry-After ("try
again shortly"), before any password is checked, so nothing changed. Production still
puts the app servers behind a proxy that buffers request bodies (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.urls import Resolver404, resolve

from nextgen.network import group_in

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])

# One check at a time per process: `make serve` runs more processes than cores (2 x
# cores + 1), so the checks of all of them already keep every core busy, and each holds
# ~20 MB. Two per process (10 Argon2 checks at once on 2 cores) measured slightly worse:
# in seven alternating pairs of go-live surges, six linked more attorneys a second with
# one, 5% more on average (bench/README.md, issue 14's ninth round). A server with fewer
# processes than cores should raise it to about cores / processes.
HASHES_PER_PROCESS = max(1, int(os.environ.get("NEXTGEN_HASHES_PER_PROCESS", "1")))
# How much lower the hashing threads' CPU priority is (Linux nice, per thread; 0: the same).
HASH_NICE = int(os.environ.get("NEXTGEN_HASH_NICE", "10"))

# How long a password check may wait for a place, and how many may wait at once per
# process, before the answer is "try again shortly" (503) rather than a longer queue.
# Sized for go-live day: 200 attorneys signing in at once are several seconds of
# hashing, and one process may accept 60 of them at once (its connections are bounded
# by gunicorn.conf.py's threads, NEXTGEN_THREADS): as many may wait as its threads less
# the checking ones. The wait stays under a proxy's usual 60 s read timeout (nginx's
# proxy_read_timeout), so the answer still reaches the client.
GATE_WAIT = float(os.environ.get("NEXTGEN_GATE_WAIT", "45"))
_THREADS = int(os.environ.get("NEXTGEN_THREADS", "64"))
GATE_QUEUE = max(
    1, int(os.environ.get("NEXTGEN_GATE_QUEUE", str(max(1, _THREADS - HASHES_PER_PROCESS))))
)
# How many of one client's password checks may wait or run at once per process: a few
# browsers behind one office address sign in together; a script sending dozens is
# answered "try again shortly" beyond it, and the others still get their places.
GATE_PER_CLIENT = max(1, int(os.environ.get("NEXTGEN_GATE_PER_CLIENT", "8")))
# A client turned away by GATE_PER_CLIENT is logged at most this often per process (so
# operators can tell it from a full queue, e.g. an office behind one address).
LOG_EVERY_SECONDS = 60.0
RETRY_AFTER_SECONDS = 5
# A body larger than this is not read here: Django refuses it (400) before any view runs.
MAX_BODY = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE default

_MARK = "verifies_password"


def verifies_password(view: View) -> View:
    """Marks a view whose POST checks a password: it goes through the gate."""
    setattr(view, _MARK, True)
    return view


class HashGate:
    """WSGI wrapper: a POST to a `@verifies_password` view waits for one of the
    process's HASHES_PER_PROCESS places before Django sees it."""

    def __init__(
        self,
        application: Callable[..., Iterable[bytes]],
        *,
        busy: Callable[[dict[str, Any]], tuple[str, bytes]] | None = None,
        wait: float | None = None,
        queue: int | None = None,
        per_client: int | None = None,
    ) -> None:
        self.application = application
        self.places = threading.BoundedSemaphore(max(1, HASHES_PER_PROCESS))
        # The 503 answer's (content type, body) for a request's environ: the app's page
        # or JSON (nextgen/wsgi.py); plain text when none is given.
        self.busy = busy or (lambda environ: ("text/plain; charset=utf-8", b"Try again shortly."))
        self.wait = GATE_WAIT if wait is None else wait
        self.queue = GATE_QUEUE if queue is None else queue
        self.per_client = GATE_PER_CLIENT if per_client is None else per_client
        self._waiting = 0
        # Each client's checks waiting or running now (none: no entry).
        self._by_client: dict[str, int] = {}
        self._lock = threading.Lock()
        self._logged_at = float("-inf")

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not _hashes(environ.get("PATH_INFO", "")):
            return self.application(environ, start_response)
        _read_body_first(environ)
        client = group_in(environ)
        with self._lock:
            mine = self._by_client.get(client, 0)
            capped = mine >= self.per_client
            full = capped or self._waiting >= self.queue
            if not full:
                self._waiting += 1
                self._by_client[client] = mine + 1
        if full:
            if capped:
                self._log_capped(client)
            return self._try_again(environ, start_response)
        try:
            try:
                got = self.places.acquire(timeout=self.wait)
            finally:
                with self._lock:
                    self._waiting -= 1
            if not got:
                return self._try_again(environ, start_response)
            # Django renders the whole response inside the call (these views never
            # stream), so the check is over when the call returns.
            try:
                return self.application(environ, start_response)
            finally:
                self.places.release()
        finally:
            with self._lock:
                left = self._by_client[client] - 1
                if left:
                    self._by_client[client] = left
                else:
                    del self._by_client[client]

    def _log_capped(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._logged_at < LOG_EVERY_SECONDS:
                return
            self._logged_at = now
        logger.warning(
            "password checks of client %s past NEXTGEN_GATE_PER_CLIENT (%d at once in this "
            "process): answered try again shortly",
            client,
            self.per_client,
        )

    def _try_again(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        content_type, body = self.busy(environ)
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Retry-After", str(RETRY_AFTER_SECONDS)),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


def _read_body_first(environ: dict[str, Any]) -> None:
    """Read the whole body now, so a place is only ever held by a request that is
    complete; an oversized or unknown length is left for Django to refuse."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if 0 < length <= MAX_BODY and "wsgi.input" in environ:
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))


Result = TypeVar("Result")
_hashing: ThreadPoolExecutor | None = None
_hashing_lock = threading.Lock()


def at_low_priority(work: Callable[..., Result], *args: Any) -> Result:
    """`work(*args)` (a hash: C code that releases the GIL) run on one of the process's
    hashing threads, at HASH_NICE lower CPU priority; its result or its exception."""
    global _hashing
    if HASH_NICE <= 0:
        return work(*args)
    with _hashing_lock:
        if _hashing is None:
            _hashing = ThreadPoolExecutor(
                max_workers=max(1, HASHES_PER_PROCESS),
                thread_name_prefix="hashing",
                initializer=_lower_priority,
            )
    return _hashing.submit(work, *args).result()


def _forget_hashing_threads() -> None:
    # A forked process (a gunicorn worker) has none of its parent's threads.
    global _hashing
    _hashing = None


os.register_at_fork(after_in_child=_forget_hashing_threads)


def _lower_priority() -> None:
    # Per thread on Linux; elsewhere (or refused) the hashes run at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        nice = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, nice + HASH_NICE))


def _hashes(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, _MARK, False)
