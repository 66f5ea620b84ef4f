"""Sections that higher apps add to Maintain Your Account → Email information.

ecf sits below them (noticing adds "E-mail notices" and "Send notices in these additional
cases"): each registers, in its AppConfig.ready(), a function that renders its part of
the page for (request, court, the signed-in account's CM/ECF account of that court) as
HTML. The page shows them below the secondary addresses, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .models import Court, FilerAccount

Section = Callable[[HttpRequest, Court, FilerAccount], str]
EMAIL_SECTIONS: list[Section] = []


def register_email_section(section: Section) -> None:
    if section not in EMAIL_SECTIONS:
        EMAIL_SECTIONS.append(section)


def rendered_sections(request: HttpRequest, court: Court, filer: FilerAccount) -> list[SafeString]:
    # Each section is rendered by a template (autoescaped), so its HTML is safe as it is.
    return [mark_safe(section(request, court, filer)) for section in EMAIL_SECTIONS]  # noqa: S308
