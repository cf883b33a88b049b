"""Undoing an import: refused, naming the rows, while any was changed or a later row points
at a person it added; a change between the check and the write is a conflict."""

from __future__ import annotations

from datetime import date

import pytest

from importing.undo import UndoRefused, undo_import
from storage import Conflict
from storage.sqlite_store import SQLiteStore
from tests.test_importing.test_plan import NOW, PEOPLE_CSV, _plan


def test_an_import_with_a_changed_row_cannot_be_undone_and_says_which(
    store: SQLiteStore,
) -> None:
    plan = _plan(store, "people", PEOPLE_CSV)
    store.commit(plan.changes(NOW, "s"))  # type: ignore[attr-defined]
    book = store.load()
    people = book.frame("people")
    nadia = people[people["first_name"] == "Nadia"].iloc[0]
    store.update("people", nadia["id"], {"city": "Boston"}, {"city": ""})
    with pytest.raises(UndoRefused, match=f"1 people rows were changed since: {nadia['id']}"):
        undo_import(store.load(), plan.import_id, now=NOW, user="s")  # type: ignore[attr-defined]


def test_a_gift_added_later_for_an_imported_person_stops_the_undo(store: SQLiteStore) -> None:
    plan = _plan(store, "people", PEOPLE_CSV)
    store.commit(plan.changes(NOW, "s"))  # type: ignore[attr-defined]
    solo = plan.rows[5].record["id"]  # type: ignore[attr-defined]
    store.append("donations", [{"id": "D9", "person_id": solo, "date": date(2026, 12, 2),
                                "amount": "5.00"}])
    with pytest.raises(UndoRefused, match="1 donations rows added since refer to people it "
                                          "added: D9"):
        undo_import(store.load(), plan.import_id, now=NOW, user="s")  # type: ignore[attr-defined]


def test_a_change_between_the_check_and_the_undo_is_a_conflict_and_removes_nothing(
    store: SQLiteStore,
) -> None:
    plan = _plan(store, "people", PEOPLE_CSV)
    store.commit(plan.changes(NOW, "s"))  # type: ignore[attr-defined]
    book = store.load()
    undo = undo_import(book, plan.import_id, now=NOW, user="s")  # type: ignore[attr-defined]
    solo = plan.rows[5].record["id"]  # type: ignore[attr-defined]
    store.update("people", solo, {"notes": "called"}, {"notes": ""})
    with pytest.raises(Conflict):
        store.commit(undo)
    assert len(store.load().frame("people")) == 3


def test_a_contact_or_task_added_later_for_an_imported_person_stops_the_undo(
        store: SQLiteStore) -> None:
    from rules.contacts import log_contact, new_task

    plan = _plan(store, "people", PEOPLE_CSV)
    store.commit(plan.changes(NOW, "s"))  # type: ignore[attr-defined]
    solo = plan.rows[5].record["id"]  # type: ignore[attr-defined]
    store.commit(log_contact(solo, "call", "Welcomed her", by="s@example.org", now=NOW))
    store.commit(new_task("Send the welcome pack", assignee="s@example.org", due=None,
                          by="s@example.org", now=NOW, person_id=solo))
    with pytest.raises(UndoRefused, match=r"1 interactions rows added since refer to people it "
                                          r"added: IN.*1 tasks rows added since"):
        undo_import(store.load(), plan.import_id, now=NOW, user="s")  # type: ignore[attr-defined]
