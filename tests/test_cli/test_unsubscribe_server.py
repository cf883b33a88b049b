"""The one-click unsubscribe endpoint: a provider's POST to a genuine link unsubscribes;
a tampered link, or a GET, changes nothing."""

from __future__ import annotations

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
        "port": 0, "ready": ready}, daemon=True)
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
