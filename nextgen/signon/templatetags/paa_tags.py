"""Template access to who pays for an account, so any page (Review Billing History)
can show it without its view knowing about PAAs."""

from __future__ import annotations

from django import template

from ..flows.paa import paying_membership
from ..models import Account, PaaMembership

register = template.Library()


@register.simple_tag
def paying_paa(account: Account) -> PaaMembership | None:
    """The active PAA membership that pays for `account`, or None."""
    if not getattr(account, "is_authenticated", False):
        return None
    return paying_membership(account)
