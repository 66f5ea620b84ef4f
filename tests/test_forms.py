"""Shared form helpers: a flow's errors land on the form, and a staff reason is checked
the same way wherever it is asked for."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from nextgen.forms import Form, clean_reason, refusal_status


class _NameForm(Form):
    name = forms.CharField()


def test_a_flow_error_goes_on_the_field_it_names_and_is_marked_for_screen_readers():
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    form.add_flow_errors(ValidationError({"name": "Taken."}))
    assert form.errors["name"] == ["Taken."]
    assert form.fields["name"].widget.attrs["aria-invalid"] == "true"


def test_a_flow_error_naming_a_field_the_form_lacks_is_shown_for_the_whole_form():
    form = _NameForm({"name": "x"})
    assert form.is_valid()
    form.add_flow_errors(ValidationError({"password": "Wrong."}))
    assert form.non_field_errors() == ["Wrong."]


def test_a_throttled_refusal_answers_429_any_other_400():
    assert refusal_status(ValidationError("Slow down.", code="throttled")) == 429
    assert refusal_status(ValidationError("No.")) == 400


def test_a_reason_is_collapsed_required_and_bounded():
    assert clean_reason("  lost \n laptop ", max_length=20) == "lost laptop"
    with pytest.raises(ValidationError) as empty:
        clean_reason("   ", max_length=20)
    assert "reason" in empty.value.error_dict
    with pytest.raises(ValidationError) as long:
        clean_reason("x" * 21, max_length=20)
    assert "20 characters" in str(long.value)
