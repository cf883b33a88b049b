"""Value typing and rendering through real gspread: RAW vs USER_ENTERED, render options."""

from __future__ import annotations

import gspread

from tests.emulator import Formula, SheetsEmulator


def test_raw_keeps_strings_exactly(emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    ws.update(range_name="A6", values=[["=1+1", "+1", "-2", "@x", "'quoted", "02134", 7, True]],
              value_input_option="RAW")
    tab = emu.sheet(sid, "people")
    assert [tab.cell(6, c) for c in range(1, 9)] == [
        "=1+1", "+1", "-2", "@x", "'quoted", "02134", 7, True
    ]
    assert ws.get("A6:H6") == [["=1+1", "+1", "-2", "@x", "'quoted", "02134", "7", "TRUE"]]


def test_user_entered_parses_like_a_person(
    emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet
) -> None:
    ws = sh.worksheet("people")
    ws.update(
        range_name="A6",
        values=[["=1+2*3", "1,234.5", "-3", "true", "2024-03-15", "3/15/2024", "'0042", "x",
                 "=SUM(A6:C6)", "=NOPE(1)"]],
        value_input_option="USER_ENTERED",
    )
    tab = emu.sheet(sid, "people")
    assert tab.cell(6, 1) == Formula("=1+2*3")
    assert tab.cell(6, 2) == 1234.5
    assert tab.cell(6, 3) == -3
    assert tab.cell(6, 4) is True
    assert tab.cell(6, 5) == 45366  # days since 1899-12-30
    assert tab.cell(6, 7) == "0042"
    assert ws.get("A6:J6") == [["7", "1,234.5", "-3", "TRUE", "2024-03-15", "3/15/2024", "0042",
                                "x", "1238.5", "#NAME?"]]
    unformatted = ws.get("A6:J6", value_render_option="UNFORMATTED_VALUE")
    assert unformatted == [[7, 1234.5, -3, True, 45366, 45366, "0042", "x", 1238.5, "#NAME?"]]
    formulas = ws.get("A6:J6", value_render_option="FORMULA")
    assert formulas[0][0] == "=1+2*3" and formulas[0][8] == "=SUM(A6:C6)"
    dated = ws.get("E6", value_render_option="UNFORMATTED_VALUE",
                   date_time_render_option="FORMATTED_STRING")
    assert dated == [["2024-03-15"]]


def test_update_cell_is_user_entered(
    emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet
) -> None:
    ws = sh.worksheet("people")
    ws.update_cell(2, 4, "02134")
    assert emu.sheet(sid, "people").cell(2, 4) == 2134  # the ZIP code trap, as on Google


def test_trimming_and_missing_values_key(sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("gifts")
    ws.update(range_name="A3", values=[["", "x"]], value_input_option="RAW")
    resp = sh.values_get("gifts!A1:Z10")
    assert resp["range"] == "gifts!A1:Z10"
    assert resp["values"] == [["id", "amount"], [], ["", "x"]]
    empty = sh.values_get("gifts!D1:E5")
    assert "values" not in empty


def test_errors_in_googles_shape(emu: SheetsEmulator, sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    for bad, status in (("nope!A1", 400), ("people!A1:A2000", 400)):
        try:
            sh.values_get(bad)
        except gspread.exceptions.APIError as err:
            assert err.response.status_code == status
            assert err.response.json()["error"]["status"] == "INVALID_ARGUMENT"
        else:
            raise AssertionError(bad)
    try:
        ws.update(range_name="A1000", values=[["a"], ["b"]])
    except gspread.exceptions.APIError as err:
        assert "exceeds grid limits" in err.response.json()["error"]["message"]
    else:
        raise AssertionError("write past the grid accepted")
    try:
        emu.client().open_by_key("missing")
    except gspread.exceptions.SpreadsheetNotFound:
        pass
    else:
        raise AssertionError("unknown spreadsheet opened")


def test_number_format_affects_formatted_dates(sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("gifts")
    ws.update(range_name="B2", values=[[45366]], value_input_option="RAW")
    ws.format("B2:B", {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}})
    assert ws.get("B2") == [["2024-03-15"]]
    assert ws.get("B2", value_render_option="UNFORMATTED_VALUE") == [[45366]]
