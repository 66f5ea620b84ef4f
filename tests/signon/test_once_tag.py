"""`{% once %}`: a fragment that is the same on every page is rendered once per process,
and still follows the settings it reads (STATIC_URL) and the script prefix; `{% once a b %}`
renders once per distinct set of values, and never shows one value's text for another."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix

from nextgen.signon.templatetags.once import MAX_KEPT, OnceNode

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


# --- `{% once a b %}`: one text per distinct set of values --------------------------

KEYED = Template("{% load once %}{% once who n %}<b>{{ who }} {{ n }}</b>{% endonce %}")


def test_a_keyed_fragment_is_rendered_anew_for_each_value():
    assert KEYED.render(Context({"who": "Ann", "n": 1})) == "<b>Ann 1</b>"
    assert KEYED.render(Context({"who": "Bob", "n": 1})) == "<b>Bob 1</b>"
    assert KEYED.render(Context({"who": "Ann", "n": 2})) == "<b>Ann 2</b>"
    assert KEYED.render(Context({"who": "Ann", "n": 1})) == "<b>Ann 1</b>"


def test_values_that_compare_equal_but_read_differently_get_their_own_text():
    # 1 == True and Decimal("0.8") == Decimal("0.80"): as dict keys they would collide.
    assert KEYED.render(Context({"who": "x", "n": 1})) == "<b>x 1</b>"
    assert KEYED.render(Context({"who": "x", "n": True})) == "<b>x True</b>"
    assert KEYED.render(Context({"who": "x", "n": Decimal("0.8")})) == "<b>x 0.8</b>"
    assert KEYED.render(Context({"who": "x", "n": Decimal("0.80")})) == "<b>x 0.80</b>"


def test_frozen_dataclasses_and_tuples_are_keys_by_their_fields():
    @dataclass(frozen=True)
    class Item:
        label: str

    fragment = Template(
        "{% load once %}{% once items %}{% for i in items %}{{ i.label }}{% endfor %}{% endonce %}"
    )
    assert fragment.render(Context({"items": (Item("a"), Item("b"))})) == "ab"
    assert fragment.render(Context({"items": (Item("a"), Item("c"))})) == "ac"


def test_a_value_whose_text_could_change_under_it_is_refused():
    @dataclass
    class Mutable:
        label: str

    for value in (Mutable("a"), ["a"], object()):
        with pytest.raises(TypeError):
            KEYED.render(Context({"who": value, "n": 1}))


def test_a_keyed_fragment_follows_escaping_and_settings_changes():
    assert KEYED.render(Context({"who": "<i>", "n": 1})) == "<b>&lt;i&gt; 1</b>"
    assert KEYED.render(Context({"who": "<i>", "n": 1}, autoescape=False)) == "<b><i> 1</b>"
    money = Template("{% load once %}{% once n %}{{ n }}{% endonce %}")
    assert money.render(Context({"n": Decimal("1234.5")})) == "1234.5"
    with override_settings(USE_THOUSAND_SEPARATOR=True, NUMBER_GROUPING=3):
        assert money.render(Context({"n": Decimal("1234.5")})) == "1,234.5"


def test_the_texts_kept_for_one_fragment_are_bounded():
    node = next(n for n in KEYED.nodelist if isinstance(n, OnceNode))
    for n in range(MAX_KEPT + 10):
        KEYED.render(Context({"who": "many", "n": n}))
    assert 0 < len(node.rendered) <= MAX_KEPT
    assert KEYED.render(Context({"who": "many", "n": 3})) == "<b>many 3</b>"
