"""Benchmark `nextgen filers import` on a generated CSV of CM/ECF accounts.

    .venv/bin/python bench/import_bench.py                    # temp SQLite file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/import_bench.py                # throwaway nextgen_bench DB

It never touches the configured database itself: on SQLite it uses a temporary file,
on PostgreSQL it (re)creates a database named `nextgen_bench_<pid>` on the same server and
drops it afterwards. The import runs through the real management command in a
subprocess: a first load (all rows created) and, after the last round, a re-run (all
unchanged). On PostgreSQL each round first COPYs the same rows into the same table (its
indexes and foreign keys, another court, the table emptied first) and then imports them,
so the two share the machine's load of that moment; the figure is the median of the
rounds' copy_seconds / import_seconds (goal >= 0.8), beside the median times. It also
times COPY of the same file into a plain temp table, the floor any loader can hope for.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
NEXTGEN = [sys.executable, "-m", "nextgen.cli"]
# One name per run (the process id): two runs at once never drop each other's database.
BENCH_DB = f"nextgen_bench_{os.getpid()}"
HEADER = [
    "login",
    "first_name",
    "last_name",
    "email",
    "bar_number",
    "password_hash",
    "phone",
    "firm",
    "address",
    "city",
    "state",
    "zip_code",
]


def make_hashes() -> list[str]:
    """A few distinct hashes of each kind, reused across rows: hashing is not what is
    measured, and bcrypt/pbkdf2 at real cost would take hours for 100k rows."""
    import bcrypt

    hashes = [
        bcrypt.hashpw(f"Old#Pass{i}".encode(), bcrypt.gensalt(rounds=4)).decode() for i in range(4)
    ]
    # Django's own format, produced cheaply with hashlib at a low iteration count.
    for i in range(4):
        salt = f"salt{i:04d}abcdefgh"
        digest = hashlib.pbkdf2_hmac("sha256", f"Old#Pass{i}".encode(), salt.encode(), 1000)
        hashes.append(f"pbkdf2_sha256$1000${salt}${base64.b64encode(digest).decode()}")
    return hashes


def write_csv(path: Path, rows: int) -> None:
    shared = make_hashes()
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for n in range(rows):
            kind = n % 3
            if kind == 0:
                # Salted SHA-256 is cheap, so every row gets its own.
                salt = f"{n:08x}"
                digest = hashlib.sha256(f"{salt}Old#Pass{n}".encode()).hexdigest()
                pw = f"sha256${salt}${digest}"
            else:
                pw = shared[n % len(shared)]
            w.writerow(
                [
                    f"filer{n:06d}",
                    f"First{n}",
                    f"Last{n}",
                    f"filer{n:06d}@example.com",
                    f"CT{n:06d}",
                    pw,
                    f"860-555-{n % 10000:04d}",
                    f"Firm {n % 500}",
                    f"{n} Main Street",
                    "Hartford",
                    "CT",
                    "06103",
                ]
            )


def nextgen(env: dict[str, str], *args: str) -> tuple[float, float | None]:
    """(wall seconds including interpreter and Django start-up, the seconds the import
    command reports for the import itself, if it is one)."""
    started = time.perf_counter()
    done = subprocess.run(
        [*NEXTGEN, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    own = re.search(r"rows in ([0-9.]+) s\)", done.stdout)
    return wall, float(own.group(1)) if own else None


def setup_postgres(url: str) -> tuple[str, str]:
    """(url of the throwaway bench database, url of the admin database)."""
    import psycopg

    parts = urlsplit(url)
    bench_url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return bench_url, url


def drop_postgres(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def time_copy(url: str, path: Path) -> float:
    """COPY the same CSV into a plain temp table: no constraints, no indexes, no checks."""
    import psycopg

    cols = ", ".join(f"{c} text" for c in HEADER)
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TEMP TABLE copy_bench ({cols})")
        started = time.perf_counter()
        sql = "COPY copy_bench FROM STDIN WITH (FORMAT csv, HEADER true)"
        with conn.cursor().copy(sql) as cp, path.open("rb") as f:
            while block := f.read(1 << 20):
                cp.write(block)
        conn.commit()
        return time.perf_counter() - started


def prepare_copy_same_table(url: str, path: Path, court_code: str) -> tuple[Path, str]:
    """The file and statement to COPY the same rows into the same table
    (ecf_fileraccount, with its indexes, unique constraints and foreign keys), for
    another court: what the import is compared with. Prepared untimed, with every
    column the table needs."""
    import datetime as dt

    import psycopg

    now = dt.datetime.now(dt.UTC).isoformat()
    from_csv = {"password": "password_hash", **{c: c for c in HEADER}}
    with psycopg.connect(url) as conn:
        court_id = conn.execute("SELECT id FROM ecf_court WHERE code = %s", [court_code]).fetchone()
        columns = conn.execute(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = 'ecf_fileraccount' "
            "AND table_schema = current_schema() ORDER BY ordinal_position"
        ).fetchall()
    fill = {"boolean": "f", "integer": "0", "bigint": "0", "jsonb": "{}", "smallint": "0"}
    plan = []  # (column, how to get its value from a CSV row)
    for name, kind, nullable, default in columns:
        if name == "id" or (default and name not in from_csv):
            continue
        if name == "court_id":
            plan.append((name, lambda r: str(court_id[0])))
        elif name == "login_key":
            plan.append((name, lambda r: r["login"].strip().lower()))
        elif name in from_csv:
            plan.append((name, lambda r, k=from_csv[name]: r[k]))
        elif nullable == "YES":
            continue
        elif kind.startswith("timestamp"):
            plan.append((name, lambda r: now))
        else:
            value = fill.get(kind, "")
            plan.append((name, lambda r, v=value: v))
    ready = path.with_suffix(".copy.csv")
    with path.open(newline="", encoding="utf-8") as src, ready.open("w", newline="") as out:
        w = csv.writer(out)
        for row in csv.DictReader(src):
            w.writerow([get(row) for _, get in plan])
    names = ", ".join(f'"{c}"' for c, _ in plan)
    return ready, f"COPY ecf_fileraccount ({names}) FROM STDIN WITH (FORMAT csv)"


def time_copy_same_table(url: str, ready: Path, sql: str) -> float:
    """COPY the prepared rows into the emptied table, timed (commit included)."""
    import psycopg

    with psycopg.connect(url) as conn:
        # A throwaway database: emptied, so each round's COPY meets what the first did.
        conn.execute("TRUNCATE ecf_fileraccount CASCADE")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy(sql) as cp, ready.open("rb") as f:
            while block := f.read(1 << 20):
                cp.write(block)
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="COPY + import pairs (PostgreSQL)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    with tempfile.TemporaryDirectory(prefix="nextgen-bench-") as tmp:
        tmpdir = Path(tmp)
        env = {**os.environ, "NEXTGEN_VAR_DIR": str(tmpdir)}
        if postgres:
            bench_url, admin_url = setup_postgres(url)
            env["DATABASE_URL"] = bench_url
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
        try:
            csv_path = tmpdir / "filers.csv"
            t = time.perf_counter()
            write_csv(csv_path, args.rows)
            print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s")
            nextgen(env, "migrate", "--verbosity", "0")
            nextgen(env, "court", "add", "bench", "--name", "Bench Court", "--kind", "district")
            backend = "PostgreSQL" if postgres else "SQLite"
            pairs = []  # (import seconds, COPY seconds) per round
            if postgres:
                nextgen(env, "court", "add", "copy", "--name", "Copy Court", "--kind", "district")
                ready, sql = prepare_copy_same_table(env["DATABASE_URL"], csv_path, "copy")
                print(f"\n{backend}, {args.rows:,} rows, {args.rounds} rounds of COPY then import")
                for n in range(1, args.rounds + 1):
                    # COPY first, into the emptied table: the import then finds it fuller.
                    copy = time_copy_same_table(env["DATABASE_URL"], ready, sql)
                    wall, own = nextgen(env, "filers", "import", "bench", str(csv_path))
                    pairs.append((own or wall, copy))
                    print(
                        f"  round {n}: COPY, table {copy:6.2f} s, import {own or wall:6.2f} s "
                        f"(wall {wall:6.2f} s), ratio {copy / (own or wall):.2f}"
                    )
            else:
                wall, own = nextgen(env, "filers", "import", "bench", str(csv_path))
                pairs.append((own or wall, float("nan")))
            again_wall, again = nextgen(env, "filers", "import", "bench", str(csv_path))
            first = statistics.median(imp for imp, _ in pairs)
            copy = statistics.median(cp for _, cp in pairs)  # nan on SQLite: no COPY
            ratio = statistics.median(cp / imp for imp, cp in pairs)
            print(f"\n{backend}, {args.rows:,} rows ('import' = as timed by the command;")
            print("medians of the rounds):")
            print(f"  {'first import':<13} import {first:6.2f} s {args.rows / first:9,.0f} rows/s")
            again = again or again_wall
            print(f"  {'re-import':<13} import {again:6.2f} s {args.rows / again:9,.0f} rows/s")
            if postgres:
                plain = time_copy(env["DATABASE_URL"], csv_path)
                print(f"  {'COPY, table':<13} import {copy:6.2f} s {args.rows / copy:9,.0f} rows/s")
                print(
                    f"  {'COPY, plain':<13} import {plain:6.2f} s {args.rows / plain:9,.0f} rows/s"
                )
                print(f"  copy/import ratio: {ratio:.2f} (median of the rounds; goal >= 0.8)")
            # Keep this the last line, in this form: bench/run.py parses it.
            print(f"import_seconds={first:.3f} copy_seconds={copy:.3f} ratio={ratio:.3f}")
        finally:
            if postgres:
                drop_postgres(admin_url)


if __name__ == "__main__":
    main()
