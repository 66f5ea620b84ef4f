from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """`links|get_item:pk`: a dict value in a template."""
    return mapping.get(key) if mapping else None
