"""User-facing words in one place: flows raise or return by key, templates show the text.

Where the seeds give the words, these are the seeds' words.
"""

from django.conf import settings

LOGIN_NOTICE = (
    "NOTICE: This is a restricted government web site for official PACER use only. "
    "Unauthorized entry is prohibited and subject to prosecution under Title 18 of the "
    "U.S. Code. All activities and access attempts are logged."
)
COOKIES_REQUIRED = (
    "Your browser must be set to accept cookies in order to log in to this site. "
    "If your browser is set to accept cookies and you are experiencing problems with "
    "the login, delete the stored cookie file in your PC. Close and reopen your browser "
    "before trying again."
)
COOKIES_REFUSED = (
    "Your browser did not accept the cookie this site needs to log you in. " + COOKIES_REQUIRED
)
INVALID_LOGIN = "Invalid username or password."
RECOVERY_SENT_USERNAME = (
    "If the information you entered matches a PACER account, its user name has been sent "
    "to the e-mail address on file."
)
RECOVERY_SENT_PASSWORD = (
    "If the e-mail address and user name you entered match a PACER account, a link to reset "
    "its password has been sent to that e-mail address. The link can be used once and "
    "expires in one hour."
)
RESET_LINK_INVALID = (
    "This password reset link is invalid: it has been used already or has expired. "
    "Request a new one from Forgot Your Password?."
)
LEGACY_MUST_UPGRADE = (
    "Your account is a Legacy PACER Account. You may search, but you must upgrade your "
    "account before you can file or link a CM/ECF account."
)
SHARED_CANNOT_FILE = (
    "You are signed in with a shared firm PACER account. It may search, but only an "
    "individual PACER account can file or link a CM/ECF account. Do not log on using a "
    "shared firm PACER account."
)


# Signing in needs the throttle's counters (Redis); without them no password is checked.
TRY_AGAIN_SHORTLY = (
    "Signing in is briefly unavailable. Nothing was changed. Please try again in a minute."
)


def throttled(wait: str) -> str:
    return f"Too many failed attempts. Please wait {wait} and try again."


def deactivated() -> str:
    psc = settings.NEXTGEN_SERVICE_CENTER
    return (
        "Your PACER account is deactivated. Contact the PACER Service Center (PSC) at "
        f"{psc['phone']}, or send them an e-mail at {psc['email']} to request activation "
        "of your PACER account."
    )


# --- Manage My Account → Maintenance and settings (flows/maintenance.py) -------
WRONG_CURRENT_PASSWORD = "The current password you entered is not correct."
NEW_PASSWORD_SAME = "The new password must be different from your current password."
NEW_PASSWORDS_DIFFER = "The two new passwords do not match."
SECURITY_QUESTIONS_SAME = "Choose two different security questions."
CLIENT_CODE_RULE = (
    "A client code may use up to 32 letters, digits, spaces, hyphens (-), "
    "underscores (_) and periods (.)."
)
PERSONAL_INFO_UPDATED = (
    "Your personal information has been updated. The changes are forwarded automatically "
    "to the courts where your CM/ECF accounts are linked."
)
ADDRESS_UPDATED = (
    "Your address information has been updated. The changes are forwarded automatically "
    "to the courts where your CM/ECF accounts are linked."
)
NOTHING_CHANGED = "No changes were made: what you submitted matches the information on file."
PASSWORD_CHANGED = (
    "Your password has been changed. Any other session signed in with this account has "
    "been signed out."
)
SECURITY_QUESTIONS_UPDATED = "Your security questions have been updated."
CLIENT_CODE_CLEARED = "Your client code has been cleared."


EMAIL_CHANGE_NEEDS_PASSWORD = (
    "Enter your current password to change your e-mail address: password reset links "
    "go to that address."
)
EMAIL_CHANGED = "Your e-mail address has been changed. A notice was sent to your previous address."


def security_report(reference: str) -> str:
    """The closing lines of every security notice: what to do if it was not you."""
    psc = settings.NEXTGEN_SERVICE_CENTER
    quote = f", quoting reference {reference}" if reference else ""
    return (
        "If this wasn't you, someone else may be using your account. Contact the PACER "
        f"Service Center at once at {psc['phone']} or {psc['email']}{quote}: they can "
        "sign everyone out of the account and restore your e-mail address."
    )


