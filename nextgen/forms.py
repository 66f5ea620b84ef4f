"""Shared form behaviour: USWDS classes and accessible error wiring on every widget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

_CLASS_BY_WIDGET = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
}


def clean_reason(reason: str, *, max_length: int) -> str:
    """The reason staff gave for a change (kept in the audit log), whitespace collapsed;
    ValidationError naming the "reason" field when it is empty or longer than max_length."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Give the reason; it is kept in the audit log."})
    if len(reason) > max_length:
        raise ValidationError({"reason": f"Keep the reason under {max_length} characters."})
    return reason


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's concrete field `name` (never a reverse relation), to read its limits."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field")
    return field


def column_max_length(model: type[models.Model], name: str) -> int:
    """The length limit of a model's text field, so a form or an import never accepts
    what the database would refuse."""
    max_length = model_field(model, name).max_length
    if max_length is None:
        raise TypeError(f"{model.__name__}.{name} has no length limit")
    return max_length


def refusal_status(error: ValidationError) -> int:
    """The HTTP status of a page showing a flow's refusal: 429 when it was throttled."""
    return 429 if getattr(error, "code", None) == "throttled" else 400


if TYPE_CHECKING:
    # The mixin is only ever mixed into a form: let the checker see the form it extends.
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class USWDSFormMixin(_FormBase):
    """Adds USWDS classes; marks fields with errors aria-invalid and points them at the
    error text, so screen readers announce which field is wrong and why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for w, c in _CLASS_BY_WIDGET.items() if isinstance(widget, w)), "usa-input"
            )
            widget.attrs.setdefault("class", css)
            if field.help_text:
                # The ids the field template writes (from html_name: the form's prefix too).
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_hint"

    def choice_field(self, name: str) -> forms.ChoiceField:
        """This form's choice field `name`, to fill its choices at request time."""
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} is not a choice field")
        return field

    def model_choice_field(self, name: str) -> forms.ModelChoiceField[Any]:
        """This form's model choice field `name`, to set its queryset at request time."""
        field = self.fields[name]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(f"{name} is not a model choice field")
        return field

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def add_flow_errors(self, error: ValidationError) -> None:
        """Show a flow's ValidationError as this form's own errors, marked for screen
        readers exactly as they are: on the field it names where this form has that
        field, for the whole form otherwise (a flow may name a field the page lacks)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = [f"id_{self.add_prefix(name)}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{self.add_prefix(name)}_hint")
                widget.attrs["aria-describedby"] = " ".join(described)
                css = widget.attrs.get("class", "")
                if "usa-input--error" not in css and css == "usa-input":
                    widget.attrs["class"] = css + " usa-input--error"


def password_field(label: str, autocomplete: str) -> forms.CharField:
    """A password box: kept as typed (no stripping), never rendered back."""
    return forms.CharField(
        label=label,
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class UnrenderedTextInput(forms.TextInput):
    """A visible text box whose value is never sent back in the page: security answers
    and one-time passcodes are credentials, so a refused form does not echo them."""

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        return super().get_context(name, None, attrs)


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass


class NewPasswordTwiceForm(Form):
    """A new password, typed twice. The rules are applied by the flow that sets it (it
    knows the account); subclasses name the password and say which rules apply."""

    new_label = "New password"
    again_label = "Type the new password again"

    new_password = forms.CharField(
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].label = self.new_label
        self.fields["confirm_password"].label = self.again_label
        # Read at request time: the rules live in one place each (settings, or ecf.passwords).
        field = self.fields["new_password"]
        field.help_text = self.rules_hint()
        field.widget.attrs["aria-describedby"] = "id_new_password_hint"

    def rules_hint(self) -> str:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, second = data.get("new_password"), data.get("confirm_password")
        if first and second and first != second:
            self.add_error("confirm_password", "The two passwords do not match.")
        return data
