"""Shared fixtures for the emulator's own tests."""

from __future__ import annotations

import gspread
import pytest

from tests.emulator import SheetsEmulator

PEOPLE = [
    ["id", "first_name", "last_name", "zip"],
    ["p1", "Ann", "Zimmer", "02134"],
    ["p2", "Bob", "Adams", "10001"],
    ["p3", "Cy", "Mills", "94110"],
]


@pytest.fixture
def emu() -> SheetsEmulator:
    return SheetsEmulator()


@pytest.fixture
def sid(emu: SheetsEmulator) -> str:
    return emu.create_spreadsheet("Steward", tabs={"people": PEOPLE, "gifts": [["id", "amount"]]})


@pytest.fixture
def sh(emu: SheetsEmulator, sid: str) -> gspread.Spreadsheet:
    return emu.client().open_by_key(sid)
