"""Words the PACER Authentication API answers with, in one place."""

INVALID_LOGIN = "Invalid username, password, or one-time passcode."
REDACTION_REQUIRED = (
    "All filers must redact: Social Security or taxpayer-identification numbers; dates of "
    "birth; names of minor children; financial account numbers; and home addresses, in "
    "compliance with Fed. R. Civ. P. 5.2, Fed. R. Crim. P. 49.1, or Fed. R. Bankr. P. 9037. "
    'To log in as a filer, send "redactFlag": "1" to acknowledge this requirement.'
)
NOT_JSON = 'Send a JSON object as the request body, with "Content-Type: application/json".'
POST_ONLY = "Use POST for this service."


def field_required(name: str) -> str:
    return f"{name} is required."


def field_not_string(name: str) -> str:
    return f"{name} must be a string of text (no NUL characters or lone surrogates)."


def field_too_long(name: str, limit: int) -> str:
    return f"{name} must be at most {limit} characters."


def mfa_skips_left(count: int) -> str:
    """Told with a sign-in that used up one of the skips of MFA set-up."""
    if count == 0:
        return "This was the last sign-in without it: the next one will be refused."
    return f"Sign-ins left before it is required: {count}."
