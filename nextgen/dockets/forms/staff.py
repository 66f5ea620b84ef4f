"""Forms of the court staff case pages (the filing flow keeps its own in filing/)."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form

from .. import notices, submit_once
from ..models import Filer, PartyRole

# The largest entry number a database column holds (PositiveIntegerField).
MAX_ENTRY_NUMBER = 2_147_483_647


class OnceOnlyForm(Form):
    """A form entered once however often it is sent (nextgen.dockets.submit_once)."""

    once = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["once"].initial = submit_once.new_token()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("once"):  # said of the whole form: the field is hidden
            raise forms.ValidationError(notices.FORM_EXPIRED)
        return cleaned

    @property
    def token(self) -> str:
        return self.cleaned_data["once"]


class CaseSearchForm(Form):
    q = forms.CharField(label="Case number or title", max_length=200, required=False)


class CriminalCaseForm(OnceOnlyForm):
    office = forms.IntegerField(label="Office", min_value=1, max_value=9, initial=1)
    defendants = forms.CharField(
        label="Defendants",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line.",
        max_length=3000,
    )
    title = forms.CharField(
        label="Case title",
        max_length=500,
        required=False,
        help_text="Leave empty for 'USA v. <first defendant>'.",
    )
    judge = forms.CharField(label="Assigned judge", max_length=120, required=False)
    cause = forms.CharField(label="Cause", max_length=200, required=False)
    event = forms.ChoiceField(label="Charging document")
    document = forms.FileField(label="Document (PDF)")
    sealed = forms.BooleanField(label="Sealed case", required=False)

    def __init__(self, *args, events=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("event").choices = [(e.pk, e.label) for e in events]

    def defendant_names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["defendants"].splitlines() if n.strip()]


class PartyForm(Form):
    name = forms.CharField(label="Party name", max_length=300)
    role = forms.ChoiceField(label="Role", choices=PartyRole.choices)
    aliases = forms.CharField(
        label="Aliases", max_length=1000, required=False, help_text="One per line."
    )


class AttorneyForm(Form):
    party = forms.ChoiceField(label="Party")
    login = forms.CharField(
        label="CM/ECF login of the attorney",
        max_length=80,
        help_text="A CM/ECF account of this court (linked or registered).",
    )
    lead_attorney = forms.BooleanField(label="Lead attorney", required=False)
    to_be_noticed = forms.BooleanField(label="Attorney to be noticed", required=False, initial=True)
    pro_hac_vice = forms.BooleanField(label="Pro hac vice", required=False)

    def __init__(self, *args, parties=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("party").choices = [(p.pk, f"{p.name} ({p.role})") for p in parties]


class EntryForm(OnceOnlyForm):
    event = forms.ChoiceField(label="Event")
    text = forms.CharField(
        label="Docket text", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    relates_to = forms.CharField(
        label="Relates to entries",
        max_length=200,
        required=False,
        help_text="Entry numbers, separated by commas (e.g. 12, 15).",
    )
    document = forms.FileField(
        label="Document (PDF)", required=False, help_text="Not needed for a minute entry."
    )
    sealed = forms.BooleanField(label="Sealed entry", required=False)

    def __init__(self, *args, events=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("event").choices = [(e.pk, e.label) for e in events]

    def clean_relates_to(self) -> list[int]:
        raw = self.cleaned_data["relates_to"]
        numbers = []
        for part in raw.replace(" ", "").split(","):
            if not part:
                continue
            if not (part.isascii() and part.isdigit()):  # not "²", which int() refuses
                raise forms.ValidationError(notices.ENTRY_NUMBERS_INVALID)
            if int(part) > MAX_ENTRY_NUMBER:
                raise forms.ValidationError(notices.ENTRY_NOT_FOUND)
            numbers.append(int(part))
        return numbers


class CorrectionForm(Form):
    text = forms.CharField(
        label="Docket text", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    reason = forms.CharField(label="Reason for the correction", max_length=500)


class ReceiptForm(Form):
    receipt_number = forms.CharField(label="Receipt number", max_length=40)


class EventForm(Form):
    menu = forms.ChoiceField(label="Menu")
    label = forms.CharField(label="Event name", max_length=200)
    group = forms.CharField(
        label="Menu group", max_length=120, help_text="e.g. Motions and Related Filings"
    )
    who = forms.ChoiceField(label="Who may file it", choices=Filer.choices)
    fee = forms.DecimalField(
        label="Filing fee ($)", min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    relates_to_entries = forms.BooleanField(
        label="The filer picks the entries it relates to", required=False
    )
    document_required = forms.BooleanField(
        label="A PDF document is required", required=False, initial=True
    )

    def __init__(self, *args, menus=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("menu").choices = [(m.value, m.label) for m in menus]
