"""gunicorn settings read by every `gunicorn nextgen.wsgi:application` started in this
directory (`make serve`, the systemd unit in docs/operations.md).

The logger class strips password reset tokens from the access log (nextgen/logredact.py).

Threaded workers (docs/operations.md, "Running the app servers"): each process serves a
connection per thread, so a page never queues behind another request's password check.
Password checks wait at the process's gate instead (nextgen/hashgate.py: two at once per
process, the others before Django, holding no database connection; the hash itself at a
lower CPU priority), and the threads share
a small pool of PostgreSQL connections per process (NEXTGEN_DB_POOL) instead of one each.
"""

import os

logger_class = "nextgen.logredact.GunicornLogger"

worker_class = "gthread"
threads = int(os.environ.get("NEXTGEN_THREADS", "64"))
# Every open connection has a thread of its own: a connection beyond the threads would
# wait for one, and all of them may be waiting at the password gate (a first run let
# 16 more and their pages waited 25 s). More clients than processes x threads wait in
# the listen backlog, where any process with a free thread takes them.
worker_connections = threads
# One request per connection, as gunicorn's sync workers served them: a kept-alive
# connection would hold a thread (and its process's place) while idle.
keepalive = 0
# The threads' PostgreSQL connections: a pool per process, not one per thread (64
# threads x 5 processes would pass PostgreSQL's max_connections, 100 by default).
raw_env = [f"NEXTGEN_DB_POOL={os.environ.get('NEXTGEN_DB_POOL', '6')}"]


def post_worker_init(worker: object) -> None:
    """Each worker compiles the project's templates before its first connection, once,
    instead of every thread of its first burst compiling them at once, and then sets
    what it has loaded aside from full garbage collections, which would otherwise stall
    all its threads for ~50 ms each time (nextgen/warmup.py)."""
    import logging

    try:
        from nextgen.warmup import set_aside_what_is_loaded, warm_up

        warm_up()
        set_aside_what_is_loaded()
    except Exception:  # a failed warm-up costs speed, never the worker (gunicorn halts
        # the whole server when post_worker_init raises)
        logging.getLogger("nextgen.warmup").exception("warm-up failed; serving cold")