SESSIONS_INTRO = (
    "Every browser signed in to your PACER account. If you see one that is not yours, "
    "sign the other sessions out and change your password. Signing the others out also "
    "ends every program signed in through the PACER Authentication API with your account."
)


def sessions_signed_out(count: int) -> str:
    if count == 0:
        return (
            "No other browser was signed in. Any program signed in through the PACER "
            "Authentication API with your account has been signed out."
        )
    sessions = "session has" if count == 1 else "sessions have"
    return (
        f"{count} other {sessions} been signed out, with any program signed in through the "
        "PACER Authentication API. This session stays signed in."
    )


def client_code_set(code: str) -> str:
    return f"Your client code is now {code}."


# --- Registration and upgrade (flows/registration.py, flows/upgrade.py) ------
WIZARD_EXPIRED = (
    "Your unfinished form expired after 30 minutes without activity, and what you had "
    "entered was not kept. Please start again."
)
WIZARD_STEP_LOCKED = "Please complete this step first."
REGISTER_SIGNED_IN = (
    "You are already signed in to a PACER account. Log out first to register a new account."
)
REGISTERED = "Your PACER account has been created and you are now logged in."
ALREADY_UPGRADED = "Your account is already an Upgraded PACER Account. No upgrade is needed."
UPGRADED = "Your PACER account has been upgraded. Use your new username and password from now on."
USERNAME_TAKEN = "That user name is not available. Choose another."


def registration_throttled(wait: str) -> str:
    return (
        f"Too many user names have been tried from your network. Please wait {wait} and try again."
    )


# --- PACER Administrative Account (PAA): firm billing (flows/paa.py) -------------------
PAA_INTRO = (
    "For billing purposes, law firms can create a PACER Administrative Account (PAA) to "
    "manage and pay for all charges of their attorneys' individual PACER accounts. A PAA has "
    "no case access of its own: it is a billing group, never a login to the courts."
)
PAA_CREATED = (
    "Your PACER Administrative Account has been created. Invite your attorneys by user name."
)
PAA_INVITE_SENT = (
    "If that user name belongs to an individual, upgraded PACER account that is not yet "
    "invited to or a member of this PAA, it has been invited. Invitations and members "
    "are listed on this page. Shared firm accounts and Legacy PACER Accounts cannot join "
    "a PAA."
)
PAA_SHARED_CANNOT_CREATE = (
    "A shared firm PACER account cannot create a PAA. Sign in with the individual PACER "
    "account of the person who will administer the firm's billing."
)


def paa_invites_throttled(wait: str) -> str:
    return f"You have sent many invitations recently. Please wait {wait} and try again."


PAA_INVITATION_CLOSED = "This invitation is no longer open."
PAA_ALREADY_PAID = (
    "Another PAA already pays for your account. End that membership before you accept this one."
)
PAA_ACCEPTED = "You have joined the PAA. From now on it pays for your PACER charges."
PAA_DECLINED = "You have declined the invitation."
PAA_MEMBERSHIP_ENDED = "The membership has ended."
PAA_INVITATION_CANCELLED = "The invitation has been withdrawn."


# --- The Service Center's changes (flows/service_center.py) ----------------------------
SC_MFA_RESET_INTRO = (
    "For a holder who lost both the authenticator app and the backup codes, once you "
    "have made sure who is asking: the app and the backup codes stop working, every "
    "session and API token of the account ends, and the holder is told by e-mail. An "
    "account that must use multi-factor authentication sets it up again at its next "
    "sign-in."
)
SC_MFA_RESET_DONE = (
    "Multi-factor authentication of {username} is turned off; its sessions have ended."
)
SC_MFA_RESET_OWN = "You cannot turn off multi-factor authentication of your own account here."
SC_MFA_RESET_PRIVILEGED = (
    "This account has powers over other accounts (administrator or Service Center); its "
    "multi-factor authentication is not turned off here. Ask the system's operators."
)
SC_STATUS_PRIVILEGED = (
    "This account has powers over other accounts (administrator or Service Center); it is "
    "not deactivated or reactivated here. Ask the system's operators."
)
SC_NEEDS_PASSCODE = (
    "The Service Center pages open only to an account signed in with its password and a "
    "one-time passcode. Log out, then log in again and enter the passcode from your "
    "authenticator app; without multi-factor authentication, set it up at that login."
)
SC_MFA_NOT_ON = (
    "Multi-factor authentication is not turned on for this account; nothing was changed."
)

