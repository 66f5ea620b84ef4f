"""Manage My Account → Signed-in Sessions: where this account is signed in, and a button
that signs every other session out. Thin: flows/sessions.py does the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import notices
from ..flows import sessions as flow
from ..http import AuthenticatedHttpRequest

TITLE = "Signed-in Sessions"


@login_required
@never_cache
@require_GET
def signed_in_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = flow.current_ref(request)
    rows = flow.live_sessions(request.user)
    return render(
        request,
        "signon/sessions.html",
        {
            "title": TITLE,
            "intro": notices.SESSIONS_INTRO,
            "sessions": [{"row": row, "current": row.ref == mine} for row in rows],
            "others": sum(1 for row in rows if row.ref != mine),
            "programs": flow.program_sessions(request.user),
        },
    )


@login_required
@never_cache
@require_POST
def sign_out_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    ended = flow.sign_out_others(account=request.user, request=request)
    messages.success(request, notices.sessions_signed_out(ended))
    return redirect("signon:sessions")


urlpatterns = [
    path("account/sessions/", signed_in_sessions, name="sessions"),
    path("account/sessions/sign-out-others/", sign_out_others, name="sessions_sign_out_others"),
]
