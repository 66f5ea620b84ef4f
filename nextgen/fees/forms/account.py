"""Forms of the account holder's fees pages (views/account.py). Dates are U.S. calendar
days (history) or days at the court (exemptions)."""

from __future__ import annotations

from django import forms

from nextgen.ecf.models import Court
from nextgen.forms import Form

from .. import notices
from ..models import Category

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class HistoryForm(Form):
    """Review Billing History's filter. Every field is optional; bad values are named."""

    start = forms.DateField(label="From", required=False, widget=DATE_WIDGET)
    end = forms.DateField(label="To", required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("date", "Date"), ("client_code", "Client code")],
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", notices.BAD_DATE_RANGE)
        return data


class ExemptionRequestForm(Form):
    court = forms.ModelChoiceField(
        label="Court", queryset=Court.objects.order_by("name"), empty_label="Choose a court"
    )
    category = forms.ChoiceField(label="Category", choices=[("", "Choose"), *Category.choices])
    reason = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea)


class PaaSettingsForm(Form):
    require_client_code = forms.BooleanField(
        label="Require a client code of every member for every search and document",
        required=False,
    )
