"""Case numbers as attorneys type them: the full form and CM/ECF's short forms."""

import pytest

from nextgen.dockets.case_numbers import CaseNumber, parse


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("3:26-cv-00042", CaseNumber(year=26, sequence=42, office=3, case_type="cv")),
        ("3:26cv42", CaseNumber(year=26, sequence=42, office=3, case_type="cv")),
        ("26-cv-42", CaseNumber(year=26, sequence=42, case_type="cv")),
        ("26-42", CaseNumber(year=26, sequence=42)),
        ("26-10042", CaseNumber(year=26, sequence=10042)),
        (" 3:26-CR-7 ", CaseNumber(year=26, sequence=7, office=3, case_type="cr")),
        (
            "3:26-cv-00042-JAM",
            CaseNumber(year=26, sequence=42, office=3, case_type="cv", judges=("JAM",)),
        ),
        (
            "3:26-cv-42-jam-sdv",
            CaseNumber(year=26, sequence=42, office=3, case_type="cv", judges=("JAM", "SDV")),
        ),
        ("2:26-bk-10042", CaseNumber(year=26, sequence=10042, office=2, case_type="bk")),
        ("26-ap-1234", CaseNumber(year=26, sequence=1234, case_type="ap")),
    ],
)
def test_full_and_short_forms_are_read(typed, expected):
    assert parse(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "42", "2642", "26--42", "3:26-cv-", "abc", "26-123456", "3:26-cv-42-", "x:26-42"]
)
def test_what_is_not_a_case_number_is_not_read(typed):
    assert parse(typed) is None
