"""Every store refuses a new row whose key the tab already holds, judged when the commit runs;
a signed-in store refuses cells the role may not write. On SQLite, Google Sheets and
PostgreSQL; in each case nothing at all is written."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from demo import DemoSize, demo_workbook
from rules.roles import Role, User
from sheets_schema import TABS
from storage import ChangeSet, KeyInUse, NotAllowed, Store
from storage.sheets_store import GoogleSheetsStore
from storage.signed_in import SignedInStore
from tests.emulator import SheetsEmulator

from .staff import Staff

PEOPLE = [{"id": "P1", "first_name": "Ann", "email": "ann@example.org"},
          {"id": "P2", "first_name": "Bob"}]
NOW = datetime(2026, 11, 2, 10, 0)
SMALL = DemoSize(people=80, donations=300, memberships=30, campaigns=3, volunteers=12,
                 years=2)


def ids(store: Store, tab_name: str) -> list[str]:
    return list(store.read([tab_name])[tab_name]["id"])


def seen(store: Store, tab_name: str, key: str) -> dict[str, Any]:
    frame = store.load([tab_name]).frame(tab_name)
    return frame[frame["id"] == key].iloc[0].to_dict()


def test_a_new_row_with_a_key_in_use_is_refused_naming_it(store: Store) -> None:
    store.append("people", PEOPLE)
    changes = ChangeSet().append("people", {"id": "P3", "first_name": "Cy"},
                                 {"id": "P1", "first_name": "Ann again"})
    changes.append("donations", {"id": "D1", "person_id": "P3", "date": date(2026, 1, 5),
                                 "amount": "10"})
    with pytest.raises(KeyInUse, match=r"people already has a row with id 'P1'.*nothing was "
                                       r"saved"):
        store.commit(changes, audit=lambda landing: [{"id": "A1", "at": NOW}])
    assert ids(store, "people") == ["P1", "P2"]
    assert ids(store, "donations") == [] and ids(store, "audit_log") == []


def test_two_new_rows_with_one_key_are_refused(store: Store) -> None:
    with pytest.raises(KeyInUse, match="'P7'"):
        store.append("people", [{"id": "P7", "first_name": "Di"},
                                {"id": "P7", "first_name": "Ed"}])
    assert ids(store, "people") == []


def test_a_key_added_meanwhile_elsewhere_is_refused(store: Store, second_store: Store,
                                                    staff: Staff) -> None:
    store.append("people", PEOPLE)
    second_store.append("people", [{"id": "P3", "first_name": "Cy"}])  # another app process
    with pytest.raises(KeyInUse, match="'P3'"):
        store.append("people", [{"id": "P3", "first_name": "Di"}])
    staff.append_row("people", {"id": "P4", "first_name": "Eve"})  # typed in the sheet
    with pytest.raises(KeyInUse, match="'P4'"):
        store.append("people", [{"id": "P4", "first_name": "Fay"}])
    assert ids(store, "people") == ["P1", "P2", "P3", "P4"]


def test_a_row_deleted_and_added_again_in_one_commit_lands(store: Store) -> None:
    store.append("volunteers", [{"id": "P1", "status": "active"}])
    changes = ChangeSet().delete("volunteers", "P1", seen(store, "volunteers", "P1"))
    changes.append("volunteers", {"id": "P1", "status": "inactive"})
    store.commit(changes)
    assert list(store.read(["volunteers"])["volunteers"]["status"]) == ["inactive"]


def test_a_copy_writes_rows_as_given_shared_keys_included(store: Store) -> None:
    store.append("people", PEOPLE)
    store.commit(ChangeSet(as_given=True).append("people", {"id": "P1", "first_name": "Ann"}))
    assert ids(store, "people") == ["P1", "P2", "P1"]


def test_a_volunteer_cannot_rekey_delete_erase_approve_or_reuse_an_id(store: Store) -> None:
    store.append("people", PEOPLE)
    volunteer = SignedInStore(store, User("v@example.org", Role.VOLUNTEER, person_id="P2"))
    ann = seen(store, "people", "P1")
    refusals = {
        "would become P9": lambda: volunteer.update("people", "P1", {"id": "P9"}, ann),
        "delete or restore": lambda: volunteer.update("people", "P1", {"deleted_at": NOW}, ann),
        "as erased": lambda: volunteer.update("people", "P1", {"erased_at": NOW}, ann),
        "approve hours": lambda: volunteer.append("volunteer_hours", [{
            "id": "H1", "person_id": "P2", "date": date(2026, 11, 2), "hours": "2",
            "approved": True}]),
    }
    for says, write in refusals.items():
        with pytest.raises(NotAllowed, match=says):
            write()
    with pytest.raises(KeyInUse, match="'P1'"):
        volunteer.append("people", [{"id": "P1", "first_name": "Mallory"}])
    assert store.read(["people"])["people"].set_index("id").loc["P1", "first_name"] == "Ann"
    assert ids(store, "people") == ["P1", "P2"]
    assert ids(store, "volunteer_hours") == [] and ids(store, "audit_log") == []


def test_staff_delete_and_approve_and_an_admin_erases(store: Store) -> None:
    store.append("people", PEOPLE)
    staff = SignedInStore(store, User("s@example.org", Role.STAFF))
    staff.update("people", "P1", {"deleted_at": NOW}, seen(store, "people", "P1"))
    staff.append("volunteer_hours", [{"id": "H1", "person_id": "P2", "date": date(2026, 11, 2),
                                      "hours": "2", "approved": True}])
    with pytest.raises(NotAllowed, match="As staff you may not mark a person as erased"):
        staff.update("people", "P2", {"erased_at": NOW}, seen(store, "people", "P2"))
    admin = SignedInStore(store, User("a@example.org", Role.ADMIN))
    admin.update("people", "P2", {"erased_at": NOW, "first_name": ""},
                 seen(store, "people", "P2"))
    people = store.load(["people"]).frame("people").set_index("id")
    assert people["deleted_at"].notna().tolist() == [True, False]
    assert people.loc["P2", "erased_at"] is not None


def test_on_sheets_new_rows_cost_no_extra_request_and_a_moved_id_column_is_found(
    emulator: SheetsEmulator, spreadsheet_id: str, sheets_store: GoogleSheetsStore
) -> None:
    emulator.create_spreadsheet("Steward", tabs={
        "people": [["first_name", "id"], ["Ann", "P1"], ["Bob", "P2"]],
        "audit_log": [list(TABS["audit_log"].column_names)]}, spreadsheet_id=spreadsheet_id)
    with pytest.raises(KeyInUse, match="'P2'"):  # id is column B, not where the spec puts it
        sheets_store.append("people", [{"id": "P2", "first_name": "Bo"}])
    sheets_store.append("people", [{"id": "P3", "first_name": "Cy"}])
    emulator.requests.clear()
    sheets_store.append("people", [{"id": "P4", "first_name": "Di"}])
    with pytest.raises(KeyInUse, match="'P4'"):
        sheets_store.append("people", [{"id": "P4", "first_name": "Di"}])
    assert [endpoint for _, endpoint, _ in emulator.requests] == [
        "values.batchGet", "spreadsheets.batchUpdate", "values.batchGet"]
    assert ids(sheets_store, "people") == ["P1", "P2", "P3", "P4"]


def test_each_pages_write_tampered_as_a_browser_could_is_refused_whole(store: Store) -> None:
    """What each page that writes sends, with one cell changed by a modified browser: an id
    reused, an id changed, a cell the role may not write. Nothing of it lands."""
    demo = ChangeSet(as_given=True)
    for name, rows in demo_workbook(seed=7, size=SMALL).items():
        if rows:
            demo.append(name, *rows)
    store.commit(demo)
    book = store.load()

    def first(tab_name: str) -> dict[str, Any]:
        frame = book.frame(tab_name)
        return frame[frame[TABS[tab_name].key].astype(bool)].iloc[0].to_dict()

    def as_(role: Role) -> SignedInStore:
        return SignedInStore(store, User(f"{role.value}@example.org", role, person_id=me))

    me = str(first("people")["id"])
    gift, term, level = first("donations"), first("memberships"), first("membership_levels")
    hours = {"id": "H-NEW", "person_id": me, "date": date(2026, 11, 2), "hours": "2"}
    renewal = ChangeSet().append("memberships", {**term, "id": "M-NEW"}).append(
        "donations", {**gift, "id": gift["id"], "kind": "membership"})
    cases: list[tuple[str, Role, Any, str]] = [
        ("add person", Role.VOLUNTEER, lambda s: s.append("people", [{**first("people")}]),
         "already has a row with id"),
        ("gift entry", Role.VOLUNTEER, lambda s: s.append("donations", [gift]), "already has"),
        ("batch entry", Role.VOLUNTEER, lambda s: s.append("donations", [
            {**gift, "id": "D-NEW"}, {**gift, "id": "D-NEW"}]), "Two new rows"),
        ("log hours", Role.VOLUNTEER, lambda s: s.append("volunteer_hours", [
            {**hours, "approved": True}]), "may not approve hours"),
        ("edit many", Role.VOLUNTEER, lambda s: s.update(
            "people", me, {"id": "P-X"}, first("people")), "would become P-X"),
        ("person page", Role.VOLUNTEER, lambda s: s.update(
            "people", me, {"erased_at": NOW}, first("people")), "as erased"),
        ("gift page", Role.STAFF, lambda s: s.update(
            "donations", gift["id"], {"id": "D-X"}, gift), "would become D-X"),
        ("renewals", Role.STAFF, lambda s: s.commit(renewal), "already has a row with id"),
        ("levels", Role.STAFF, lambda s: s.append("membership_levels", [level]), "already"),
        ("campaigns", Role.STAFF, lambda s: s.append("campaigns", [first("campaigns")]),
         "already has"),
        ("campaign page", Role.STAFF, lambda s: s.update(
            "campaigns", first("campaigns")["id"], {"id": "C-X"}, first("campaigns")),
         "would become C-X"),
        ("recurring", Role.STAFF, lambda s: s.append(
            "recurring_gifts", [first("recurring_gifts")]), "already has"),
        ("volunteers", Role.STAFF, lambda s: s.update(
            "volunteers", first("volunteers")["id"], {"id": "P-X"}, first("volunteers")),
         "would become P-X"),
        ("shifts", Role.STAFF, lambda s: s.append(
            "volunteer_shifts", [first("volunteer_shifts")]), "already has"),
        ("users", Role.ADMIN, lambda s: s.update(
            "users", first("users")["email"], {"email": "x@example.org"}, first("users")),
         "would become x@example.org"),
        ("add user", Role.ADMIN, lambda s: s.append("users", [first("users")]),
         "already has a row with email"),
    ]
    before = store.read(list(TABS))
    for page, role, write, says in cases:
        with pytest.raises((NotAllowed, KeyInUse), match=says):
            write(as_(role))
        now = store.read(list(TABS))
        assert all(now[name].equals(before[name]) for name in TABS), page
