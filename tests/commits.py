"""What happens after a commit, in tests that never commit.

A test using `db` runs inside a transaction that is rolled back at its end, so the
`transaction.on_commit` callbacks of the code under test (queued mail sent with immediate
delivery, an uploaded import run, nextgen/mail.py and nextgen/ecf/flows/) would wait
until the test ends and then be dropped. A test that expects their effect wraps the
action, usually one request, in `run_on_commit()`."""

from collections.abc import Callable
from contextlib import AbstractContextManager

from django.test import TestCase


def run_on_commit() -> AbstractContextManager[list[Callable[[], object]]]:
    """Run, when the block ends, the on_commit callbacks registered inside it, as the commit
    of the code's transaction would in production (those of a block that was rolled back
    were discarded by Django, so they never run). Yields the list of callbacks run.

    Django's own TestCase.captureOnCommitCallbacks (pytest-django's
    `django_capture_on_commit_callbacks` fixture) with execute=True. Do not nest it: the
    outer block would run the inner block's callbacks a second time."""
    return TestCase.captureOnCommitCallbacks(execute=True)
