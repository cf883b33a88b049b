"""The commit rule every backend shares (`storage/commit.py`), over an in-memory I/O: what a
user relies on whichever backend holds the data, checked without a backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from sheets_schema import Locale
from storage import ChangeSet, Conflict, KeyFill, NotFound, RowEdit
from storage.commit import CommitIO, KeyFillIO, row_gone, run_commit, run_key_fills
from storage.errors import KeyInUse

PEOPLE = {"P1": {"id": "P1", "first_name": "Ann"}, "P2": {"id": "P2", "first_name": "Bob"}}


class Rows(CommitIO, KeyFillIO):
    """Tabs as dicts by key; what the rule asks for is recorded in `done`."""

    def __init__(self, rows: Mapping[str, Mapping[str, str]]) -> None:
        self.rows = {key: dict(row) for key, row in rows.items()}
        self.done: list[tuple[str, ...]] = []

    def row(self, tab_name: str, edit: RowEdit) -> tuple[Any, Mapping[str, str]]:
        if edit.key not in self.rows:
            raise row_gone(tab_name, edit.key)
        return edit.key, self.rows[edit.key]

    def edit(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.done.append(("edit", tab_name, handle))

    def delete(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.done.append(("delete", tab_name, handle))

    def keys_in_use(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> set[str]:
        return set(self.rows)

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.done.append(("append", tab_name, *(str(r.get("id", "")) for r in records)))

    def rows_by_number(self, tab_name: str) -> Mapping[int, Mapping[str, str]]:
        return {number: row for number, row in enumerate(self.rows.values(), start=2)}

    def write_keys(self, tab_name: str, key: str, fills: Sequence[KeyFill]) -> None:
        self.done.append(("keys", tab_name, *(f.key for f in fills)))


def audit(landing: ChangeSet) -> list[dict[str, Any]]:
    return [{"id": f"A-{action}-{key}"} for action, _, key in landing.rows()]


def commit(io: Rows, changes: ChangeSet, skip: bool = False) -> list[Conflict]:
    return run_commit(io, changes, skip_conflicts=skip, audit=audit, locale=Locale())


def test_a_commit_applies_edits_then_deletes_then_appends_and_audits_what_landed() -> None:
    io = Rows(PEOPLE)
    changes = (ChangeSet().append("people", {"id": "P3"})
               .delete("people", "P2", PEOPLE["P2"])
               .edit("people", "P1", {"first_name": "Anna"}, PEOPLE["P1"]))
    assert commit(io, changes) == []
    assert io.done == [("edit", "people", "P1"), ("delete", "people", "P2"),
                       ("append", "people", "P3"),
                       ("append", "audit_log", "A-add-P3", "A-change-P1", "A-delete-P2")]


def test_a_row_changed_since_it_was_seen_stops_the_whole_commit() -> None:
    io = Rows(PEOPLE)
    changes = (ChangeSet().edit("people", "P1", {"first_name": "Anna"}, PEOPLE["P1"])
               .edit("people", "P2", {"first_name": "Rob"}, {"first_name": "Bobby"}))
    with pytest.raises(Conflict) as raised:
        commit(io, changes)
    assert raised.value.key == "P2" and [c.column for c in raised.value.cells] == ["first_name"]
    assert ("append", "people") not in io.done and not any(d[0] == "append" for d in io.done)


def test_skipping_conflicts_lands_and_audits_the_rest_only() -> None:
    io = Rows(PEOPLE)
    changes = (ChangeSet().edit("people", "P1", {"first_name": "Anna"}, PEOPLE["P1"])
               .edit("people", "P2", {"first_name": "Rob"}, {"first_name": "Bobby"}))
    conflicts = commit(io, changes, skip=True)
    assert [c.key for c in conflicts] == ["P2"]
    assert io.done == [("edit", "people", "P1"), ("append", "audit_log", "A-change-P1")]


def test_a_row_no_key_finds_is_not_found_even_when_skipping_conflicts() -> None:
    with pytest.raises(NotFound, match="no row with id 'P9' in people"):
        commit(Rows(PEOPLE), ChangeSet().delete("people", "P9", {}), skip=True)


def test_a_new_row_with_a_key_in_use_is_refused_unless_its_row_is_deleted_first() -> None:
    with pytest.raises(KeyInUse, match="'P1'"):
        commit(Rows(PEOPLE), ChangeSet().append("people", {"id": "P1"}))
    io = Rows(PEOPLE)
    commit(io, ChangeSet().delete("people", "P1", PEOPLE["P1"]).append("people", {"id": "P1"}))
    assert ("append", "people", "P1") in io.done


def test_rows_copied_as_given_keep_their_keys() -> None:
    io = Rows(PEOPLE)
    changes = ChangeSet(as_given=True).append("people", {"id": "P1"})
    commit(io, changes)
    assert ("append", "people", "P1") in io.done


def test_key_fills_are_checked_by_row_number_then_written_and_audited() -> None:
    io = Rows({"": {"id": "", "first_name": "Ann"}, "P2": PEOPLE["P2"]})
    fills = [KeyFill(2, "P7", {"id": "", "first_name": "Ann"})]
    assert run_key_fills(io, "people", fills, audit=audit, locale=Locale())
    assert io.done == [("keys", "people", "P7"), ("append", "audit_log", "A-change-P7")]
    with pytest.raises(Conflict, match="already used"):
        run_key_fills(io, "people", [KeyFill(2, "P2", {"id": ""})], audit=None,
                      locale=Locale())
