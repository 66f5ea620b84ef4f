"""Shared form behaviour: USWDS classes and accessible error wiring on every widget."""

from __future__ import annotations

from django import forms

_CLASS_BY_WIDGET = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
}


class USWDSFormMixin:
    """Adds USWDS classes; marks fields with errors aria-invalid and points them at the
    error text, so screen readers announce which field is wrong and why."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for w, c in _CLASS_BY_WIDGET.items() if isinstance(widget, w)), "usa-input"
            )
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    described.append(f"id_{name}_hint")
                widget.attrs["aria-describedby"] = " ".join(described)
                css = widget.attrs.get("class", "")
                if "usa-input--error" not in css and css == "usa-input":
                    widget.attrs["class"] = css + " usa-input--error"


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass
