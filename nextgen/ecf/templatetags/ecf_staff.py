"""`{% court_staff court as flag %}`: whether the signed-in account may use the court's
staff pages, so court_base.html can show its "Staff" link to staff only."""

from __future__ import annotations

from django import template

from nextgen.ecf.models import Court
from nextgen.ecf.permissions import is_court_staff
from nextgen.signon.permissions import is_service_center

register = template.Library()


@register.simple_tag(takes_context=True)
def court_staff(context: template.Context, court: Court | None) -> bool:
    user = context.get("user")
    if court is None or user is None or not user.is_authenticated:
        return False
    # Same rule as permissions.require_court_staff, so the link never leads to a 404.
    return is_service_center(user) or is_court_staff(user, court)
