"""gunicorn settings read by every `gunicorn nextgen.wsgi:application` started in this
directory (`make serve`, the systemd unit in docs/operations.md).

The logger class strips password reset tokens from the access log (nextgen/logredact.py).
"""

logger_class = "nextgen.logredact.GunicornLogger"
