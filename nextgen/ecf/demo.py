"""Demo courts (those of the seeds, plus one not yet live) and demo CM/ECF accounts.

Called by `nextgen demo`. Idempotent: courts are created when missing and otherwise
left as staff may have changed them; CM/ECF accounts are created when missing and
never touched afterwards, so a demo link (or a password reset) survives a re-run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import KNOWN_TIME_ZONES, Court, CourtKind, FilerAccount, LinkMenu, normalize_login
from .services import add_court

# The PACER Service Center's number, as in seed 002.
PSC_PHONE = "1-800-676-6856"
# Satisfies the CM/ECF password rule of seed 002 (8+, upper/lower, digit, special).
DEMO_ECF_PASSWORD = "Ecf#Demo2021"

PRD_HELP = (
    "The following court staff can unlink PACER accounts in CM/ECF NextGen:\n"
    "Kim Kalife, extension 3085\n"
    "José Aponte, extension 3079\n"
    "Diana Villavicencio, extension 3024\n"
    "Julio Dávila, extension 3087\n"
    f"If your PACER account is deactivated, contact the PACER Service Center (PSC) "
    f"at {PSC_PHONE}."
)


def _help(name: str) -> str:
    return (
        f"For help with linking your CM/ECF account, call the CM/ECF Help Desk of the "
        f"{name}. For PACER accounts, contact the PACER Service Center at {PSC_PHONE}."
    )


DEMO_COURTS: list[dict] = [
    dict(
        code="vid",
        name="District Court of the Virgin Islands",
        kind=CourtKind.DISTRICT,
        go_live=dt.date(2022, 6, 6),
        welcome=(
            "Welcome to the District Court of the Virgin Islands for the District of "
            "the Virgin Islands"
        ),
    ),
    dict(
        code="vib",
        name="District Court of the Virgin Islands - Bankruptcy Division",
        kind=CourtKind.BANKRUPTCY,
        go_live=dt.date(2022, 6, 6),
        welcome=(
            "Welcome to the US District Court - Bankruptcy Division for the District "
            "Court of the Virgin Islands - Bankruptcy Division"
        ),
    ),
    dict(
        code="ctd",
        name="United States District Court for the District of Connecticut",
        kind=CourtKind.DISTRICT,
        go_live=dt.date(2017, 12, 11),
        welcome=(
            "Welcome to the U.S. District Court for the United States District Court "
            "for the District of Connecticut"
        ),
    ),
    dict(
        code="prd",
        name="United States District Court for the District of Puerto Rico",
        kind=CourtKind.DISTRICT,
        go_live=dt.date(2021, 11, 29),
        help_contact=PRD_HELP,
    ),
    dict(
        code="cacb",
        name="United States Bankruptcy Court for the Central District of California",
        kind=CourtKind.BANKRUPTCY,
        go_live=dt.date(2021, 4, 26),
        link_menu=LinkMenu.RELEASE_1_1,
    ),
    dict(
        code="gub",
        name="United States Bankruptcy Court for the District of Guam",
        kind=CourtKind.BANKRUPTCY,
        go_live=dt.date(2021, 2, 22),
        link_menu=LinkMenu.RELEASE_1_1,
    ),
    # Not live yet: linking there is refused until the date comes.
    dict(
        code="nyed",
        name="United States District Court for the Eastern District of New York",
        kind=CourtKind.DISTRICT,
        go_live=dt.date(2027, 6, 1),
    ),
]

JOHN = dict(
    first_name="John",
    last_name="Attorney",
    email="john.attorney@example.com",
    bar_number="CT12345",
    firm="Attorney & Associates",
    phone="860-555-0100",
    address="1 Main Street",
    city="Hartford",
    state="CT",
    zip_code="06103",
)

# John Attorney's court-issued login in every demo court, plus one in ctd under a
# different name, to show the "do the names match?" confirmation.
DEMO_FILERS: list[dict] = [
    *({"court": c["code"], "login": f"jattorney_{c['code']}", **JOHN} for c in DEMO_COURTS),
    dict(
        court="ctd",
        login="jattorny",
        first_name="Jon",
        last_name="Attorny",
        email="jon.attorny@example.com",
        bar_number="CT54321",
        note="different name: shows the name-mismatch confirmation",
    ),
]


@dataclass
class DemoLogin:
    court: str
    login: str
    password: str
    name: str
    note: str


def load_demo_courts() -> list[DemoLogin]:
    """Create what is missing of the demo courts and CM/ECF accounts; the logins to print."""
    logins: list[DemoLogin] = []
    password_hash: str | None = None
    with transaction.atomic():
        courts = {}
        for spec in DEMO_COURTS:
            spec = dict(spec)
            spec.setdefault("help_contact", _help(spec["name"]))
            spec.setdefault("time_zone", KNOWN_TIME_ZONES[spec["code"]])
            court = Court.objects.filter(code=spec["code"]).first()
            # Through the service, so the demo's courts are audited like any other.
            courts[spec["code"]] = court or add_court(**spec)
        for spec in DEMO_FILERS:
            spec = dict(spec)
            court = courts[spec.pop("court")]
            note = spec.pop("note", "")
            key = normalize_login(spec["login"])
            if not FilerAccount.objects.filter(court=court, login_key=key).exists():
                # One hash shared by all demo rows: Argon2 is slow by design.
                password_hash = password_hash or make_password(DEMO_ECF_PASSWORD)
                FilerAccount.objects.create(court=court, password=password_hash, **spec)
            if not note and not court.is_live():
                note = f"court not live until {court.go_live:%Y-%m-%d}"
            logins.append(
                DemoLogin(
                    court=court.code,
                    login=spec["login"],
                    password=DEMO_ECF_PASSWORD,
                    name=f"{spec['first_name']} {spec['last_name']}",
                    note=note,
                )
            )
    return logins


# --- court staff (ecf.flows.staff) ----------------------------------------------------
DEMO_STAFF: list[dict[str, Any]] = [
    dict(
        username="vid.clerk",
        password="Demo#Clerk2026",
        first_name="Val",
        last_name="Clerk",
        email="vid.clerk@example.com",
        court="vid",
        label="court staff at vid (Staff link on the vid court site)",
    ),
]


def load_demo_staff() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo court staff accounts and their roles;
    (user name, password, label) to print. Idempotent."""
    from nextgen.signon.models import Account, normalize_username
    from nextgen.signon.services import create_account

    from .models import CourtRole

    rows = []
    with transaction.atomic():
        for spec in DEMO_STAFF:
            spec = dict(spec)
            label = spec.pop("label")
            court = Court.objects.get(code=spec.pop("court"))
            account = Account.objects.filter(
                username_key=normalize_username(spec["username"])
            ).first() or create_account(via="demo", **spec)
            CourtRole.objects.get_or_create(account=account, court=court, role=CourtRole.Role.STAFF)
            rows.append((spec["username"], spec["password"], label))
    return rows


def print_demo_courts(write: Callable[[str], object]) -> None:
    """`nextgen demo` (signon.demo.DEMO_LOADERS): courts and their court-issued CM/ECF
    logins, which PACER accounts link to."""
    write("Demo CM/ECF accounts (court / CM/ECF login / password):")
    for e in load_demo_courts():
        note = f"  ({e.note})" if e.note else ""
        write(f"  {e.court:<5} {e.login:<16} {e.password:<14} {e.name}{note}")


def print_demo_staff(write: Callable[[str], object]) -> None:
    """`nextgen demo`: court staff (they need the courts above to exist)."""
    write("Demo court staff (user name / password):")
    for username, password, label in load_demo_staff():
        write(f"  {username:<12} {password:<18} {label}")
