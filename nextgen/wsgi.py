import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextgen.settings")
django_application = get_wsgi_application()

# After Django is set up: the gate resolves URLs.
import json  # noqa: E402
from html import escape  # noqa: E402
from typing import Any  # noqa: E402

from django.urls import reverse  # noqa: E402

from nextgen.api import flows as api_flows  # noqa: E402
from nextgen.hashgate import HashGate  # noqa: E402
from nextgen.signon.notices import TRY_AGAIN_SHORTLY  # noqa: E402


def busy(environ: dict[str, Any]) -> tuple[str, bytes]:
    """The gate's 503 (the process's password checks are all taken and the wait ran
    out): the API's JSON answer for API calls, a small page for a browser."""
    if environ.get("PATH_INFO", "").startswith("/services/"):
        answer = api_flows.login_answer(api_flows.INVALID, TRY_AGAIN_SHORTLY)
        return "application/json", json.dumps(answer).encode()
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Please try again shortly</title></head><body><h1>PACER LOGIN</h1>"
        f"<p>{escape(TRY_AGAIN_SHORTLY)}</p>"
        f'<p><a href="{escape(reverse("signon:login"))}">Return to the login page</a></p>'
        "</body></html>"
    )
    return "text/html; charset=utf-8", page.encode()


# Password checks wait at the gate, before Django, so other pages never queue behind them.
application = HashGate(django_application, busy=busy)
