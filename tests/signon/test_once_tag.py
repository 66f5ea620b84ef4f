"""`{% once %}`: a fragment that is the same on every page is rendered once per process,
and still follows the settings it reads (STATIC_URL) and the script prefix."""

from __future__ import annotations

from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix

FRAGMENT = Template(
    "{% load once static %}{% once %}<a href=\"{% url 'home' %}\">"
    "<img src=\"{% static 'x.png' %}\"></a>{{ who }}{% endonce %}"
)


def test_the_fragment_is_rendered_once_and_reused():
    first = FRAGMENT.render(Context({"who": "first"}))
    # Only for fragments that read nothing from the viewer: the first text stays.
    assert FRAGMENT.render(Context({"who": "second"})) == first


def test_the_fragment_follows_static_url():
    with override_settings(STATIC_URL="/cdn-a/"):
        assert 'src="/cdn-a/x.png"' in FRAGMENT.render(Context())
    with override_settings(STATIC_URL="/cdn-b/"):
        assert 'src="/cdn-b/x.png"' in FRAGMENT.render(Context())


def test_the_fragment_follows_the_script_prefix():
    try:
        set_script_prefix("/pacer/")
        assert 'href="/pacer/"' in FRAGMENT.render(Context())
    finally:
        set_script_prefix("/")
    assert 'href="/"' in FRAGMENT.render(Context())
