"""The CM/ECF password rules, as the District of Puerto Rico states them (seed 002), as
Django password validators (validate(password, user), get_help_text()).

They are the court's rules for its own old logins, not PACER's
(settings.AUTH_PASSWORD_VALIDATORS), so they are never in that setting: whatever sets a
CM/ECF password passes CMECF_PASSWORD_VALIDATORS to Django's validate_password
(validate_cmecf_password does), and pages show rule_texts() before anyone types. Each
rule that fails is named on its own; the words are in ecf.notices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from . import notices


class CmecfRuleValidator:
    """One CM/ECF rule as a Django password validator: `holds` says whether a password
    keeps it; `rule` is how the court states it, `broken` the message when it fails."""

    def __init__(self, *, code: str, rule: str, broken: str, holds: Callable[[str], bool]):
        self.code, self.rule, self.broken, self.holds = code, rule, broken, holds

    def validate(self, password: str, user: Any = None) -> None:
        if not self.holds(password):
            raise ValidationError(self.broken, code=self.code)

    def get_help_text(self) -> str:
        return self.rule


# In the order the court states them (and names the broken ones).
CMECF_PASSWORD_VALIDATORS = [
    CmecfRuleValidator(
        code="cmecf_password_too_short",
        rule=notices.CMECF_RULE_LENGTH,
        broken=notices.CMECF_BROKEN_LENGTH,
        holds=lambda p: len(p) >= notices.CMECF_PASSWORD_MIN_LENGTH,
    ),
    CmecfRuleValidator(
        code="cmecf_password_letters_and_numbers",
        rule=notices.CMECF_RULE_LETTERS_AND_NUMBERS,
        broken=notices.CMECF_BROKEN_LETTERS_AND_NUMBERS,
        holds=lambda p: bool(re.search(r"[A-Za-z]", p) and re.search(r"[0-9]", p)),
    ),
    CmecfRuleValidator(
        code="cmecf_password_case",
        rule=notices.CMECF_RULE_CASE,
        broken=notices.CMECF_BROKEN_CASE,
        holds=lambda p: bool(re.search(r"[A-Z]", p) and re.search(r"[a-z]", p)),
    ),
    CmecfRuleValidator(
        code="cmecf_password_special",
        rule=notices.CMECF_RULE_SPECIAL,
        broken=notices.CMECF_BROKEN_SPECIAL,
        holds=lambda p: any(c in notices.CMECF_SPECIAL_CHARACTERS for c in p),
    ),
]


def rule_texts() -> list[str]:
    """The rules in the seed's words, for the page that asks for a new password."""
    return password_validators_help_texts(CMECF_PASSWORD_VALIDATORS)


def validate_cmecf_password(password: str, filer: Any = None) -> None:
    """Raise ValidationError listing every CM/ECF rule `password` breaks."""
    validate_password(password, filer, password_validators=CMECF_PASSWORD_VALIDATORS)
