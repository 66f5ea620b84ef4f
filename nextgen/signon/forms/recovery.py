"""Forms of Forgot User Name, Forgot Your Password? and the set-new-password page.

They check only the shape of what was typed; whether it matches an account is the
flow's business, and never shown here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils import timezone

from nextgen.forms import Form, NewPasswordTwiceForm

DATE_FORMATS = ["%m/%d/%Y", "%Y-%m-%d"]
PERSON_FIELDS = ("first_name", "last_name", "date_of_birth")


class ForgotUsernameForm(Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label="First Name",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last Name",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    date_of_birth = forms.DateField(
        label="Date of Birth",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="mm/dd/yyyy",
        widget=forms.DateInput(format="%m/%d/%Y", attrs={"autocomplete": "bday"}),
    )

    def clean_date_of_birth(self) -> dt.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and not (dt.date(1900, 1, 1) <= born <= timezone.localdate()):
            raise forms.ValidationError("Enter your date of birth as mm/dd/yyyy.")
        return born

    def wants_more_options(self) -> bool:
        """Whether the name and birth date fields were used, so they stay shown."""
        if not self.is_bound:
            return False
        return any(str(self.data.get(name, "")).strip() for name in PERSON_FIELDS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person_typed = [n for n in PERSON_FIELDS if self.data.get(n, "").strip()]
        if person_typed:
            # Name and birth date identify a person only together.
            for name in PERSON_FIELDS:
                if name not in person_typed and name not in self.errors:
                    self.add_error(
                        name,
                        "Enter first name, last name and date of birth together.",
                    )
        elif not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                "Enter your e-mail address, or click here for more options and enter your "
                "first name, last name and date of birth.",
            )
        return data


class ForgotPasswordForm(Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label="Username",
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class SetPasswordForm(NewPasswordTwiceForm):
    """The new password, twice. The password rules are applied by the flow, which knows
    the account (a password may not contain its user name)."""

    def rules_hint(self) -> str:
        # The rules are settings.AUTH_PASSWORD_VALIDATORS, one place.
        rules = "; ".join(text.rstrip(".") for text in password_validators_help_texts())
        return f"Password rules: {rules}."
