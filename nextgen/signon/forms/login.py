from django import forms

from nextgen.forms import Form

from .. import notices
from ..flows.maintenance import valid_client_code


class LoginForm(Form):
    username = forms.CharField(
        label="Username",
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    client_code = forms.CharField(label="Client Code", max_length=32, required=False)

    def clean_client_code(self) -> str:
        # The Change Client Code rule: the one rule for every code a charge may carry.
        code = valid_client_code(self.cleaned_data["client_code"])
        if code is None:
            raise forms.ValidationError(notices.CLIENT_CODE_RULE)
        return code
