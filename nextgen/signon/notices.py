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
EXEMPTION_ALREADY_PENDING = (
    "You already have an exemption request pending review. You can send another "
    "once the PACER Service Center has decided on it."
)
EXEMPTION_ALREADY_EXEMPT = "Your account is already exempt from PACER fees."
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
EXEMPTION_REQUESTED = (
    "Your request for exemption from PACER fees has been sent to the PACER Service Center "
    "for review."
)
NO_CHARGES = "No charges."


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
    "If that user name belongs to an individual PACER account, an invitation has been sent."
)
PAA_NOT_INVITABLE = (
    "Shared firm PACER accounts and Legacy PACER Accounts cannot join a PAA: only an "
    "individual upgraded PACER account can."
)
PAA_ALREADY_OPEN = "That account already has an open invitation to, or membership in, this PAA."
PAA_INVITATION_CLOSED = "This invitation is no longer open."
PAA_ALREADY_PAID = (
    "Another PAA already pays for your account. End that membership before you accept this one."
)
PAA_ACCEPTED = "You have joined the PAA. From now on it pays for your PACER charges."
PAA_DECLINED = "You have declined the invitation."
PAA_MEMBERSHIP_ENDED = "The membership has ended."
PAA_INVITATION_CANCELLED = "The invitation has been withdrawn."
