"""`{% extends %}` with the root template's blocks kept per process (nextgen/extending.py):
every page renders as with Django's own tag, and a reloaded root shows its new blocks."""

from __future__ import annotations

from django.template import Context, Engine

from nextgen.extending import KeptBlocksExtendsNode

TEMPLATES = {
    "root.html": "<t>{% block title %}Root{% endblock %}</t><m>{% block main %}{% endblock %}</m>",
    "middle.html": '{% extends "root.html" %}{% block main %}[{% block inner %}{% endblock %}]'
    "{% endblock %}",
    "a.html": '{% extends "middle.html" %}{% block title %}A {{ block.super }}{% endblock %}'
    "{% block inner %}a{% endblock %}",
    "b.html": '{% extends "root.html" %}{% block main %}b{% endblock %}',
    "c.html": '{% extends "middle.html" %}{% block inner %}{{ who }}{% endblock %}',
}


def engine(*, kept: bool, templates: dict[str, str] = TEMPLATES) -> Engine:
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)],
        builtins=["nextgen.extending"] if kept else [],
    )


def test_pages_render_as_with_djangos_own_extends():
    kept, stock = engine(kept=True), engine(kept=False)
    assert isinstance(kept.get_template("a.html").nodelist[0], KeptBlocksExtendsNode)
    for name in ("a.html", "b.html", "c.html", "a.html", "c.html"):
        for who in ("x", "y"):
            expected = stock.get_template(name).render(Context({"who": who}))
            assert kept.get_template(name).render(Context({"who": who})) == expected
    assert kept.get_template("a.html").render(Context()) == "<t>A Root</t><m>[a]</m>"
    assert kept.get_template("b.html").render(Context()) == "<t>Root</t><m>b</m>"


def test_a_reloaded_root_shows_its_new_blocks():
    kept = engine(kept=True)
    assert kept.get_template("b.html").render(Context()) == "<t>Root</t><m>b</m>"
    changed = {
        **TEMPLATES,
        "root.html": "<h>{% block title %}New{% endblock %}{% block main %}{% endblock %}</h>",
    }
    assert engine(kept=True, templates=changed).get_template("b.html").render(Context()) == (
        "<h>Newb</h>"
    )
