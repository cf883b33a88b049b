"""Merging two people: every link moves, the dropped person is soft-deleted, all at once."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from sheets_schema.merge import MergeRefused, merge_changes
from sheets_schema.privacy import LINKED_TABS, rows_about
from sheets_schema.workbook import Workbook
from storage.seed import load_demo
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
