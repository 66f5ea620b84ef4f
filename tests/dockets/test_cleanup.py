"""`nextgen dockets cleanup-orphans` removes stored files no entry names, after a grace."""

import io
import os
import time

import pytest
from django.core.management import call_command

from nextgen.dockets.documents import DocumentUpload, store_documents
from tests.dockets.factories import civil_case, district_court, filer, stored_files

pytestmark = pytest.mark.django_db


def _age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_old_orphans_go_young_ones_and_filed_documents_stay(documents_dir):
    ctd = district_court("ctd")
    case = civil_case(ctd, filer(ctd))
    filed = documents_dir / case.entries.get().documents.get().file.name
    [old] = store_documents([DocumentUpload(file=io.BytesIO(b"%PDF-1.4 old"))], court=ctd)
    [young] = store_documents([DocumentUpload(file=io.BytesIO(b"%PDF-1.4 new"))], court=ctd)
    _age(filed, 48)
    _age(documents_dir / old.name, 48)
    out = io.StringIO()
    call_command("dockets", "cleanup-orphans", "--dry-run", stdout=out)
    assert "Would remove 1 orphaned" in out.getvalue() and old.name in out.getvalue()
    assert len(stored_files(documents_dir)) == 3
    call_command("dockets", "cleanup-orphans", stdout=io.StringIO())
    assert stored_files(documents_dir) == sorted([filed, documents_dir / young.name])
    # With no grace period the young one goes too.
    call_command("dockets", "cleanup-orphans", "--grace-hours", "0", stdout=io.StringIO())
    assert stored_files(documents_dir) == [filed]
