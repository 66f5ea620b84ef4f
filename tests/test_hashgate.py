"""Password checks wait at the process's gate, before Django; other requests never do."""

from __future__ import annotations

import os
import threading

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.urls import resolve, reverse

from nextgen.hashgate import HASH_NICE, HASHES_PER_PROCESS, HashGate, at_low_priority


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


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("signon:personal_info", {}),
        ("signon:change_password", {}),
        ("signon:security_questions", {}),
        ("signon:mfa_enroll", {}),
        ("signon:mfa_disable", {}),
        ("signon:mfa_backup_codes", {}),
        ("signon:register_security", {}),
        ("signon:upgrade_security", {}),
        ("signon:password_reset_set", {"uidb64": "MQ"}),
        ("ecf:cmecf_password_reset_set", {"code": "ctd", "uidb64": "MQ"}),
    ],
)
def test_every_other_page_that_checks_or_hashes_a_password_queues_at_the_gate(name, kwargs):
    # Hashing while holding one of the pool's connections would starve the other pages.
    assert getattr(resolve(reverse(name, kwargs=kwargs)).func, "verifies_password", False)


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


class TricklingBody:
    """A request body whose bytes arrive only when the test says so."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.arrived = threading.Event()

    def read(self, size: int = -1) -> bytes:
        self.arrived.wait(timeout=10)
        return self.data


def test_a_client_trickling_its_body_never_holds_a_place():
    gate, served = gate_over_recorder()
    body = TricklingBody(b"username=a&password=b")
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/csologin/login/",
        "CONTENT_LENGTH": str(len(body.data)),
        "wsgi.input": body,
    }
    slow = threading.Thread(target=gate, args=(environ, lambda *a: None), daemon=True)
    slow.start()
    slow.join(timeout=0.3)
    assert slow.is_alive()  # still reading its body, before the gate
    # Every place is still free for the honest sign-ins.
    taken = [gate.places.acquire(blocking=False) for _ in range(HASHES_PER_PROCESS)]
    assert all(taken)
    for _ in taken:
        gate.places.release()
    body.arrived.set()
    slow.join(timeout=5)
    assert served == ["POST /csologin/login/"]


def answered(gate: HashGate, path: str = "/csologin/login/") -> tuple[str, dict, bytes]:
    got: dict = {}

    def start_response(status, headers):
        got["status"], got["headers"] = status, dict(headers)

    body = b"".join(gate({"REQUEST_METHOD": "POST", "PATH_INFO": path}, start_response))
    return got["status"], got["headers"], body


def test_a_password_check_that_waits_too_long_is_asked_to_try_again_shortly():
    gate, served = gate_over_recorder()
    gate.wait = 0.1
    take_every_place(gate)
    status, headers, _ = answered(gate)
    assert status.startswith("503") and headers["Retry-After"]
    assert served == []  # no password was checked


def test_beyond_the_queue_password_checks_are_asked_to_try_again_at_once():
    gate, served = gate_over_recorder()
    gate.queue = 0
    status, headers, _ = answered(gate)
    assert status.startswith("503") and headers["Retry-After"]
    assert served == []


@pytest.mark.parametrize(
    ("path", "content_type", "expected"),
    [
        ("/csologin/login/", "text/html", b"Return to the login page"),
        ("/services/cso-auth", "application/json", b'"loginResult"'),
    ],
)
def test_the_try_again_answer_is_a_page_or_the_apis_json(path, content_type, expected):
    from nextgen.signon.notices import TRY_AGAIN_SHORTLY
    from nextgen.wsgi import busy

    gate, _ = gate_over_recorder()
    gate.busy = busy
    gate.queue = 0
    _, headers, body = answered(gate, path)
    assert headers["Content-Type"].startswith(content_type)
    assert expected in body and TRY_AGAIN_SHORTLY[:20].encode() in body


def _post_from(address: str, **extra: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/csologin/login/",
        "REMOTE_ADDR": address,
        **extra,
    }


def _until(condition) -> bool:
    """Polls `condition` for up to 5 s (threads start when the machine lets them)."""
    for _ in range(250):
        if condition():
            return True
        threading.Event().wait(0.02)
    return condition()


def _queued(gate: HashGate, environ: dict) -> threading.Thread:
    thread = threading.Thread(target=gate, args=(environ, lambda *a: None), daemon=True)
    thread.start()
    return thread


def _refused_at_once(gate: HashGate, environ: dict) -> bool:
    """Whether the gate answers `environ` 503 without waiting for a place (the wait is
    long: a 503 after it would never come within the 5 s allowed here)."""
    got: dict = {}

    def call() -> None:
        b"".join(gate(environ, lambda status, headers: got.update(status=status)))

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout=5)
    return not thread.is_alive() and got.get("status", "").startswith("503")


def _free(gate: HashGate, threads: list[threading.Thread]) -> None:
    for _ in range(HASHES_PER_PROCESS):  # the places take_every_place took
        gate.places.release()
    for thread in threads:
        thread.join(timeout=5)


def test_one_client_cannot_fill_the_queue_and_keep_the_others_out():
    """Attack: one script sends dozens of sign-ins at once to a process, filling its
    queue, so every attorney after it is told to try again. Past GATE_PER_CLIENT of one
    client's checks, only that client is turned away, at once."""
    gate, served = gate_over_recorder()
    gate.per_client, gate.wait = 2, 60
    take_every_place(gate)
    waiting = [_queued(gate, _post_from("203.0.113.9")) for _ in range(2)]
    assert _until(lambda: gate._waiting == 2)
    assert _refused_at_once(gate, _post_from("203.0.113.9"))  # the third of one client
    other = _queued(gate, _post_from("198.51.100.7"))
    assert _until(lambda: gate._waiting == 3)  # another client still queues for a place
    _free(gate, [*waiting, other])
    assert len(served) == 3
    assert gate._by_client == {}  # every check given back


