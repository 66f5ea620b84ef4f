"""Forms of the Firm billing (PAA) pages. They check the shape of what was typed; the
rules that need accounts (who may be invited, one PAA at a time) live in flows/paa.py."""

from __future__ import annotations

from django import forms

from nextgen.forms import Form, column_max_length

from ..models import Account, Paa


def _max(field: str) -> int:
    """The model's length limit, so a form never accepts what the database would refuse."""
    return column_max_length(Paa, field)


class PaaForm(Form):
    firm_name = forms.CharField(label="Firm name", max_length=_max("firm_name"))
    billing_contact = forms.CharField(label="Billing contact", max_length=_max("billing_contact"))
    billing_email = forms.EmailField(
        label="Billing contact e-mail", max_length=_max("billing_email")
    )


class InviteForm(Form):
    username = forms.CharField(
        label="User name",
        max_length=column_max_length(Account, "username"),
        help_text="The user name of an attorney's individual PACER account.",
    )
