"""The CM/ECF password rules, as the District of Puerto Rico states them (seed 002).

One place: every page or service that sets a CM/ECF password calls
validate_cmecf_password(), and the pages show rule_texts() before anyone types.
These are the court's rules for its own old logins, not PACER's
(settings.AUTH_PASSWORD_VALIDATORS), which is why they live apart from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError

SPECIAL_CHARACTERS = "#?!/*"
MIN_LENGTH = 8

# (code, rule as shown before typing, message when the rule fails, test)
_RULES: list[tuple[str, str, str, Callable[[str], bool]]] = [
    (
        "cmecf_password_too_short",
        f"At least {MIN_LENGTH} characters long.",
        f"The CM/ECF password must be at least {MIN_LENGTH} characters long.",
        lambda p: len(p) >= MIN_LENGTH,
    ),
    (
        "cmecf_password_letters_and_numbers",
        "Include letters and numbers.",
        "The CM/ECF password must include letters and numbers.",
        lambda p: bool(re.search(r"[A-Za-z]", p) and re.search(r"[0-9]", p)),
    ),
    (
        "cmecf_password_case",
        "Include uppercase and lowercase letters.",
        "The CM/ECF password must include uppercase and lowercase letters.",
        lambda p: bool(re.search(r"[A-Z]", p) and re.search(r"[a-z]", p)),
    ),
    (
        "cmecf_password_special",
        f"At least one special character: {' '.join(SPECIAL_CHARACTERS)}",
        "The CM/ECF password must include at least one special character: "
        f"{' '.join(SPECIAL_CHARACTERS)}",
        lambda p: any(c in SPECIAL_CHARACTERS for c in p),
    ),
]


def rule_texts() -> list[str]:
    """The rules in the seed's words, for the page that asks for a new password."""
    return [text for _, text, _, _ in _RULES]


def validate_cmecf_password(password: str) -> None:
    """Raise ValidationError listing every rule `password` breaks (each named on its own)."""
    errors = [
        ValidationError(message, code=code)
        for code, _, message, holds in _RULES
        if not holds(password)
    ]
    if errors:
        raise ValidationError(errors)
