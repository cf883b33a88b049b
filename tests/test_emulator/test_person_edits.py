"""What staff do by hand in the Sheets UI, as tests stage it."""

from __future__ import annotations

import gspread

from tests.emulator import Formula, SheetsEmulator


def test_sort_by_header(emu: SheetsEmulator, sid: str) -> None:
    tab = emu.sheet(sid, "people")
    tab.sort(by_header="last_name")
    assert [r[2] for r in tab.values()] == ["last_name", "Adams", "Mills", "Zimmer"]
    tab.sort(by_header="last_name", descending=True)
    assert [r[0] for r in tab.values()] == ["id", "p1", "p3", "p2"]


def test_sort_numbers_before_text_blanks_last(emu: SheetsEmulator) -> None:
    sid = emu.create_spreadsheet("s", tabs={"t": [["k"], ["b"], [10], [""], [2], ["A"]]})
    tab = emu.sheet(sid, "t")
    tab.sort(by_header="k")
    assert tab.values() == [["k"], ["2"], ["10"], ["A"], ["b"]]


def test_insert_delete_and_add_column(emu: SheetsEmulator, sid: str,
                                      sh: gspread.Spreadsheet) -> None:
    tab = emu.sheet(sid, "people")
    tab.insert_rows(2, [["p0", "Zoe", "Able", "'01010"]])
    assert tab.values()[1] == ["p0", "Zoe", "Able", "01010"]
    assert tab.values()[2][0] == "p1"
    tab.delete_row(3)
    assert [r[0] for r in tab.values()] == ["id", "p0", "p2", "p3"]
    col = tab.add_column("notes", ["vip"])
    assert col == 5 and tab.values()[0][-1] == "notes" and tab.values()[1][-1] == "vip"
    assert sh.worksheet("people").get_all_values()[0] == ["id", "first_name", "last_name",
                                                           "zip", "notes"]


def test_set_and_append_row_are_user_entered(emu: SheetsEmulator, sid: str) -> None:
    tab = emu.sheet(sid, "people")
    tab.set(2, 4, "2134")
    assert tab.cell(2, 4) == 2134
    tab.set(3, 5, "=1+1")
    assert tab.cell(3, 5) == Formula("=1+1") and tab.values()[2][4] == "2"
    row = tab.append_row(["p4", "Di", "Kay", "'00501"])
    assert row == 5 and tab.values()[4] == ["p4", "Di", "Kay", "00501"]


def test_create_spreadsheet_defaults(emu: SheetsEmulator) -> None:
    sid = emu.create_spreadsheet("blank", tabs={})
    assert [t.title for t in emu.spreadsheet(sid)] == ["Sheet1"]  # like a new Google file
    sid2 = emu.create_spreadsheet("default")
    tab = emu.sheet(sid2, "Sheet1")
    assert (tab.row_count, tab.col_count) == (1000, 26)
    big = emu.create_spreadsheet("big", tabs={"t": [["x"] * 30] * 1200})
    assert (emu.sheet(big, "t").row_count, emu.sheet(big, "t").col_count) == (1200, 30)
