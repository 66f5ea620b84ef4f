"""The signon app's data: accounts and PAAs, multi-factor authentication, signed-in
sessions. Importing this package registers every model with Django, and the names here
are the app's public ones (`from nextgen.signon.models import Account`)."""

from .accounts import (
    SECURITY_QUESTIONS,
    UPGRADE_CUTOFF,
    Account,
    AccountManager,
    Paa,
    PaaMembership,
    UserType,
    normalize_answer,
    normalize_username,
)
from .mfa import BackupCode, MfaPrompt
from .sessions import KnownDevice, SignedInSession

__all__ = [
    "SECURITY_QUESTIONS",
    "UPGRADE_CUTOFF",
    "Account",
    "AccountManager",
    "BackupCode",
    "KnownDevice",
    "MfaPrompt",
    "Paa",
    "PaaMembership",
    "SignedInSession",
    "UserType",
    "normalize_answer",
    "normalize_username",
]
