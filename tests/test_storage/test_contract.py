"""The store contract (docs/architecture.md, "The Store contract"), run on every backend.

Each test is one behaviour a user relies on. "Staff" edit the data behind the app's back
between the user's read (`load`) and write (`update` with `seen`): in the Google Sheet by
hand, or in the SQLite file from another program.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sheets_schema import TABS
from storage import (
    CellConflict,
    ChangeSet,
    Conflict,
    KeyFill,
    NotFound,
    RowEdit,
    SchemaMismatch,
    Store,
)

from .staff import DuplicateKeyRefused, Staff

PEOPLE = [
    {"id": "P1", "first_name": "Ann", "last_name": "Zimmer", "email": "ann@example.org",
     "postcode": "02134"},
    {"id": "P2", "first_name": "Bob", "last_name": "Adams", "email": "bob@example.org"},
    {"id": "P3", "first_name": "Cy", "last_name": "Mills", "email": "cy@example.org"},
]


def seen(store: Store, tab: str, key: str) -> dict[str, Any]:
    """The row as a user sees it: one typed row of a fresh `load`."""
    frame = store.load([tab]).frame(tab)
    return frame[frame[TABS[tab].key] == key].iloc[0].to_dict()


def text(store: Store, tab: str) -> pd.DataFrame:
    """The tab's text, one row per sheet row, looked up by key."""
    return store.read([tab])[tab].set_index(TABS[tab].key)


# ---------------------------------------------------------------------------- ensure_schema


def test_ensure_schema_creates_every_tab_with_its_header(empty_store: Store) -> None:
    report = empty_store.ensure_schema()
    assert report.created_tabs == list(TABS)
    frames = empty_store.read(list(TABS))
    for name, spec in TABS.items():
        assert list(frames[name].columns) == list(spec.column_names), name
        assert frames[name].empty


def test_ensure_schema_twice_changes_nothing(store: Store) -> None:
    store.append("people", PEOPLE)
    before = store.read(list(TABS))
    report = store.ensure_schema()
    assert not report.changed
    after = store.read(list(TABS))
    for name in TABS:
        pd.testing.assert_frame_equal(after[name], before[name])


def test_ensure_schema_adds_missing_columns_and_keeps_staff_order_and_columns(
    empty_store: Store, staff: Staff
) -> None:
    staff.create_tab("people", [["last_name", "id", "Pledge notes", "first_name"],
                                ["Zimmer", "P1", "call in May", "Ann"]])
    report = empty_store.ensure_schema()
    missing = [c for c in TABS["people"].column_names if c not in {"id", "first_name",
                                                                   "last_name"}]
    assert report.added_columns == {"people": missing}
    assert "people" not in report.created_tabs
    header = list(empty_store.read(["people"])["people"].columns)
    assert header == ["last_name", "id", "Pledge notes", "first_name", *missing]
    empty_store.update("people", "P1", {"email": "ann@example.org"},
                       seen(empty_store, "people", "P1"))
    empty_store.append("people", [{"id": "P2", "first_name": "Bob"}])
    rows = text(empty_store, "people")
    assert rows.loc["P1", "Pledge notes"] == "call in May"
    assert rows.loc["P1", "email"] == "ann@example.org"
    assert rows.loc["P2", "Pledge notes"] == ""


def test_read_of_a_tab_that_is_not_there_names_it(empty_store: Store) -> None:
    with pytest.raises(SchemaMismatch, match="donations"):
        empty_store.read(["donations"])


def test_a_store_lists_the_tabs_it_holds_and_says_its_name(empty_store: Store,
                                                          staff: Staff) -> None:
    staff.create_tab("people", [["id", "first_name"], ["P1", "Ann"]])
    assert empty_store.tabs() == ["people"]
    empty_store.ensure_schema()
    assert empty_store.tabs() == list(TABS)
    assert empty_store.name.strip(), "messages name the store (a copy's report)"


# ------------------------------------------------------------------------- read and load


def test_read_gives_text_indexed_by_sheet_row_number(store: Store) -> None:
    store.append("people", PEOPLE)
    frames = store.read(["people", "donations"])
    people = frames["people"]
    assert list(people.index) == [2, 3, 4]
    assert list(people["id"]) == ["P1", "P2", "P3"]
    assert people.loc[2, "postcode"] == "02134"
    assert all(isinstance(v, str) for v in people.to_numpy().ravel())
    assert frames["donations"].empty


