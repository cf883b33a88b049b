"""Privacy requests: erasure leaves no trace of the person and moves no total; consent rules.

The erasure tests land the ChangeSet on an in-memory SQLite store (edits by hand, as
`Store.commit` will) and read the store again, so what is checked is what a sheet would hold.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from demo import DEFAULT_AS_OF
from rules.privacy import (
    ERASED,
    ErasureRefused,
    consent_changes,
    email_hash,
    erasure_changes,
    erasure_summary,
    is_suppressed,
    remaining_mentions,
    rows_about,
)
from sheets_schema import TABS, parse_tab, rows_to_raw
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook
from storage.errors import Conflict
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore

NOW = datetime(2026, 11, 2, 10, 30)
BY = "admin@example.org"
FIRST, LAST, EMAIL, PHONE = "Zephyrine", "Quistgaard", "Zeph.Q@Example.org", "+1 617 555 0199"
TRACES = (FIRST, LAST, EMAIL, PHONE)


def _rows() -> dict[str, list[dict[str, Any]]]:
    """P1 is the person to erase, in every tab that can hold them; P2 gives a gift that
    soft-credits P1; A5 is an audit entry about someone else."""
    address = EMAIL.lower()
    return {
        "people": [
            {"id": "P1", "first_name": FIRST, "last_name": LAST, "email": EMAIL,
             "phone": PHONE, "address": "1 Elm St", "city": "Boston", "postcode": "02101",
             "country": "US", "tags": "donor, board", "household_id": "H1",
             "notes": "Call after 6", "email_consent": "granted",
             "email_consent_date": "2024-01-01", "email_consent_source": "web form",
             "created_at": "2024-01-01T09:00:00", "spouse": "Otto Quistgaard"},
            {"id": "P2", "first_name": "Ann", "last_name": "Other", "email": "ann@example.org"},
        ],
        "donations": [
            {"id": "D1", "person_id": "P1", "date": "2024-03-15", "amount": "100.00",
             "campaign_id": "C1", "fund": "General", "reference": "Quistgaard cheque 12",
             "note": '=HYPERLINK("https://example.org")', "tribute_type": "in memory",
             "tribute_name": "Otto Quistgaard"},
            {"id": "D2", "person_id": "P1", "date": "2024-06-01", "amount": "0.10"},
            {"id": "D3", "person_id": "P2", "date": "2024-06-02", "amount": "0.20",
             "soft_credit_person_id": "P1", "note": "In honour of Zephyrine"},
            {"id": "D4", "person_id": "P2", "date": "2024-07-01", "amount": "50",
             "status": "refunded"},
        ],
        "memberships": [{"id": "M1", "person_id": "P1", "level_id": "L1",
                         "start_date": "2024-01-01", "amount": "25"}],
        "recurring_gifts": [{"id": "R1", "person_id": "P1", "amount": "10",
                             "start_date": "2024-01-01"}],
        "campaigns": [{"id": "C1", "name": "Spring appeal"}],
        "volunteers": [{"id": "P1", "status": "active", "skills": "driving",
                        "availability": "weekends", "emergency_contact": "Otto 617 555 0100",
                        "notes": "Allergic to bees", "background_check_date": "2024-02-01"}],
        "volunteer_hours": [{"id": "H1", "person_id": "P1", "date": "2024-04-01",
                             "hours": "2.5", "activity": "garden",
                             "note": "Zephyrine brought cake"}],
        "volunteer_shifts": [{"id": "S1", "date": "2024-05-01", "assigned": "P1, P2"}],
        "outbox": [{"id": "O1", "mailing_id": "MA1", "person_id": "P1", "email": address,
                    "status": "failed", "error": f"550 {address}: mailbox full"}],
        "users": [{"email": BY, "role": "admin", "name": "Alex Admin"}],
        "audit_log": [
            {"id": "A1", "at": "2024-01-02T10:00:00", "user": BY, "action": "change",
             "tab": "people", "record_id": "P1", "before": '{"phone": "+1 617 555 0100"}',
             "after": json.dumps({"phone": PHONE})},
            {"id": "A2", "at": "2024-03-15T10:00:00", "user": BY, "action": "add",
             "tab": "donations", "record_id": "D1", "after": '{"amount": "100.00"}'},
            {"id": "A3", "at": "2024-04-01T10:00:00", "user": BY, "action": "delete",
             "tab": "users", "record_id": address, "before": '{"role": "staff"}'},
            {"id": "A4", "at": "2024-04-02T10:00:00", "user": address, "action": "change",
             "tab": "campaigns", "record_id": "C1", "before": '{"goal": ""}',
             "after": '{"goal": "5000"}'},
            {"id": "A5", "at": "2024-04-03T10:00:00", "user": BY, "action": "change",
             "tab": "people", "record_id": "P2", "before": '{"city": ""}',
             "after": '{"city": "Salem"}'},
        ],
    }


def _store(rows: dict[str, list[dict[str, Any]]]) -> SQLiteStore:
    store = SQLiteStore(":memory:")
    store.ensure_schema()
    for name, records in rows.items():
        store.append(name, records)
    return store


def _apply(store: SQLiteStore, changes: ChangeSet) -> None:
    for name, edits in changes.edits.items():
        for edit in edits:
            store.update(name, edit.key, edit.changes, edit.seen)
    for name, records in changes.appends.items():
        store.append(name, records)


def _book(rows: dict[str, list[dict[str, Any]]]) -> Workbook:
    return Workbook({name: parse_tab(name, rows_to_raw(name, rows.get(name, [])))
                     for name in TABS})


@pytest.fixture
def store() -> SQLiteStore:
    return _store(_rows())


@pytest.fixture
def erased(store: SQLiteStore) -> tuple[Workbook, Workbook]:
    """The workbook before and after erasing P1."""
    before = store.load()
    _apply(store, erasure_changes(before, "P1", NOW, BY))
    return before, store.load()


def _cells_holding(store: SQLiteStore, needles: tuple[str, ...]) -> list[tuple[str, str]]:
    """(tab, column) of every cell of every tab, as the store holds it, containing a needle."""
    found = []
    for name, frame in store.read(list(TABS)).items():
        for column in frame.columns:
            text = frame[column].astype(str).str.casefold()
            for needle in needles:
                if text.str.contains(needle.casefold(), regex=False).any():
                    found.append((name, str(column)))
    return found


def _completed_total(book: Workbook) -> Decimal:
    donations = book.frame("donations")
    completed = donations[donations["status"] == "completed"]["amount"].dropna()
    return sum(completed, start=Decimal(0))  # dropna: a planted unreadable demo amount


# ----------------------------------------------------------------------- rows about


@pytest.mark.parametrize(
    ("tab_name", "keys"),
    [
        ("people", ["P1"]),
        ("donations", ["D1", "D2", "D3"]),  # D3 is P2's gift soft-crediting P1
        ("memberships", ["M1"]),
        ("recurring_gifts", ["R1"]),
        ("volunteers", ["P1"]),
        ("volunteer_hours", ["H1"]),
        ("volunteer_shifts", ["S1"]),
        ("outbox", ["O1"]),
        ("users", []),
        ("audit_log", ["A1", "A2", "A3", "A4"]),  # A5 is about P2
        ("suppressions", []),
    ],
)
def test_rows_about_a_person(tab_name: str, keys: list[str]) -> None:
    rows = rows_about(_book(_rows()), "P1")
    assert list(rows[tab_name][TABS[tab_name].key]) == keys


def test_rows_about_include_the_columns_staff_added() -> None:
    assert rows_about(_book(_rows()), "P1")["people"]["spouse"].tolist() == ["Otto Quistgaard"]


def test_rows_about_find_the_user_row_whatever_the_case_of_the_address() -> None:
    rows = _rows()
    rows["users"].append({"email": " ZEPH.q@example.org", "role": "staff"})
    assert len(rows_about(_book(rows), "P1")["users"]) == 1


# --------------------------------------------------------------------------- erasure


def test_erasure_leaves_no_trace_of_the_person_in_any_cell(store: SQLiteStore) -> None:
    _apply(store, erasure_changes(store.load(), "P1", NOW, BY))
    assert _cells_holding(store, TRACES) == []


def test_the_traces_are_there_before_erasure(store: SQLiteStore) -> None:
    assert len(_cells_holding(store, TRACES)) > 10  # the test above searches the right cells


def test_erasure_keeps_every_total_and_row(erased: tuple[Workbook, Workbook]) -> None:
    before, after = erased
    assert _completed_total(after) == _completed_total(before) == Decimal("100.30")
    counts = {name: len(after.frame(name)) - len(before.frame(name)) for name in TABS}
    assert counts == {name: int(name == "suppressions") for name in TABS}


def test_erased_person_still_links_their_gifts_terms_and_hours(
    erased: tuple[Workbook, Workbook],
) -> None:
    after = erased[1]
    rows = rows_about(after, "P1")
    assert list(rows["donations"]["id"]) == ["D1", "D2", "D3"]
    assert list(rows["donations"]["campaign_id"]) == ["C1", "", ""]
    assert list(rows["memberships"]["id"]) == ["M1"]
    assert list(rows["volunteer_hours"]["hours"]) == [Decimal("2.5")]
    assert after.row("volunteers", "P1")["background_check_date"] == pd.Timestamp("2024-02-01")


def test_erased_person_is_stamped_and_never_contacted(erased: tuple[Workbook, Workbook]) -> None:
    person = erased[1].row("people", "P1")
    assert person is not None
    assert person["erased_at"] == person["updated_at"] == pd.Timestamp(NOW)
    assert person["do_not_email"] and person["do_not_mail"] and person["do_not_phone"]


def test_erasure_suppresses_the_address_by_its_hash(erased: tuple[Workbook, Workbook]) -> None:
    suppressions = erased[1].frame("suppressions")
    assert list(suppressions["reason"]) == ["erased"]
    assert is_suppressed(suppressions, "zeph.q@EXAMPLE.org ")


def test_erasure_keeps_who_did_what_in_the_audit_log(erased: tuple[Workbook, Workbook]) -> None:
    audit = erased[1].frame("audit_log").set_index("id")
    assert audit.loc["A1", "before"] == audit.loc["A1", "after"] == ERASED
    assert audit.loc["A3", "record_id"] == ERASED
    assert audit.loc["A4", ["user", "after"]].tolist() == [ERASED, '{"goal": "5000"}']
    assert audit.loc["A5", "after"] == '{"city": "Salem"}'
    assert audit.loc["A2", "action"] == "add"


def test_erasing_twice_is_refused(erased: tuple[Workbook, Workbook]) -> None:
    with pytest.raises(ErasureRefused, match="already erased"):
        erasure_changes(erased[1], "P1", NOW, BY)


def test_erasing_nobody_is_refused() -> None:
    with pytest.raises(ErasureRefused, match="no person with id 'P9'"):
        erasure_changes(_book(_rows()), "P9", NOW, BY)


def test_erasing_a_user_is_refused_until_the_user_row_is_removed() -> None:
    rows = _rows()
    rows["users"].append({"email": EMAIL.upper(), "role": "staff"})
    with pytest.raises(ErasureRefused, match="remove that user row first"):
        erasure_changes(_book(rows), "P1", NOW, BY)


def test_an_erasure_must_say_who_made_it() -> None:
    with pytest.raises(ErasureRefused, match="sign in"):
        erasure_changes(_book(_rows()), "P1", NOW, " ")


def test_a_row_changed_meanwhile_is_a_conflict(store: SQLiteStore) -> None:
    changes = erasure_changes(store.load(), "P1", NOW, BY)
    store.update("donations", "D1", {"fund": "Building"}, {"fund": "General"})
    edit = next(e for e in changes.edits["donations"] if e.key == "D1")
    with pytest.raises(Conflict):
        store.update("donations", "D1", edit.changes, edit.seen)


def test_an_address_already_suppressed_is_not_added_again() -> None:
    rows = _rows()
    rows["suppressions"] = [{"id": "X1", "email_sha256": email_hash(EMAIL),
                             "reason": "unsubscribed"}]
    assert "suppressions" not in erasure_changes(_book(rows), "P1", NOW, BY).appends


def test_a_person_without_email_gets_no_suppression() -> None:
    rows = _rows()
    rows["people"][0]["email"] = ""
    rows["outbox"] = []
    assert "suppressions" not in erasure_changes(_book(rows), "P1", NOW, BY).appends


def test_summary_counts_what_was_erased_and_names_no_one() -> None:
    summary = erasure_summary(erasure_changes(_book(_rows()), "P1", NOW, BY))
    # people 20 cells (15 blanked, 3 flags, 2 stamps), D1 3, D3 1, volunteer 4, hours 1,
    # outbox 2, audit A1 2, A2 1, A3 2, A4 1
    assert summary == "erased person P1: 37 fields in 10 rows of 6 tabs; 1 address suppressed"


def test_summary_of_something_else_is_an_error() -> None:
    with pytest.raises(ValueError, match="erases nobody"):
        erasure_summary(ChangeSet().edit("people", "P1", {"city": "x"}, {}))


def test_remaining_mentions_lists_other_peoples_words() -> None:
    rows = _rows()
    rows["people"][1]["notes"] = f"Friend of {FIRST} {LAST}"
    assert remaining_mentions(_book(rows), "P1") == [("people", "P2", "notes")]


# ---------------------------------------------------------------------- on demo data


@pytest.fixture(scope="module")
def demo() -> tuple[SQLiteStore, Workbook, str]:
    """The demo organisation with one volunteer and donor given a name found nowhere else,
    a message and audit entries about them; then erased. (store, book before, person id)."""
    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    book = store.load()
    hours, donations = book.frame("volunteer_hours"), book.frame("donations")
    person_id = next(p for p in book.frame("volunteers")["id"]
                     if (hours["person_id"] == p).any() and (donations["person_id"] == p).any())
    person = book.row("people", person_id)
    assert person is not None
    store.update("people", person_id, {"first_name": FIRST, "last_name": LAST, "email": EMAIL,
                                       "phone": PHONE}, person.to_dict())
    store.append("outbox", [{"id": "O1", "mailing_id": "MA1", "person_id": person_id,
                             "email": EMAIL, "status": "sent"}])
    store.append("audit_log", [{"id": "A1", "at": "2026-10-01T09:00:00", "user": BY,
                                "tab": "people", "record_id": person_id,
                                "after": json.dumps({"email": EMAIL})}])
    before = store.load()
    _apply(store, erasure_changes(before, person_id, NOW, BY))
    return store, before, person_id


def test_demo_erasure_leaves_no_trace(demo: tuple[SQLiteStore, Workbook, str]) -> None:
    store, _, _ = demo
    assert _cells_holding(store, TRACES) == []


def test_demo_erasure_keeps_totals_rows_and_links(demo: tuple[SQLiteStore, Workbook, str]) -> None:
    store, before, person_id = demo
    after = store.load()
    assert _completed_total(after) == _completed_total(before)
    assert {n: len(after.frame(n)) - len(before.frame(n)) for n in TABS} == {
        n: int(n == "suppressions") for n in TABS}
    gifts = before.frame("donations")["person_id"] == person_id
    assert (after.frame("donations")["person_id"] == person_id).sum() == gifts.sum() > 0


def test_demo_erasure_summary_names_no_one(demo: tuple[SQLiteStore, Workbook, str]) -> None:
    store, before, person_id = demo
    summary = erasure_summary(erasure_changes(before, person_id, NOW, BY))
    assert summary.startswith(f"erased person {person_id}: ")
    assert not any(t.casefold() in summary.casefold() for t in TRACES)


# --------------------------------------------------------------- addresses and consent


@pytest.mark.parametrize("address", ["jane@example.org", " Jane@Example.ORG ", "JANE@EXAMPLE.ORG"])
def test_email_hash_is_of_the_trimmed_lower_cased_address(address: str) -> None:
    assert email_hash(address) == hashlib.sha256(b"jane@example.org").hexdigest()


def test_a_blank_address_is_never_suppressed() -> None:
    frame = parse_tab("suppressions", rows_to_raw("suppressions", [])).frame
    assert not is_suppressed(frame, "  ")


PERSON = {"id": "P1", "email_consent": "", "email_consent_date": None,
          "email_consent_source": "", "do_not_email": False, "erased_at": None}


def test_granting_consent_records_when_and_where() -> None:
    assert consent_changes(PERSON, True, " web form ", date(2026, 5, 1)) == {
        "email_consent": "granted", "email_consent_date": date(2026, 5, 1),
        "email_consent_source": "web form"}


def test_withdrawing_consent_also_stops_email() -> None:
    changes = consent_changes(PERSON, False, "phone call", date(2026, 5, 1))
    assert changes["email_consent"] == "withdrawn" and changes["do_not_email"] is True


def test_granting_after_an_objection_leaves_do_not_email_set() -> None:
    objected = {**PERSON, "email_consent": "withdrawn", "do_not_email": True}
    assert "do_not_email" not in consent_changes(objected, True, "web form", date(2026, 6, 1))


def test_recording_the_same_consent_again_changes_nothing() -> None:
    row = _book({"people": [{"id": "P1", "first_name": "Ann", "email_consent": "granted",
                             "email_consent_date": "2026-05-01",
                             "email_consent_source": "web form"}]}).row("people", "P1")
    assert row is not None
    assert consent_changes(row, True, "web form", date(2026, 5, 1)) == {}


@pytest.mark.parametrize(
    ("row", "source", "message"),
    [(PERSON, " ", "came from"), ({**PERSON, "erased_at": NOW}, "web form", "erased")],
)
def test_consent_refuses_a_blank_source_or_an_erased_person(
    row: dict[str, Any], source: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        consent_changes(row, True, source, date(2026, 5, 1))
