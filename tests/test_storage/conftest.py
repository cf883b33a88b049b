"""`staff`: a person editing the data of the test's store behind the app's back."""

from __future__ import annotations

import pytest

from storage import Store

from .staff import SheetStaff, SQLiteStaff, Staff


@pytest.fixture
def staff(backend: str, empty_store: Store, request: pytest.FixtureRequest) -> Staff:
    """Someone in the Google Sheet, or another program on the SQLite file."""
    if backend == "sheets":
        return SheetStaff(request.getfixturevalue("emulator"),
                          request.getfixturevalue("spreadsheet_id"))
    return SQLiteStaff(request.getfixturevalue("sqlite_path"))
