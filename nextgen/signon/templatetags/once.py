"""`{% once %}...{% endonce %}`: a fragment of a page that is the same for every request
(the base template's asset links, banner, footer and identifier) is rendered once per
process and reused (issue 14: most of a signed-in page's CPU went to rendering it).

Without arguments, only for fragments that read nothing from the request or the viewer:
static files, `{% url %}` without arguments, fixed text. The text is kept per script
prefix and STATIC_URL, and starts over after any settings change (tests); a changed
template is a new template object, so a reloaded template renders anew.

`{% once a b.c %}...{% endonce %}` is for a fragment that depends on a few values of the
page (a court's menu, the quarter-to-date line): it is rendered once per distinct set of
those values, which must name *everything* the fragment reads. Only plain values make a
key (str, int, bool, None, Decimal, tuples and frozen dataclasses of them), compared with
their type and exact text, so `1` never stands for `True`, nor `0.8` for `0.80`;
anything else (a model, a lazy object) is refused loudly, since its text could change
under the same identity."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

# A fragment keyed by values keeps at most this many texts (courts x menus, quarters x
# totals): past it the store starts over, so memory stays bounded whatever the keys.
MAX_KEPT = 512

_SCALARS = (str, int, bool, type(None))

# Where a render keeps the key parts its fragments share (OnceNode.render).
_BASE_KEY = "nextgen.once.base"

# Bumped by any settings change (tests): every fragment renders anew after it.
_generation = 0


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    global _generation
    _generation += 1


# type -> the field names of a frozen dataclass, or None for any other type.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _frozen_fields(kind: type) -> tuple[str, ...] | None:
    if kind not in _FIELDS:
        frozen = dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)) if frozen else None
    return _FIELDS[kind]


def key_of(value: Any) -> Any:
    """`value` as a key that two values share only when they render alike."""
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind is Decimal:
        return (kind, str(value))  # Decimal("0.8") == Decimal("0.80"), but not as text
    if kind is tuple:
        return (kind, tuple(map(key_of, value)))
    names = _frozen_fields(kind)
    if names is not None:
        return (kind, tuple([key_of(getattr(value, name)) for name in names]))
    raise TypeError(f"{{% once %}} cannot key a fragment on a {kind.__name__}: {value!r}")


class OnceNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, keys: list[template.base.FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.rendered: dict[tuple[Any, ...], str] = {}

    def render(self, context: template.Context) -> str:
        # The same for every fragment of one page: read once per render (the prefix is
        # a thread-local lookup) and kept on the render's own state.
        base = context.render_context.get(_BASE_KEY)
        if base is None:
            base = (_generation, get_script_prefix(), settings.STATIC_URL)
            context.render_context[_BASE_KEY] = base
        key: tuple[Any, ...] = base
        if self.keys:
            # Values are shown as the active language writes numbers, escaped or not.
            values = tuple(key_of(expression.resolve(context)) for expression in self.keys)
            key = (*key, get_language(), context.autoescape, values)
        text = self.rendered.get(key)
        if text is None:
            if len(self.rendered) >= MAX_KEPT:
                self.rendered.clear()
            text = self.rendered[key] = self.nodelist.render(context)
        return text


@register.tag
def once(parser: template.base.Parser, token: template.base.Token) -> OnceNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, keys)
