"""The filing flow's forms: one per step, labels as NextGen CM/ECF words them."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form

from . import notices

ATTACHMENT_SLOTS = 5


class CaseNumberForm(Form):
    case_number = forms.CharField(
        label=notices.CASE_NUMBER_LABEL, max_length=40, help_text=notices.CASE_NUMBER_HELP
    )
    # Filled in only when the number fits several cases and the filer picks one.
    case = forms.TypedChoiceField(
        label="Case", choices=(), coerce=int, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, matches=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.number} {c.title}") for c in matches]


class NextForm(Form):
    """A step with nothing to enter: the button moves on, the token ties it to the flow."""

    flow = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PartiesForm(Form):
    parties = forms.TypedMultipleChoiceField(
        label="Select the filer",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": notices.PARTIES_REQUIRED},
    )

    def __init__(self, *args, parties=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(p.pk, f"{p.name} ({p.role_label})") for p in parties]


class RelatesForm(Form):
    entries = forms.TypedMultipleChoiceField(
        label="Select the appropriate event(s) to which your event relates",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": notices.RELATES_REQUIRED},
    )

    def __init__(self, *args, entries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.pk, f"{e.number} {e.short_text}") for e in entries]


class DocumentsForm(Form):
    main_document = forms.FileField(
        label="Main Document",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, has_main: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_main = has_main
        for i in range(1, ATTACHMENT_SLOTS + 1):
            self.fields[f"attachment_{i}"] = forms.FileField(
                label=f"Attachment {i}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=f"Description of attachment {i}", max_length=200, required=False
            )

    def slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"attachment_{i}"], self[f"description_{i}"])
            for i in range(1, ATTACHMENT_SLOTS + 1)
        ]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("main_document") and not self.has_main:
            self.add_error("main_document", notices.MAIN_DOCUMENT_REQUIRED)
        for i in range(1, ATTACHMENT_SLOTS + 1):
            if data.get(f"attachment_{i}") and not (data.get(f"description_{i}") or "").strip():
                self.add_error(f"description_{i}", notices.DESCRIPTION_REQUIRED)
        return data


class DocketTextForm(Form):
    free_text = forms.CharField(
        label="Modify the docket text",
        max_length=500,
        required=False,
        help_text="Words added to the docket text after the event's name.",
    )


class ReviewForm(NextForm):
    pass
