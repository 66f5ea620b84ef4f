"""A client signed in as a full sign-in leaves it: with the password and a one-time
passcode (flows/login.SESSION_SECOND_FACTOR). Pages with powers over other accounts (court
staff, the Service Center, administration) open only to such a session; the login page
that sets it is tested in tests/signon."""

from __future__ import annotations

from django.test import Client


def with_passcode(client: Client, account) -> Client:
    from nextgen.signon.flows.login import SESSION_SECOND_FACTOR

    client.force_login(account)
    session = client.session
    session[SESSION_SECOND_FACTOR] = "otp"
    session.save()
    return client


def passcode_viewer(account):
    """`account` as the request of a session signed in with the passcode hands it to the
    selectors: marked by signon's middleware (nextgen.signon.http), for tests that call
    the selectors with an account directly."""
    from nextgen.signon.http import mark_signed_in_with_passcode

    mark_signed_in_with_passcode(account)
    return account
