"""Case numbers as people type them: full (`3:26-cv-00042-JAM`) or short (`26-42`,
`3:26cv42`, `26-cv-42`, `26-10042`), resolved against one court's cases.

A short form may fit several cases (`26-42` is both 3:26-cv-00042 and 3:26-cr-00042):
resolution returns every match, and the page offers a choice, as CM/ECF does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
