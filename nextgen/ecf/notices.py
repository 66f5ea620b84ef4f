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


# --- E-file registration without an old CM/ECF account (flows/registration.py) --------
REGISTRATION_TITLE = "E-File Registration"
REGISTRATION_INTRO = (
    "If you never had a CM/ECF e-filing account in a court, ask that court for e-filing "
    "rights here. The court's staff review each request; once approved, you file in that "
    "court with your PACER account."
)
REGISTRATION_REFUSALS = {
    # The account-level refusals use the very words of the linking refusals.
    "legacy": REFUSALS["legacy"],
    "shared": REFUSALS["shared"],
    "inactive": REFUSALS["inactive"],
    "not_live": (
        "This court is not live on NextGen CM/ECF yet. E-file registration opens on its "
        "go-live date."
    ),
    "already_filer": (
        "Your PACER account can already file in this court. No registration is needed."
    ),
    "pending": (
        "You already have a registration request pending at this court. The court's staff "
        "will decide on it; you will be told by e-mail."
    ),
}
REGISTRATION_SENT = (
    "Your request has been sent to the court. Its staff will review it, and you will be told "
    "by e-mail when they decide."
)
BAR_NUMBER_REQUIRED = "Enter your bar number."
BAR_STATE_REQUIRED = "Enter the state of your bar admission."
REJECTION_REASON_REQUIRED = (
    "Give the reason for rejecting this request; it is e-mailed to the applicant."
)
REGISTRATION_NOT_PENDING = "This request has already been decided."
REGISTRATION_ALREADY_FILER = (
    "The applicant's PACER account can already file in this court (it was linked meanwhile). "
    "Nothing was changed; reject the request or leave it."
)
REGISTRATION_APPLICANT_CANNOT_FILE = (
    "The applicant's PACER account is no longer an active, upgraded, individual account. "
    "Nothing was changed."
)


def registration_approved(name: str, court: str) -> str:
    return f"The request of {name} was approved. {name} can now file in the {court}."


def registration_rejected(name: str) -> str:
    return f"The request of {name} was rejected. The reason has been e-mailed to the applicant."


# --- court-side account care: CM/ECF recovery, secondary e-mails -----------------------
CMECF_USERNAME_SENT = (
    "If the Federal Bar Number or e-mail address you entered belongs to a CM/ECF account in "
    "this court, its CM/ECF user name has been sent to the primary e-mail address "
    "registered in CM/ECF."
)
CMECF_PASSWORD_SENT = (
    "If the CM/ECF user name or e-mail address you entered belongs to a CM/ECF account in "
    "this court, a link to set a new CM/ECF password has been sent to the primary e-mail "
    "address registered in CM/ECF. The link can be used once and expires in one hour."
)
CMECF_RESET_LINK_INVALID = (
    "This link to set a new CM/ECF password is invalid: it has been used already, has "
    "expired, or the CM/ECF account is now linked to a PACER account. Request a new one "
    "from Forgot CM/ECF password?."
)
CMECF_PASSWORD_SET = (
    "Your new CM/ECF password is set. You can now link this CM/ECF account to your "
    "individual upgraded PACER account (Utilities → Link a CM/ECF account to my PACER "
    "account)."
)

EMAIL_INFO_TITLE = "Email information"
EMAIL_INFO_ONLY_LINKED = (
    "Only filers whose CM/ECF account is linked to their PACER account in this court keep "
    "e-mail information here."
)
# Maintain Your Account: whether this court has the PACER data depends on the link.
PERSON_INFO_FORWARDED = (
    "Your personal information is kept in your PACER account and forwarded to this court."
)
PERSON_INFO_NOT_FORWARDED = (
    "Your personal information is kept in your PACER account. This court receives it only "
    "once you link your CM/ECF account here (Utilities → Link a CM/ECF account to my PACER "
    "account); until then it has none of it."
)
PRIMARY_EMAIL_KEPT_IN_PACER = (
    "Your primary e-mail address is kept in your PACER account and forwarded to this court."
)
SECONDARY_EMAIL_DUPLICATE = "This address is already one of your secondary e-mail addresses."
SECONDARY_EMAIL_IS_PRIMARY = (
    "This address is your primary e-mail address; type a different secondary address."
)
SECONDARY_EMAIL_GONE = "That secondary e-mail address was already removed."


