"""One password-reset engine: what PACER recovery and CM/ECF recovery share.

A recovery request (forgot user name, forgot password) answers the same whatever was
typed: whether an account matched is told only to that account's own e-mail address.
Every request is throttled per client and per target, counting every submission, because
a matching and a non-matching request look alike and there is no "failure" to count.

A reset link carries a PasswordResetTokenGenerator token: an HMAC over state that changes
when the password is set, so it dies on use, and after PASSWORD_RESET_TIMEOUT. Opening
the link moves the token into the session and redirects to a token-free URL, as
django.contrib.auth's PasswordResetConfirmView does, so the token never leaves in a
Referer header. The token is checked again inside the transaction that sets the password,
on the locked row, so two submits of one link cannot both succeed.

Each side is one PasswordReset: the model whose password is reset, its token generator
(its own salt, so one side's token never passes as the other's), its throttles, audit
actions, notices and password validators, and its scope. A court-scoped reset (CM/ECF:
one login per court) finds, links to, keeps in the session and audits its account only
within one court, so a link for one court never resets another court's login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from nextgen import throttle
from nextgen.audit.models import Action, Event, Outcome
from nextgen.audit.services import THROTTLED, record
from nextgen.session_state import Owner, SessionState

H = TypeVar("H", bound=models.Model)


class TokenGenerator(Protocol):
    """A PasswordResetTokenGenerator, for any model whose state its hash covers."""

    def make_token(self, user: Any) -> str: ...

    def check_token(self, user: Any, token: str | None) -> bool: ...


class Scope(Protocol):
    """What a scoped reset is kept within: a court. Its code names it in the link's URL,
    the throttle keys, the session and the audit event."""

    code: str


@dataclass(frozen=True)
class RecoveryAnswer:
    """What the page shows: the same message for a match and a miss, or the throttle notice."""

    message: str
    throttled: bool = False


@dataclass(frozen=True)
class PendingReset(Generic[H]):
    """A reset the session may complete: the account, and the token that still holds."""

    holder: H
    token: str


def _nobody(holder: Any) -> None:
    return None


def _no_details(holder: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, kw_only=True)
class PasswordReset(Generic[H]):
    """One side's password recovery. `scope_field` names the holder's field that scopes it
    (CM/ECF: "court"); '' for an unscoped one (PACER). Audit events name the holder through
    `audit_subject` (an Account, as subject and, on the reset itself, actor) and
    `audit_details` (both are given None when a link names no account)."""

    model: type[H]
    token_generator: TokenGenerator
    # The audit actions of opening a link and of the reset itself (also its refusals).
    link_action: Action
    reset_action: Action
    # The session key under which the token waits (see `session`).
    session_key: str
    # The reset pages' URL names: f"{url_name}_link" (the mailed link: kwargs uidb64 and
    # token, and the scope's code as "code"), f"{url_name}_set", f"{url_name}_done".
    url_name: str
    invalid_link_notice: str
    throttled_notice: Callable[[str], str]
    # Whether this holder may reset at all (active; not linked): checked with every token.
    can_reset: Callable[[H], bool]
    # Set the new password on the locked row and save it, inside the transaction.
    write_password: Callable[[H, str], None]
    by_client: throttle.Throttle = throttle.RECOVERY_BY_CLIENT
    by_target: throttle.Throttle = throttle.RECOVERY_BY_TARGET
    # Django password validators; None for settings.AUTH_PASSWORD_VALIDATORS.
    password_validators: Sequence[Any] | None = None
    scope_field: str = ""
    audit_subject: Callable[[H | None], Any] = _nobody
    audit_details: Callable[[H | None], dict[str, Any]] = _no_details
    # Inside the reset's transaction, after its audit event (e.g. a security notice).
    after_reset: Callable[[H, Event | None], None] | None = None

    @property
    def _scoped(self) -> bool:
        return bool(self.scope_field)

    # --- requests: throttle and audit ------------------------------------------------
    def _court_code(self, scope: Scope | None) -> str:
        return scope.code if scope is not None else ""

    def _refused(
        self,
        action: Action,
        *,
        request: HttpRequest,
        scope: Scope | None,
        actor: Any,
        outcome: str = Outcome.REFUSED,
        **details: Any,
    ) -> None:
        # Each refusal is its own action with its own audit event. A throttled one may
        # arrive inside a caller's transaction, so it only joins it.
        with transaction.atomic(durable=outcome != Outcome.REFUSED):
            record(
                action,
                outcome=outcome,
                request=request,
                actor=actor,
                court_code=self._court_code(scope),
                details=details,
            )

    def throttled(
        self,
        request: HttpRequest,
        *,
        acting: AbstractBaseUser | None,
        action: Action,
        targets: Iterable[str] = (),
        scope: Scope | None = None,
    ) -> RecoveryAnswer | None:
        """Count this submission against the client and each target: the throttle's
        answer when refused (and audited), None to go ahead. Counted before anything is
        looked up; a refused submission is given back, so every wait ends. A scope
        prefixes each target: the same bar number at two courts is two targets."""
        keys = [t if scope is None else f"{scope.code}:{t}" for t in targets if t.strip()]
        attempt = throttle.recovery_attempt(
            request, keys, by_client=self.by_client, by_target=self.by_target
        )
        if not (wait := attempt.wait):
            return None
        self._refused(action, request=request, scope=scope, actor=acting, reason="throttled")
        return RecoveryAnswer(self.throttled_notice(throttle.describe_wait(wait)), throttled=True)

    def reject_invalid_input(
        self,
        *,
        acting: AbstractBaseUser | None,
        request: HttpRequest,
        action: Action,
        fields: Iterable[str],
        scope: Scope | None = None,
    ) -> RecoveryAnswer:
        """A submission the form refused still counts and is audited, so a flood of
        malformed requests is throttled like any other. The answer is the throttle
        notice, or '' (show the form's own errors)."""
        if refused := self.throttled(request, acting=acting, action=action, scope=scope):
            return refused
        self._refused(
            action,
            request=request,
            scope=scope,
            actor=acting,
            outcome=Outcome.FAILURE,
            reason="invalid input",
            fields=sorted(fields),
        )
        return RecoveryAnswer("")

    # --- the link ----------------------------------------------------------------------
    @property
    def session(self) -> SessionState:
        """Where the token waits between opening the link and setting the password: owned
        by the link's account (and court), and living no longer than the token."""
        timeout = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return SessionState(self.session_key, ttl=timeout)

    def _owner(self, uidb64: str, scope: Scope | None) -> Owner:
        return uidb64 if scope is None else (scope.code, uidb64)

    def reset_url(self, request: HttpRequest, holder: H) -> str:
        """The absolute, single-use, expiring link that lets `holder` set a new password."""
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(holder.pk)),
            "token": self.token_generator.make_token(holder),
        }
        if self._scoped:
            kwargs["code"] = getattr(holder, self.scope_field).code
        return request.build_absolute_uri(reverse(f"{self.url_name}_link", kwargs=kwargs))

    def _holders(self, scope: Scope | None) -> models.QuerySet[H]:
        holders = self.model._default_manager.all()
        if self._scoped:
            # No scope where one is required finds nothing, never every court's accounts.
            holders = holders.filter(**{self.scope_field: scope}) if scope else holders.none()
        return holders

    def holder_from_uidb64(self, uidb64: str, scope: Scope | None = None) -> H | None:
        """The account a link names, or None for anything malformed, unknown or (scoped)
        of another court."""
        holders = self._holders(scope)
        if self._scoped:
            holders = holders.select_related(self.scope_field)
        try:
            return holders.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
        except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
            return None

    def usable(self, holder: H | None, token: Any) -> bool:
        """Whether `token` still lets `holder` set a password."""
        return (
            holder is not None
            and self.can_reset(holder)
            and isinstance(token, str)
            and bool(token)
            and self.token_generator.check_token(holder, token)
        )

    def _audit(
        self,
        action: Action,
        *,
        request: HttpRequest,
        scope: Scope | None,
        holder: H | None,
        outcome: str = Outcome.SUCCESS,
        actor: Any = None,
        **details: Any,
    ) -> Event | None:
        """The event of a link step about `holder`, in the caller's transaction."""
        return record(
            action,
            outcome=outcome,
            request=request,
            actor=actor,
            subject=self.audit_subject(holder),
            court_code=self._court_code(scope),
            details={**details, **self.audit_details(holder)} or None,
        )

    def open_link(
        self,
        *,
        acting: AbstractBaseUser | None,
        request: HttpRequest,
        uidb64: str,
        token: str,
        scope: Scope | None = None,
    ) -> bool:
        """Check a link's token; when good, keep it in the session (the caller then
        redirects to the token-free page). A bad, used or expired link is audited and
        changes nothing."""
        holder = self.holder_from_uidb64(uidb64, scope)
        if not self.usable(holder, token):
            self._refuse_link(request, acting, scope, holder, "invalid link")
            return False
        self.session.put(request, owner=self._owner(uidb64, scope), token=token)
        with transaction.atomic(durable=True):
            self._audit(self.link_action, request=request, scope=scope, holder=holder, actor=acting)
        return True

    def pending(
        self, request: HttpRequest, uidb64: str, scope: Scope | None = None
    ) -> PendingReset[H] | None:
        """The reset this session may complete on the token-free page, if its token
        still holds (and, scoped, it was opened at this court)."""
        kept = self.session.peek(request, owner=self._owner(uidb64, scope))
        if kept is None:
            return None
        holder = self.holder_from_uidb64(uidb64, scope)
        token = kept.get("token")
        if holder is None or not isinstance(token, str) or not self.usable(holder, token):
            return None
        return PendingReset(holder, token)

    def refuse_stale(
        self,
        *,
        acting: AbstractBaseUser | None,
        request: HttpRequest,
        uidb64: str,
        scope: Scope | None = None,
    ) -> None:
        """The token-free page was reached without a live token in the session: audit it."""
        holder = self.holder_from_uidb64(uidb64, scope)
        self._refuse_link(request, acting, scope, holder, "invalid or expired reset session")

    def _refuse_link(
        self,
        request: HttpRequest,
        acting: AbstractBaseUser | None,
        scope: Scope | None,
        holder: H | None,
        reason: str,
    ) -> None:
        """Forget the session's token and audit the refusal (it changes nothing else).

        Past the client's bad_reset_links limit the refusal is audited as throttled,
        which the audit log records a few times a minute per client, not once each: a
        script requesting bad links (no link can be guessed) would otherwise grow the
        log, which is never pruned, by a row a request. The answer is the same."""
        self.session.discard(request)
        outcome, details = Outcome.FAILURE, {"reason": reason}
        if _too_many_bad_links(request):
            outcome, details = Outcome.REFUSED, {"reason": THROTTLED, "refused": reason}
        with transaction.atomic(durable=True):
            self._audit(
                self.reset_action,
                request=request,
                scope=scope,
                holder=holder,
                actor=acting,
                outcome=outcome,
                **details,
            )

    def validate_new_password(self, new_password: str, holder: H) -> None:
        """Raise ValidationError({"new_password": [each rule that failed]}): this side's
        validators through Django's framework."""
        user: Any = holder  # the validators read what they need (e.g. a user name)
        try:
            validate_password(new_password, user, password_validators=self.password_validators)
        except ValidationError as exc:
            raise ValidationError({"new_password": exc.error_list}) from exc

    def set_password(
        self,
        *,
        acting: AbstractBaseUser | None,
        request: HttpRequest,
        holder: H,
        token: str,
        new_password: str,
        scope: Scope | None = None,
    ) -> H:
        """Set a new password through a reset link.

        Raises ValidationError({"new_password": [...]}) for a password the validators
        refuse, or ValidationError(code="invalid_link") when the token no longer holds;
        the token is checked again on the locked row, so two submits of one link cannot
        both succeed, and a holder that may no longer reset (deactivated, linked since)
        keeps its password."""
        self.validate_new_password(new_password, holder)
        with transaction.atomic(durable=True):
            locked = self._holders(scope).select_for_update().filter(pk=holder.pk).first()
            still_good = locked is not None and self.usable(locked, token)
            if locked is not None and still_good:
                self.write_password(locked, new_password)
                event = self._audit(
                    self.reset_action,
                    request=request,
                    scope=scope,
                    holder=locked,
                    # Whoever holds the link acts; a signed-in visitor is named as such.
                    actor=acting if acting is not None else self.audit_subject(locked),
                )
                if self.after_reset is not None:
                    self.after_reset(locked, event)
        if locked is None or not still_good:
            # Lost a race with another submit of the link, or the holder may no longer
            # reset (deactivated, linked since): audited like every other refusal, and
            # the dead token leaves the session.
            self._refuse_link(request, acting, scope, locked or holder, "token no longer valid")
            raise ValidationError(self.invalid_link_notice, code="invalid_link")
        if hasattr(request, "session"):
            self.session.discard(request)
        return locked


def _too_many_bad_links(request: HttpRequest) -> bool:
    """Count one reset link that did not hold against the client; whether it is past its
    limit. Without the throttle's counters (Redis down) every refusal is audited."""
    try:
        attempt = throttle.admit(throttle.BAD_RESET_LINKS_BY_CLIENT, throttle.client_key(request))
    except throttle.ThrottleUnavailable:
        return False
    return attempt.wait > 0
