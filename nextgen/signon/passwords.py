"""Password rules. The list in use is settings.AUTH_PASSWORD_VALIDATORS (one place)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

SPECIAL_CHARACTERS = "#?!/*.,;:@$%^&()_+-=[]{}<>|~`'\"\\"


class SeedRuleValidator:
    """The seeds' rule: minimum 8; upper- & lower-case letters; include digit or special
    character. Each rule that fails is named on its own."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"Password must be at least {self.min_length} characters long.",
                    code="password_too_short",
                )
            )
        if not (re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)):
            errors.append(
                ValidationError(
                    "Password must include both upper- and lower-case letters.",
                    code="password_case",
                )
            )
        if not (re.search(r"\d", password) or any(c in SPECIAL_CHARACTERS for c in password)):
            errors.append(
                ValidationError(
                    "Password must include a digit or a special character.",
                    code="password_digit_or_special",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"minimum {self.min_length}; upper- & lower-case letters; "
            "include digit or special character"
        )


class UsernameNotInPasswordValidator:
    """Refuses a password that contains the account's user name."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().casefold()
        if len(username) >= 3 and username in password.casefold():
            raise ValidationError(
                "Password must not contain your user name.", code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return "must not contain your user name"
