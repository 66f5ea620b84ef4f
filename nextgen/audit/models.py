"""The audit log: one row per access attempt or account action, hash-chained."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    REFUSED = "refused", "Refused"


class Action(models.TextChoices):
    """Every audited action, by name. The values are what the log stores and hashes:
    never rename one (old events keep it); add a member for a new action."""

    ACCOUNT_ADDRESS = "account.address", "Account address"
    ACCOUNT_CLIENT_CODE = "account.client_code", "Account client code"
    ACCOUNT_CREATE = "account.create", "Account create"
    ACCOUNT_DEACTIVATE = "account.deactivate", "Account deactivate"
    ACCOUNT_EMAIL_CHANGE = "account.email_change", "Account email change"
    ACCOUNT_PASSWORD_CHANGE = "account.password_change", "Account password change"
    ACCOUNT_PERSONAL_INFO = "account.personal_info", "Account personal info"
    ACCOUNT_REACTIVATE = "account.reactivate", "Account reactivate"
    ACCOUNT_SECURITY_QUESTIONS = "account.security_questions", "Account security questions"
    ACCOUNT_SESSIONS_ENDED = "account.sessions_ended", "Account sessions ended"
    ACCOUNT_UPGRADE = "account.upgrade", "Account upgrade"
    ADMIN_ADD = "admin.add", "Admin add"
    ADMIN_CHANGE = "admin.change", "Admin change"
    ADMIN_DELETE = "admin.delete", "Admin delete"
    API_LOGIN = "api.login", "Api login"
    API_LOGOUT = "api.logout", "Api logout"
    CMECF_RESET_SEND = "cmecf.reset.send", "Cmecf reset send"
    COURT_ADD = "court.add", "Court add"
    COURT_GO_LIVE = "court.go_live", "Court go live"
    COURT_GO_LIVE_NOTICES = "court.go_live.notices", "Court go live notices"
    DOCKET_FILE = "docket.file", "Docket file"
    DOCKET_IMPORT = "docket.import", "Docket import"
    DOCKET_OPEN_CASE = "docket.open_case", "Docket open case"
    DOCKET_STAFF_ADD_ATTORNEY = "docket.staff.add_attorney", "Docket staff add attorney"
    DOCKET_STAFF_ADD_EVENT = "docket.staff.add_event", "Docket staff add event"
    DOCKET_STAFF_ADD_PARTY = "docket.staff.add_party", "Docket staff add party"
    DOCKET_STAFF_CLOSE = "docket.staff.close", "Docket staff close"
    DOCKET_STAFF_CORRECT_ENTRY = "docket.staff.correct_entry", "Docket staff correct entry"
    DOCKET_STAFF_DISABLE_EVENT = "docket.staff.disable_event", "Docket staff disable event"
    DOCKET_STAFF_ENABLE_EVENT = "docket.staff.enable_event", "Docket staff enable event"
    DOCKET_STAFF_FEE_PAID = "docket.staff.fee_paid", "Docket staff fee paid"
    DOCKET_STAFF_FEED_EVENTS = "docket.staff.feed_events", "Docket staff feed events"
    DOCKET_STAFF_MARK_OPINION = "docket.staff.mark_opinion", "Docket staff mark opinion"
    DOCKET_STAFF_REOPEN = "docket.staff.reopen", "Docket staff reopen"
    DOCKET_STAFF_SEAL = "docket.staff.seal", "Docket staff seal"
    DOCKET_STAFF_SEAL_ENTRY = "docket.staff.seal_entry", "Docket staff seal entry"
    DOCKET_STAFF_TERMINATE_ATTORNEY = (
        "docket.staff.terminate_attorney",
        "Docket staff terminate attorney",
    )
    DOCKET_STAFF_TERMINATE_PARTY = "docket.staff.terminate_party", "Docket staff terminate party"
    DOCKET_STAFF_UNMARK_OPINION = "docket.staff.unmark_opinion", "Docket staff unmark opinion"
    DOCKET_STAFF_UNSEAL = "docket.staff.unseal", "Docket staff unseal"
    DOCKET_STAFF_UNSEAL_ENTRY = "docket.staff.unseal_entry", "Docket staff unseal entry"
    ECF_PASSWORD_RESET = "ecf.password_reset", "Ecf password reset"
    ECF_PASSWORD_RESET_LINK = "ecf.password_reset.link", "Ecf password reset link"
    ECF_RECOVERY_PASSWORD = "ecf.recovery.password", "Ecf recovery password"
    ECF_RECOVERY_USERNAME = "ecf.recovery.username", "Ecf recovery username"
    ECF_SECONDARY_EMAIL_ADD = "ecf.secondary_email.add", "Ecf secondary email add"
    ECF_SECONDARY_EMAIL_REMOVE = "ecf.secondary_email.remove", "Ecf secondary email remove"
    FEES_EXEMPTION_APPROVE = "fees.exemption.approve", "Fees exemption approve"
    FEES_EXEMPTION_DENY = "fees.exemption.deny", "Fees exemption deny"
    FEES_EXEMPTION_END = "fees.exemption.end", "Fees exemption end"
    FEES_EXEMPTION_GRANT = "fees.exemption.grant", "Fees exemption grant"
    FEES_EXEMPTION_REQUEST = "fees.exemption.request", "Fees exemption request"
    FEES_PAA_SETTINGS = "fees.paa.settings", "Fees paa settings"
    FILERS_IMPORT = "filers.import", "Filers import"
    FILERS_IMPORT_CHUNK = "filers.import.chunk", "Filers import chunk"
    FILERS_IMPORT_QUEUED = "filers.import.queued", "Filers import queued"
    LINK_CONFIRM = "link.confirm", "Link confirm"
    LINK_VERIFY = "link.verify", "Link verify"
    LOGIN = "login", "Login"
    LOGIN_OTP = "login.otp", "Login otp"
    LOGIN_PASSWORD = "login.password", "Login password"
    LOGOUT = "logout", "Logout"
    MFA_BACKUP_CODES = "mfa.backup_codes", "Mfa backup codes"
    MFA_DISABLE = "mfa.disable", "Mfa disable"
    MFA_ENROLL = "mfa.enroll", "Mfa enroll"
    MFA_RESET = "mfa.reset", "Mfa reset"
    MFA_SKIP = "mfa.skip", "Mfa skip"
    NOTICING_EMAIL_PREFERENCE = "noticing.email_preference", "Noticing email preference"
    NOTICING_FOLLOW_CASE = "noticing.follow_case", "Noticing follow case"
    NOTICING_NEF_QUEUED = "noticing.nef_queued", "Noticing nef queued"
    NOTICING_SUMMARIES_QUEUED = "noticing.summaries_queued", "Noticing summaries queued"
    NOTICING_UNFOLLOW_CASE = "noticing.unfollow_case", "Noticing unfollow case"
    PAA_ACCEPT = "paa.accept", "Paa accept"
    PAA_CREATE = "paa.create", "Paa create"
    PAA_DECLINE = "paa.decline", "Paa decline"
    PAA_END = "paa.end", "Paa end"
    PAA_INVITE = "paa.invite", "Paa invite"
    PASSWORD_RESET = "password.reset", "Password reset"
    PASSWORD_RESET_LINK = "password.reset.link", "Password reset link"
    RECOVERY_PASSWORD = "recovery.password", "Recovery password"
    RECOVERY_USERNAME = "recovery.username", "Recovery username"
    REGISTRATION_APPROVE = "registration.approve", "Registration approve"
    REGISTRATION_REJECT = "registration.reject", "Registration reject"
    REGISTRATION_REQUEST = "registration.request", "Registration request"
    UNLINK = "unlink", "Unlink"


class Event(models.Model):
    """Append-only. `hash` covers this row's content and the previous row's hash."""

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username_tried = models.CharField(max_length=150, blank=True)
    court_code = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=60)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject", "id"]),
            models.Index(fields=["actor", "id"]),
            models.Index(fields=["action", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.outcome}"


class ChainHead(models.Model):
    """One row holding the newest hash; locking it orders concurrent appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.last_hash or "(empty log)"
