"""`FORM_RENDERER`: Django's form renderer, with the plain `<input>` widgets written in
Python.

Every `{{ field }}` of a plain input (text, password, hidden, e-mail, number, date, check
box...) renders `django/forms/widgets/<type>.html`, which includes `input.html`, which
includes `attrs.html`: three templates through the engine for one tag. On the PACER
login page that was a third of the page's CPU, paid by every attorney of a go-live
surge (issue 14). This writes the same tag directly, with the same escaping, so the
bytes are Django's (tests/test_formrender.py renders every such widget both ways and
compares). Only what Django's widgets produce
takes this path: a name and type that are text, a value that is text or None, attribute
names that are text and values that are text, booleans or integers. Anything else (a
lazy string, a callable, which a template would call) and any other template go through
the templates as before.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# Django's widget templates that are exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "password",
        "hidden",
        "email",
        "number",
        "url",
        "tel",
        "search",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)


def input_tag(widget: dict[str, Any]) -> SafeString:
    """`input.html` and `attrs.html` for one widget's context. For the plain values
    `_plain` admits (text, safe text, integers), `{{ v|stringformat:'s' }}` is
    `conditional_escape(v)`: the filter's "%s" is str(), and it keeps safe text safe."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] is not None:
        parts.append(f' value="{conditional_escape(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {conditional_escape(name)}")
            if value is not True:
                parts.append(f'="{conditional_escape(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


_TEXT = (str, SafeString)
_ATTR_VALUES = (str, SafeString, bool, int)


def _plain(widget: Any) -> TypeGuard[dict[str, Any]]:
    """Whether a widget's context holds only what Django's input widgets put there."""
    if not isinstance(widget, dict):
        return False
    attrs = widget.get("attrs")
    return (
        type(widget.get("type")) is str
        and type(widget.get("name")) is str
        and (widget.get("value") is None or type(widget.get("value")) in _TEXT)
        and type(attrs) is dict
        and all(type(k) is str and type(v) in _ATTR_VALUES for k, v in attrs.items())
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name in INPUT_TEMPLATES and _plain(widget):
            return input_tag(widget)
        return super().render(template_name, context, request)
