"""`{% extends %}` with the root template's blocks kept per process (issue 14).

Django's ExtendsNode walks the whole root template (base.html) on every render to find
its `{% block %}` nodes: a few hundred node visits a page for the same answer each time,
since a compiled template never changes (a changed file is loaded as a new Template
object). Here the answer is kept per root template object, weakly, so a template
reloaded or dropped takes its entry with it.

TEMPLATES' "builtins" puts this library after Django's, so `{% extends %}` in every
template is this one; it behaves as Django's in every other way.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django import template
from django.template.base import Template, TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
)
from django.template.loader_tags import do_extends as django_extends
from django.utils.safestring import SafeString

_ROOT_BLOCKS: WeakKeyDictionary[Template, dict[str, BlockNode]] = WeakKeyDictionary()


def root_blocks(parent: Template) -> dict[str, BlockNode]:
    """The blocks of `parent` if it extends nothing (the root), else none: what
    ExtendsNode.render adds to the block context for it."""
    blocks = _ROOT_BLOCKS.get(parent)
    if blocks is None:
        blocks = {}
        for node in parent.nodelist:
            # As Django: the ExtendsNode has to be the first non-text node.
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    found = parent.nodelist.get_nodes_by_type(BlockNode)
                    blocks = {n.name: n for n in found if isinstance(n, BlockNode)}
                break
        _ROOT_BLOCKS[parent] = blocks
    return blocks


class KeptBlocksExtendsNode(ExtendsNode):
    def render(self, context: template.Context) -> SafeString:
        # Django 5.2's ExtendsNode.render, with root_blocks() in place of the walk.
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        block_context.add_blocks(root_blocks(compiled_parent))
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)  # type: ignore[attr-defined]


register = template.Library()


@register.tag
def extends(parser: template.base.Parser, token: template.base.Token) -> KeptBlocksExtendsNode:
    node = django_extends(parser, token)
    return KeptBlocksExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
