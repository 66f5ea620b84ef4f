"""The Content-Security-Policy in Chromium (settings.CONTENT_SECURITY_POLICY): pages that
an inline script or style would break load without a single violation. Chromium logs
each refused inline script, style attribute or foreign source on the console."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nextgen.ecf.models import CourtRole, FilerAccount
from tests.browser.conftest import set_up_mfa_on_page
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def violations(page):
    """What the browser refused under the policy (console errors naming it), and any
    script error, as they happen."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def test_the_policy_is_strict_and_blocks_nothing_the_pages_use(page, ui_login, violations):
    vid = CourtFactory(
        code="vid", name="District Court of the Virgin Islands", go_live=dt.date(2022, 6, 6)
    )
    clerk = AccountFactory(username="vid.clerk", first_name="Val", last_name="Clerk")
    CourtRole.objects.create(account=clerk, court=vid)
    filer = FilerAccountFactory(court=vid, login="linked_vid")
    FilerAccount.objects.filter(pk=filer.pk).update(
        account=AccountFactory(), linked_at=timezone.now()
    )

    response = page.goto("/csologin/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The MFA set-up page shows its QR code as a data: image.
    ui_login("vid.clerk", PASSWORD, path="/csologin/login/?next=/ecf/vid/staff/", skip_mfa=False)
    page.wait_for_url("**/mfa-setup/**")
    expect(page.locator("img[src^='data:image/svg+xml']").first).to_be_visible()
    set_up_mfa_on_page(page)  # court staff cannot put it off
    page.wait_for_url("**/ecf/vid/staff/")
    # The linking-progress chart (its look lives in site.css, not a style attribute).
    page.get_by_role("link", name="Linking progress").click()
    chart = page.get_by_role("img", name=re.compile("Bar chart"))
    expect(chart).to_be_visible()
    assert chart.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(240, 240, 240)"
    page.goto("/")
    page.goto("/ecf/vid/cgi-bin/")

    # A style attribute set now is refused and reported: the check above would see one.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert [v for v in violations if "inline style" in v], "the policy did not apply"
    violations[:] = [v for v in violations if "inline style" not in v]
    assert violations == []
