from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """`links|get_item:pk`: a dict value in a template."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def doc1_link(link: dict | None, label) -> str:
    """A doc1 link as CM/ECF writes it: the href, and CM/ECF's goDLS(...) call with the
    case id and entry sequence number in `onclick`. That attribute is data for the
    programs that read PACER pages (they take the case id and sequence number from it);
    it never runs here, the Content-Security-Policy forbids inline handlers, and the
    href is what a click follows."""
    if not link:
        return format_html("{}", label)
    return format_html('<a href="{}" onclick="{}">{}</a>', link["href"], link["onclick"], label)
