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


def throttled(wait: str) -> str:
    return f"Too many failed attempts. Please wait {wait} and try again."


def deactivated() -> str:
    psc = settings.NEXTGEN_SERVICE_CENTER
    return (
        "Your PACER account is deactivated. Contact the PACER Service Center (PSC) at "
        f"{psc['phone']}, or send them an e-mail at {psc['email']} to request activation "
        "of your PACER account."
    )
