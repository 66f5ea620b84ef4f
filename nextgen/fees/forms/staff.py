"""Forms of the court staff's exemption pages (views/staff.py). Dates are days at the
court."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from nextgen.forms import Form

from .. import notices
from ..models import Category
from .account import DATE_WIDGET


class GrantForm(Form):
    username = forms.CharField(label="PACER user name", max_length=80)
    category = forms.ChoiceField(label="Category", choices=[("", "Choose"), *Category.choices])
    reason = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea)
    starts_on = forms.DateField(label="Start date", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="End date (last exempt day)", widget=DATE_WIDGET)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", notices.END_BEFORE_START)
        return data


class ApproveForm(Form):
    starts_on = forms.DateField(label="Start date", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="End date (last exempt day)", widget=DATE_WIDGET)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": notices.END_BEFORE_START})
        return data


class DenyForm(Form):
    decision_reason = forms.CharField(
        label="Reason for the denial", max_length=2000, widget=forms.Textarea
    )
