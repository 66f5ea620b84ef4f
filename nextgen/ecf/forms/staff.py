"""Forms of the court staff pages (views/staff.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from nextgen.forms import Form

from .. import notices
from ..flows import staff


class SearchForm(Form):
    key = forms.ChoiceField(label="Search by", choices=list(staff.SEARCH_KEYS.items()))
    q = forms.CharField(label="Search for", max_length=200)


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason",
        max_length=staff.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log.",
    )


class GoLiveForm(ReasonForm):
    go_live = forms.DateField(
        label="NextGen go-live date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="YYYY-MM-DD. Unlinked CM/ECF accounts with an e-mail address are told.",
    )
    field_order = ["go_live", "reason"]


class ImportForm(Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: login, first_name, last_name, email, bar_number, password (or "
            f"password_hash); at most {staff.MAX_IMPORT_BYTES // (1024 * 1024)} MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > staff.MAX_IMPORT_BYTES:
            raise ValidationError(
                notices.IMPORT_TOO_LARGE.format(mb=staff.MAX_IMPORT_BYTES // (1024 * 1024))
            )
        return upload
