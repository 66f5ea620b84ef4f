"""PACER Authentication API endpoints: JSON in, JSON out, over api.flows."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables

from nextgen.hashgate import verifies_password
from nextgen.signon.middleware import RETRY_AFTER_SECONDS
from nextgen.signon.notices import TRY_AGAIN_SHORTLY
from nextgen.throttle import ThrottleUnavailable

from .. import flows, notices, openapi

Flow = Callable[..., dict[str, str]]
Answer = Callable[[str, str], dict[str, str]]


def _is_json(request: HttpRequest) -> bool:
    # request.content_type is already lower-cased and stripped of parameters.
    media = request.content_type or ""
    return media == "application/json" or media.endswith("+json")


def _read_json(request: HttpRequest) -> Any:
    if not _is_json(request):
        raise flows.BadPayload(notices.NOT_JSON)
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError, RequestDataTooBig) as error:
        raise flows.BadPayload(notices.NOT_JSON) from error


def _endpoint(flow: Flow, answer: Answer) -> Callable[[HttpRequest], JsonResponse]:
    """A CSRF-exempt (no cookies are involved), never-cached, POST-only JSON view."""

    @csrf_exempt
    @never_cache
    @sensitive_variables("payload")
    def view(request: HttpRequest) -> JsonResponse:
        if request.method != "POST":
            response = JsonResponse(answer(flows.REFUSED, notices.POST_ONLY), status=405)
            response["Allow"] = "POST"
            return response
        try:
            payload = _read_json(request)
            # No cookies, so no session: nobody is signed in to the API's own calls.
            return JsonResponse(flow(acting=None, request=request, payload=payload))
        except flows.BadPayload as error:
            return JsonResponse(answer(flows.REFUSED, str(error)), status=400)
        except ThrottleUnavailable:
            # No counters (Redis down): no credential is checked; the client retries.
            response = JsonResponse(answer(flows.INVALID, TRY_AGAIN_SHORTLY), status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response

    return view


cso_auth = verifies_password(_endpoint(flows.cso_auth, flows.login_answer))
cso_logout = _endpoint(flows.cso_logout, flows.logout_answer)


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi.build())
