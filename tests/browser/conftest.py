"""Browser tests: Playwright drives Debian's Chromium against a live NextGen server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NEXTGEN_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in_through_page(
    page, username: str, password: str, *, path: str = "/csologin/login/", skip_mfa: bool = True
) -> None:
    """Sign in through the login page. Filers and staff must set up MFA and are asked
    to at sign-in; unless `skip_mfa=False`, they put it off ("Skip for Now") as often as
    a test signs in (tests/signon/test_mfa*.py pin the prompt itself down)."""
    page.goto(path)
    page.get_by_label("Username *").fill(username)
    page.get_by_label("Password *").fill(password)
    page.get_by_role("button", name="Login").click()
    page.wait_for_load_state()
    if skip_mfa and "/mfa-setup/" in page.url:
        from nextgen.signon.flows import mfa
        from nextgen.signon.models import Account
        from nextgen.signon.models.mfa import MfaPrompt

        if mfa.has_powers(Account.objects.get(username=username)):
            # Court staff, the Service Center, admins cannot put it off.
            set_up_mfa_on_page(page)
            return
        MfaPrompt.objects.filter(account__username=username).delete()
        page.get_by_role("button", name="Skip for Now").click()
        page.wait_for_load_state()
    elif "/login/passcode/" in page.url:
        # Set up at an earlier sign-in of this test: the code of the moment.
        from nextgen.signon.models import Account
        from tests.signon.test_mfa import code_for

        code = code_for(Account.objects.get(username=username))
        page.get_by_label("One-Time Passcode").fill(code)
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()


def set_up_mfa_on_page(page) -> None:
    """On the sign-in's MFA set-up page: add the key to "the app" (the code it would
    show now), turn MFA on, and go on past the backup codes."""
    import base64

    from tests.signon.test_mfa import code_for_key

    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("One-Time Passcode").fill(code_for_key(base64.b32decode(secret)))
    page.get_by_role("button", name="Turn On Multi-Factor Authentication").click()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_load_state()


@pytest.fixture
def ui_login(page):
    def _login(username: str, password: str, **options):
        sign_in_through_page(page, username, password, **options)

    return _login
