"""The pages of one side's recovery, built from its PasswordReset: the forgot-user-name and
forgot-password requests, the mailed link, the token-free page that sets the new password,
and the page that says it is done. Each side names its templates, forms and URL names,
and (CM/ECF) how a URL's court code becomes the scope."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from nextgen.audit.models import Action
from nextgen.forms import Form, NewPasswordTwiceForm
from nextgen.hashgate import verifies_password

from .flows import H, PasswordReset, RecoveryAnswer, Scope

View = Callable[..., HttpResponse]


def referrer_policy(policy: str) -> Callable[[View], View]:
    """Set Referrer-Policy on a view's responses, whatever the site-wide policy says."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response.headers["Referrer-Policy"] = policy
            return response

        return wrapped

    return decorator


# Pages whose URL holds the token, or that follow it, send no Referer at all.
no_referrer = referrer_policy("no-referrer")
# The set-password page cannot be no-referrer: under that policy the browser sends
# "Origin: null" with the form's POST, and Django's CSRF check (rightly) refuses it. Its
# URL holds no token, and same-origin sends a Referer only back to this site.
same_origin_referrer = referrer_policy("same-origin")

# What a request page does with a valid form (the scope, its cleaned data): the flow's answer.
Send = Callable[[HttpRequest, Any, Mapping[str, Any]], RecoveryAnswer]


def _acting(request: HttpRequest) -> AbstractBaseUser | None:
    """Who acts in a recovery step: the signed-in account, or None (the usual case: the
    owner who lost the password is not signed in)."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@dataclass(frozen=True, kw_only=True)
class RecoveryPages(Generic[H]):
    reset: PasswordReset[H]
    # What every page shows besides its own: the court, or the sign-in link.
    context: Callable[[Any], dict[str, Any]]
    # The scope a URL's "code" names (404 when none); None for an unscoped side.
    scope_of: Callable[[str], Scope] | None = None
    # The one answer to a valid request, whether or not anything matched.
    sent_template: str
    set_form: type[NewPasswordTwiceForm]
    # What the set-password page shows of the account (its user name, the rules).
    holder_context: Callable[[H], dict[str, Any]]
    # The link's pages: the templates f"{templates}_set.html", "..._invalid.html", "..._done.html".
    templates: str
    done_message: str = ""

    def _scope(self, code: str | None) -> Scope | None:
        return self.scope_of(code or "") if self.scope_of is not None else None

    def _url_kwargs(self, scope: Scope | None, **kwargs: str) -> dict[str, str]:
        return {**kwargs, "code": scope.code} if scope is not None else kwargs

    def _render(
        self,
        request: HttpRequest,
        scope: Scope | None,
        template: str,
        status: int = 200,
        **context: Any,
    ) -> HttpResponse:
        return render(request, template, {**self.context(scope), **context}, status=status)

    def request_view(
        self,
        *,
        form_class: type[Form],
        template: str,
        action: Action,
        send: Send,
        page_context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None,
    ) -> View:
        """Forgot user name / Forgot password: the form, the same answer to every valid
        request, the throttle notice (429) and a refused form (400, still counted)."""

        def page(
            request: HttpRequest,
            scope: Scope | None,
            form: Form,
            error: str = "",
            status: int = 200,
        ) -> HttpResponse:
            extra = page_context(request, form) if page_context else {}
            return self._render(request, scope, template, status, form=form, error=error, **extra)

        @never_cache
        @require_http_methods(["GET", "POST"])
        def view(request: HttpRequest, code: str | None = None) -> HttpResponse:
            scope = self._scope(code)
            if request.method == "GET":
                return page(request, scope, form_class())
            form = form_class(request.POST)
            if not form.is_valid():
                answer = self.reset.reject_invalid_input(
                    acting=_acting(request),
                    request=request,
                    scope=scope,
                    action=action,
                    fields=form.errors,
                )
                return page(request, scope, form, answer.message, 429 if answer.throttled else 400)
            answer = send(request, scope, form.cleaned_data)
            if answer.throttled:
                return page(request, scope, form, answer.message, 429)
            return self._render(request, scope, self.sent_template, message=answer.message)

        return view

    def _invalid_link(self, request: HttpRequest, scope: Scope | None) -> HttpResponse:
        return self._render(
            request, scope, f"{self.templates}_invalid.html", message=self.reset.invalid_link_notice
        )

    def link_view(self) -> View:
        """The link from the e-mail: the token goes into the session, and the browser on
        to a URL without it, so no later request can leak it in a Referer header."""

        @never_cache
        @no_referrer
        @require_GET
        def view(
            request: HttpRequest, uidb64: str, token: str, code: str | None = None
        ) -> HttpResponse:
            scope = self._scope(code)
            opened = self.reset.open_link(
                acting=_acting(request), request=request, scope=scope, uidb64=uidb64, token=token
            )
            if not opened:
                return self._invalid_link(request, scope)
            return redirect(
                reverse(f"{self.reset.url_name}_set", kwargs=self._url_kwargs(scope, uidb64=uidb64))
            )

        return view

    def set_view(self) -> View:
        """The token-free page: the new password, twice, while the session's token holds."""

        @sensitive_post_parameters("new_password", "confirm_password")
        @never_cache
        @same_origin_referrer
        @require_http_methods(["GET", "POST"])
        def view(request: HttpRequest, uidb64: str, code: str | None = None) -> HttpResponse:
            scope = self._scope(code)
            pending = self.reset.pending(request, uidb64, scope)
            if pending is None:
                self.reset.refuse_stale(
                    acting=_acting(request), request=request, uidb64=uidb64, scope=scope
                )
                return self._invalid_link(request, scope)
            form = self.set_form(request.POST if request.method == "POST" else None)
            if form.is_bound and form.is_valid():
                try:
                    self.reset.set_password(
                        acting=_acting(request),
                        request=request,
                        scope=scope,
                        holder=pending.holder,
                        token=pending.token,
                        new_password=form.cleaned_data["new_password"],
                    )
                except ValidationError as exc:
                    if getattr(exc, "code", None) == "invalid_link":
                        return self._invalid_link(request, scope)
                    form.add_flow_errors(exc)
                else:
                    return redirect(
                        reverse(f"{self.reset.url_name}_done", kwargs=self._url_kwargs(scope))
                    )
            return self._render(
                request,
                scope,
                f"{self.templates}_set.html",
                400 if form.is_bound else 200,
                form=form,
                **self.holder_context(pending.holder),
            )

        # The new password is hashed: the POST queues at the gate (nextgen/hashgate.py).
        return verifies_password(view)

    def done_view(self) -> View:
        @never_cache
        @no_referrer
        @require_GET
        def view(request: HttpRequest, code: str | None = None) -> HttpResponse:
            scope = self._scope(code)
            return self._render(
                request, scope, f"{self.templates}_done.html", message=self.done_message
            )

        return view
