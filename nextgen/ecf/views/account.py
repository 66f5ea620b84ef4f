"""Court-side account care: Forgot CM/ECF user name, Forgot CM/ECF password and the link to
set a new one (public pages), and Maintain Your Account → Email information (signed in).

Thin: the work is in ecf.flows.recovery (the recovery engine's pages) and ecf.flows.emails.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from nextgen.recovery.views import RecoveryPages
from nextgen.signon.http import AuthenticatedHttpRequest, acting_account

from .. import notices
from ..email_sections import rendered_sections
from ..flows import emails
from ..flows import recovery as cmecf_recovery
from ..forms.account import (
    ForgotCmecfPasswordForm,
    ForgotCmecfUsernameForm,
    SecondaryEmailForm,
    SetCmecfPasswordForm,
)
from ..menus import court_menu, logout_url
from ..models import Court, FilerAccount
from ..passwords import rule_texts
from .court import court_page


# --- Forgot CM/ECF user name / password, the link to set a new one ---------------------------
# The engine's pages (nextgen.recovery.views), scoped to the court the URL names.
def _court(code: str) -> Court:
    return get_object_or_404(Court, code=code)


def _court_context(court: Court) -> dict[str, Any]:
    return {"court": court}


def _login_and_rules(filer: FilerAccount) -> dict[str, Any]:
    return {"login": filer.login, "rules": rule_texts()}


PAGES = RecoveryPages[FilerAccount](
    reset=cmecf_recovery.RESET,
    scope_of=_court,
    context=_court_context,
    sent_template="ecf/cmecf_recovery_sent.html",
    templates="ecf/cmecf_password_reset",
    set_form=SetCmecfPasswordForm,
    holder_context=_login_and_rules,
    done_message=notices.CMECF_PASSWORD_SET,
)

cmecf_forgot_username = PAGES.request_view(
    form_class=ForgotCmecfUsernameForm,
    template="ecf/cmecf_forgot_username.html",
    action=cmecf_recovery.ACTION_USERNAME,
    send=lambda request, court, data: cmecf_recovery.send_username_reminder(
        acting=acting_account(request),
        request=request,
        court=court,
        value=data["bar_number_or_email"],
    ),
)
cmecf_forgot_password = PAGES.request_view(
    form_class=ForgotCmecfPasswordForm,
    template="ecf/cmecf_forgot_password.html",
    action=cmecf_recovery.ACTION_PASSWORD,
    send=lambda request, court, data: cmecf_recovery.send_password_reset(
        acting=acting_account(request), request=request, court=court, value=data["login_or_email"]
    ),
)
cmecf_password_reset_link = PAGES.link_view()
cmecf_password_reset_set = PAGES.set_view()
cmecf_password_reset_done = PAGES.done_view()


# --- Maintain Your Account → Email information ----------------------------------------------
def _email_page(
    request: AuthenticatedHttpRequest,
    court: Court,
    form: SecondaryEmailForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    filer = emails.linked_filer(request.user, court)
    context: dict[str, Any] = {
        "court": court,
        "menu": court_menu(request.user, court),
        "logout_url": logout_url(court),
        "title": notices.EMAIL_INFO_TITLE,
        "filer": filer,
    }
    if filer is None:
        context["not_linked"] = notices.EMAIL_INFO_ONLY_LINKED
    else:
        form = form or SecondaryEmailForm()
        context.update(
            {
                "form": form,
                # Typing in progress or an error: keep "add new e-mail address" open.
                "adding": form.is_bound or request.GET.get("add") == "1",
                "secondary": emails.secondary_emails(filer),
                "limit": emails.MAX_SECONDARY_EMAILS,
                "primary_note": notices.PRIMARY_EMAIL_KEPT_IN_PACER,
                # The central page comes back to Maintain Your Account when done.
                "personal_url": f"{reverse('signon:personal_info')}?"
                + urlencode({"next": reverse("ecf:maintain_account", args=[court.code])}),
                # What higher apps add (notice preferences): ecf.email_sections.
                "sections": rendered_sections(request, court, filer),
            }
        )
    return render(request, "ecf/email_information.html", context, status=status)


def email_page(
    request: AuthenticatedHttpRequest, court: Court, *, status: int = 200
) -> HttpResponse:
    """The Email information page as it stands (for a section's own POST view to show
    its errors on the page they belong to)."""
    return _email_page(request, court, status=status)


@court_page
@require_http_methods(["GET", "POST"])
def email_information(request: AuthenticatedHttpRequest, court: Court) -> HttpResponse:
    """List, add and remove this court's secondary e-mail addresses."""
    if request.method == "GET":
        return _email_page(request, court)
    here = reverse("ecf:email_information", args=[court.code])
    person_screen = reverse("ecf:maintain_account", args=[court.code])
    action = request.POST.get("action", "")
    try:
        if action == "remove":
            try:
                email_id = int(request.POST.get("email_id", ""))
            except ValueError:
                email_id = 0
            try:
                removed = emails.remove_secondary_email(
                    request=request, acting=request.user, court=court, email_id=email_id
                )
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
            else:
                messages.success(request, notices.secondary_email_removed(removed))
            return redirect(here)
        form = SecondaryEmailForm(request.POST)
        if not form.is_valid():
            return _email_page(request, court, form, status=400)
        typed = form.cleaned_data["email"]
        if not typed and action == "return":
            return redirect(person_screen)
        if not typed:
            form.add_error("email", notices.SECONDARY_EMAIL_MISSING)
            return _email_page(request, court, form, status=400)
        try:
            added = emails.add_secondary_email(
                request=request, acting=request.user, court=court, email=typed
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
            return _email_page(request, court, form, status=400)
        messages.success(request, notices.secondary_email_added(added.email))
        return redirect(person_screen if action == "return" else here)
    except emails.NotLinkedHere:
        return _email_page(request, court, status=403)
