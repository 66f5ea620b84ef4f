"""Benchmark `nextgen cases import` (legacy cases, JSONL) against PostgreSQL COPY.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/cases_import.py --entries 100000

Creates a throwaway database `nextgen_bench_cases_<pid>` on the server DATABASE_URL names
(dropped afterwards; on SQLite, a temporary file and no COPY). Generates a legacy export
of cases of 100 docket entries each (three parties, an attorney of record, a document per
entry, responses relating to motions), imports it through the real management command
in a subprocess, then empties the docket entry table and COPYs the same entry rows
into it (same table, same constraints and indexes): the floor for those rows alone.
The import also writes the cases, parties, attorneys, documents and related-entry rows,
so the ratio copy_seconds / import_seconds is a conservative one.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
NEXTGEN = [sys.executable, "-m", "nextgen.cli"]
# One name per run (the process id): two runs at once never drop each other's database.
BENCH_DB = f"nextgen_bench_cases_{os.getpid()}"
PER_CASE = 100
LOGINS = 50


def entry_rows(entries: int):
    """(case index, number, date, text, relates_to) of every entry, in file order."""
    start = dt.date(2019, 1, 2)
    for n in range(entries):
        case, number = divmod(n, PER_CASE)
        number += 1
        day = start + dt.timedelta(days=case % 1500 + number)
        if number == 1:
            text, relates = "COMPLAINT against Acme Corp. filed by Jane Doe.", []
        elif number % 10 == 2:
            text, relates = f"MOTION to Dismiss by Acme Corp. ({number})", []
        elif number % 10 == 3:
            text = f"RESPONSE in Opposition re {number - 1} MOTION to Dismiss filed by Jane Doe."
            relates = [number - 1]
        else:
            text, relates = f"NOTICE (Other) number {number} filed by Jane Doe.", []
        yield case, number, day, text, relates


def write_jsonl(path: Path, entries: int) -> int:
    cases: dict[int, dict] = {}
    for case, number, day, text, relates in entry_rows(entries):
        c = cases.setdefault(
            case,
            {
                "number": f"3:19-cv-{case + 1:05d}",
                "title": f"Doe {case} v. Acme Corp.",
                "date_filed": day.isoformat(),
                "nature_of_suit": "190 Contract: Other",
                "jury_demand": "plaintiff",
                "judge": "Judge Jeffrey A. Meyer",
                "parties": [
                    {
                        "name": f"Jane Doe {case}",
                        "role": "Plaintiff",
                        "attorneys": [{"login": f"atty{case % LOGINS:03d}", "lead": True}],
                    },
                    {"name": "Acme Corp.", "role": "Defendant", "aliases": ["Acme"]},
                    {"name": "Big Bank", "role": "Interested Party"},
                ],
                "entries": [],
            },
        )
        c["entries"].append(
            {
                "number": number,
                "date_filed": day.isoformat(),
                "text": text,
                "relates_to": relates,
                "documents": [
                    {"number": 0, "path": f"legacy/{case}/{number}.pdf", "pages": 3, "size": 9000}
                ],
            }
        )
    with path.open("w", encoding="utf-8") as f:
        for c in cases.values():
            f.write(json.dumps(c) + "\n")
    return len(cases)


def write_filers(path: Path) -> None:
    # One cheap hash in Django's own format: hashing is not what is measured here.
    salt = "benchsalt0000000"
    digest = hashlib.pbkdf2_hmac("sha256", b"Old#Pass1", salt.encode(), 1000)
    pw = f"pbkdf2_sha256$1000${salt}${base64.b64encode(digest).decode()}"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["login", "first_name", "last_name", "email", "bar_number", "password_hash"])
        for i in range(LOGINS):
            w.writerow([f"atty{i:03d}", "John", f"Attorney{i}", f"a{i}@example.com", f"CT{i}", pw])


def nextgen(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*NEXTGEN, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr[-3000:])
    if done.returncode not in (0, 1):  # filers import: 1 = some rows rejected
        raise RuntimeError(f"nextgen {' '.join(args)} exited {done.returncode}")
    own = re.search(r"lines in ([0-9.]+) s\)", done.stdout)
    return float(own.group(1)) if own else time.perf_counter() - started


def time_copy(url: str, entries: int) -> float:
    """Empty the docket entry table and COPY the same entry rows into it."""
    import psycopg

    with psycopg.connect(url) as conn:
        ids = dict(
            conn.execute(
                "SELECT sequence, id FROM dockets_case WHERE court_id = "
                "(SELECT id FROM ecf_court WHERE code = 'bench')"
            ).fetchall()
        )
        conn.execute("TRUNCATE dockets_docketentry CASCADE")
        conn.commit()
        buf = io.StringIO()
        for case, number, day, text, _ in entry_rows(entries):
            entered = f"{day.isoformat()} 12:00:00+00"
            buf.write(f"{ids[case + 1]}\t{number}\t{day.isoformat()}\t{entered}\t{text}\tf\n")
        data = buf.getvalue().encode()
        started = time.perf_counter()
        sql = (
            "COPY dockets_docketentry (case_id, number, date_filed, date_entered, text, sealed) "
            "FROM STDIN"
        )
        with conn.cursor().copy(sql) as cp:
            cp.write(data)
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    admin = url
    with tempfile.TemporaryDirectory(prefix="nextgen-bench-cases-") as tmp:
        tmpdir = Path(tmp)
        env = {**os.environ, "NEXTGEN_VAR_DIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
        env.pop("NEXTGEN_ROOT_URLCONF", None)
        if postgres:
            import psycopg

            bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {BENCH_DB}")
            env["DATABASE_URL"] = bench_url
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
        try:
            jsonl, filers = tmpdir / "cases.jsonl", tmpdir / "filers.csv"
            t = time.perf_counter()
            cases = write_jsonl(jsonl, args.entries)
            write_filers(filers)
            print(
                f"generated {cases:,} cases, {args.entries:,} entries in "
                f"{time.perf_counter() - t:.1f} s"
            )
            nextgen(env, "migrate", "--verbosity", "0")
            nextgen(env, "court", "add", "bench", "--name", "Bench Court", "--kind", "district")
            nextgen(env, "filers", "import", "bench", str(filers))
            first = nextgen(env, "cases", "import", "bench", str(jsonl))
            again = nextgen(env, "cases", "import", "bench", str(jsonl))
            print(f"\nfirst import {first:6.2f} s {args.entries / first:9,.0f} entries/s")
            print(f"re-import    {again:6.2f} s (nothing to add)")
            copy = float("nan")
            if postgres:
                copy = time_copy(env["DATABASE_URL"], args.entries)
                print(f"COPY         {copy:6.2f} s {args.entries / copy:9,.0f} entries/s")
                print(f"copy/import ratio: {copy / first:.3f}")
            # Keep this the last line, in this form: bench/run.py parses it.
            print(f"import_seconds={first:.3f} copy_seconds={copy:.3f} ratio={copy / first:.3f}")
        finally:
            if postgres:
                import psycopg

                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
