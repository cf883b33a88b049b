"""Moving the workbook between stores: SQLite -> Google Sheets (the emulator) -> SQLite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from demo import DemoSize
from sheets_schema import TABS, Locale
from sheets_schema.changes import ChangeSet
from storage import StoreConfig, StoreError
from storage.copy import (
    TargetNotEmpty,
    canonical_rows,
    config_for,
    copy_store,
    same_store,
    tab_checksum,
)
from storage.seed import load_demo
from storage.sheets_store import GoogleSheetsStore
from storage.sqlite_store import SQLiteStore
from tests.emulator import Formula, SheetsEmulator

SMALL = DemoSize(people=60, donations=300, memberships=30, campaigns=4, volunteers=8)
Sheets = Callable[[], GoogleSheetsStore]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo organisation (8,000 donations, with its planted bad cells)."""
    path = tmp_path_factory.mktemp("copy") / "demo.sqlite3"
    store = SQLiteStore(path)
    load_demo(store)
    store.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> SQLiteStore:
    shutil.copy(demo_file, tmp_path / "demo.sqlite3")
    return SQLiteStore(tmp_path / "demo.sqlite3")


def small_store(path: Path, seed: int = 3) -> SQLiteStore:
    store = SQLiteStore(path)
    load_demo(store, SMALL, seed=seed)
    return store


def sheet_with_tabs(emulator: SheetsEmulator, spreadsheet_id: str | None = None) -> str:
    """A spreadsheet with every tab and header already there (as `init` leaves it),
    without the emulator's slow formatting of 125 columns."""
    return emulator.create_spreadsheet("Steward", spreadsheet_id=spreadsheet_id, tabs={
        name: [list(spec.column_names)] for name, spec in TABS.items()})


def frames(store: Any) -> dict[str, pd.DataFrame]:
    book = store.load(tuple(TABS))
    return {name: book.frame(name).reset_index(drop=True) for name in TABS}


def test_the_demo_goes_to_a_sheet_and_back_unchanged(
    demo: SQLiteStore, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str, tmp_path: Path,
) -> None:
    sheet_with_tabs(emulator, spreadsheet_id)  # as `init` leaves it (see test_fresh_sheet)
    emulator.reset_counts()
    there = copy_store(demo, sheets_store)
    assert there.ok, there.problem()
    # Reads: the tab list and one batchGet each for ensure_schema's header rows, to see
    # the target is empty, for the commit's header rows, and for the check. Writes: only
    # the rows: the demo is over 2 MB, so big tabs go as values:append and the rest in
    # one batchUpdate; at worst one request per tab holding rows, never one per row.
    assert (emulator.counts["spreadsheets.get"], emulator.counts["values.batchGet"]) == (1, 4)
    assert 1 < emulator.counts["write"] <= sum(1 for t in there.tabs if t.source_rows)

    emulator.reset_counts()
    back_store = SQLiteStore(tmp_path / "back.sqlite3")
    back = copy_store(sheets_store, back_store)
    assert back.ok, back.problem()
    # one batchGet (and the sheet's locale, unless this store already read it)
    assert emulator.counts["values.batchGet"] == 1
    assert emulator.counts["read"] <= 2 and emulator.counts["write"] == 0

    assert [t.source_checksum for t in back.tabs] == [t.source_checksum for t in there.tabs]
    assert there.rows == back.rows > 12_000
    original, returned = demo.load(tuple(TABS)), back_store.load(tuple(TABS))
    for name in TABS:
        pd.testing.assert_frame_equal(returned.frame(name), original.frame(name),
                                      check_like=True, obj=name)
    assert returned.problems == original.problems  # the planted bad cells came along too
    assert len(original.problems) > 5


def test_a_fresh_sheet_gets_its_tabs_then_the_rows(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
) -> None:
    emulator.reset_counts()
    report = copy_store(small_store(tmp_path / "a.sqlite3"), sheets_store)
    assert report.ok, report.problem()
    titles = {tab.title for tab in emulator.spreadsheet(sheets_store.spreadsheet_id)}
    assert set(TABS) <= titles
    # ensure_schema: the tab list, then 3 writes (tabs, header cells, column formats).
    # Then a batchGet to see the target is empty, one for the commit's header rows (and
    # the tab list again, for the new tabs' ids), the rows in one batchUpdate (the small
    # demo is under 2 MB), and a batchGet for the check.
    assert dict(emulator.counts) == {
        "spreadsheets.get": 2, "values.batchGet": 3, "read": 5,
        "spreadsheets.batchUpdate": 3, "values.batchUpdate": 1, "write": 4}


