"""Forms of the e-file registration pages (views/registration.py)."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form, column_max_length

from .. import notices
from ..flows import registration as flow
from ..models import Court, FilingRegistration


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
        max_length=column_max_length(FilingRegistration, "bar_number"),
        help_text="Attorneys only.",
    )
    bar_state = forms.CharField(
        label="Bar state",
        required=False,
        max_length=column_max_length(FilingRegistration, "bar_state"),
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
        self.model_choice_field("court").queryset = flow.live_courts()


class DecisionForm(Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to reject; e-mailed to the applicant.",
    )
