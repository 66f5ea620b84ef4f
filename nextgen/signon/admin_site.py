"""The Django admin, closed as a side door.

Django's admin has its own login page: a password alone, no passcode, no throttle, no
audit, and the session it starts opens every central page too. Here:

* There is no admin login. /admin/login/ sends the browser to NextGen's login page, and
  the admin opens only to an active staff account whose session passed NextGen's
  sign-in *with a second factor* (a one-time passcode, a backup code, or MFA set up
  during that sign-in: flows/login.SESSION_SECOND_FACTOR). A password-only session, a
  pending passcode step, a skipped MFA set-up or an API token gets a page saying so.
* Every change made in the admin is an audit event ("admin.add", "admin.change",
  "admin.delete") written in the admin's own transaction, with the fields changed and
  their old and new values (secrets only named, never shown). This is wrapped around
  every ModelAdmin registered on this site, django-otp's and Django's own included, so
  a new admin class cannot forget it.
* What has a NextGen action with rules and side effects is read-only here (a link, the
  court's record kept under it: ecf/admin.py), so it changes only through that action.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from nextgen.audit.models import Action
from nextgen.audit.services import record

from . import notices
from .flows import login as login_flow
from .http import acting_account
from .views.passcode_door import needs_passcode

# Field names whose values never go into the audit log, only the fact of the change.
SECRET_FIELDS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "security_answer_1",
        "security_answer_2",
        "security_stamp",
        "key",
        "bin_key",
        "key_hash",
        "auth_hash",
        "digest",
        "salt",
        "token",
    }
)
_MAX_VALUE = 200


def _shown(name: str, value: Any) -> Any:
    if name in SECRET_FIELDS:
        return "(changed)"
    if isinstance(value, Model):
        return f"{value._meta.label} {value.pk}: {value}"[:_MAX_VALUE]
    if isinstance(value, QuerySet | list | tuple | set):
        return [_shown(name, item) for item in list(value)[:50]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:_MAX_VALUE]


def form_changes(form: BaseForm | None) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for each field the form changed."""
    if form is None:
        return {}
    changes = {}
    for name in form.changed_data:
        changes[name] = {
            "old": _shown(name, form.initial.get(name)),
            "new": _shown(name, form.cleaned_data.get(name)),
        }
    return changes


def _about(obj: Model) -> dict[str, Any]:
    """Audit columns for an object: the account it concerns and its court."""
    from .models import Account

    subject = obj if isinstance(obj, Account) else None
    linked = getattr(obj, "account", None)
    if subject is None and isinstance(linked, Account):
        subject = linked
    court = getattr(obj, "court", None)
    code = getattr(obj, "code", "") if obj._meta.label == "ecf.Court" else ""
    return {
        "subject": subject,
        "court_code": getattr(court, "code", "") or code,
    }


class AuditedAdmin:
    """Mixed into every ModelAdmin of NextGenAdminSite: each add, change and delete
    writes an audit event inside the admin's transaction."""

    _changes_attr = "_nextgen_admin_changes"

    def construct_change_message(self, request, form, formsets, add=False):
        setattr(request, self._changes_attr, form_changes(form))
        return super().construct_change_message(request, form, formsets, add)

    def _audit(self, request: HttpRequest, action: Action, obj: Model, **extra: Any) -> None:
        record(
            action,
            request=request,
            actor=request.user,
            details={
                "model": obj._meta.label,
                "object_id": str(obj.pk),
                "object": str(obj)[:_MAX_VALUE],
                **extra,
            },
            **_about(obj),
        )

    def log_addition(self, request, obj, message):
        changes = getattr(request, self._changes_attr, {})
        self._audit(request, Action.ADMIN_ADD, obj, changes=changes)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        changes = getattr(request, self._changes_attr, {})
        self._audit(request, Action.ADMIN_CHANGE, obj, changes=changes)
        return super().log_change(request, obj, message)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, Action.ADMIN_DELETE, obj)
            return super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, Action.ADMIN_DELETE, obj)
            return super().delete_queryset(request, queryset)


class NextGenAdminSite(admin.AdminSite):
    site_header = "NextGen administration"
    site_title = "NextGen administration"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdmin, admin_class),
                {"__module__": admin_class.__module__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and login_flow.passed_second_factor(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """No password form here: NextGen's own login page (passcode included), or,
        for someone signed in without a passcode, why the admin stays closed."""
        if request.user.is_authenticated:
            return needs_passcode(
                request, heading="Administration", message=notices.ADMIN_NEEDS_PASSCODE
            )
        back = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('signon:login')}?{urlencode({'next': back})}")

    # The admin's own views answer with any response; the stubs say TemplateResponse.
    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        """NextGen's sign-out (audited), not the admin's own."""
        if request.method != "POST":
            return redirect("admin:index")
        login_flow.sign_out(request, acting=acting_account(request))
        return redirect("signon:login")

    def password_change(  # type: ignore[override]  # as logout
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        """NextGen's password change (current password asked and throttled, audited)."""
        return redirect("signon:change_password")
