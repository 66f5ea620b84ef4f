"""Go-live and a court's other dates are days in the court's own time zone, not UTC's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape

from nextgen.ecf import notices
from nextgen.ecf.flows import linking, staff
from nextgen.ecf.flows.registration import live_courts
from nextgen.ecf.models import Court
from tests.factories import ECF_PASSWORD, AccountFactory, CourtFactory, FilerAccountFactory

pytestmark = pytest.mark.django_db
GO_LIVE = dt.date(2026, 12, 1)


def at(local: str, zone: str):
    """A stopped clock at `local` wall time in `zone`."""
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=Court(time_zone=zone).tzinfo)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def vid():
    return CourtFactory(code="vid", go_live=GO_LIVE, time_zone="America/St_Thomas")


@pytest.fixture
def gub():
    return CourtFactory(code="gub", go_live=GO_LIVE, time_zone="Pacific/Guam")


def try_to_link(client, court: Court):
    FilerAccountFactory(court=court, login=f"jattorney_{court.code}")
    response = client.post(
        f"/ecf/{court.code}/cgi-bin/link/",
        {"login": f"jattorney_{court.code}", "password": ECF_PASSWORD},
    )
    return response


def test_vid_refuses_a_link_at_21_00_the_evening_before_go_live(client, login, account, vid):
    # 21:00 in St. Thomas (UTC-4) is already December 1 in UTC.
    with at("2026-11-30T21:00:00", "America/St_Thomas"):
        login(account)
        assert timezone.now().date() == GO_LIVE
        response = try_to_link(client, vid)
        assert response.status_code == 200
        assert escape(notices.REFUSALS["not_live"]) in response.content.decode()
        assert linking.account_refusal(account, vid) == "not_live"
        assert not vid.is_live()


def test_vid_accepts_a_link_at_00_01_local_on_go_live_day(client, login, account, vid):
    with at("2026-12-01T00:01:00", "America/St_Thomas"):
        login(account)
        assert vid.is_live()
        response = try_to_link(client, vid)
        assert response.status_code == 302
        assert response["Location"] == "/ecf/vid/cgi-bin/link/confirm/"


def test_guam_opens_at_its_own_midnight_not_utcs(account, gub):
    # Guam is UTC+10: its December 1 begins at 14:00 UTC on November 30 ...
    with at("2026-12-01T00:01:00", "Pacific/Guam"):
        assert timezone.now().date() == dt.date(2026, 11, 30)
        assert gub.is_live()
        assert linking.account_refusal(account, gub) is None
        assert gub in live_courts()
    # ... and a minute before it, Guam is not live, however late it is in UTC.
    with at("2026-11-30T23:59:00", "Pacific/Guam"):
        assert not gub.is_live()
        assert linking.account_refusal(account, gub) == "not_live"
        assert gub not in live_courts()


def test_e_filing_registration_follows_the_courts_date(vid):
    with at("2026-11-30T21:00:00", "America/St_Thomas"):
        assert vid not in live_courts()
    with at("2026-12-01T00:01:00", "America/St_Thomas"):
        assert vid in live_courts()


def test_link_progress_counts_a_link_on_the_courts_day(vid):
    with at("2026-12-01T21:30:00", "America/St_Thomas"):
        FilerAccountFactory(court=vid, account=AccountFactory(), linked_at=timezone.now())
        progress = staff.link_progress(court=vid)
    assert progress.days == [(dt.date(2026, 12, 1), 1)]


def test_court_add_takes_a_time_zone():
    call_command(
        "court", "add", "gub", "--name", "Guam", "--kind", "bankruptcy",
        "--time-zone", "Pacific/Guam",
    )  # fmt: skip
    assert Court.objects.get(code="gub").time_zone == "Pacific/Guam"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../../etc/passwd", "UTC\x00"])
def test_court_add_refuses_an_unknown_time_zone(zone):
    with pytest.raises(CommandError) as refused:
        call_command(
            "court", "add", "gub", "--name", "Guam", "--kind", "bankruptcy", "--time-zone", zone
        )
    assert refused.value.returncode == 2
    assert "time_zone" in str(refused.value)
    assert not Court.objects.filter(code="gub").exists()
