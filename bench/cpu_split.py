"""Where a load's CPU goes on this machine: the server under test, PostgreSQL, Redis, the
load generator and the rest, read from Linux's /proc before and after the load.

The figures divide by requests (or attorneys), so each part reads as milliseconds of CPU
per request: a page's req/s on a busy machine is about cores ÷ the sum, and the parts
show which one a miss comes from (issue 14: "where a goal is missed, the note says by how
much and what the profile shows"). Off Linux every part reads as NaN.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PARTS = ("server", "PostgreSQL", "Redis", "load generator", "bench process", "other")


@dataclass(frozen=True)
class Snapshot:
    busy: float  # all cores' non-idle seconds (/proc/stat)
    server: float
    postgres: float
    redis: float
    children: float  # this process's finished children (wrk), from getrusage
    own: float  # this process (the asyncio browsers of the surge, say)


def _cpu_of(pid: int | str) -> tuple[str, float]:
    stat = Path(f"/proc/{pid}/stat").read_text()
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    return name, (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def _tree(root: int) -> list[int]:
    """`root` and its descendants (gunicorn's master and its workers)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return found


def snapshot(server_pid: int) -> Snapshot | None:
    """The machine's CPU so far, by part (None off Linux)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None
    busy = (sum(fields[:8]) - fields[3] - fields[4]) / _TICK  # minus idle and iowait
    server_pids = set(_tree(server_pid))
    server = postgres = redis = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            name, seconds = _cpu_of(entry)
        except (OSError, ValueError, IndexError):
            continue  # a process that ended between the listing and the read
        if int(entry) in server_pids:
            server += seconds
        elif name.startswith("postgres"):
            postgres += seconds
        elif name.startswith("redis-server"):
            redis += seconds
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return Snapshot(
        busy=busy,
        server=server,
        postgres=postgres,
        redis=redis,
        children=children.ru_utime + children.ru_stime,
        own=own.ru_utime + own.ru_stime,
    )


def spent(before: Snapshot | None, after: Snapshot | None) -> dict[str, float]:
    """Seconds of CPU each part spent between two snapshots ("machine": all of it, the
    kernel's own threads and other processes included); empty off Linux."""
    if before is None or after is None:
        return {}
    return {
        "machine": after.busy - before.busy,
        "server": after.server - before.server,
        "PostgreSQL": after.postgres - before.postgres,
        "Redis": after.redis - before.redis,
        "load generator": after.children - before.children,
        "bench process": after.own - before.own,
    }


def add(total: dict[str, float], more: dict[str, float]) -> None:
    """Add one load's `spent` to a running total (a page measured in several rounds)."""
    for name, seconds in more.items():
        total[name] = total.get(name, 0.0) + seconds


def per_unit(seconds: dict[str, float], units: int) -> dict[str, float]:
    """Milliseconds of CPU per unit (request, attorney) of each part; "other" is the
    machine's rest (the kernel, other processes). NaN where nothing was read."""
    if not seconds or units <= 0:
        return {name: float("nan") for name in ("machine", *PARTS)}
    split = {name: value / units * 1000 for name, value in seconds.items()}
    named = sum(split.get(part, 0.0) for part in PARTS if part != "other")
    split["other"] = max(0.0, split["machine"] - named)
    return split


def table(rows: dict[str, dict[str, float]], unit: str = "request") -> str:
    """A Markdown table: one row per page (or load), ms of CPU per `unit` by part."""
    head = f"| ms of CPU per {unit} | machine | " + " | ".join(PARTS) + " |"
    rule = "| --- | ---: | " + " | ".join("---:" for _ in PARTS) + " |"
    lines = [head, rule]
    for name, split in rows.items():
        cells = " | ".join(f"{split.get(part, float('nan')):.2f}" for part in PARTS)
        lines.append(f"| {name} | {split.get('machine', float('nan')):.2f} | {cells} |")
    return "\n".join(lines)
