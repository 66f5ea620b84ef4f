"""Forms of the court site's Link CM/ECF account pages (views/court.py)."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form

from .. import notices


class LinkForm(Form):
    login = forms.CharField(label="CM/ECF login", max_length=80)
    password = forms.CharField(
        label="CM/ECF password",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ConfirmForm(Form):
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    same_person = forms.BooleanField(label=notices.SAME_PERSON_LABEL, required=False)
