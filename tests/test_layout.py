"""What every page carries: the USWDS identifier, the phone menu button, and a way in
to the Service Center for its staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, CourtFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/csologin/login/", "/ecf/vid/"])
def test_every_page_carries_the_uswds_identifier_with_the_required_links(client, path):
    CourtFactory(code="vid")
    html = client.get(path).content.decode()
    assert 'class="usa-identifier"' in html
    for words in [
        "An official website of the",
        ">About the U.S. Courts</a>",
        ">Accessibility statement</a>",
        ">FOIA requests</a>",
        ">Privacy policy</a>",
        'href="https://www.usa.gov/"',
    ]:
        assert words in html, words


def test_the_header_has_the_phone_menu_button_and_a_close_button(client):
    html = client.get("/").content.decode()
    assert '<button type="button" class="usa-menu-btn" id="menu-button">Menu</button>' in html
    assert 'class="usa-nav__close"' in html and '<div class="usa-overlay"></div>' in html


def test_a_court_page_signed_in_has_the_menu_button_for_its_menu(client):
    CourtFactory(code="vid")
    client.force_login(AccountFactory())
    html = client.get("/ecf/vid/cgi-bin/").content.decode()
    assert 'class="usa-menu-btn"' in html and 'class="usa-nav__close"' in html


def test_service_center_staff_find_their_pages_from_the_header_and_home(client):
    from tests.passcode import with_passcode

    with_passcode(client, AccountFactory(is_service_center=True))
    html = client.get("/").content.decode()
    url = reverse("signon:service_center")
    assert f'id="service-center-link" href="{url}"' in html
    assert f'id="home-service-center-link" href="{url}"' in html
    assert client.get(url).status_code == 200


def test_other_accounts_see_no_service_center_link(client):
    client.force_login(AccountFactory())
    html = client.get("/").content.decode()
    assert "service-center-link" not in html


# --- the demo looks like production ------------------------------------------------------


def test_a_wrong_address_gets_the_404_page_not_a_list_of_url_patterns(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and 'class="usa-identifier"' in html
    assert "URLconf" not in html and "URL patterns" not in html


def test_the_favicon_is_served_at_the_root_address(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an .ico file


def test_a_server_error_page_renders_without_any_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html


def test_make_demo_runs_with_debug_off():
    """`make demo` used to set NEXTGEN_DEBUG=1: every wrong address showed Django's debug
    page with the project's URL patterns."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "runserver" in demo and "NEXTGEN_DEBUG" not in demo
