"""Forms of multi-factor authentication: the passcode at sign-in, set-up, and changes."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form, UnrenderedTextInput, password_field

from ..flows import mfa

OTP_LABEL = "One-Time Passcode"


def _otp_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label=OTP_LABEL,
        max_length=32,
        help_text=help_text,
        # A backup code typed with a wrong password is still good: never shown back.
        widget=UnrenderedTextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class OtpForm(Form):
    """The second sign-in step: a code from the app, or a backup code."""

    otp_code = _otp_field("The 6-digit code your authenticator app shows, or a backup code.")

    def clean_otp_code(self) -> str:
        value = self.cleaned_data["otp_code"]
        if mfa.normalize_code(value) is None:
            raise forms.ValidationError(mfa.CODE_FORMAT, code="format")
        return value


class EnrollForm(Form):
    """Finishing set-up: only the app's code proves the app was set up."""

    otp_code = _otp_field("The 6-digit code your authenticator app shows now.")

    def clean_otp_code(self) -> str:
        value = self.cleaned_data["otp_code"]
        parsed = mfa.normalize_code(value)
        if parsed is None or parsed[0] != "totp":
            raise forms.ValidationError(mfa.ENROLL_CODE_FORMAT, code="format")
        return value


class AccountEnrollForm(EnrollForm):
    """Set-up from Manage My Account: the current password first, then the app's code."""

    current_password = password_field("Current Password", "current-password")

    field_order = ["current_password", "otp_code"]


class ConfirmChangeForm(OtpForm):
    """Turning MFA off or making new backup codes: the password and a current code."""

    current_password = forms.CharField(
        label="Current Password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["current_password", "otp_code"]
