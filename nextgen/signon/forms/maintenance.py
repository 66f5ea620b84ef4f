"""Forms of the Manage My Account maintenance and settings pages.

They check the shape of what was typed; the rules that need the account (current
password, password rules) live in flows/maintenance.py.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation

from nextgen.forms import Form, UnrenderedTextInput, column_max_length, password_field

from .. import notices
from ..flows.maintenance import CLIENT_CODE_MAX, valid_client_code
from ..models import SECURITY_QUESTIONS, Account


def _max(field: str) -> int:
    """The model's length limit, so a form never accepts what the database would refuse."""
    return column_max_length(Account, field)


class PersonalInfoForm(Form):
    first_name = forms.CharField(
        label="First Name",
        max_length=_max("first_name"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last Name",
        max_length=_max("last_name"),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Primary E-mail Address",
        max_length=_max("email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    current_password = forms.CharField(
        label="Current Password",
        max_length=256,
        strip=False,
        required=False,
        help_text="Needed only to change your e-mail address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


_PHONE = re.compile(r"[0-9 ()+.\-]+(\s*(x|ext\.?)\s*\d{1,6})?", re.IGNORECASE)
_US_ZIP = re.compile(r"\d{5}(-\d{4})?")
_UNITED_STATES = {"united states", "united states of america", "usa", "us", "u.s.", "u.s.a."}


class AddressForm(Form):
    firm = forms.CharField(
        label="Law Firm",
        max_length=_max("firm"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label="Address",
        max_length=_max("address"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label="City",
        max_length=_max("city"),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = forms.CharField(
        label="State",
        max_length=_max("state"),
        required=False,
        help_text="Required for an address in the United States.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    county = forms.CharField(label="County", max_length=_max("county"), required=False)
    zip_code = forms.CharField(
        label="Zip Code",
        max_length=_max("zip_code"),
        required=False,
        help_text="Required for an address in the United States: 12345 or 12345-6789.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.CharField(
        label="Country",
        max_length=_max("country"),
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    phone = forms.CharField(
        label="Primary Phone",
        max_length=_max("phone"),
        help_text="For example 860-555-0100 or +1 (860) 555-0100 x12.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        digits = sum(c.isdigit() for c in phone)
        if not _PHONE.fullmatch(phone) or digits < 7:
            raise forms.ValidationError(
                "Enter a phone number of at least 7 digits, for example 860-555-0100."
            )
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("country", "").strip().casefold() in _UNITED_STATES:
            if not data.get("state"):
                self.add_error("state", "Enter the state.")
            zip_code = data.get("zip_code", "")
            if not zip_code:
                self.add_error("zip_code", "Enter the zip code.")
            elif not _US_ZIP.fullmatch(zip_code):
                self.add_error("zip_code", "Enter a zip code like 12345 or 12345-6789.")
        return data


class ChangePasswordForm(Form):
    current_password = password_field("Current Password", "current-password")
    new_password1 = password_field("New Password", "new-password")
    new_password2 = password_field("Confirm New Password", "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is built, so the hint always matches the rules in force.
        rules = "; ".join(password_validation.password_validators_help_texts())
        self.fields["new_password1"].help_text = rules
        self.fields["new_password1"].widget.attrs["aria-describedby"] = "id_new_password1_hint"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", notices.NEW_PASSWORDS_DIFFER)
        return data


_QUESTION_CHOICES = [("", "Select a security question"), *SECURITY_QUESTIONS]


class SecurityQuestionsForm(Form):
    current_password = password_field("Current Password", "current-password")
    security_question_1 = forms.ChoiceField(
        label="First Security Question", choices=_QUESTION_CHOICES
    )
    security_answer_1 = forms.CharField(
        label="Answer to the First Security Question",
        max_length=100,
        widget=UnrenderedTextInput(attrs={"autocomplete": "off"}),
    )
    security_question_2 = forms.ChoiceField(
        label="Second Security Question", choices=_QUESTION_CHOICES
    )
    security_answer_2 = forms.CharField(
        label="Answer to the Second Security Question",
        max_length=100,
        widget=UnrenderedTextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        q1, q2 = data.get("security_question_1"), data.get("security_question_2")
        if q1 and q2 and q1 == q2:
            self.add_error("security_question_2", notices.SECURITY_QUESTIONS_SAME)
        return data


class ClientCodeForm(Form):
    client_code = forms.CharField(
        label="Client Code",
        max_length=CLIENT_CODE_MAX,
        required=False,
        help_text=(
            "Up to 32 letters, digits, spaces, hyphens, underscores and periods. "
            "Leave empty to clear it."
        ),
    )

    def clean_client_code(self) -> str:
        code = valid_client_code(self.cleaned_data["client_code"])
        if code is None:
            raise forms.ValidationError(notices.CLIENT_CODE_RULE)
        return code
