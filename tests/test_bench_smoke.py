"""`bench/run.py --smoke` produces a row for every benchmark figure.

Runs the whole harness at a tiny size (a throwaway PostgreSQL database, Redis db 14
under a prefix of its own, a gunicorn server on 127.0.0.1). It checks that every figure
is measured without an error, never what the timings are: those depend on the machine.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ["4.", "5.", "6.", "7.", "8.", "9.", "10", "11", "12", "13", "14", "15"]


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the benchmarks need PostgreSQL (CI sets DATABASE_URL)")
    return url


def test_smoke_run_produces_every_figure(postgres_url, tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--results-dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": postgres_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [saved] = tmp_path.glob("*-smoke.json")
    figures = json.loads(saved.read_text())["figures"]
    assert [f["figure"][:2] for f in figures] == FIGURES
    for figure in figures:
        assert "error" not in figure["detail"], figure
        assert figure["ratio"] is not None, figure
    [markdown] = tmp_path.glob("*-smoke.md")
    text = markdown.read_text()
    for number in FIGURES:
        assert f"| {number}" in text
    # Where the pages' and the surge's CPU went, and the missed page's own profile.
    assert "Where each page's CPU went under load" in text
    assert "| docket report |" in text
    assert "Where the machine's CPU went during the surge" in text
    assert "docket reports (the missed page" in text
    # The growth figure prints the hot paths' query plans.
    assert "EXPLAIN" in text or "Index Scan" in text or "Index Only Scan" in text
