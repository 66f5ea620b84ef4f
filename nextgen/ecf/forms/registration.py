"""Forms of the e-file registration pages (views/registration.py)."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form

from .. import notices
from ..flows import registration as flow
from ..models import Court, FilingRegistration

_FIELD = FilingRegistration._meta.get_field


class RegistrationForm(Form):
    court = forms.ModelChoiceField(
        label="Court",
        queryset=Court.objects.none(),
        to_field_name="code",
        empty_label="Select a court",
        error_messages={"invalid_choice": notices.REGISTRATION_COURT_INVALID},
    )
    kind = forms.ChoiceField(
        label="Registration",
        choices=FilingRegistration.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": notices.REGISTRATION_KIND_MISSING},
    )
    bar_number = forms.CharField(
        label="Bar number",
        required=False,
        max_length=_FIELD("bar_number").max_length,
        help_text="Attorneys only.",
    )
    bar_state = forms.CharField(
        label="Bar state",
        required=False,
        max_length=_FIELD("bar_state").max_length,
        help_text="The state of your bar admission. Attorneys only.",
    )
    note = forms.CharField(
        label="Note to the court",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Evaluated per request: a court that went live today is offered today.
        self.fields["court"].queryset = flow.live_courts()


class DecisionForm(Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to reject; e-mailed to the applicant.",
    )
