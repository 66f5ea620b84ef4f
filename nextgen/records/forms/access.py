"""The records pages' forms, with CM/ECF's field names (programs post them as-is)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nextgen.dockets import case_numbers
from nextgen.dockets.models import CaseType
from nextgen.forms import Form

from .. import notices
from ..selectors import CaseSearch, DocketOptions

DATE_INPUTS = ["%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUTS,
        error_messages={"invalid": notices.DATE_FORMAT},
        help_text="MM/DD/YYYY",
    )


def _check_name(value: str) -> str:
    value = value.strip()
    if value and len(value.replace("*", "")) < 2:
        raise ValidationError(notices.NAME_TOO_SHORT)
    return value


class QueryForm(Form):
    case_num = forms.CharField(label="Case number", max_length=40, required=False)
    last_name = forms.CharField(label="Last name / Business name", max_length=120, required=False)
    first_name = forms.CharField(label="First name", max_length=120, required=False)
    Qry_filed_from = _date_field("Filed from")
    Qry_filed_to = _date_field("Filed to")
    case_status = forms.ChoiceField(
        label="Case status",
        choices=[("all", "All cases"), ("open", "Open cases"), ("closed", "Closed cases")],
        required=False,
    )
    case_type = forms.ChoiceField(
        label="Case type", choices=[("", "All types"), *CaseType.choices], required=False
    )

    def clean_case_num(self) -> str:
        value = self.cleaned_data["case_num"].strip()
        if value and case_numbers.parse(value) is None:
            raise ValidationError(notices.NOT_A_CASE_NUMBER)
        return value

    def clean_last_name(self) -> str:
        return _check_name(self.cleaned_data["last_name"])

    def clean_first_name(self) -> str:
        return _check_name(self.cleaned_data["first_name"])

    def clean(self):
        data = super().clean()
        named = data.get("case_num") or data.get("last_name") or data.get("first_name")
        if not named and not self.errors:
            raise ValidationError(notices.ENTER_CRITERIA)
        start, end = data.get("Qry_filed_from"), data.get("Qry_filed_to")
        if start and end and start > end:
            self.add_error("Qry_filed_to", notices.DATE_ORDER)
        return data

    def search(self) -> CaseSearch:
        data = self.cleaned_data
        return CaseSearch(
            case_number=data["case_num"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            filed_from=data["Qry_filed_from"],
            filed_to=data["Qry_filed_to"],
            status=data["case_status"] or "all",
            case_type=data["case_type"],
        )


class DocketReportForm(Form):
    """The Docket Report options page; `all_case_ids` names the case (its id), or
    `case_num` a number to resolve."""

    all_case_ids = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    case_num = forms.CharField(label="Case number", max_length=40, required=False)
    date_range_type = forms.ChoiceField(
        label="Date range of",
        choices=[("Filed", "Filed"), ("Entered", "Entered")],
        required=False,
        widget=forms.RadioSelect,
    )
    date_from = _date_field("Date from")
    date_to = _date_field("Date to")
    documents_numbered_from_ = forms.IntegerField(
        label="Documents numbered from", required=False, min_value=0, max_value=10**9
    )
    documents_numbered_to_ = forms.IntegerField(
        label="Documents numbered to", required=False, min_value=0, max_value=10**9
    )
    list_of_parties_and_counsel = forms.BooleanField(label="Parties and counsel", required=False)
    terminated_parties = forms.BooleanField(label="Terminated parties", required=False)
    sort1 = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("oldest date first", "Oldest date first"),
            ("most recent date first", "Most recent date first"),
            ("document number", "Document number"),
        ],
        required=False,
    )
    output_format = forms.ChoiceField(label="Format", choices=[("html", "HTML")], required=False)

    def clean_case_num(self) -> str:
        value = self.cleaned_data["case_num"].strip()
        if value and case_numbers.parse(value) is None:
            raise ValidationError(notices.NOT_A_CASE_NUMBER)
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", notices.DATE_ORDER)
        low, high = data.get("documents_numbered_from_"), data.get("documents_numbered_to_")
        if low is not None and high is not None and low > high:
            self.add_error("documents_numbered_to_", notices.NUMBER_ORDER)
        return data

    def options(self) -> DocketOptions:
        data = self.cleaned_data
        return DocketOptions(
            date_from=data["date_from"],
            date_to=data["date_to"],
            date_range_type=data["date_range_type"] or "Filed",
            number_from=data["documents_numbered_from_"],
            number_to=data["documents_numbered_to_"],
            parties_and_counsel=data["list_of_parties_and_counsel"],
            terminated_parties=data["terminated_parties"],
            sort=data["sort1"] or "oldest date first",
        )


class WrittenOpinionsForm(Form):
    filed_from = _date_field("Filed from")
    filed_to = _date_field("Filed to")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["filed_from"] = data.get("filed_from") or today - dt.timedelta(days=30)
        data["filed_to"] = data.get("filed_to") or today
        if data["filed_from"] > data["filed_to"]:
            self.add_error("filed_to", notices.DATE_ORDER)
        return data
