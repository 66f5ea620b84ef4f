"""Re-importing a court's CSV never touches the PACER-forwarded person data of a linked
CM/ECF account, not even while racing the link itself; the court's own values stay
kept under the link and come back with the unlink."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import RequestFactory

from nextgen.ecf.flows import linking, staff
from nextgen.ecf.importing import import_filers
from nextgen.ecf.models import FilerAccount
from tests.factories import ECF_PASSWORD, AccountFactory, CourtFactory

HEADER = "login,first_name,last_name,email,bar_number,phone,password\n"
FIRST_FILE = HEADER + f"mlopez,Maria,Lopez,maria@court.example,VI777,340-555-0100,{ECF_PASSWORD}\n"
SECOND_FILE = (
    HEADER + f"mlopez,Maria,Lopez-Diaz,maria.new@court.example,VI778,340-555-0200,{ECF_PASSWORD}\n"
)


def load(court, text: str):
    return import_filers(court=court, rows=io.StringIO(text), source="test")


def pacer_account():
    return AccountFactory(
        username="mlopez", first_name="María", last_name="López", email="maria@pacer.example"
    )


def link(account, filer: FilerAccount) -> FilerAccount:
    """Step two of the link flow, with a proof in the session as step one leaves it."""
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = account
    linking.PROOF.put(request, owner=(account.pk, filer.court.code), filer=filer.pk, nonce="nonce")
    return linking.confirm_link(
        request=request, account=account, court=filer.court, nonce="nonce", same_person=True
    )


def forwarded(filer: FilerAccount) -> tuple[str, str, str, str]:
    filer.refresh_from_db()
    return (filer.first_name, filer.last_name, filer.email, filer.phone)


PACER_DATA = ("María", "López", "maria@pacer.example", "860-555-0100")


@pytest.mark.django_db
def test_a_re_import_leaves_a_linked_accounts_forwarded_data_alone():
    court = CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    load(court, FIRST_FILE)
    filer = FilerAccount.objects.get(court=court)
    account = pacer_account()
    link(account, filer)
    assert forwarded(filer) == PACER_DATA

    assert filer.court_record["email"] == "maria@court.example"

    report = load(court, SECOND_FILE)
    assert report.updated == 1
    assert forwarded(filer) == PACER_DATA
    assert filer.bar_number == "VI778"  # the court's own column follows the file
    # The file's person data goes to the court's record kept under the link.
    assert filer.court_record["email"] == "maria.new@court.example"
    assert filer.court_record["last_name"] == "Lopez-Diaz"
    assert load(court, SECOND_FILE).unchanged == 1

    # Unlinked, the court's latest record comes back.
    staff.unlink_filer(acting=AccountFactory(), filer=filer, reason="wrong", request=None)
    assert forwarded(filer) == ("Maria", "Lopez-Diaz", "maria.new@court.example", "340-555-0200")
    assert filer.court_record is None
    assert load(court, SECOND_FILE).unchanged == 1


@pytest.mark.django_db
def test_a_re_import_gives_a_link_older_than_the_kept_record_one():
    court = CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    load(court, FIRST_FILE)
    account = pacer_account()
    # Linked before links kept the court's record: PACER's data over the court's, none kept.
    FilerAccount.objects.filter(court=court).update(
        account=account, email="maria@pacer.example", court_record=None
    )
    filer = FilerAccount.objects.get(court=court)
    assert filer.email_of_record == "maria@pacer.example"
    assert load(court, FIRST_FILE).updated == 1
    filer.refresh_from_db()
    assert filer.email == "maria@pacer.example"
    assert filer.email_of_record == "maria@court.example"
    staff.unlink_filer(acting=AccountFactory(), filer=filer, reason="wrong", request=None)
    filer.refresh_from_db()
    assert filer.email == "maria@court.example"


# --- the race, with real concurrent transactions (PostgreSQL) ---------------------------

WAIT = 20  # seconds: an upper bound for a thread that should finish at once


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _until_blocked() -> None:
    """Return once another transaction waits on a row lock (the race is set up)."""
    deadline = time.monotonic() + WAIT
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second transaction never waited"
        time.sleep(0.01)


class Held(threading.Thread):
    """Runs `work` in a transaction that commits only when released."""

    def __init__(self, work) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.done_work = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.work()
                self.done_work.set()
                assert self.release.wait(WAIT)
        except BaseException as exc:  # surfaced by the test
            self.error = exc
            self.done_work.set()
        finally:
            connection.close()


class Background(threading.Thread):
    def __init__(self, work) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:
            self.error = exc
        finally:
            connection.close()


@pytest.fixture
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the race is tested on PostgreSQL (CI sets DATABASE_URL)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_waiting_on_a_link_leaves_the_forwarded_data(_postgresql):
    court = CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    load(court, FIRST_FILE)
    filer = FilerAccount.objects.get(court=court)
    account = pacer_account()

    linker = Held(lambda: link(account, filer))
    linker.start()
    assert linker.done_work.wait(WAIT) and linker.error is None
    importer = Background(lambda: load(court, SECOND_FILE))
    importer.start()
    _until_blocked()  # the import's upsert waits for the link's row lock
    linker.release.set()
    linker.join(WAIT)
    importer.join(WAIT)
    assert linker.error is None and importer.error is None
    assert forwarded(filer) == PACER_DATA
    assert filer.account == account and filer.bar_number == "VI778"
    assert filer.court_record["email"] == "maria.new@court.example"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_link_waiting_on_an_import_keeps_the_imported_values_as_the_courts(_postgresql):
    court = CourtFactory(code="vid", go_live=dt.date(2022, 6, 6))
    load(court, FIRST_FILE)
    filer = FilerAccount.objects.get(court=court)
    account = pacer_account()

    importer = Held(lambda: load(court, SECOND_FILE))
    importer.start()
    assert importer.done_work.wait(WAIT) and importer.error is None
    linker = Background(lambda: link(account, filer))
    linker.start()
    _until_blocked()  # the link's locking read waits for the import's row lock
    importer.release.set()
    importer.join(WAIT)
    linker.join(WAIT)
    assert linker.error is None and importer.error is None
    assert forwarded(filer) == PACER_DATA
    assert filer.account == account
    assert filer.court_record["email"] == "maria.new@court.example"
    assert filer.court_record["last_name"] == "Lopez-Diaz"
