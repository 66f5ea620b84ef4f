"""The three steps of registration and upgrade: Person, Address, Security.

Labels are the seeds' words. The forms only check what was typed; the flows
decide what happens with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import timezone

from nextgen.forms import Form, UnrenderedTextInput, password_field

from .. import notices
from ..models import SECURITY_QUESTIONS, Account, UserType
from ..services import username_taken

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._@-]{3,80}$")
PHONE_PATTERN = re.compile(r"^[0-9+().\-\s]*(?:\s*(?:x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
QUESTION_CHOICES = [("", "- Select a security question -"), *SECURITY_QUESTIONS]


def _text(
    label: str, max_length: int, *, required: bool = True, secret: bool = False, **attrs: str
) -> forms.CharField:
    """A text box; `secret` (a credential, e.g. a security answer): never shown back."""
    widget = UnrenderedTextInput if secret else forms.TextInput
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget(attrs=attrs)
    )


class PersonForm(Form):
    first_name = _text("First Name", 80, autocomplete="given-name")
    last_name = _text("Last Name", 80, autocomplete="family-name")
    date_of_birth = forms.DateField(
        label="Date of Birth",
        help_text="For example: 05/17/1980",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    email = forms.EmailField(
        label="E-mail Address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    user_type = forms.ChoiceField(
        label="User Type",
        choices=[("", "- Select a user type -"), *UserType.choices],
    )

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise ValidationError("Date of Birth must be a date in the past.", code="future")
        if born < EARLIEST_BIRTH_DATE:
            raise ValidationError(
                f"Date of Birth must be after {EARLIEST_BIRTH_DATE:%m/%d/%Y}.", code="too_early"
            )
        return born


class AddressForm(Form):
    firm = _text("Firm Name", 120, required=False, autocomplete="organization")
    address = _text("Address", 200, autocomplete="street-address")
    city = _text("City", 80, autocomplete="address-level2")
    state = _text("State", 40, autocomplete="address-level1")
    county = _text("County", 80, required=False)
    zip_code = _text("Zip Code", 20, autocomplete="postal-code")
    country = _text("Country", 80, autocomplete="country-name")
    phone = forms.CharField(
        label="Primary Phone",
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_zip_code(self) -> str:
        zip_code: str = self.cleaned_data["zip_code"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 \-]*", zip_code):
            raise ValidationError("Zip Code may contain only letters, digits, spaces and dashes.")
        return zip_code

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"]
        if not PHONE_PATTERN.match(phone) or sum(c.isdigit() for c in phone) < 7:
            raise ValidationError(
                "Primary Phone must be a telephone number of at least 7 digits, "
                "for example 860-555-0100."
            )
        return phone


class SecurityForm(Form):
    """User name, password and security questions. `account` is the account as it will be
    (its person data filled in), so the password rules can look at its user name."""

    username = forms.CharField(
        label="Username",
        max_length=80,
        help_text="3 to 80 characters: letters, digits and . _ - @",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        max_length=256,
        strip=False,
        help_text="Type the same password again to confirm it.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    question_1 = forms.ChoiceField(label="Security Question 1", choices=QUESTION_CHOICES)
    answer_1 = _text("Answer 1", 200, secret=True, autocomplete="off")
    question_2 = forms.ChoiceField(label="Security Question 2", choices=QUESTION_CHOICES)
    answer_2 = _text("Answer 2", 200, secret=True, autocomplete="off")

    def __init__(
        self,
        *args: Any,
        account: Account,
        admit_username_check: Callable[[], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        # Whether a user name is taken is an answer worth throttling (registration): the
        # callable counts one check and returns "" to go ahead, else the notice to show.
        self.admit_username_check = admit_username_check
        # The rules come from settings, so the hint is built when the form is.
        password = self.fields["password1"]
        password.help_text = "Rules: " + "; ".join(password_validators_help_texts())
        password.widget.attrs.setdefault("aria-describedby", "id_password1_hint")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if not USERNAME_PATTERN.match(username):
            raise ValidationError(
                "Username must be 3 to 80 characters: letters, digits and . _ - @ only."
            )
        if self.admit_username_check is not None:
            refusal = self.admit_username_check()
            if refusal:
                raise ValidationError(refusal, code="throttled")
        # Another account's name, in any letter case, is taken; an account may keep its own.
        if username_taken(username, exclude=self.account if self.account.pk else None):
            raise ValidationError(notices.USERNAME_TAKEN, code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password = cleaned.get("password1")
        confirm = cleaned.get("password2")
        if password and confirm and password != confirm:
            self.add_error("password2", "The two passwords do not match.")
        if password:
            # The rules judge the account as it will be, with its new user name.
            would_be = copy.copy(self.account)
            would_be.username = cleaned.get("username") or self.data.get("username", "")
            try:
                validate_password(password, would_be)
            except ValidationError as exc:
                self.add_error("password1", exc)
        q1, q2 = cleaned.get("question_1"), cleaned.get("question_2")
        if q1 and q2 and q1 == q2:
            self.add_error("question_2", notices.SECURITY_QUESTIONS_SAME)
        return cleaned

    def security(self) -> tuple[str, str, str, str]:
        """The questions and answers in the order Account.set_security_answers takes them."""
        c = self.cleaned_data
        return (c["question_1"], c["answer_1"], c["question_2"], c["answer_2"])


class UpgradeSecurityForm(SecurityForm):
    """The upgrade's Security step: it replaces the user name, the password and (earlier
    steps) the e-mail address, so it asks for the current password first, as Personal
    Information does: a session left open must not become someone else's account."""

    current_password = password_field("Current Password", "current-password")
    field_order = ["current_password"]
