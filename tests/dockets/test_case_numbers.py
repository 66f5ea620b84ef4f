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


# --- resolving against a court's cases ------------------------------------------------------


@pytest.fixture
def ctd_cases(db):
    from tests.dockets import factories as f

    court = f.district_court("ctd")
    john = f.filer(court)
    first = f.civil_case(court, john, office=3)
    second = f.civil_case(court, john, office=2, title="Roe v. Widget Inc.")
    return court, first, second


def test_a_full_number_with_judge_initials_finds_its_case(ctd_cases):
    from nextgen.dockets.case_numbers import resolve
    from nextgen.dockets.models import Case

    court, first, _ = ctd_cases
    typed = f"3:{first.year}-cv-{first.sequence:05d}-JAM"
    assert resolve(typed, Case.objects.filter(court=court)) == [first]


def test_a_short_form_fitting_cases_in_two_offices_returns_both(ctd_cases):
    from nextgen.dockets.case_numbers import resolve
    from nextgen.dockets.models import Case

    court, first, second = ctd_cases
    Case.objects.filter(pk=second.pk).update(sequence=first.sequence)
    found = resolve(f"{first.year}-{first.sequence}", Case.objects.filter(court=court))
    assert {c.pk for c in found} == {first.pk, second.pk}
    assert resolve(f"3:{first.year}cv{first.sequence}", Case.objects.filter(court=court)) == [first]


def test_a_case_outside_the_given_cases_is_not_found(ctd_cases):
    from nextgen.dockets.case_numbers import resolve
    from nextgen.dockets.models import Case

    court, first, _ = ctd_cases
    assert resolve(first.number, Case.objects.filter(court=court, sealed=True)) == []
    assert resolve("not a number", Case.objects.all()) is None
