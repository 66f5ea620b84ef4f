"""FORM_RENDERER writes plain <input> widgets in Python: byte for byte what Django's own
widget templates render, for every input widget, value and attribute kind."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from nextgen.formrender import INPUT_TEMPLATES, FormRenderer

WIDGETS = [
    forms.TextInput,
    lambda attrs=None: forms.PasswordInput(attrs=attrs, render_value=True),
    forms.HiddenInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.URLInput,
    forms.TelInput,
    forms.SearchInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.ColorInput,
    forms.CheckboxInput,
    forms.FileInput,
]
VALUES = [
    None,
    "",
    "plain",
    "a<b>&\"quoted\" 'single'",
    mark_safe("<i>safe</i>"),
    0,
    12,
    Decimal("0.80"),
    (1, 2),
    dt.date(2026, 12, 1),
    gettext_lazy("Log in"),
    True,
]
ATTRS = [
    {},
    {"class": "usa-input", "required": True, "disabled": False, "maxlength": 40},
    {"aria-describedby": 'id_x_hint "q"', "data-n": 0, "placeholder": mark_safe("<b>")},
    {'data-"odd"&': "1"},
    {"autocomplete": gettext_lazy("off"), "value-ish": Decimal("1.50")},
]


def _both(widget: forms.Widget, value: object) -> tuple[str, str]:
    name = 'field<"&>'
    fast = widget.render(name, value, renderer=FormRenderer())
    slow = widget.render(name, value, renderer=DjangoTemplates())
    return fast, slow


@pytest.mark.parametrize("make", WIDGETS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_every_input_widget_renders_exactly_as_django_templates_do(make, attrs):
    for value in VALUES:
        widget = make(attrs=dict(attrs))
        assert widget.template_name in INPUT_TEMPLATES
        fast, slow = _both(widget, value)
        assert fast == slow, (widget, value)


def test_the_renderer_writes_inputs_without_the_templates(monkeypatch):
    # The fast path is taken: rendering a text input loads no template at all.
    def no_templates(*args, **kwargs):
        raise AssertionError("a template was loaded")

    renderer = FormRenderer()
    monkeypatch.setattr(renderer, "get_template", no_templates)
    html = forms.TextInput(attrs={"class": "usa-input"}).render("q", "x", renderer=renderer)
    assert html == '<input type="text" name="q" value="x" class="usa-input">'


def test_a_callable_attribute_goes_through_the_templates_which_call_it():
    # A template calls a callable; the fast path must never write its repr instead.
    widget = forms.TextInput(attrs={"data-x": lambda: "called"})
    fast, slow = _both(widget, "v")
    assert fast == slow
    assert 'data-x="called"' in fast


def test_other_widgets_still_use_their_templates():
    widget = forms.Select(choices=[("a", "A<")])
    fast, slow = _both(widget, "a")
    assert fast == slow
    assert "<select" in fast


def test_a_form_page_field_is_unchanged_with_the_project_renderer(settings):
    class Form(forms.Form):
        login = forms.CharField(max_length=20, help_text="Hint")
        password = forms.CharField(widget=forms.PasswordInput)

    form = Form(data={"login": "<me>", "password": "secret"})
    fast = str(form["login"]) + str(form["password"])
    form.renderer = DjangoTemplates()
    slow = str(form["login"]) + str(form["password"])
    assert fast == slow
    assert "secret" not in fast  # PasswordInput never renders what was typed
