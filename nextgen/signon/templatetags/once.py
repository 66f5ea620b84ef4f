"""`{% once %}...{% endonce %}`: a fragment of a page that is the same for every request
(the base template's asset links, banner, footer and identifier) is rendered once per
process and reused (issue 14: most of a signed-in page's CPU went to rendering it).

Only for fragments that read nothing from the request or the viewer: static files,
`{% url %}` without arguments, fixed text. The text is kept per script prefix and
STATIC_URL, the only settings such a fragment reads that may differ between requests or
tests; a changed template is a new template object, so a reloaded template renders anew."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix

register = template.Library()


class OnceNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str, str], str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_script_prefix(), settings.STATIC_URL)
        text = self.rendered.get(key)
        if text is None:
            text = self.rendered[key] = self.nodelist.render(context)
        return text


@register.tag
def once(parser: template.base.Parser, token: template.base.Token) -> OnceNode:
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)
