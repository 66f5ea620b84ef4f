"""Court-side words in one place. Where the seeds give the words, these are they."""

from django.conf import settings

LINK_TITLE = "Link a CM/ECF account to my PACER account"
LINK_INTRO = [
    "This utility links your PACER account with your e-filer account in this court.",
    "If you use CM/ECF for PACER only, no action is necessary.",
    "If you had a CM/ECF e-filing account in this court before the court converted to "
    "NextGen CM/ECF, enter your old CM/ECF login and password below and press Submit. You "
    "will be prompted to confirm that you want to link your PACER account to your old "
    "CM/ECF e-filing account. Press Submit to link the accounts (or go back if the names "
    "don't match).",
]
CONFIRM_QUESTION = "Do you want to link these accounts?"
CONFIRM_WARNING = (
    "After you submit this screen, your old e-filing credentials for the CM/ECF account will "
    "be permanently linked to your upgraded PACER account. Use your upgraded PACER account to "
    "e-file in this court."
)
NAMES_DIFFER = (
    "The names on the CM/ECF account and the PACER account do not match. Make sure you are "
    "linking to your own individual PACER account. Go back if this is not your CM/ECF account."
)
SAME_PERSON_LABEL = "I confirm that both accounts belong to me, the same person."
SAME_PERSON_REQUIRED = "Tick the box to confirm that both accounts belong to you."


def linked(name: str) -> str:
    return f"The CM/ECF account for {name} is now linked to your CSO account."


REFUSALS = {
    "legacy": (
        "Your PACER account is a Legacy PACER Account. You must upgrade your account before "
        "you can link a CM/ECF account (My Account & Billing → Manage My Account → Upgrade)."
    ),
    "shared": (
        "You are signed in with a shared firm PACER account. Log on with your individual "
        "upgraded PACER account to link a CM/ECF account. Do not log on using a shared firm "
        "PACER account."
    ),
    "inactive": "Your PACER account is deactivated and cannot link a CM/ECF account.",
    "not_live": "This court is not live on NextGen CM/ECF yet. Linking opens on its go-live date.",
    "account_linked_here": (
        "Your PACER account is already linked to a CM/ECF account in this court. "
        "Each PACER account links once per court."
    ),
    "filer_linked": (
        "This CM/ECF account is already linked to a PACER account. Your old CM/ECF login and "
        "password can no longer be used: log in with the PACER account it is linked to."
    ),
    "invalid": "Invalid CM/ECF login or password.",
    "expired": (
        "Your link request expired or was already used. Enter your CM/ECF login and password again."
    ),
}


def throttled(wait: str) -> str:
    return f"Too many failed attempts. Please wait {wait} and try again."


def not_live_until(date_text: str) -> str:
    return (
        f"This court goes live on NextGen CM/ECF on {date_text}. Linking your CM/ECF account "
        "to your PACER account opens then."
    )


def service_center() -> str:
    psc = settings.NEXTGEN_SERVICE_CENTER
    return f"the PACER Service Center at {psc['phone']} or {psc['email']}"