# --- The Service Center's audit trail (flows/service_center.py) ------------------------
# What an audit action is called on the trail. Sign-ins are told by outcome and reason,
# so a failed or throttled attempt reads as such; other actions are named, and the
# Outcome column says how they ended. An action not listed shows its own name.
SIGN_IN_ACTIONS = {"login", "api.login", "login.password", "login.otp"}
# (action, reason); a None action: any sign-in action.
SIGN_IN_LABELS: dict[tuple[str | None, str | None], str] = {
    ("login", "success"): "Signed in",
    ("api.login", "success"): "Signed in",
    ("login.password", "success"): "Password accepted, second step next",
    ("login.otp", "success"): "One-time passcode accepted",
    ("login", "invalid"): "Sign-in failed (wrong password)",
    ("login.otp", "wrong code"): "Sign-in failed (wrong one-time passcode)",
    ("login.otp", "code missing"): "Sign-in refused (one-time passcode missing)",
    (None, "throttled"): "Sign-in throttled",
    (None, "deactivated"): "Sign-in refused (account deactivated)",
    (None, "mfa enrollment required"): "Sign-in refused (MFA set-up required)",
    (None, "redaction not acknowledged"): "Sign-in refused (redaction rules not acknowledged)",
}
AUDIT_ACTION_LABELS = {
    "logout": "Signed out",
    "api.logout": "Signed out (API)",
    "account.create": "Account created",
    "account.upgrade": "Account upgraded",
    "account.deactivate": "Account deactivated",
    "account.reactivate": "Account reactivated",
    "account.password_change": "Password change",
    "account.personal_info": "Personal information change",
    "account.address": "Address change",
    "account.security_questions": "Security questions change",
    "account.client_code": "Default client code change",
    "account.exemption_request": "Exemption request",
    "mfa.enroll": "MFA set-up",
    "mfa.skip": "MFA set-up put off",
    "mfa.disable": "MFA turned off",
    "mfa.backup_codes": "New MFA backup codes",
    "mfa.reset": "MFA turned off by the Service Center",
    "recovery.username": "Forgot user name",
    "recovery.password": "Forgot password",
    "password.reset.link": "Password reset link",
    "password.reset": "Password reset",
    "link.verify": "CM/ECF account checked for linking",
    "link.confirm": "CM/ECF account linked",
    "unlink": "CM/ECF account unlinked by court staff",
    "paa.create": "PAA created",
    "paa.invite": "PAA invitation",
    "paa.end": "PAA membership ended",
}
AUDIT_VIA_LABELS = {"page": "Login page", "api": "PACER Authentication API"}


def audit_event_label(action: str, outcome: str, details: dict) -> str:
    """The trail's words for one audit event (e.g. "Sign-in failed (wrong password)");
    in a flood, which attempt of the client's minute it was (audit.services.record writes
    only the 1st, 10th, 100th ...)."""
    reason: str | None = details.get("reason") if isinstance(details, dict) else None
    label = ""
    if action in SIGN_IN_ACTIONS:
        label = (
            SIGN_IN_LABELS.get((action, outcome if outcome == "success" else reason))
            or SIGN_IN_LABELS.get((None, reason))
            or ""
        )
    label = label or AUDIT_ACTION_LABELS.get(action, action)
    count = details.get("count") if isinstance(details, dict) else None
    if isinstance(count, int) and count > 1:
        label += f" (attempt {count} this minute)"
    return label


def audit_via_label(details: dict) -> str:
    via: str | None = details.get("via") if isinstance(details, dict) else None
    return AUDIT_VIA_LABELS.get(via, via) if via else ""


# --- the administration pages (signon/admin_site.py) ---------------------------------
ADMIN_NEEDS_PASSCODE = (
    "The administration pages open only to a staff account signed in with its password "
    "and a one-time passcode. Log out, then log in again and enter the passcode from your "
    "authenticator app. Staff accounts without multi-factor authentication set it up at "
    "that login."
)
