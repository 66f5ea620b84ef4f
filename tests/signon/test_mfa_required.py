"""Who must use MFA: filers, and every account with powers over other accounts."""

import pytest
from django.urls import reverse

from nextgen.ecf.models import CourtRole
from nextgen.signon.flows.mfa import API_ENROLLMENT_REQUIRED, must_enroll
from nextgen.signon.models.mfa import MfaPrompt
from tests.factories import PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db
SETUP = reverse("signon:login_mfa_setup")


def test_case_search_only_accounts_may_choose():
    assert not must_enroll(AccountFactory(user_type="search-only"))


@pytest.mark.parametrize("power", ["court staff", "service center", "admin"])
def test_staff_must_enroll_like_filers(power):
    account = AccountFactory()
    if power == "court staff":
        CourtRole.objects.create(account=account, court=CourtFactory(code="vid"))
    elif power == "service center":
        account.is_service_center = True
        account.save(update_fields=["is_service_center"])
    else:
        account.is_staff = True
        account.save(update_fields=["is_staff"])
    assert must_enroll(account)


def test_court_staff_are_prompted_at_login(client):
    clerk = AccountFactory()
    CourtRole.objects.create(account=clerk, court=CourtFactory(code="vid"))
    client.get("/csologin/login/")
    response = client.post("/csologin/login/", {"username": clerk.username, "password": PASSWORD})
    assert response["Location"] == SETUP


def test_the_api_stops_where_the_login_page_does_once_the_skips_are_used(client):
    filer = AccountFactory()
    FilerAccountFactory(court=CourtFactory(code="vid"), account=filer)
    MfaPrompt.objects.create(account=filer, skips=3)
    answer = client.post(
        "/services/cso-auth",
        {"loginId": filer.username, "password": PASSWORD, "redactFlag": "1"},
        content_type="application/json",
    ).json()
    assert answer == {
        "nextGenCSO": "",
        "loginResult": "13",
        "errorDescription": API_ENROLLMENT_REQUIRED,
    }
