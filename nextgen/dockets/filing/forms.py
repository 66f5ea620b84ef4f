"""The filing flow's forms: one per step, labels as NextGen CM/ECF words them."""

from __future__ import annotations

from typing import Any

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
        self.choice_field("case").choices = [(c.pk, f"{c.number} {c.title}") for c in matches]


class NextForm(Form):
    """A step with nothing to enter: the button moves on, the token ties it to the flow."""

    flow = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PartiesForm(Form):
    parties = forms.TypedMultipleChoiceField(
        label="Select the filer",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        error_messages={"required": notices.PARTIES_REQUIRED},
    )

    def __init__(self, *args, parties=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("parties").choices = [(p.pk, f"{p.name} ({p.role})") for p in parties]


class RelatesForm(Form):
    entries = forms.TypedMultipleChoiceField(
        label="Select the appropriate event(s) to which your event relates",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        error_messages={"required": notices.RELATES_REQUIRED},
    )

    def __init__(self, *args, entries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("entries").choices = [
            (e.pk, f"{e.number} {e.text[:120]}") for e in entries
        ]


class DocumentsForm(Form):
    main_document = forms.FileField(
        label="Main Document",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(
        self,
        *args,
        has_main: bool = False,
        required: bool = True,
        kept: dict[str, dict] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        # An event court staff set up without a document needs none; one attached is kept.
        self.has_main = has_main or not required
        # Attachments accepted before the filer went Back, by slot: kept unless replaced
        # or removed, their descriptions shown for editing.
        self.kept = kept or {}
        for i in range(1, ATTACHMENT_SLOTS + 1):
            slot = f"attachment_{i}"
            self.fields[slot] = forms.FileField(
                label=f"Attachment {i}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=f"Description of attachment {i}",
                max_length=200,
                required=False,
                initial=self.kept[slot]["description"] if slot in self.kept else "",
            )
            if slot in self.kept:
                self.fields[f"remove_{i}"] = forms.BooleanField(
                    label=f"Remove attachment {i}", required=False
                )

    def slots(self) -> list[tuple[forms.BoundField, forms.BoundField, Any, Any]]:
        """Each attachment slot: its file and description fields, the attachment kept in
        it (or None) and that one's remove box (or None)."""
        return [
            (
                self[f"attachment_{i}"],
                self[f"description_{i}"],
                self.kept.get(f"attachment_{i}"),
                self[f"remove_{i}"] if f"remove_{i}" in self.fields else None,
            )
            for i in range(1, ATTACHMENT_SLOTS + 1)
        ]

    def keeps(self, i: int) -> bool:
        """Whether slot i's earlier attachment stays (no new file, not removed)."""
        data = self.cleaned_data
        return (
            f"attachment_{i}" in self.kept
            and not data.get(f"attachment_{i}")
            and not data.get(f"remove_{i}")
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not data.get("main_document") and not self.has_main:
            self.add_error("main_document", notices.MAIN_DOCUMENT_REQUIRED)
        for i in range(1, ATTACHMENT_SLOTS + 1):
            attached = data.get(f"attachment_{i}") or self.keeps(i)
            if attached and not (data.get(f"description_{i}") or "").strip():
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


# --- opening a case -----------------------------------------------------------------------

PARTY_ROWS = 4
NATURES_OF_SUIT = [
    "110 Insurance",
    "190 Contract: Other",
    "360 P.I.: Other",
    "440 Civil Rights: Other",
    "442 Civil Rights: Employment",
    "830 Patent",
    "840 Trademark",
    "890 Other Statutory Actions",
]
ADVERSARY_NATURES = [
    "11 Recovery of money/property - 542 turnover of property",
    "13 Recovery of money/property - 548 fraudulent transfer",
    "62 Dischargeability - 523(a)(2), false pretenses, false representation, actual fraud",
    "68 Dischargeability - 523(a)(6), willful and malicious injury",
    "41 Objection / revocation of discharge - 727(c),(d),(e)",
]
JURISDICTIONS = [
    "U.S. Government Plaintiff",
    "U.S. Government Defendant",
    "Federal Question",
    "Diversity",
]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [("", "Select...")] + [(v, v) for v in values]


class CivilCaseForm(Form):
    office = forms.TypedChoiceField(
        label="Office", coerce=int, choices=[(n, str(n)) for n in range(1, 10)], initial=3
    )
    title = forms.CharField(label="Case title", max_length=500, help_text="e.g. Doe v. Acme Corp.")
    nature_of_suit = forms.ChoiceField(label="Nature of suit", choices=_choices(NATURES_OF_SUIT))
    cause = forms.CharField(
        label="Cause", max_length=200, help_text="e.g. 28:1332 Diversity-Breach of Contract"
    )
    jurisdiction = forms.ChoiceField(label="Jurisdiction", choices=_choices(JURISDICTIONS))
    demand = forms.CharField(label="Demand ($)", max_length=80, required=False)
    jury_demand = forms.ChoiceField(label="Jury demand", choices=(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        from ..models import JuryDemand

        super().__init__(*args, **kwargs)
        self.choice_field("jury_demand").choices = JuryDemand.choices


class BankruptcyCaseForm(Form):
    chapter = forms.TypedChoiceField(
        label="Chapter",
        coerce=int,
        choices=[("", "Select..."), (7, "7"), (11, "11"), (13, "13")],
    )


class AdversaryCaseForm(Form):
    main_case_number = forms.CharField(
        label="Bankruptcy case number", max_length=40, help_text="e.g. 26-10042"
    )
    title = forms.CharField(label="Adversary proceeding title", max_length=500)
    nature_of_suit = forms.ChoiceField(label="Nature of suit", choices=_choices(ADVERSARY_NATURES))
    demand = forms.CharField(label="Demand ($)", max_length=80, required=False)


class NewPartiesForm(Form):
    """The parties of a new case: rows of name and role; the filer ticks those they
    represent."""

    def __init__(self, *args, roles=(), defaults=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, PARTY_ROWS + 1):
            default = defaults[i - 1] if i <= len(defaults) else ""
            self.fields[f"name_{i}"] = forms.CharField(
                label=f"Party {i} name", max_length=300, required=False
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(
                label=f"Party {i} role",
                choices=[("", "Select...")] + [(r, r) for r in roles],
                required=False,
                initial=default,
            )
            self.fields[f"represented_{i}"] = forms.BooleanField(
                label="I represent this party", required=False
            )

    def rows(self):
        return [
            (self[f"name_{i}"], self[f"role_{i}"], self[f"represented_{i}"])
            for i in range(1, PARTY_ROWS + 1)
        ]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        parties = []
        for i in range(1, PARTY_ROWS + 1):
            name = (data.get(f"name_{i}") or "").strip()
            if not name:
                continue
            if not data.get(f"role_{i}"):
                self.add_error(f"role_{i}", notices.PARTY_ROLE_REQUIRED.format(name=name))
                continue
            parties.append(
                {
                    "name": name,
                    "role": data[f"role_{i}"],
                    "represented": bool(data.get(f"represented_{i}")),
                }
            )
        if not parties and not self.errors:
            self.add_error("name_1", notices.PARTIES_REQUIRED)
        elif parties and not any(p["represented"] for p in parties):
            self.add_error("represented_1", notices.REPRESENTED_REQUIRED)
        data["new_parties"] = parties
        return data