def _raising(exception: BaseException):
    def app(environ, start_response):
        raise exception

    return app


@pytest.mark.parametrize("exception", [RuntimeError("a bug"), SystemExit(1)])
def test_a_clients_count_is_given_back_whatever_its_check_ends_with(exception):
    gate = HashGate(_raising(exception), per_client=1)
    for _ in range(2):  # a count kept by the first would refuse the second
        with pytest.raises(type(exception)):
            gate(_post_from("203.0.113.9"), lambda *a: None)
    assert gate._by_client == {} and gate._waiting == 0


def test_a_clients_count_is_given_back_after_a_wait_that_ran_out():
    gate, served = gate_over_recorder()
    gate.per_client, gate.wait = 1, 0.05
    take_every_place(gate)
    for _ in range(2):
        status, _, _ = answered(gate)
        assert status.startswith("503")
    assert gate._by_client == {} and served == []


def test_behind_a_proxy_clients_are_told_apart_by_the_address_the_proxy_saw(settings):
    settings.NEXTGEN_PROXY_COUNT = 1
    gate, served = gate_over_recorder()
    gate.per_client, gate.wait = 1, 60
    take_every_place(gate)
    waiting = [
        _queued(gate, _post_from("10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}"))
        for n in range(2)
    ]
    assert _until(lambda: gate._waiting == 2)  # two attorneys behind the load balancer
    # What a client writes to the left of the proxy's entry is not its address.
    spoofed = _post_from("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99, 192.0.2.1")
    assert _refused_at_once(gate, spoofed)
    _free(gate, waiting)
    assert len(served) == 2


def test_without_a_proxy_a_forwarded_header_changes_no_clients_address(settings):
    settings.NEXTGEN_PROXY_COUNT = 0
    gate, _ = gate_over_recorder()
    gate.per_client, gate.wait = 1, 60
    take_every_place(gate)
    first = _queued(gate, _post_from("203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert _until(lambda: gate._waiting == 1)
    assert _refused_at_once(gate, _post_from("203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.2"))
    _free(gate, [first])
