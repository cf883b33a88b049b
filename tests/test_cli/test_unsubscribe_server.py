"""The one-click unsubscribe endpoint: a provider's POST to a genuine link unsubscribes;
a tampered link, or a GET, changes nothing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mailers import unsubscribe
from steward.unsubscribe_server import serve
from storage.sqlite_store import SQLiteStore

SECRET = "a-test-secret-of-some-length"


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[tuple[str, SQLiteStore]]:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    store.ensure_schema()
    store.append("people", [{"id": "P1", "first_name": "Ann", "email": "ann@example.org"}])
    started = threading.Event()
    holder: list = []

    def ready(server) -> None:  # type: ignore[no-untyped-def]
        holder.append(server)
        started.set()

    thread = threading.Thread(target=serve, args=(store, SECRET), kwargs={
        "port": 0, "ready": ready, "timeout": 0.5}, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{holder[0].server_port}/unsubscribe", store
    holder[0].shutdown()


def test_a_one_click_post_unsubscribes_and_a_get_only_asks(endpoint) -> None:  # type: ignore[no-untyped-def]
    base, store = endpoint
    url = unsubscribe.link(base, SECRET, "ML-1", "P1")
    assert requests.get(url, timeout=5).status_code == 200
    assert not store.load(["people"]).row("people", "P1")["do_not_email"]
    answer = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=5,
                           allow_redirects=False)
    assert answer.status_code == 200
    book = store.load(["people", "suppressions", "audit_log"])
    assert book.row("people", "P1")["do_not_email"]
    assert len(book.frame("suppressions")) == 1 and len(book.frame("audit_log")) == 1


def test_a_tampered_link_changes_nothing(endpoint) -> None:  # type: ignore[no-untyped-def]
    base, store = endpoint
    url = unsubscribe.link(base, SECRET, "ML-1", "P1").replace("P1", "P2")
    answer = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=5)
    assert answer.status_code == 400
    assert store.load(["audit_log"]).frame("audit_log").empty


def _raw(url: str, request: bytes) -> bytes:
    """Send `request` as it is on a new connection to the endpoint's server; everything it
    answers until it closes the connection (the test fails if it has not within 10 s)."""
    host, port = url.split("/")[2].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(("length", "status"), [
    ("abc", b"400"), ("-1", b"400"), ("1e3", b"400"), (str(10**12), b"413"), ("1025", b"413"),
])
def test_a_content_length_that_is_not_a_small_count_of_bytes_is_refused(
    endpoint, length: str, status: bytes  # type: ignore[no-untyped-def]
) -> None:
    base, store = endpoint
    path = unsubscribe.link(base, SECRET, "ML-1", "P1").split("/", 3)[3]
    answer = _raw(base, f"POST /{path} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n"
                        f"\r\nList-Unsubscribe=One-Click".encode())
    assert answer.split(b" ")[1] == status
    assert b"Traceback" not in answer and b".py" not in answer
    assert not store.load(["people"]).row("people", "P1")["do_not_email"]


@pytest.mark.parametrize("sent", [
    b"", b"POST /unsubscribe HTTP/1.1\r\nHost: x", b"POST /unsubscribe HTTP/1.1\r\nHost: x\r\n"
    b"Content-Length: 26\r\n\r\nList-Unsub",
], ids=["nothing", "half the headers", "half the body"])
def test_a_client_that_goes_silent_is_disconnected_and_others_are_still_served(
    endpoint, sent: bytes  # type: ignore[no-untyped-def]
) -> None:
    base, store = endpoint
    assert _raw(base, sent) == b""  # closed by the server, not by the test's own 10 s
    url = unsubscribe.link(base, SECRET, "ML-1", "P1")
    assert requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=5).ok
