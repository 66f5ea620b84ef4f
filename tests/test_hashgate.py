"""Password checks wait at the process's gate, before Django; other requests never do."""

from __future__ import annotations

import os
import threading

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.urls import resolve

from nextgen.hashgate import HASH_NICE, HashGate, at_low_priority


def gate_over_recorder() -> tuple[HashGate, list[str]]:
    served: list[str] = []

    def app(environ, start_response):
        served.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        return [b"ok"]

    return HashGate(app), served


def call_in_thread(gate: HashGate, method: str, path: str) -> threading.Thread:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
    thread = threading.Thread(target=gate, args=(environ, lambda *a: None), daemon=True)
    thread.start()
    thread.join(timeout=0.5)
    return thread


@pytest.mark.parametrize(
    "path", ["/csologin/login/", "/ecf/ctd/cgi-bin/link/", "/services/cso-auth"]
)
def test_the_sign_in_link_and_api_sign_in_views_verify_a_password(path):
    assert getattr(resolve(path).func, "verifies_password", False)


def take_every_place(gate: HashGate) -> None:
    while gate.places.acquire(blocking=False):
        pass


def test_a_password_post_waits_while_every_place_is_taken():
    gate, served = gate_over_recorder()
    take_every_place(gate)
    waiting = call_in_thread(gate, "POST", "/csologin/login/")
    assert waiting.is_alive() and served == []
    gate.places.release()
    waiting.join(timeout=5)
    assert served == ["POST /csologin/login/"]


def test_hashes_run_at_a_lower_cpu_priority_and_still_check_the_password():
    nice_here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    nice_there = at_low_priority(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert nice_there == min(19, nice_here + HASH_NICE)
    encoded = make_password("Right#Pass2026")
    assert check_password("Right#Pass2026", encoded)
    assert not check_password("Wrong#Pass2026", encoded)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/csologin/login/"), ("POST", "/ecf/ctd/cgi-bin/link/confirm/"), ("POST", "/nope")],
)
def test_other_requests_pass_while_every_place_is_taken(method, path):
    gate, served = gate_over_recorder()
    take_every_place(gate)
    assert not call_in_thread(gate, method, path).is_alive()
    assert served == [f"{method} {path}"]
