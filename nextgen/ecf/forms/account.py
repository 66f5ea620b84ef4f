"""Forms of the court-side account care pages (views/account.py): Forgot CM/ECF user
name and password, the new CM/ECF password, a secondary e-mail address."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form, NewPasswordTwiceForm

from .. import notices
from ..passwords import rule_texts


class ForgotCmecfUsernameForm(Form):
    bar_number_or_email = forms.CharField(
        label="Federal Bar Number or primary e-mail address",
        max_length=254,
        help_text="As registered in CM/ECF in this court.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )


class ForgotCmecfPasswordForm(Form):
    login_or_email = forms.CharField(
        label="CM/ECF user name or primary e-mail address",
        max_length=254,
        help_text="Your current CM/ECF user name, or the primary e-mail address registered "
        "in CM/ECF in this court.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class SetCmecfPasswordForm(NewPasswordTwiceForm):
    """The new CM/ECF password, twice; the rules are applied by the flow (one place)."""

    new_label = "New CM/ECF password"
    again_label = "Type the new CM/ECF password again"

    def rules_hint(self) -> str:
        return notices.CMECF_RULES_HINT + " ".join(rule_texts())


class SecondaryEmailForm(Form):
    # Not required: "Return to Person Information Screen" with nothing typed just goes back.
    email = forms.EmailField(
        label="Secondary e-mail address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
