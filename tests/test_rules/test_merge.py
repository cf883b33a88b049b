"""Merging two people: every link moves, the dropped person is soft-deleted, all at once."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from rules.merge import MergeRefused, merge_changes, merges, unmerge_changes
from rules.privacy import LINKED_TABS, rows_about
from rules.roles import Role, User
from sheets_schema.workbook import Workbook
from storage.seed import load_demo
from storage.signed_in import SignedInStore
from storage.sqlite_store import SQLiteStore

NOW = datetime(2026, 11, 1, 9, 30)


@pytest.fixture
def store() -> SQLiteStore:
    store = SQLiteStore(":memory:")
    store.ensure_schema()
    store.append("people", [
        {"id": "P1", "first_name": "John", "last_name": "Smith", "email": "john@example.org"},
        {"id": "P2", "first_name": "Jon", "last_name": "Smith", "phone": "617 555 0117",
         "notes": "met at the gala"},
        {"id": "P3", "first_name": "Ann", "last_name": "Lee"},
    ])
    store.append("donations", [
        {"id": "D1", "person_id": "P2", "date": date(2025, 1, 5), "amount": "50.00"},
        {"id": "D2", "person_id": "P1", "date": date(2025, 2, 5), "amount": "20.00",
         "soft_credit_person_id": "P2"},
        {"id": "D3", "person_id": "P3", "date": date(2025, 3, 5), "amount": "10.00",
         "soft_credit_person_id": "P2"},
    ])
    store.append("memberships", [{"id": "M1", "person_id": "P2", "level_id": "L1",
                                  "start_date": date(2025, 1, 1)}])
    store.append("recurring_gifts", [{"id": "R1", "person_id": "P2", "amount": "5.00"}])
    store.append("volunteers", [{"id": "P2", "status": "active", "skills": ("driving",)}])
    store.append("volunteer_hours", [{"id": "H1", "person_id": "P2", "date": date(2025, 4, 1),
                                      "hours": "3"}])
    store.append("volunteer_shifts", [{"id": "S1", "date": date(2025, 5, 1),
                                       "assigned": ("P3", "P2", "P1")}])
    store.append("outbox", [{"id": "O1", "mailing_id": "MA1", "person_id": "P2"}])
    store.append("reminders", [{"id": "RM1", "term_id": "M1", "person_id": "P2", "offset": 30}])
    return store


def links_to(book: Workbook, person_id: str) -> dict[str, int]:
    about = rows_about(book, person_id)
    return {name: len(about[name]) for name in LINKED_TABS
            if name not in {"people", "users"} and len(about[name])}


def test_a_merge_moves_every_link_and_soft_deletes_the_dropped_person(store: SQLiteStore) -> None:
    changes = merge_changes(store.load(), "P1", "P2", {"phone": "drop"}, NOW)
    assert changes.audit_summary == "merged P2 into P1: 10 rows moved"
    store.commit(changes)
    book = store.load()
    assert links_to(book, "P2") == {}
    dropped = book.row("people", "P2")
    assert dropped is not None and dropped["deleted_at"] == pd.Timestamp(NOW)
    assert dropped["notes"] == "met at the gala\nmerged into P1"
    kept = book.row("people", "P1")
    assert kept is not None and (kept["phone"], kept["email"]) == ("617 555 0117",
                                                                  "john@example.org")
    donations = book.frame("donations").set_index("id")
    assert list(donations["person_id"]) == ["P1", "P1", "P3"]
    assert list(donations["soft_credit_person_id"]) == ["", "", "P1"]  # not its own donor
    assert book.row("volunteers", "P1")["skills"] == ("driving",)  # type: ignore[index]
    assert book.frame("volunteer_shifts").iloc[0]["assigned"] == ("P3", "P1")


def test_when_both_have_a_volunteer_profile_the_kept_one_stays_and_the_summary_says_so(
    store: SQLiteStore,
) -> None:
    store.append("volunteers", [{"id": "P1", "status": "prospect"}])
    changes = merge_changes(store.load(), "P1", "P2", {}, NOW)
    assert "kept P1's volunteer profile and removed P2's" in changes.audit_summary
    store.commit(changes)
    volunteers = store.load().frame("volunteers")
    assert list(volunteers["id"]) == ["P1"] and volunteers.iloc[0]["status"] == "prospect"


@pytest.mark.parametrize(("keep", "drop", "why"), [
    ("P1", "P1", "themselves"), ("P1", "P9", "no person with id P9")])
def test_a_merge_that_cannot_be_is_refused(store: SQLiteStore, keep: str, drop: str,
                                           why: str) -> None:
    with pytest.raises(MergeRefused, match=why):
        merge_changes(store.load(), keep, drop, {}, NOW)


def test_a_change_made_meanwhile_means_nothing_is_merged(store: SQLiteStore) -> None:
    from storage import Conflict

    changes = merge_changes(store.load(), "P1", "P2", {}, NOW)
    seen = store.load().row("donations", "D1").to_dict()  # type: ignore[union-attr]
    store.update("donations", "D1", {"note": "edited in the sheet"}, seen)
    with pytest.raises(Conflict):
        store.commit(changes)
    assert links_to(store.load(), "P2")["donations"] == 3


def test_merging_the_planted_demo_pair_keeps_every_total() -> None:
    store = SQLiteStore(":memory:")
    load_demo(store)
    before = store.load()
    gifts = before.frame("donations")
    given = gifts[gifts["person_id"].isin(["P00017", "P00018"])]["amount"].sum()
    store.commit(merge_changes(before, "P00017", "P00018", {"phone": "drop"}, NOW))
    after = store.load()
    assert links_to(after, "P00018") == {}
    moved = after.frame("donations")
    assert moved["amount"].sum() == gifts["amount"].sum() and len(moved) == len(gifts)
    assert moved[moved["person_id"] == "P00017"]["amount"].sum() == given
    assert len(after.frame("memberships")) == len(before.frame("memberships"))


# ------------------------------------------------------------------------------ undo


def signed_in(store: SQLiteStore) -> SignedInStore:
    return SignedInStore(store, User("staff@example.org", Role.STAFF), clock=lambda: NOW)


def as_text(store: SQLiteStore) -> dict[str, list[dict[str, str]]]:
    """Every linked tab's text, row by row in id order (an undo may put a row back last)."""
    tabs = [name for name in LINKED_TABS if name != "users"]
    return {name: sorted(frame.to_dict("records"), key=lambda r: r["id"])
            for name, frame in store.read(tabs).items()}


