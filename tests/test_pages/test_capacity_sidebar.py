"""The sidebar on Google Sheets: cells and requests against Google's limits, and the warning
at 80% that names the command moving the data to a database."""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from pages.common.data import STORE_OVERRIDE
from sheets_schema import TABS
from storage import Store
from storage.capacity import CELL_LIMIT
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator
from tests.test_pages.conftest import APP, shown

COMMAND = "python -m steward copy --from sheets:"


def sheet_of(emulator: SheetsEmulator, share: float) -> GoogleSheetsStore:
    """A spreadsheet with every tab, whose donations grid is grown until the whole file
    has `share` of Google's 10,000,000 cells (staff added empty rows, say)."""
    sid = emulator.create_spreadsheet("Steward", tabs={
        name: [list(spec.column_names)] for name, spec in TABS.items()})
    donations = emulator.sheet(sid, "donations")
    others = sum(1000 * max(26, len(spec.columns)) for name, spec in TABS.items()
                 if name != "donations")
    donations.row_count = math.ceil((share * CELL_LIMIT - others) / donations.col_count)
    return GoogleSheetsStore(emulator.client(), sid)


def home(store: Store) -> AppTest:
    """The app's first page on `store`. (After `switch_page` AppTest runs the page without
    the entry script's sidebar, so the sidebar is checked here.)"""
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    app.run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def sidebar_text(app: AppTest, kind: str) -> str:
    return "\n".join(shown(e.value) for e in getattr(app.sidebar, kind))


@pytest.mark.usefixtures("open_page")  # for its empty caches
@pytest.mark.parametrize(("share", "warned"), [(0.79, False), (0.80, True)])
def test_the_sidebar_warns_when_the_sheet_is_80_percent_full(
    emulator: SheetsEmulator, share: float, warned: bool
) -> None:
    store = sheet_of(emulator, share)
    app = home(store)
    assert f"of 10,000,000 cells ({share:.0%})" in sidebar_text(app, "caption")
    warning = sidebar_text(app, "warning")
    assert (COMMAND + store.spreadsheet_id in warning) is warned
    assert ("of Google's limit of 10,000,000" in warning) is warned


@pytest.mark.usefixtures("open_page")
def test_the_sidebar_warns_at_48_requests_in_a_minute(emulator: SheetsEmulator) -> None:
    store = sheet_of(emulator, 0.1)
    for _ in range(46):
        store.requests.record("read")
    app = home(store)  # reads the tabs' metadata and values: 48
    assert "Last minute: 48 reads and 0 writes to Google, of about 60 each" in sidebar_text(
        app, "caption")
    warning = sidebar_text(app, "warning")
    assert "sent 48 reads to Google in the last minute" in warning
    assert COMMAND + store.spreadsheet_id in warning


@pytest.mark.usefixtures("open_page")
def test_sqlite_shows_none_of_this(demo_store: Store) -> None:
    app = home(demo_store)
    assert "cells" not in sidebar_text(app, "caption")
    assert "Last minute" not in sidebar_text(app, "caption")