def test_load_gives_typed_frames(store: Store) -> None:
    store.append("donations", [{"id": "D1", "person_id": "P1", "date": date(2024, 3, 15),
                                "amount": Decimal("25.50")}])
    donations = store.load(["donations"]).frame("donations")
    assert donations.loc[2, "date"] == pd.Timestamp("2024-03-15")
    assert donations.loc[2, "amount"] == Decimal("25.50")
    assert donations.loc[2, "status"] == "completed"  # the model's default for a blank


def test_many_small_gifts_add_up_exactly(store: Store) -> None:
    gifts = [{"id": f"D{i}", "person_id": "P1", "date": date(2024, 1, 1) ,
              "amount": Decimal("0.10")} for i in range(1000)]
    store.append("donations", gifts)
    amounts = store.load(["donations"]).frame("donations")["amount"]
    assert all(isinstance(a, Decimal) for a in amounts)
    assert sum(amounts, Decimal(0)) == Decimal("100.00")


FORMULA_LOOKING = ["=SUM(A1:A9)", "+44 20 7946 0958", "-5 apples", "@home", "\t=1+2",
                   "'quoted"]


def test_typed_values_round_trip(store: Store) -> None:
    created = datetime(2024, 3, 15, 10, 30, 5)
    store.append("people", [{"id": "P1", "first_name": "지민", "last_name": "김",
                             "tags": ("donor", "board"), "do_not_email": True,
                             "postcode": "02134", "created_at": created}])
    store.append("donations", [{"id": f"D{i}", "person_id": "P1", "date": date(2024, 2, 29),
                                "amount": Decimal("1234.56"), "note": note}
                               for i, note in enumerate(FORMULA_LOOKING)])
    workbook = store.load(["people", "donations"])
    assert not workbook.problems
    person = workbook.frame("people").iloc[0]
    assert (person.first_name, person.last_name, person.postcode) == ("지민", "김", "02134")
    assert person.tags == ("donor", "board") and person.created_at == pd.Timestamp(created)
    assert bool(person.do_not_email) is True and bool(person.do_not_mail) is False
    gifts = workbook.frame("donations")
    assert list(gifts["note"]) == FORMULA_LOOKING
    assert set(gifts["amount"]) == {Decimal("1234.56")}
    assert set(gifts["date"]) == {pd.Timestamp("2024-02-29")}


# -------------------------------------------------------------------------------- update


