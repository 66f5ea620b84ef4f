"""Reset tokens never reach a log: gunicorn's access log and Django's request log write
[redacted] where the token of a reset link was (nextgen/logredact.py)."""

from __future__ import annotations

import datetime as dt
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from gunicorn.config import Config

from nextgen.logredact import REDACTED, GunicornLogger, RedactTokensFilter, redact
from nextgen.signon.flows import recovery

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cv4yb7-0f3c1e2d9a8b7c6d5e4f3a2b1c0d9e8f"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/csologin/reset/MQ/{TOKEN}/", f"/csologin/reset/MQ/{REDACTED}/"),
        (f"/ecf/vid/passreset/Mg/{TOKEN}/", f"/ecf/vid/passreset/Mg/{REDACTED}/"),
        (
            f"GET /csologin/reset/MQ/{TOKEN}/?a=1 HTTP/1.1",
            f"GET /csologin/reset/MQ/{REDACTED}/?a=1 HTTP/1.1",
        ),
        ("/csologin/reset/MQ/set-password/", "/csologin/reset/MQ/set-password/"),
        ("/ecf/vid/passreset/done/", "/ecf/vid/passreset/done/"),
        ("/csologin/login/", "/csologin/login/"),
    ],
)
def test_only_the_token_of_a_reset_path_is_redacted(path, expected):
    assert redact(path) == expected


def _access_line(tmp_path: Path, path: str) -> str:
    """One request through gunicorn's access logging, as `make serve` configures it."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    config.set("logger_class", settings["logger_class"])
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://mail.example{path}",
    }
    response = SimpleNamespace(status="302 Found", headers=[("Location", "/x/")], sent=0)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_the_gunicorn_access_log_never_holds_a_reset_token(tmp_path, account):
    link = recovery.RESET.reset_url(RequestFactory().get("/"), account)
    path = link.removeprefix("http://testserver")
    token = path.rstrip("/").rsplit("/", 1)[1]
    line = _access_line(tmp_path, path)
    assert "GET /csologin/reset/" in line and REDACTED in line
    assert token not in line


def test_gunicorn_started_here_uses_the_redacting_logger():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("logger_class", settings["logger_class"])
    assert config.logger_class is GunicornLogger


def test_django_request_logging_never_holds_a_reset_token(caplog):
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", f"/csologin/reset/MQ/{TOKEN}/"),
        None,
    )
    assert RedactTokensFilter().filter(record)
    assert TOKEN not in record.getMessage() and REDACTED in record.getMessage()


def test_the_filter_is_on_the_console_handler():
    from django.conf import settings

    assert "redact_tokens" in settings.LOGGING["handlers"]["console"]["filters"]
