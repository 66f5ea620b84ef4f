import os

import pytest
from django.db import connection


@pytest.mark.skipif(not os.environ.get("CI"), reason="CI runs the suite on PostgreSQL")
def test_ci_runs_the_suite_on_postgresql(db):
    assert connection.vendor == "postgresql"
