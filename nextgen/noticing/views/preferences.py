"""Maintain Your E-mail: the noticing section of ecf's Email information page (rendered
through ecf.email_sections) and the POST views behind its forms. Thin: the work is in
nextgen.noticing.preferences.

A form with bad input comes back on the Email information page itself (status 400), its
field named and what was typed kept; a good one redirects there with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from nextgen.ecf.flows.emails import NotLinkedHere
from nextgen.ecf.models import Court, FilerAccount
from nextgen.ecf.views.account import email_page
from nextgen.ecf.views.court import court_page
from nextgen.forms import Form
from nextgen.signon.http import AuthenticatedHttpRequest

from .. import notices, preferences
from ..forms.preferences import FollowForm, PreferenceForm
from ..models import Delivery, Format

# The bound forms of a POST that failed, for the section to show (see email_page).
_BOUND = "_noticing_bound_forms"


def section(request: HttpRequest, court: Court, filer: FilerAccount) -> str:
    """The noticing part of the Email information page."""
    bound: dict[str, Any] = getattr(request, _BOUND, {})
    rows = []
    posted = bound.get("preference")
    stray = posted  # a bad form for an address the page no longer shows: errors on top
    for index, pref in enumerate(preferences.preferences_of(filer)):
        form = posted
        if form is not None and str(form["address"].value() or "").strip().lower() == (
            pref.address.lower()
        ):
            stray = None
        else:
            form = PreferenceForm(
                initial={"address": pref.address, "delivery": pref.delivery, "format": pref.format},
                prefix=f"a{index}",
            )
        rows.append({"pref": pref, "form": form, "index": index})
    context = {
        "court": court,
        "notices": notices,
        "rows": rows,
        "stray_form": stray,
        "follow_form": bound.get("follow") or FollowForm(),
        "followed": preferences.followed_cases(filer),
        "save_url": reverse("noticing:email_preference", args=[court.code]),
        "follow_url": reverse("noticing:follow_case", args=[court.code]),
        "unfollow_url": reverse("noticing:unfollow_case", args=[court.code]),
    }
    return render_to_string("noticing/email_section.html", context, request=request)


def _back(court: Court) -> HttpResponse:
    return redirect(reverse("ecf:email_information", args=[court.code]) + "#notices")


def _again(request: AuthenticatedHttpRequest, court: Court, **forms_: Form) -> HttpResponse:
    setattr(request, _BOUND, forms_)
    return email_page(request, court, status=400)


@court_page
@require_POST
def email_preference(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    # Each address's form has its own prefix (a0, a1 ...) so its radio ids are unique.
    prefix = request.POST.get("prefix", "")
    if not (prefix.startswith("a") and prefix[1:].isdigit()):
        prefix = "a0"
    form = PreferenceForm(request.POST, prefix=prefix)
    try:
        if not form.is_valid():
            return _again(request, court, preference=form)
        try:
            pref = preferences.set_email_preference(
                acting=request.user, court=court, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
            return _again(request, court, preference=form)
    except NotLinkedHere:
        return email_page(request, court, status=403)
    messages.success(
        request,
        notices.PREF_SAVED.format(
            address=form.cleaned_data["address"],
            delivery=Delivery(pref.delivery).label,
            format=Format(pref.format).label,
        ),
    )
    return _back(court)


@court_page
@require_POST
def follow_case(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    form = FollowForm(request.POST)
    try:
        if not form.is_valid():
            return _again(request, court, follow=form)
        try:
            follow = preferences.follow_case(
                acting=request.user,
                court=court,
                case_number=form.cleaned_data["case_number"],
                request=request,
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
            return _again(request, court, follow=form)
    except NotLinkedHere:
        return email_page(request, court, status=403)
    case = follow.case
    messages.success(request, notices.FOLLOW_ADDED.format(number=case.number, title=case.title))
    return _back(court)


@court_page
@require_POST
def unfollow_case(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    try:
        follow_id = int(request.POST.get("follow_id", ""))
    except ValueError:
        follow_id = 0
    try:
        case = preferences.unfollow_case(
            acting=request.user, court=court, follow_id=follow_id, request=request
        )
    except NotLinkedHere:
        return email_page(request, court, status=403)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, notices.FOLLOW_REMOVED.format(number=case.number))
    return _back(court)
