"""bench/cpu_split.py: where a load's CPU went, by part, per request."""

import math
import os
import sys
import time

import pytest

from bench import cpu_split

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@linux
def test_a_busy_server_process_shows_its_cpu_under_server_and_in_the_machine_total():
    before = cpu_split.snapshot(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    seconds = cpu_split.spent(before, cpu_split.snapshot(os.getpid()))
    # The process named as the server is this one, so its own time counts twice: under
    # "server" and under "bench process".
    assert seconds["server"] >= 0.25
    assert seconds["bench process"] >= 0.25
    assert seconds["machine"] >= 0.25


def test_per_unit_divides_by_the_units_and_puts_the_unnamed_rest_under_other():
    seconds = {
        "machine": 1.0,
        "server": 0.5,
        "PostgreSQL": 0.2,
        "Redis": 0.05,
        "load generator": 0.05,
        "bench process": 0.0,
    }
    split = cpu_split.per_unit(seconds, 100)
    assert split["machine"] == pytest.approx(10.0)
    assert split["server"] == pytest.approx(5.0)
    assert split["PostgreSQL"] == pytest.approx(2.0)
    assert split["other"] == pytest.approx(2.0)


def test_nothing_read_gives_nan_not_a_made_up_zero():
    split = cpu_split.per_unit({}, 10)
    assert all(math.isnan(value) for value in split.values())
    assert cpu_split.spent(None, None) == {}


def test_rounds_add_up_before_dividing():
    total: dict[str, float] = {}
    cpu_split.add(total, {"machine": 1.0, "server": 0.5})
    cpu_split.add(total, {"machine": 2.0, "server": 1.0})
    assert total == {"machine": 3.0, "server": 1.5}


def test_the_table_has_a_row_per_load_and_a_column_per_part():
    text = cpu_split.table({"menu": cpu_split.per_unit({"machine": 1.0, "server": 1.0}, 1)})
    head, rule, row = text.splitlines()
    assert head.count("|") == len(cpu_split.PARTS) + 3
    assert row.startswith("| menu | 1000.00 | 1000.00 |")
