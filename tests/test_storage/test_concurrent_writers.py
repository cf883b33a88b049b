"""Several app replicas (OS processes) writing one store lose no write.

Each process appends rows of its own and, in the same commits, raises one shared counter
by reading it, adding one and writing it back with what it saw (retrying on Conflict), as
a page does. At the end every append is there exactly once and the counter equals the
number of edits that succeeded: no lost update, no half commit. Nothing here times
anything; the processes just run at once.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage import ChangeSet, Conflict, Store
from storage.postgres_store import PostgresStore
from storage.sqlite_store import SQLiteStore

PROCESSES = 4
COMMITS = 50
SHARED = "M-SHARED"


def _open(kind: str, where: str) -> Store:
    return PostgresStore(where) if kind == "postgres" else SQLiteStore(where)


def _writer(kind: str, where: str, name: str, start: Any, results: Any) -> None:
    """One replica: COMMITS appends of its own, and COMMITS counter edits each landing with
    a gift of its own (both or neither)."""
    store = _open(kind, where)
    start.wait(timeout=300)
    edits = conflicts = 0
    for n in range(COMMITS):
        store.append("volunteer_hours", [{"id": f"{name}-H{n}", "person_id": name,
                                          "date": date(2024, 5, 1), "hours": "1.5"}])
        while True:
            outbox = store.read(["outbox"])["outbox"]
            seen = outbox[outbox["id"] == SHARED].iloc[0].to_dict()
            changes = (ChangeSet()
                       .append("donations", {"id": f"{name}-D{n}", "person_id": name,
                                             "date": date(2024, 5, 1), "amount": "1"})
                       .edit("outbox", SHARED, {"attempts": int(seen["attempts"]) + 1}, seen))
            try:
                store.commit(changes)
            except Conflict:
                conflicts += 1
                continue
            edits += 1
            break
    results.put((name, edits, conflicts))
    if isinstance(store, (PostgresStore, SQLiteStore)):
        store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(kind, where) of a store with every tab and the shared counter at 0."""
    kind = str(request.param)
    where = request.getfixturevalue("postgres_url") if kind == "postgres" else str(
        tmp_path / "shared.sqlite3")
    store = _open(kind, where)
    store.ensure_schema()
    store.append("outbox", [{"id": SHARED, "mailing_id": "ML1", "attempts": 0}])
    return kind, where


def test_replicas_lose_no_append_and_no_edit(shared_store: tuple[str, str]) -> None:
    kind, where = shared_store
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(PROCESSES), context.Queue()
    writers = [context.Process(target=_writer, args=(kind, where, f"W{i}", start, results))
               for i in range(PROCESSES)]
    for writer in writers:
        writer.start()
    done = [results.get(timeout=600) for _ in writers]
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    edits = sum(e for _, e, _ in done)
    assert edits == PROCESSES * COMMITS

    book = _open(kind, where).read(["volunteer_hours", "donations", "outbox"])
    for tab_name, letter in (("volunteer_hours", "H"), ("donations", "D")):
        written = Counter(book[tab_name]["id"])
        assert set(written) == {f"W{i}-{letter}{n}" for i in range(PROCESSES)
                                for n in range(COMMITS)}, tab_name
        assert set(written.values()) == {1}, tab_name
    outbox = book["outbox"].set_index("id")
    assert int(outbox.loc[SHARED, "attempts"]) == edits
