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