def test_a_target_that_holds_data_is_refused_and_left_alone(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str,
) -> None:
    sheet_with_tabs(emulator, spreadsheet_id)
    copy_store(small_store(tmp_path / "a.sqlite3"), sheets_store)
    emulator.reset_counts()
    with pytest.raises(TargetNotEmpty, match="people .*--overwrite"):
        copy_store(small_store(tmp_path / "b.sqlite3", seed=9), sheets_store)
    assert emulator.counts["write"] == 0


def test_overwrite_replaces_the_target_in_one_request_to_empty_it(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str,
) -> None:
    sheet_with_tabs(emulator, spreadsheet_id)
    copy_store(small_store(tmp_path / "a.sqlite3"), sheets_store)
    other = SQLiteStore(tmp_path / "b.sqlite3")
    other.ensure_schema()
    other.commit(ChangeSet().append("people", {"id": "P1", "first_name": "Only"}))
    emulator.reset_counts()
    report = copy_store(other, sheets_store, overwrite=True)
    assert report.ok, report.problem()
    # Emptying every tab is 1 read of the grid sizes and 1 batchUpdate, not 1 per row,
    # and what is emptied is not read first; the one new row is 1 more batchUpdate.
    # Reads: ensure_schema's tab list and header rows, the commit's header rows, and the
    # check afterwards.
    assert dict(emulator.counts) == {"spreadsheets.get": 2, "values.batchGet": 3, "read": 5,
                                     "spreadsheets.batchUpdate": 2, "write": 2}
    assert report.emptied == list(TABS)
    people = emulator.sheet(sheets_store.spreadsheet_id, "people").values()
    assert [row[:2] for row in people[1:]] == [["P1", "Only"]]
    assert all(len(emulator.sheet(sheets_store.spreadsheet_id, name).values()) == 1
               for name in report.emptied if name != "people")
    # The grids shrink to the header and one blank row: Google refuses to delete every
    # row below a frozen header, so the store adds that row before deleting the rest.
    assert {emulator.sheet(sheets_store.spreadsheet_id, name).row_count
            for name in report.emptied} == {2}


def test_overwrite_on_sqlite_and_a_lossy_target_is_reported(tmp_path: Path) -> None:
    class Lossy(SQLiteStore):
        def commit(self, changes: ChangeSet, **kwargs: Any) -> list[Any]:
            changes.appends["donations"].pop()
            return super().commit(changes, **kwargs)

    source = small_store(tmp_path / "a.sqlite3")
    target = Lossy(tmp_path / "b.sqlite3")
    load_demo(target, SMALL, seed=5)
    report = copy_store(source, target, overwrite=True)
    assert not report.ok
    assert [t.tab for t in report.tabs if not t.ok] == ["donations"]
    assert "donations (300 rows in the source, 299 in the target)" in report.problem()
    assert "DIFFERS" in report.table()


def test_text_stays_text_and_typed_dates_agree(
    sheets_store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
    tmp_path: Path,
) -> None:
    sheet_with_tabs(emulator, spreadsheet_id)
    # staff typed a date as text in their own way, and a formula-looking name
    people = emulator.sheet(sheets_store.spreadsheet_id, "people")
    header = people.values()[0]
    people.set_raw(2, header.index("id") + 1, "P1")
    people.set_raw(2, header.index("first_name") + 1, "=IMPORTXML(\"http://x\", \"//a\")")
    people.set_raw(2, header.index("created_at") + 1, "3/15/2024")
    people.set_raw(2, header.index("last_name") + 1, "  Lee ")
    people.set_raw(2, len(header) + 1, "kept")
    people.set_raw(1, len(header) + 1, "favourite colour")  # a column staff added
    there = SQLiteStore(tmp_path / "there.sqlite3")
    assert copy_store(sheets_store, there).ok
    row = there.read(["people"])["people"].iloc[0]
    assert row["created_at"].startswith("2024-03-15")
    assert row["favourite colour"] == "kept"

    emulator_two = SheetsEmulator()
    again = GoogleSheetsStore(emulator_two.client(), sheet_with_tabs(emulator_two))
    assert copy_store(there, again).ok
    tab = emulator_two.sheet(again.spreadsheet_id, "people")
    cell = tab.get(2, tab.values()[0].index("first_name") + 1)
    assert cell is not None and not isinstance(cell.value, Formula)
    assert cell.value.startswith("=IMPORTXML")
    assert "favourite colour" in tab.values()[0]


def test_tabs_an_older_source_lacks_are_created_empty(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str,
) -> None:
    old = small_store(tmp_path / "old.sqlite3")
    old._connect().execute('DROP TABLE "suppressions"')
    there = SQLiteStore(tmp_path / "there.sqlite3")
    report = copy_store(old, there)
    assert report.ok and report.missing_in_source == ["suppressions"]
    assert there.read(["suppressions"])["suppressions"].empty

    emulator.create_spreadsheet("Steward", spreadsheet_id=spreadsheet_id, tabs={
        name: [list(spec.column_names)] for name, spec in TABS.items() if name != "imports"})
    emulator.reset_counts()
    report = copy_store(sheets_store, SQLiteStore(tmp_path / "from-sheet.sqlite3"))
    assert report.ok and report.missing_in_source == ["imports"]
    assert emulator.counts["read"] == 2  # the tab list, then one batchGet of what is there


