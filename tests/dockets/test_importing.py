"""`nextgen cases import CODE FILE.jsonl`: legacy cases, idempotent, bad lines named."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from nextgen.audit.models import Event
from nextgen.dockets import actions
from nextgen.dockets.events import event
from nextgen.dockets.models import Case, DocketEntry, Document, Menu, PartyRole, Representation
from tests.dockets.factories import bankruptcy_court, district_court, filer, staff, stored

pytestmark = pytest.mark.django_db


def doe_case(**overrides):
    case = {
        "number": "3:19-cv-00042-JAM",
        "title": "Doe v. Acme Corp.",
        "date_filed": "2019-01-15",
        "nature_of_suit": "190 Contract: Other",
        "cause": "28:1332 Diversity-Breach of Contract",
        "jurisdiction": "Diversity",
        "jury_demand": "plaintiff",
        "judge": "Judge Jeffrey A. Meyer",
        "parties": [
            {
                "name": "Jane Doe",
                "role": "Plaintiff",
                "attorneys": [{"login": "jattorney_ctd", "lead": True}],
            },
            {"name": "Acme Corp.", "role": "defendant", "aliases": ["Acme"]},
        ],
        "entries": [
            {
                "number": 1,
                "date_filed": "2019-01-15",
                "event": "complaint",
                "text": "COMPLAINT against Acme Corp. filed by Jane Doe.",
                "documents": [
                    {"number": 0, "path": "legacy/ctd/1.pdf", "pages": 12, "size": 34567},
                    {"number": 1, "path": "legacy/ctd/1-1.pdf", "description": "Exhibit A"},
                ],
            },
            {
                "number": 2,
                "date_filed": "2019-02-01",
                "date_entered": "2019-02-01T15:30:00-05:00",
                "text": "MOTION to Dismiss by Acme Corp.",
                "documents": [{"number": 0, "path": "legacy/ctd/2.pdf"}],
            },
            {
                "number": 3,
                "date_filed": "2019-03-01",
                "text": "ORDER denying 2 Motion to Dismiss.",
                "relates_to": [2],
                "sealed": True,
            },
        ],
    }
    return case | overrides


def write(tmp_path, *lines, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("cases", "import", *map(str, args), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ctd():
    court = district_court("ctd")
    filer(court, login="jattorney_ctd")
    return court


def test_a_case_loads_with_parties_attorneys_entries_and_documents(ctd, tmp_path):
    code, out, err = run("ctd", write(tmp_path, doe_case()))
    assert code == 0, err
    assert "1 cases created" in out and "3 entries created" in out
    case = Case.objects.get(court=ctd)
    assert case.number == "3:19-cv-00042-JAM" and case.title == "Doe v. Acme Corp."
    assert case.jury_demand == "plaintiff" and case.last_entry_number == 3
    plaintiff, defendant = case.parties.all()
    assert defendant.role == PartyRole.DEFENDANT and [a.name for a in defendant.aliases.all()] == [
        "Acme"
    ]
    rep = Representation.objects.get(party=plaintiff)
    assert rep.filer.login == "jattorney_ctd" and rep.lead_attorney and rep.to_be_noticed
    one, two, three = case.entries.all()
    assert one.event.code == "complaint" and one.filed_by is None
    assert [(d.number, d.file.name, d.description) for d in one.documents.all()] == [
        (0, "legacy/ctd/1.pdf", ""),
        (1, "legacy/ctd/1-1.pdf", "Exhibit A"),
    ]
    assert one.documents.get(number=0).page_count == 12
    assert two.date_entered.isoformat() == "2019-02-01T20:30:00+00:00"
    assert list(three.relates_to.all()) == [two] and three.sealed
    assert Event.objects.filter(action="docket.import", court_code="ctd").exists()


def test_running_the_same_file_again_changes_nothing(ctd, tmp_path):
    path = write(tmp_path, doe_case())
    run("ctd", path)
    counts = (Case.objects.count(), DocketEntry.objects.count(), Document.objects.count())
    code, out, _ = run("ctd", path)
    assert code == 0 and "0 cases created, 1 already present" in out
    assert "0 entries created, 3 already present" in out
    assert (Case.objects.count(), DocketEntry.objects.count(), Document.objects.count()) == counts
    assert Representation.objects.count() == 1


def test_a_later_export_adds_only_the_new_entries(ctd, tmp_path):
    run("ctd", write(tmp_path, doe_case()))
    later = doe_case()
    later["entries"].append(
        {"number": 4, "date_filed": "2019-04-01", "text": "ANSWER", "relates_to": [1]}
    )
    code, out, _ = run("ctd", write(tmp_path, later, name="later.jsonl"))
    assert code == 0 and "1 entries created, 3 already present" in out
    case = Case.objects.get()
    assert case.last_entry_number == 4
    # The next filing continues the numbering.
    entry = actions.file_entry(
        acting=staff(ctd),
        case=case,
        event=event(ctd, Menu.CIVIL, "minute_entry"),
        text="Minute Entry",
    )
    assert entry.number == 5


def test_new_cases_never_take_an_imported_number(ctd, tmp_path):
    run("ctd", write(tmp_path, doe_case(number="3:26-cv-00041")))
    counsel = filer(ctd)
    case, _ = actions.open_case(
        acting=counsel.account,
        court=ctd,
        case_type="cv",
        office=3,
        title="Roe v. Acme",
        parties=[actions.PartySpec("Roe", PartyRole.PLAINTIFF, represented=True)],
        event=event(ctd, Menu.CIVIL, "complaint"),
        documents=stored(ctd, "Complaint"),
        date_filed=dt.date(2026, 5, 1),
    )
    assert case.number == "3:26-cv-00042"


def test_each_bad_line_is_reported_by_number_and_reason_and_the_rest_loads(ctd, tmp_path):
    bad_login = doe_case(number="3:19-cv-00002")
    bad_login["parties"][0]["attorneys"][0]["login"] = "nobody"
    bad_relates = doe_case(number="3:19-cv-00003")
    bad_relates["entries"][2]["relates_to"] = [9]
    bad_path = doe_case(number="3:19-cv-00004")
    bad_path["entries"][0]["documents"][0]["path"] = "../../etc/passwd"
    huge = doe_case(number="3:19-cv-00009")
    huge["entries"][1]["number"] = 10**12
    bad_role = doe_case(number="3:19-cv-00005")
    bad_role["parties"][1]["role"] = "Emperor"
    path = write(
        tmp_path,
        doe_case(),
        "{not json",
        bad_login,
        bad_relates,
        bad_path,
        bad_role,
        doe_case(number="26-10042"),
        doe_case(number="3:19-cv-00006", date_filed="15/01/2019"),
        "",
        doe_case(),
        doe_case(number="3:19-cv-00007", title=""),
        "[1, 2]",
        doe_case(number="3:19-cv-00008"),
        huge,
    )
    code, out, err = run("ctd", path)
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith("cases.jsonl:2: not valid JSON")
    assert "cases.jsonl:3: parties[0].attorneys[0].login 'nobody' is not a CM/ECF account" in err
    assert "cases.jsonl:4: relates_to names entries not in the case: [9]" in err
    assert "cases.jsonl:5: entries[0].documents[0].path '../../etc/passwd' must be relative" in err
    assert "cases.jsonl:6: parties[1].role 'Emperor' is not a party role" in err
    assert "cases.jsonl:7: number '26-10042' is not a district case number" in err
    assert "cases.jsonl:8: date_filed '15/01/2019' is not a date" in err
    assert "cases.jsonl:10: case 3:19-cv-00042-JAM is also on line 1" in err
    assert "cases.jsonl:11: title is missing" in err
    assert "cases.jsonl:12: not a JSON object" in err
    assert "cases.jsonl:14: entries[1].number must be a whole number from 1" in err
    assert len(lines) == 11
    assert sorted(c.sequence for c in Case.objects.all()) == [8, 42]


def test_a_bankruptcy_case_and_its_adversary_proceeding(tmp_path):
    cacb = bankruptcy_court("cacb")
    petition = {
        "number": "26-10042",
        "title": "Acme Widgets, Inc.",
        "chapter": 11,
        "date_filed": "2026-01-05",
        "parties": [{"name": "Acme Widgets, Inc.", "role": "Debtor"}],
        "entries": [
            {
                "number": 1,
                "date_filed": "2026-01-05",
                "event": "voluntary_petition",
                "text": "Chapter 11 Voluntary Petition.",
            }
        ],
    }
    adversary = {
        "number": "26-01003",
        "case_type": "ap",
        "main_case": "26-10042",
        "title": "Acme Widgets, Inc. v. Big Bank",
        "date_filed": "2026-02-01",
        "parties": [],
        "entries": [],
    }
    orphan = adversary | {"number": "26-01004", "main_case": "26-10999"}
    code, _, err = run("cacb", write(tmp_path, petition, adversary, orphan))
    assert code == 2 and "cases.jsonl:3: main_case is not a case of this court" in err
    bk = Case.objects.get(court=cacb, case_type="bk")
    ap = Case.objects.get(court=cacb, case_type="ap")
    assert (bk.number, bk.chapter) == ("26-10042", 11)
    assert ap.number == "26-01003" and ap.main_case == bk


def test_unknown_court_or_missing_file_exits_2(ctd, tmp_path):
    assert run("zzz", write(tmp_path, doe_case()))[0] == 2
    assert run("ctd", tmp_path / "missing.jsonl")[0] == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_on_a_terminal(ctd, tmp_path):
    path = write(tmp_path, *(doe_case(number=f"3:19-cv-{n:05d}") for n in range(1, 201)))
    tty = Terminal()
    call_command("cases", "import", "ctd", str(path), stdout=tty, stderr=io.StringIO())
    assert "\r[" in tty.getvalue()
    piped = io.StringIO()
    call_command("cases", "import", "ctd", str(path), stdout=piped, stderr=io.StringIO())
    assert "\r" not in piped.getvalue()


def test_a_byte_order_mark_is_ignored(ctd, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doe_case()).encode() + b"\n")
    assert run("ctd", path)[0] == 0 and Case.objects.count() == 1
