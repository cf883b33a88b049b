"""`staff`: a person editing the data of the test's store behind the app's back."""

from __future__ import annotations

import pytest

from storage import Store

from .staff import PostgresStaff, SheetStaff, SQLiteStaff, Staff


@pytest.fixture
def staff(backend: str, empty_store: Store, request: pytest.FixtureRequest) -> Staff:
    """Someone in the Google Sheet, another program on the SQLite file, or someone in psql
    on the PostgreSQL database."""
    if backend == "sheets":
        return SheetStaff(request.getfixturevalue("emulator"),
                          request.getfixturevalue("spreadsheet_id"))
    if backend == "postgres":
        return PostgresStaff(request.getfixturevalue("postgres_url"))
    return SQLiteStaff(request.getfixturevalue("sqlite_path"))
