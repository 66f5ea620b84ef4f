"""Case numbers as people type them: full (`3:26-cv-00042-JAM`) or short (`26-42`,
`3:26cv42`, `26-cv-42`, `26-10042`), resolved against one court's cases.

A short form may fit several cases (`26-42` is both 3:26-cv-00042 and 3:26-cr-00042):
resolution returns every match, and the page offers a choice, as CM/ECF does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import BANKRUPTCY_TYPES, Case

# More matches than this is not a choice anyone can make: the page asks for a fuller number.
MAX_MATCHES = 20

_NUMBER = re.compile(
    r"""
    ^(?:(?P<office>\d{1,2}):)?          # office digit, "3:"
    (?P<year>\d{2})                     # two-digit year
    (?:-(?P<type1>[a-z]{2})-|(?P<type2>[a-z]{2})|-)   # "-cv-", "cv" or a bare "-"
    (?P<sequence>\d{1,5})               # the sequence, leading zeros optional
    (?P<judges>(?:-[a-z]{1,4})*)$       # judge initials as staff assign them: "-JAM-SDV"
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class CaseNumber:
    """What a typed case number says; None where it says nothing."""

    year: int  # two digits, as in the number
    sequence: int
    office: int | None = None
    case_type: str | None = None  # "cv", "cr", "bk", "ap", ...
    judges: tuple[str, ...] = ()


def parse(text: str) -> CaseNumber | None:
    """The parts of a typed case number, or None when it is not one."""
    cleaned = "".join(text.split())
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    case_type = match["type1"] or match["type2"]
    return CaseNumber(
        year=int(match["year"]),
        sequence=int(match["sequence"]),
        office=int(match["office"]) if match["office"] else None,
        case_type=case_type.lower() if case_type else None,
        judges=tuple(j.upper() for j in match["judges"].split("-") if j),
    )


def resolve(text: str, cases: QuerySet[Case]) -> list[Case] | None:
    """The cases of `cases` (one court's, already narrowed to what the person may see)
    that `text` names; None when it is not a case number. Judge initials do not narrow
    the match: staff may have assigned a judge since the filer last saw the number."""
    number = parse(text)
    if number is None:
        return None
    found = cases.filter(year=number.year, sequence=number.sequence)
    if number.case_type:
        found = found.filter(case_type=number.case_type)
    if number.office is not None:
        # Bankruptcy numbers carry no office; one typed there ("2:26-bk-10042") is ignored.
        found = found.filter(Q(office=number.office) | Q(case_type__in=BANKRUPTCY_TYPES))
    return list(found.order_by("office", "case_type")[:MAX_MATCHES])
