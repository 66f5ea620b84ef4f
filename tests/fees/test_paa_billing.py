"""A firm's billing (PAA): members' charges since they joined, per member and client
code, with totals and CSV; the firm may require a client code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from nextgen.audit.models import Event
from nextgen.fees import actions
from nextgen.fees.models import PaaFeeSettings
from nextgen.signon.models import Paa, PaaMembership
from tests.dockets.factories import district_court
from tests.factories import AccountFactory

from .factories import charge

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def court():
    return district_court("ctd")


@pytest.fixture
def firm():
    admin = AccountFactory(username="fadmin")
    paa = Paa.objects.create(
        firm_name="Smith LLP", billing_contact="B", billing_email="b@x.test", administrator=admin
    )
    return paa


def join(paa, account, when):
    PaaMembership.objects.create(
        paa=paa, account=account, status=PaaMembership.Status.ACTIVE, responded_at=when
    )


def test_the_administrator_sees_members_charges_since_they_joined(client, login, firm, court):
    alan = AccountFactory(username="alan", first_name="Alan", last_name="Associate")
    cara = AccountFactory(username="cara", first_name="Cara", last_name="Colleague")
    outsider = AccountFactory(username="outsider")
    joined = dt.datetime(2026, 3, 10, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        charge(alan, court, description="Before joining", pdf_pages=50)
    join(firm, alan, joined)
    join(firm, cara, joined)
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        charge(alan, court, client_code="m-1", description="Docket Report", pdf_pages=3)
        charge(alan, court, client_code="m-2", description="Image 4-0", pdf_pages=2)
        charge(cara, court, client_code="m-1", description="Image 9-0", pdf_pages=31)
        charge(outsider, court, description="Not ours", pdf_pages=9)
    login(firm.administrator)
    html = client.get(reverse("fees:paa_billing", args=[firm.pk])).content.decode()
    assert "Before joining" not in html and "Not ours" not in html
    assert "Docket Report" in html and "Image 9-0" in html
    assert 'id="firm-total">$3.50' in html
    totals = html[
        html.index('id="member-totals"') : html.index("</table>", html.index('id="member-totals"'))
    ]
    assert totals.index("Alan Associate (alan)") < totals.index("Cara Colleague (cara)")
    assert "$0.30" in totals and "$0.20" in totals and "$3.00" in totals
    body = b"".join(
        client.get(reverse("fees:paa_billing_csv", args=[firm.pk])).streaming_content
    ).decode()
    assert "PACER Login" in body.splitlines()[0]
    assert "alan" in body and "cara" in body and "Not ours" not in body
    assert "Before joining" not in body


def test_only_the_administrator_sees_the_firms_charges(client, login, firm, court):
    member = AccountFactory()
    join(firm, member, dt.datetime(2026, 1, 1, tzinfo=UTC))
    login(member)
    assert client.get(reverse("fees:paa_billing", args=[firm.pk])).status_code == 404
    assert client.get(reverse("fees:paa_billing_csv", args=[firm.pk])).status_code == 404
    response = client.post(
        reverse("fees:paa_settings", args=[firm.pk]), {"require_client_code": "on"}
    )
    assert response.status_code == 404
    assert not PaaFeeSettings.objects.exists()


def test_the_administrator_requires_a_client_code_and_a_member_without_one_is_refused(
    client, login, firm, court
):
    member = AccountFactory()
    join(firm, member, dt.datetime(2026, 1, 1, tzinfo=UTC))
    login(firm.administrator)
    client.post(reverse("fees:paa_settings", args=[firm.pk]), {"require_client_code": "on"})
    assert PaaFeeSettings.objects.get(paa=firm).require_client_code is True
    assert Event.objects.filter(action="fees.paa.settings").exists()
    with pytest.raises(actions.ClientCodeRequired):
        charge(member, court, client_code="")
    assert charge(member, court, client_code="m-9").client_code == "m-9"
    client.post(reverse("fees:paa_settings", args=[firm.pk]), {})
    assert charge(member, court, client_code="").client_code == ""


@pytest.mark.parametrize("name", ["fees:paa_billing", "fees:paa_billing_csv"])
def test_the_firms_history_up_to_the_last_day_the_calendar_holds_shows_every_charge(
    client, login, firm, court, name
):
    alan = AccountFactory(username="alan")
    join(firm, alan, dt.datetime(2026, 3, 10, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        charge(alan, court, description="Image 4-0")
    login(firm.administrator)
    response = client.get(reverse(name, args=[firm.pk]), {"end": "9999-12-31"})
    assert response.status_code == 200
    assert "Image 4-0" in b"".join(response).decode()


def test_the_firms_csv_with_a_bad_filter_field_is_refused_by_name_and_exports_nothing(
    client, login, firm, court
):
    alan = AccountFactory(username="alan")
    join(firm, alan, dt.datetime(2026, 3, 10, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=UTC), tick=False):
        charge(alan, court, description="Image 4-0")
    login(firm.administrator)
    response = client.get(reverse("fees:paa_billing_csv", args=[firm.pk]), {"sort": "=1+1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sort by: Select a valid choice." in body and "Image 4-0" not in body