def last_merge(store: SQLiteStore) -> dict[str, object]:
    audit = store.load(["audit_log"]).frame("audit_log")
    return audit[audit["action"] == "merge"].iloc[-1].to_dict()


def test_a_merge_undone_puts_every_row_back_as_it_was(store: SQLiteStore) -> None:
    before = as_text(store)
    signed_in(store).commit(merge_changes(store.load(), "P1", "P2", {"phone": "drop"}, NOW))
    assert as_text(store) != before
    entry = last_merge(store)
    undo = unmerge_changes(store.load(), entry)
    assert undo.audit_summary == "undid the merge of P2 into P1: 10 rows put back"
    signed_in(store).commit(undo)
    assert as_text(store) == before
    book = store.load()
    listed = merges(book.frame("audit_log"))
    assert list(listed["undone"]) == [True]
    assert list(book.frame("audit_log")["action"]) == ["merge", "unmerge"]
    with pytest.raises(MergeRefused, match="undone already"):
        unmerge_changes(book, entry)


def test_a_merge_is_not_undone_over_a_row_changed_since(store: SQLiteStore) -> None:
    signed_in(store).commit(merge_changes(store.load(), "P1", "P2", {}, NOW))
    moved = store.load().row("donations", "D1").to_dict()  # type: ignore[union-attr]
    store.update("donations", "D1", {"person_id": "P3"}, moved)  # re-pointed by hand
    before = as_text(store)
    with pytest.raises(MergeRefused, match=r"donations D1 \(person_id\)"):
        unmerge_changes(store.load(), last_merge(store))
    assert as_text(store) == before


def test_a_change_between_the_read_and_the_undo_is_a_conflict(store: SQLiteStore) -> None:
    from storage import Conflict

    signed_in(store).commit(merge_changes(store.load(), "P1", "P2", {}, NOW))
    undo = unmerge_changes(store.load(), last_merge(store))
    seen = store.load().row("donations", "D1").to_dict()  # type: ignore[union-attr]
    store.update("donations", "D1", {"note": "edited in the sheet"}, seen)
    before = as_text(store)
    with pytest.raises(Conflict):
        signed_in(store).commit(undo)
    assert as_text(store) == before


def test_a_merge_too_large_to_record_is_made_but_not_undoable(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules import merge

    monkeypatch.setattr(merge, "MAX_UNDO_CHARS", 100)
    changes = merge_changes(store.load(), "P1", "P2", {}, NOW)
    assert changes.audit_before == "" and "too large to undo" in changes.audit_summary
    signed_in(store).commit(changes)
    assert list(merges(store.load().frame("audit_log"))["undoable"]) == [False]
    with pytest.raises(MergeRefused, match="not a merge the app can undo"):
        unmerge_changes(store.load(), last_merge(store))


def test_a_merge_moves_the_dropped_persons_contacts_and_tasks(store: SQLiteStore) -> None:
    from rules.contacts import log_contact, new_task

    store.commit(log_contact("P2", "call", "Asked about the gala", by="s@x.org", now=NOW))
    store.commit(new_task("Call back", assignee="s@x.org", due=None, by="s@x.org", now=NOW,
                          person_id="P2"))
    store.commit(merge_changes(store.load(), "P1", "P2", {}, NOW))
    book = store.load(["interactions", "tasks"])
    assert set(book.frame("interactions")["person_id"]) == {"P1"}
    assert set(book.frame("tasks")["person_id"]) == {"P1"}
