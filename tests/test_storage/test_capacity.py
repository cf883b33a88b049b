"""Knowing when to move: cells and requests a minute against Google's limits."""

from __future__ import annotations

import pytest

from sheets_schema import TABS
from sheets_schema.changes import ChangeSet
from storage.capacity import Capacity, RequestLog, Usage, capacity, capacity_of
from storage.sheets_store import GoogleSheetsStore
from storage.sqlite_store import SQLiteStore
from tests.conftest import FakeTime
from tests.emulator import SheetsEmulator


@pytest.mark.parametrize(("usage", "shares", "warned"), [
    # 10,000,000 cells and 60 reads / 60 writes a minute; 80% is 8,000,000, 48 and 48
    (Usage(7_999_999, 47, 47), (0.7999999, 47 / 60, 47 / 60), []),
    (Usage(8_000_000, 0, 0), (0.8, 0.0, 0.0), ["cells"]),
    (Usage(1_000, 48, 12), (0.0001, 0.8, 0.2), ["reads"]),
    (Usage(None, 60, 75), (None, 1.0, 1.25), ["reads", "writes"]),
])
def test_shares_and_warnings_at_eighty_percent(
    usage: Usage, shares: tuple[float | None, float, float], warned: list[str]
) -> None:
    found = capacity_of(usage)
    assert (found.cell_share, found.read_share, found.write_share) == shares
    assert len(found.warnings) == len(warned)
    for word, warning in zip(warned, found.warnings, strict=True):
        assert word in warning
        assert "python -m steward copy --from SOURCE --to postgresql://" in warning


def test_the_cell_warning_names_the_numbers_and_this_sheet() -> None:
    found = capacity_of(Usage(9_123_456, 3, 1, spec="sheets:1AbC"))
    assert found.warnings == (
        "The Google Sheet holds 9,123,456 cells of Google's limit of 10,000,000 (91%). When "
        "it is full nothing more can be added: move the data to a database with `python -m "
        "steward copy --from sheets:1AbC --to postgresql://USER@HOST/DBNAME`.",)


def test_the_request_log_forgets_what_is_older_than_a_minute(fake_time: FakeTime) -> None:
    log = RequestLog(clock=fake_time.clock)
    for bucket in ("read", "write", "read", "read"):
        log.record(bucket)
        fake_time.sleep(10)  # sent at 0, 10, 20 and 30 s
    assert log.recent() == (3, 1)  # now 40 s
    fake_time.sleep(20)
    assert log.recent() == (2, 1)  # 60 s: the read sent at 0 is a minute old
    fake_time.sleep(10.5)
    assert log.recent() == (2, 0)  # 70.5 s: the write at 10 too
    fake_time.sleep(20)
    assert log.recent() == (0, 0)


def test_sqlite_has_no_such_limits(tmp_path) -> None:
    assert capacity(SQLiteStore(tmp_path / "s.sqlite3")) is None


def test_the_sheet_store_counts_its_own_requests_and_cells_without_asking(
    emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    tabs = {name: [list(spec.column_names)] for name, spec in TABS.items()}
    sid = emulator.create_spreadsheet("Steward", tabs=tabs)
    store = GoogleSheetsStore(emulator.client(), sid)
    store.requests = RequestLog(clock=fake_time.clock)
    # every tab is 1000 rows by max(26, its columns)
    cells = sum(1000 * max(26, len(spec.columns)) for spec in TABS.values())
    assert store.usage().cells is None  # nothing known before the first load
    store.load()
    assert store.usage() == Usage(cells, 2, 0, spec=f"sheets:{sid}")  # metadata + batchGet
    emulator.sheet(sid, "settings").resize(rows=1)  # staff shrank a tab to its header
    emulator.reset_counts()
    store.commit(ChangeSet().append("settings", {"key": "a", "value": "1"},
                                    {"key": "b", "value": "2"}))
    assert emulator.counts["spreadsheets.get"] == 0
    width = max(26, len(TABS["settings"].columns))
    found = capacity(store)
    assert isinstance(found, Capacity)
    # the commit's answer told the store the grid sizes: settings is now 3 rows
    assert found.cells == cells - 997 * width
    assert (found.reads, found.writes) == (3, 1)
    fake_time.sleep(61)
    assert store.usage().reads == 0