def test_update_changes_only_the_named_cells(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    staff.add_column("people", "Pledge notes", ["call in May", "", "gave at gala"])
    before = text(store, "people")
    store.update("people", "P2", {"email": "bob@new.org", "phone": "555-0100"},
                 seen(store, "people", "P2"))
    after = text(store, "people")
    assert after.loc["P2", "email"] == "bob@new.org" and after.loc["P2", "phone"] == "555-0100"
    changed = (after != before).stack()
    assert sorted(changed[changed].index) == [("P2", "email"), ("P2", "phone")]
    assert list(after["Pledge notes"]) == ["call in May", "", "gave at gala"]


def test_update_keeps_a_column_staff_added(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    staff.append_row("people", {"id": "P4", "first_name": "Di"})  # typed in by hand
    store.update("people", "P4", {"last_name": "Kay"}, seen(store, "people", "P4"))
    rows = text(store, "people")
    assert rows.loc["P4", "last_name"] == "Kay" and rows.loc["P4", "first_name"] == "Di"


@pytest.mark.parametrize("edit", ["sort", "insert_above", "delete_above"])
def test_update_finds_the_row_by_id_after_staff_move_rows(
    store: Store, staff: Staff, edit: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P3")
    if edit == "sort":
        staff.sort("people", "last_name")  # Adams, Mills, Zimmer: P3 moves up
    elif edit == "insert_above":
        staff.insert_row("people", 2, {"id": "P0", "first_name": "Zoe"})
    else:
        staff.delete_row("people", 2)  # P1
    store.update("people", "P3", {"phone": "555-0199"}, user_saw)
    rows = text(store, "people")
    assert rows.loc["P3", "phone"] == "555-0199"
    assert set(rows.loc[rows.index != "P3", "phone"]) == {""}


def test_update_of_a_row_someone_changed_is_a_conflict_and_writes_nothing(
    store: Store, staff: Staff
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    staff.set("people", "P1", "email", "ann@elsewhere.org")
    with pytest.raises(Conflict) as raised:
        store.update("people", "P1", {"email": "ann@new.org", "phone": "555-0100"}, user_saw)
    assert raised.value.cells == [CellConflict("email", "ann@example.org",
                                               "ann@elsewhere.org", "ann@new.org")]
    assert "email" in str(raised.value) and "nothing was saved" in str(raised.value)
    row = text(store, "people").loc["P1"]
    assert (row["email"], row["phone"]) == ("ann@elsewhere.org", "")


def test_update_of_a_deleted_row_is_not_found(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    staff.delete_row("people", 2)
    with pytest.raises(NotFound, match="P1"):
        store.update("people", "P1", {"phone": "555-0100"}, user_saw)


def test_update_of_a_duplicated_id_names_the_rows(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    if not staff.can_duplicate_keys:  # PostgreSQL: the key is UNIQUE, the paste is refused
        with pytest.raises(DuplicateKeyRefused):
            staff.append_row("people", {"id": "P2", "first_name": "Bobby"})
        store.update("people", "P2", {"phone": "555-0100"}, user_saw)
        assert list(text(store, "people")["phone"]) == ["", "555-0100", ""]
        return
    staff.append_row("people", {"id": "P2", "first_name": "Bobby"})  # a pasted copy
    with pytest.raises(Conflict, match=r"Rows 3, 5 of people"):
        store.update("people", "P2", {"phone": "555-0100"}, user_saw)
    assert set(text(store, "people")["phone"]) == {""}


def test_update_many_writes_what_it_can_and_returns_the_conflicts(
    store: Store, staff: Staff
) -> None:
    store.append("people", PEOPLE)
    user_saw = {key: seen(store, "people", key) for key in ("P1", "P2", "P3")}
    staff.set("people", "P2", "email", "bob@elsewhere.org")
    if staff.can_duplicate_keys:
        staff.append_row("people", {"id": "P3", "first_name": "Cy again"})
    else:  # PostgreSQL's UNIQUE key refuses the copy, so P3 stays one row and is written
        with pytest.raises(DuplicateKeyRefused):
            staff.append_row("people", {"id": "P3", "first_name": "Cy again"})
    conflicts = store.update_many("people", [
        RowEdit(key, {"phone": f"555-010{n}"}, user_saw[key])
        for n, key in enumerate(("P1", "P2", "P3"), start=1)
    ])
    phones = store.read(["people"])["people"][["id", "phone"]].values.tolist()
    if not staff.can_duplicate_keys:
        assert [c.key for c in conflicts] == ["P2"]
        assert phones == [["P1", "555-0101"], ["P2", ""], ["P3", "555-0103"]]
        return
    assert sorted(c.key for c in conflicts) == ["P2", "P3"]
    assert phones == [["P1", "555-0101"], ["P2", ""], ["P3", ""], ["P3", ""]]


def test_values_taken_from_a_typed_frame_save_like_plain_values(store: Store) -> None:
    store.append("donations", [{"id": "D1", "person_id": "P1", "date": date(2024, 1, 5),
                                "amount": Decimal("10")}])
    store.append("outbox", [{"id": "M1", "mailing_id": "ML1", "attempts": 1}])
    row = store.load(["donations"]).frame("donations").loc[2]
    user_saw = {column: row[column] for column in row.index}  # numpy scalars, as a grid has
    store.update("donations", "D1", {"amount": np.float64(12.5)}, user_saw)
    store.update("outbox", "M1", {"attempts": np.int64(2)}, seen(store, "outbox", "M1"))
    workbook = store.load(["donations", "outbox"])
    assert workbook.frame("donations").loc[2, "amount"] == Decimal("12.5")
    assert workbook.frame("outbox").loc[2, "attempts"] == 2
    assert text(store, "donations").loc["D1", "amount"] == "12.5"


# -------------------------------------------------------------------------------- delete


def test_delete_removes_exactly_that_row_after_a_sort(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    staff.sort("people", "last_name")  # P1 (Zimmer) moves to the bottom
    store.delete("people", "P1", user_saw)
    assert list(store.read(["people"])["people"]["id"]) == ["P2", "P3"]


def test_delete_of_a_changed_row_is_a_conflict_and_deletes_nothing(
    store: Store, staff: Staff
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    staff.set("people", "P1", "last_name", "Zimmer-Lee")
    with pytest.raises(Conflict) as raised:
        store.delete("people", "P1", user_saw)
    assert raised.value.cells == [CellConflict("last_name", "Zimmer", "Zimmer-Lee")]
    assert list(store.read(["people"])["people"]["id"]) == ["P1", "P2", "P3"]


def test_delete_of_a_missing_row_is_not_found(store: Store) -> None:
    store.append("people", PEOPLE)
    with pytest.raises(NotFound):
        store.delete("people", "P9", {"id": "P9"})


# ---------------------------------------------------------------------- several writers


def test_two_writers_appending_at_once_lose_no_row(store: Store, second_store: Store) -> None:
    def add(writer: Store, prefix: str) -> None:
        for n in range(50):
            writer.append("volunteer_hours", [{"id": f"{prefix}{n}", "person_id": "P1",
                                               "date": date(2024, 5, 1), "hours": "1.5"}])

    threads = [threading.Thread(target=add, args=(writer, prefix))
               for writer, prefix in ((store, "A"), (second_store, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = list(store.read(["volunteer_hours"])["volunteer_hours"]["id"])
    assert sorted(ids) == sorted([f"A{n}" for n in range(50)] + [f"B{n}" for n in range(50)])


def test_two_users_editing_the_same_row_one_wins_the_other_is_told(
    store: Store, second_store: Store
) -> None:
    store.append("people", PEOPLE)
    ann_saw, bob_saw = seen(store, "people", "P1"), seen(second_store, "people", "P1")
    store.update("people", "P1", {"phone": "555-0001"}, ann_saw)
    with pytest.raises(Conflict) as raised:
        second_store.update("people", "P1", {"phone": "555-0002"}, bob_saw)
    assert raised.value.cells == [CellConflict("phone", "", "555-0001", "555-0002")]
    assert text(store, "people").loc["P1", "phone"] == "555-0001"


# ------------------------------------------------------------------------------- commit

RENEWAL_TERM = {"id": "M1", "person_id": "P1", "level_id": "L1", "start_date": date(2025, 1, 1),
                "end_date": date(2025, 12, 31), "amount": Decimal("40.00"), "donation_id": "D1"}
RENEWAL_GIFT = {"id": "D1", "person_id": "P1", "date": date(2025, 1, 1),
                "amount": Decimal("40.00"), "kind": "membership"}


def audit_rows(changes: ChangeSet) -> list[dict[str, Any]]:
    return [{"id": f"A-{action}-{key}", "at": datetime(2025, 1, 1, 9), "user": "ann@org",
             "action": action, "tab": tab_name, "record_id": key}
            for action, tab_name, key in changes.rows()]


def test_a_commit_lands_rows_in_several_tabs_with_their_audit_rows(store: Store) -> None:
    store.append("people", PEOPLE)
    changes = (ChangeSet().append("memberships", RENEWAL_TERM).append("donations", RENEWAL_GIFT)
               .edit("people", "P1", {"tags": "member"}, seen(store, "people", "P1")))
    assert store.commit(changes, audit=audit_rows) == []
    book = store.load(["memberships", "donations", "people", "audit_log"])
    assert list(book.frame("memberships")["donation_id"]) == ["D1"]
    assert list(book.frame("donations")["amount"]) == [Decimal("40.00")]
    assert book.row("people", "P1")["tags"] == ("member",)  # type: ignore[index]
    log = book.frame("audit_log")
    assert sorted(zip(log["action"], log["tab"], log["record_id"], strict=True)) == [
        ("add", "donations", "D1"), ("add", "memberships", "M1"), ("change", "people", "P1")]


def test_a_commit_with_one_stale_row_writes_nothing_at_all(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    staff.set("people", "P1", "email", "ann@elsewhere.org")
    changes = (ChangeSet().append("memberships", RENEWAL_TERM).append("donations", RENEWAL_GIFT)
               .edit("people", "P1", {"tags": "member"}, user_saw))
    with pytest.raises(Conflict):
        store.commit(changes, audit=audit_rows)
    book = store.load(["memberships", "donations", "audit_log"])
    assert all(book.frame(name).empty for name in ("memberships", "donations", "audit_log"))


def test_skipping_conflicts_audits_only_what_landed(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    saw = {key: seen(store, "people", key) for key in ("P1", "P2")}
    staff.set("people", "P1", "city", "Medford")
    changes = ChangeSet()
    for key in ("P1", "P2"):
        changes.edit("people", key, {"city": "Boston"}, saw[key])
    conflicts = store.commit(changes, skip_conflicts=True, audit=audit_rows)
    assert [c.key for c in conflicts] == ["P1"]
    assert list(store.load(["audit_log"]).frame("audit_log")["record_id"]) == ["P2"]


def test_a_commit_can_delete_and_edit_in_one_tab(store: Store) -> None:
    store.append("people", PEOPLE)
    changes = (ChangeSet().delete("people", "P1", seen(store, "people", "P1"))
               .edit("people", "P3", {"city": "Seoul"}, seen(store, "people", "P3")))
    store.commit(changes)
    people = text(store, "people")
    assert list(people.index) == ["P2", "P3"] and people.loc["P3", "city"] == "Seoul"


def test_the_audit_hook_sees_the_summary_that_replaces_the_values(store: Store) -> None:
    store.append("people", PEOPLE)
    changes = ChangeSet(audit_summary="erased person P1").edit(
        "people", "P1", {"email": ""}, seen(store, "people", "P1"))
    summaries: list[str] = []
    store.commit(changes, audit=lambda landing: summaries.append(landing.audit_summary) or [])
    assert summaries == ["erased person P1"]


# ----------------------------------------------------------- keys by row (assign_keys_by_row)


def raw_row(store: Store, tab: str, row: int) -> dict[str, Any]:
    """Row `row` of a tab's text, as the data-health page shows a row that has no key."""
    return {str(c): v for c, v in store.read([tab])[tab].loc[row].items()}


def test_rows_typed_without_an_id_get_one_by_row_number(store: Store, staff: Staff) -> None:
    store.append("people", PEOPLE)
    staff.append_row("people", {"first_name": "Di", "last_name": "Kay"})  # no id typed
    staff.append_row("people", {"first_name": "Ed"})
    before = store.read(["people"])["people"]
    fills = [KeyFill(5, "P-NEW1", raw_row(store, "people", 5)),
             KeyFill(6, "P-NEW2", raw_row(store, "people", 6))]
    store.assign_keys_by_row("people", fills, audit=audit_rows)
    after = store.read(["people"])["people"]
    assert list(after["id"]) == ["P1", "P2", "P3", "P-NEW1", "P-NEW2"]
    changed = (after != before).stack()
    assert sorted(changed[changed].index) == [(5, "id"), (6, "id")]
    log = store.load(["audit_log"]).frame("audit_log")
    assert sorted(log["record_id"]) == ["P-NEW1", "P-NEW2"]
    assert store.load(["people"]).problems == []


@pytest.mark.parametrize("edit", ["sort", "insert_above", "typed"])
def test_a_key_fill_on_a_row_that_moved_or_changed_is_a_conflict_and_writes_nothing(
    store: Store, staff: Staff, edit: str
) -> None:
    store.append("people", PEOPLE)
    staff.append_row("people", {"first_name": "Di", "last_name": "Kay"})
    fill = KeyFill(5, "P-NEW1", raw_row(store, "people", 5))
    if edit == "sort":
        staff.sort("people", "last_name")  # Adams, Kay, Mills, Zimmer: row 5 is Ann now
    elif edit == "insert_above":
        staff.insert_row("people", 2, {"id": "P0", "first_name": "Zoe"})
    else:
        staff.insert_row("people", 5, {"id": "P9", "first_name": "Di"})  # typed in meanwhile
    before = store.read(["people"])["people"]
    with pytest.raises(Conflict, match="Row 5 of people"):
        store.assign_keys_by_row("people", [fill], audit=audit_rows)
    pd.testing.assert_frame_equal(store.read(["people"])["people"], before)
    assert store.load(["audit_log"]).frame("audit_log").empty


def test_a_key_fill_past_the_last_row_or_with_a_key_in_use_is_a_conflict(
    store: Store, staff: Staff
) -> None:
    store.append("people", PEOPLE)
    staff.append_row("people", {"first_name": "Di"})
    seen_row = raw_row(store, "people", 5)
    with pytest.raises(Conflict, match="already used"):
        store.assign_keys_by_row("people", [KeyFill(5, "P2", seen_row)])
    staff.delete_row("people", 5)
    with pytest.raises(Conflict, match="not there any more"):
        store.assign_keys_by_row("people", [KeyFill(5, "P-NEW1", seen_row)])
    assert list(store.read(["people"])["people"]["id"]) == ["P1", "P2", "P3"]


def test_the_later_of_two_rows_sharing_a_key_gets_a_new_one(store: Store, staff: Staff) -> None:
    if not staff.can_duplicate_keys:
        pytest.skip("this database refuses a second row with the same key")
    store.append("people", PEOPLE)
    staff.append_row("people", {"id": "P2", "first_name": "Bobby"})  # a pasted copy
    store.assign_keys_by_row("people", [KeyFill(5, "P-NEW1", raw_row(store, "people", 5))])
    people = store.read(["people"])["people"]
    assert list(people["id"]) == ["P1", "P2", "P3", "P-NEW1"]
    assert people.loc[5, "first_name"] == "Bobby"
    store.update("people", "P2", {"phone": "555-0100"}, seen(store, "people", "P2"))
    assert text(store, "people").loc["P2", "phone"] == "555-0100"