def test_checksums_ignore_row_order_blank_cells_and_how_a_value_is_written() -> None:
    rows, blank = canonical_rows("donations", pd.DataFrame(
        [["D1", "3/15/2024", "$1,234.50"], ["", "", ""], ["D2", "", "5"]],
        columns=["id", "date", "amount"]), Locale())
    assert blank == 1
    assert rows == [{"id": "D1", "date": "2024-03-15", "amount": "1234.5"},
                    {"id": "D2", "amount": "5"}]
    assert tab_checksum(rows) == tab_checksum(list(reversed(rows)))
    assert tab_checksum(rows) != tab_checksum(rows[:1])
    assert tab_checksum([{"id": "1", "a": "x"}]) != tab_checksum([{"id": "1", "b": "x"}])


@pytest.mark.parametrize(("spec", "expected"), [
    ("sqlite:data/x.sqlite3", StoreConfig(sqlite_path="data/x.sqlite3")),
    ("sheets:1AbC", StoreConfig(spreadsheet="1AbC", service_account={"type": "x"})),
    ("sheets:https://docs.google.com/spreadsheets/d/1AbC/edit",
     StoreConfig(spreadsheet="https://docs.google.com/spreadsheets/d/1AbC/edit",
                 service_account={"type": "x"})),
])
def test_specs_name_stores(spec: str, expected: StoreConfig) -> None:
    environ = {"STEWARD_SERVICE_ACCOUNT_JSON": '{"type": "x"}'}
    assert config_for(spec, {}, environ) == expected


@pytest.mark.parametrize("spec", ["", "data.sqlite3", "sqlite:", "sheets:", "mysql://h/db",
                                  "excel:book.xlsx"])
def test_a_bad_spec_says_what_a_spec_looks_like(spec: str) -> None:
    with pytest.raises(StoreError, match="sqlite:PATH, sheets:SPREADSHEET_ID_OR_URL or "
                                         "postgresql://"):
        config_for(spec, {}, {})


def test_the_same_store_twice_is_recognised() -> None:
    assert same_store(config_for("sqlite:data/x.sqlite3"), config_for("sqlite:./data/x.sqlite3"))
    assert same_store(config_for("sheets:1AbC", {}, {}), config_for(
        "sheets:https://docs.google.com/spreadsheets/d/1AbC/edit", {}, {}))
    assert not same_store(config_for("sqlite:a.sqlite3"), config_for("sheets:1AbC", {}, {}))


def test_a_sheet_moves_to_postgresql_and_back(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str, postgres_url: str,
) -> None:
    from storage import open_store

    sheet_with_tabs(emulator, spreadsheet_id)
    source = small_store(tmp_path / "a.sqlite3")
    assert copy_store(source, sheets_store).ok
    if "://" not in postgres_url:  # the test server's key=value form, as a URL
        parts = dict(item.split("=", 1) for item in postgres_url.split())
        postgres_url = (f"postgresql://{parts['user']}@{parts['host']}:{parts['port']}/"
                        f"{parts['dbname']}")
    database = open_store(config_for(postgres_url))
    to_database = copy_store(sheets_store, database)
    assert to_database.ok, to_database.problem()
    back = SQLiteStore(tmp_path / "back.sqlite3")
    assert copy_store(database, back).ok
    original, returned = frames(source), frames(back)
    for name in TABS:
        pd.testing.assert_frame_equal(returned[name], original[name], check_like=True,
                                      obj=name)


def test_emptying_a_sheet_survives_an_answer_lost_after_it_landed(
    tmp_path: Path, sheets_store: GoogleSheetsStore, emulator: SheetsEmulator,
    spreadsheet_id: str,
) -> None:
    sheet_with_tabs(emulator, spreadsheet_id)
    copy_store(small_store(tmp_path / "a.sqlite3"), sheets_store)
    emulator.timeout_next(kind="spreadsheets.batchUpdate", applied=True)
    emulator.reset_counts()
    sheets_store.clear(["people", "donations"])
    for name in ("people", "donations"):
        assert len(emulator.sheet(spreadsheet_id, name).values()) == 1
        assert emulator.sheet(spreadsheet_id, name).row_count == 2
    # the grid sizes, the clear (applied, answer lost), the grid sizes again: not resent
    assert [endpoint for _, endpoint, _ in emulator.requests] == [
        "spreadsheets.get", "spreadsheets.batchUpdate", "spreadsheets.get"]
