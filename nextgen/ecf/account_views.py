"""Court-side account care: Forgot CM/ECF user name, Forgot CM/ECF password and the link to
set a new one (public pages), and Maintain Your Account → Email information (signed in).

Thin: the work is in ecf.flows.recovery and ecf.flows.emails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from nextgen.audit.models import Action
from nextgen.forms import Form, NewPasswordTwiceForm
from nextgen.recovery.views import no_referrer, same_origin_referrer

from . import notices
from .email_sections import rendered_sections
from .flows import emails
from .flows import recovery as cmecf_recovery
from .menus import court_menu, logout_url
from .models import Court
from .passwords import rule_texts
from .views import court_page

View = Callable[..., HttpResponse]


# --- forms ---------------------------------------------------------------------------------
class ForgotCmecfUsernameForm(Form):
    bar_number_or_email = forms.CharField(
        label="Federal Bar Number or primary e-mail address",
        max_length=254,
        help_text="As registered in CM/ECF in this court.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )


class ForgotCmecfPasswordForm(Form):
    login_or_email = forms.CharField(
        label="CM/ECF user name or primary e-mail address",
        max_length=254,
        help_text="Your current CM/ECF user name, or the primary e-mail address registered "
        "in CM/ECF in this court.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class SetCmecfPasswordForm(NewPasswordTwiceForm):
    """The new CM/ECF password, twice; the rules are applied by the flow (one place)."""

    new_label = "New CM/ECF password"
    again_label = "Type the new CM/ECF password again"

    def rules_hint(self) -> str:
        return "CM/ECF Password Requirements: " + " ".join(rule_texts())


class SecondaryEmailForm(Form):
    # Not required: "Return to Person Information Screen" with nothing typed just goes back.
    email = forms.EmailField(
        label="Secondary e-mail address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# --- Forgot CM/ECF user name / password -------------------------------------------------------
def _recovery_form(
    request: HttpRequest,
    court: Court,
    template: str,
    form: Form,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"court": court, "form": form, "error": error}, status=status)


def _answer(request: HttpRequest, court: Court, message: str) -> HttpResponse:
    """The one answer to a valid request, the same whether or not anything matched: it
    echoes nothing that was typed."""
    return render(request, "ecf/cmecf_recovery_sent.html", {"court": court, "message": message})


def _recovery_view(
    *,
    form_class: type[Form],
    field: str,
    template: str,
    action: Action,
    send: Callable[..., cmecf_recovery.RecoveryAnswer],
) -> View:
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, code: str) -> HttpResponse:
        court = get_object_or_404(Court, code=code)
        if request.method == "GET":
            return _recovery_form(request, court, template, form_class())
        form = form_class(request.POST)
        if not form.is_valid():
            answer = cmecf_recovery.RESET.reject_invalid_input(
                request=request, scope=court, action=action, fields=form.errors
            )
            status = 429 if answer.throttled else 400
            return _recovery_form(
                request, court, template, form, error=answer.message, status=status
            )
        answer = send(request=request, court=court, value=form.cleaned_data[field])
        if answer.throttled:
            return _recovery_form(request, court, template, form, error=answer.message, status=429)
        return _answer(request, court, answer.message)

    return view


cmecf_forgot_username = _recovery_view(
    form_class=ForgotCmecfUsernameForm,
    field="bar_number_or_email",
    template="ecf/cmecf_forgot_username.html",
    action=cmecf_recovery.ACTION_USERNAME,
    send=cmecf_recovery.send_username_reminder,
)
cmecf_forgot_password = _recovery_view(
    form_class=ForgotCmecfPasswordForm,
    field="login_or_email",
    template="ecf/cmecf_forgot_password.html",
    action=cmecf_recovery.ACTION_PASSWORD,
    send=cmecf_recovery.send_password_reset,
)


def _invalid_link(request: HttpRequest, court: Court) -> HttpResponse:
    return render(
        request,
        "ecf/cmecf_password_reset_invalid.html",
        {"court": court, "message": notices.CMECF_RESET_LINK_INVALID},
    )


@never_cache
@no_referrer
@require_GET
def cmecf_password_reset_link(
    request: HttpRequest, code: str, uidb64: str, token: str
) -> HttpResponse:
    """The link from the e-mail: the token goes into the session, and the browser on to a
    URL without it, so no later request can leak it in a Referer header."""
    court = get_object_or_404(Court, code=code)
    if not cmecf_recovery.RESET.open_link(request=request, scope=court, uidb64=uidb64, token=token):
        return _invalid_link(request, court)
    return redirect("ecf:cmecf_password_reset_set", code=court.code, uidb64=uidb64)


@sensitive_post_parameters("new_password", "confirm_password")
@never_cache
@same_origin_referrer
@require_http_methods(["GET", "POST"])
def cmecf_password_reset_set(request: HttpRequest, code: str, uidb64: str) -> HttpResponse:
    court = get_object_or_404(Court, code=code)
    pending = cmecf_recovery.RESET.pending(request, uidb64, court)
    if pending is None:
        cmecf_recovery.RESET.refuse_stale(request=request, uidb64=uidb64, scope=court)
        return _invalid_link(request, court)
    form = SetCmecfPasswordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            cmecf_recovery.RESET.set_password(
                request=request,
                scope=court,
                holder=pending.holder,
                token=pending.token,
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_link":
                return _invalid_link(request, court)
            form.add_flow_errors(exc)
        else:
            return redirect("ecf:cmecf_password_reset_done", code=court.code)
    return render(
        request,
        "ecf/cmecf_password_reset_set.html",
        {"court": court, "form": form, "login": pending.holder.login, "rules": rule_texts()},
        status=400 if form.is_bound else 200,
    )


@never_cache
@no_referrer
@require_GET
def cmecf_password_reset_done(request: HttpRequest, code: str) -> HttpResponse:
    court = get_object_or_404(Court, code=code)
    return render(
        request,
        "ecf/cmecf_password_reset_done.html",
        {"court": court, "message": notices.CMECF_PASSWORD_SET},
    )


# --- Maintain Your Account → Email information ----------------------------------------------
def _email_page(
    request: HttpRequest,
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


def email_page(request: HttpRequest, court: Court, *, status: int = 200) -> HttpResponse:
    """The Email information page as it stands (for a section's own POST view to show
    its errors on the page they belong to)."""
    return _email_page(request, court, status=status)


@court_page
@require_http_methods(["GET", "POST"])
def email_information(request: HttpRequest, court: Court) -> HttpResponse:
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
                    request=request, account=request.user, court=court, email_id=email_id
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
            form.add_error("email", "Type the secondary e-mail address to add.")
            return _email_page(request, court, form, status=400)
        try:
            added = emails.add_secondary_email(
                request=request, account=request.user, court=court, email=typed
            )
        except ValidationError as exc:
            form.add_flow_errors(exc)
            return _email_page(request, court, form, status=400)
        messages.success(request, notices.secondary_email_added(added.email))
        return redirect(person_screen if action == "return" else here)
    except emails.NotLinkedHere:
        return _email_page(request, court, status=403)