def secondary_email_limit(limit: int) -> str:
    return (
        f"You can keep at most {limit} secondary e-mail addresses in this court. Remove one "
        "before adding another."
    )


def secondary_email_added(email: str) -> str:
    return f"Secondary e-mail address {email} added."


def secondary_email_removed(email: str) -> str:
    return f"Secondary e-mail address {email} removed."


# Log out by a link another site started (views.entry, signon/samesite.py): ask first.
LOGOUT_CONFIRM_TITLE = "Log out of PACER?"
LOGOUT_CONFIRM = (
    "Logging out ends your PACER session in every court. If you did not ask to log out, "
    "choose Stay signed in."
)

# --- the court site, registration and staff pages (views/, forms/, flows/) -------------
NOT_LIVE_UNANNOUNCED = (
    "This court has not announced its NextGen CM/ECF go-live date yet. "
    "Linking opens once the court is live."
)
SECONDARY_EMAIL_MISSING = "Type the secondary e-mail address to add."
EMAIL_INVALID = "Enter a valid e-mail address."
REGISTRATION_COURT_INVALID = "Select one of the courts in the list."
REGISTRATION_KIND_MISSING = "Select the kind of registration."
STAFF_HEADING = "Court staff"
STAFF_NEEDS_PASSCODE = (
    "The court staff pages open only to an account signed in with its password and a "
    "one-time passcode. Log out, then log in again and enter the passcode from your "
    "authenticator app; without multi-factor authentication, set it up at that login."
)
STAFF_UNLINKED = (
    "The CM/ECF account {login} is unlinked. Its owner can link again after "
    "a CM/ECF password reset; the attorney was told by e-mail."
)
STAFF_RESET_SENT = "A CM/ECF password reset link was sent to {to}."
STAFF_GO_LIVE_SET = (
    "The go-live date is now {date}. Unlinked CM/ECF "
    "accounts with an e-mail address are being told."
)
STAFF_NOT_LINKED = "This CM/ECF account is not linked; nothing was changed."
STAFF_RESET_LINKED = (
    "This CM/ECF account is linked; its owner signs in with PACER. Unlink it first "
    "if the owner needs to link again."
)
STAFF_RESET_NO_EMAIL = (
    "This CM/ECF account has no primary e-mail address; no reset link can be sent."
)
IMPORT_TOO_LARGE = (
    "The file is larger than {mb} MB; "
    "split it, or import it with `nextgen filers import` on the server."
)
IMPORT_NOT_UTF8 = "The file is not UTF-8 text."
IMPORT_STOPPED = "The import stopped on an error."
IMPORT_ABANDONED = "The import stopped: the server running it was interrupted."

# --- the CM/ECF password rules (ecf.passwords), as the court states them (seed 002) --------
CMECF_SPECIAL_CHARACTERS = "#?!/*"
CMECF_PASSWORD_MIN_LENGTH = 8
# Each rule: as shown before typing, and the message when a new password breaks it.
CMECF_RULE_LENGTH = f"At least {CMECF_PASSWORD_MIN_LENGTH} characters long."
CMECF_BROKEN_LENGTH = (
    f"The CM/ECF password must be at least {CMECF_PASSWORD_MIN_LENGTH} characters long."
)
CMECF_RULE_LETTERS_AND_NUMBERS = "Include letters and numbers."
CMECF_BROKEN_LETTERS_AND_NUMBERS = "The CM/ECF password must include letters and numbers."
CMECF_RULE_CASE = "Include uppercase and lowercase letters."
CMECF_BROKEN_CASE = "The CM/ECF password must include uppercase and lowercase letters."
CMECF_RULE_SPECIAL = f"At least one special character: {' '.join(CMECF_SPECIAL_CHARACTERS)}"
CMECF_BROKEN_SPECIAL = (
    "The CM/ECF password must include at least one special character: "
    f"{' '.join(CMECF_SPECIAL_CHARACTERS)}"
)
CMECF_RULES_HINT = "CM/ECF Password Requirements: "
