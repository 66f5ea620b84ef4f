"""The form of the court staff's RSS feed page (views/feed.py)."""

from __future__ import annotations

from django import forms

from nextgen.ecf.models import Court
from nextgen.forms import Form

from ..models import FilingEvent


class FeedEventsForm(Form):
    events = forms.ModelMultipleChoiceField(
        label="Event types in the RSS feed",
        queryset=FilingEvent.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, court: Court, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("events").queryset = FilingEvent.objects.filter(court=court)
