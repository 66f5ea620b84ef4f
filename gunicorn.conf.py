"""gunicorn settings read by every `gunicorn nextgen.wsgi:application` started in this
directory (`make serve`, the systemd unit in docs/operations.md).

The logger class strips password reset tokens from the access log (nextgen/logredact.py).

Threaded workers (docs/operations.md, "Running the app servers"): each process serves a
connection per thread, so a page never queues behind another request's password check.
Password checks run on the process's two hashing threads instead, at a lower CPU
priority (nextgen/hashgate.py; the others wait before Django, holding no database
connection), and the threads share
a small pool of PostgreSQL connections per process (NEXTGEN_DB_POOL) instead of one each.
"""

import os

logger_class = "nextgen.logredact.GunicornLogger"

worker_class = "gthread"
threads = int(os.environ.get("NEXTGEN_THREADS", "64"))
# Open connections per process: a few more than threads, for idle keep-alive ones (a
# connection beyond the threads waits for a thread, and all threads may be waiting at
# the password gate). More clients than processes x threads wait in the listen backlog.
worker_connections = threads + 16
# Longer than a load balancer's idle timeout (60 s is common), so the server never
# closes a kept-alive connection just as the balancer (or a client) sends on it.
keepalive = 75
# The threads' PostgreSQL connections: a pool per process, not one per thread (64
# threads x 5 processes would pass PostgreSQL's max_connections, 100 by default).
raw_env = [f"NEXTGEN_DB_POOL={os.environ.get('NEXTGEN_DB_POOL', '6')}"]
