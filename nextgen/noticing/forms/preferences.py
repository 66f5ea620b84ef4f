"""Forms of Maintain Your E-mail's noticing section (views/preferences.py)."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form

from .. import notices
from ..models import Delivery, Format


class RadioGroup(forms.RadioSelect):
    """Radio buttons whose group has an id (their fieldset's), so the error summary can
    link to the question rather than to nowhere."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else f"{id_}_{index}"


class PreferenceForm(Form):
    address = forms.CharField(
        widget=forms.HiddenInput,
        max_length=254,
        error_messages={"required": notices.PREF_ADDRESS_GONE},
    )
    delivery = forms.ChoiceField(
        label="Notices",
        choices=Delivery.choices,
        widget=RadioGroup,
        error_messages={
            "required": notices.PREF_DELIVERY_INVALID,
            "invalid_choice": notices.PREF_DELIVERY_INVALID,
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Format.choices,
        widget=RadioGroup,
        error_messages={
            "required": notices.PREF_FORMAT_INVALID,
            "invalid_choice": notices.PREF_FORMAT_INVALID,
        },
    )


class FollowForm(Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=60,
        required=False,
        help_text="For example 3:26-cv-00042, or short: 26-42.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
