"""Reversed URLs kept per process (issue 14), and the `{% url %}` tag that uses them.

Django's `reverse()` walks the URL patterns on every call: a few tens of microseconds
each, several times per page (the logo, My Account, Billing History, Log Out). The same
name with the same arguments always gives the same path as long as the URLconf and the
script prefix are the same, so the path is kept, keyed by all of them. Only plain
arguments (str and int) are kept: an object's text could change under the same identity.
Any settings change (tests) empties the store.

TEMPLATES' "builtins" puts this library's `url` after Django's, so `{% url %}` in every
template is this one; it behaves as Django's in every other way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape


@lru_cache(maxsize=4096)
def _kept(
    viewname: str,
    args: tuple[str | int, ...],
    kwargs: tuple[tuple[str, str | int], ...],
    current_app: str | None,
    urlconf: str | None,
    root: str,
    prefix: str,
) -> str:
    return reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _plain(value: Any) -> bool:
    return type(value) in (str, int)


def reverse_kept(
    viewname: str,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse()`, kept per process for plain arguments (see the module's doc)."""
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not all(map(_plain, (*args, *kwargs.values()))):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _kept(
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    _kept.cache_clear()


register = template.Library()


class KeptURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        # Django's URLNode.render, with reverse_kept in place of reverse.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_kept(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> KeptURLNode:
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
