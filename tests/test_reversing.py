"""`{% url %}` and reverse_kept keep reversed paths per process (nextgen/reversing.py)
without ever answering a path that reverse() would not give now."""

from __future__ import annotations

from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from nextgen.reversing import KeptURLNode, reverse_kept


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_every_template_s_url_tag_is_the_kept_one():
    template = engines["django"].from_string("{% url 'home' %}")
    assert isinstance(template.template.nodelist[0], KeptURLNode)


def test_the_tag_gives_what_reverse_gives():
    assert render("{% url 'ecf:entry' code %}", code="ctd") == reverse("ecf:entry", args=["ctd"])
    assert render("{% url 'ecf:entry' code=c %}", c="nyd") == reverse("ecf:entry", args=["nyd"])
    assert (
        render("{% url 'ecf:entry' 'ctd' as u %}[{{ u }}]")
        == f"[{reverse('ecf:entry', args=['ctd'])}]"
    )


def test_a_new_script_prefix_gives_a_new_path():
    try:
        set_script_prefix("/pacer/")
        assert reverse_kept("ecf:entry", args=["ctd"]).startswith("/pacer/ecf/ctd/")
    finally:
        set_script_prefix("/")
    assert reverse_kept("ecf:entry", args=["ctd"]).startswith("/ecf/ctd/")


def test_an_argument_that_is_not_plain_text_is_never_kept():
    class Code:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

    code = Code("ctd")
    assert reverse_kept("ecf:entry", args=[code]) == reverse("ecf:entry", args=["ctd"])
    code.text = "nyd"  # same object, new text: a new path
    assert reverse_kept("ecf:entry", args=[code]) == reverse("ecf:entry", args=["nyd"])


def test_another_urlconf_gives_its_own_paths():
    before = reverse_kept("home")
    with override_settings(ROOT_URLCONF="bench.hello_urls"):
        assert reverse_kept("bench_hello") == reverse("bench_hello") == "/bench/hello"
    assert reverse_kept("home") == before
