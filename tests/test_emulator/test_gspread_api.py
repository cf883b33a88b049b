"""Real gspread 6.2.1 calls the app relies on, unchanged, against the emulator."""

from __future__ import annotations

import gspread

from tests.emulator import SheetsEmulator

from .conftest import PEOPLE


def test_open_worksheet_and_get_all_values(emu: SheetsEmulator, sh: gspread.Spreadsheet) -> None:
    assert sh.title == "Steward"
    ws = sh.worksheet("people")
    assert ws.get_all_values() == PEOPLE
    assert [w.title for w in sh.worksheets()] == ["people", "gifts"]


def test_append_rows_insert_with_table_range(emu: SheetsEmulator, sid: str,
                                             sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    before = emu.sheet(sid, "people").row_count
    resp = ws.append_rows([["p4", "Di", "Kay", "00501"], ["p5", "Ed", "Lo", "60601"]],
                          value_input_option="RAW", insert_data_option="INSERT_ROWS",
                          table_range="A1")
    assert resp["tableRange"] == "people!A1:D4"
    assert resp["updates"]["updatedRange"] == "people!A5:D6"
    assert ws.get_all_values()[-2:] == [["p4", "Di", "Kay", "00501"], ["p5", "Ed", "Lo", "60601"]]
    assert emu.sheet(sid, "people").row_count == before + 2


def test_append_grows_grid(emu: SheetsEmulator) -> None:
    sid = emu.create_spreadsheet("s")
    ws = emu.client().open_by_key(sid).sheet1
    ws.resize(rows=2, cols=3)
    ws.append_rows([["a"], ["b"], ["c"]], value_input_option="RAW")
    assert emu.sheet(sid, "Sheet1").row_count == 3
    assert ws.get_all_values() == [["a"], ["b"], ["c"]]


def test_batch_update_and_values_batch_get(sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    ws.batch_update([{"range": "B2", "values": [["Anna"]]},
                     {"range": "C3:D3", "values": [["Adamson", "10002"]]}])
    got = sh.values_batch_get(["people!A1:D3", "gifts"])
    assert got["valueRanges"][0]["values"][1:] == [["p1", "Anna", "Zimmer", "02134"],
                                                   ["p2", "Bob", "Adamson", "10002"]]
    assert got["valueRanges"][1] == {"range": "gifts!A1:Z1000", "majorDimension": "ROWS",
                                     "values": [["id", "amount"]]}


def test_add_worksheet_and_duplicate_title(sh: gspread.Spreadsheet) -> None:
    ws = sh.add_worksheet("outbox", rows=10, cols=4)
    assert (ws.title, ws.row_count, ws.col_count) == ("outbox", 10, 4)
    try:
        sh.add_worksheet("outbox", rows=1, cols=1)
    except gspread.exceptions.APIError as err:
        assert err.response.status_code == 400
        assert "already exists" in err.response.json()["error"]["message"]
    else:
        raise AssertionError("duplicate title accepted")
    sh.del_worksheet(ws)
    assert [w.title for w in sh.worksheets()] == ["people", "gifts"]


def test_quoted_titles(emu: SheetsEmulator) -> None:
    sid = emu.create_spreadsheet("s", tabs={"Bob's list": [["a", "b"]], "D3": [["x"]]})
    sh = emu.client().open_by_key(sid)
    assert sh.values_get("'Bob''s list'!A:A")["range"] == "'Bob''s list'!A1:A1000"
    assert sh.worksheet("D3").get_all_values() == [["x"]]
    assert sh.values_get("'D3'!2:5")["range"] == "'D3'!A2:Z5"


def test_counts_by_kind(emu: SheetsEmulator) -> None:
    tabs = {f"t{i}": [["id"], [str(i)]] for i in range(7)}
    sid = emu.create_spreadsheet("s", tabs=tabs)
    sh = emu.client().open_by_key(sid)
    emu.reset_counts()
    sh.values_batch_get([f"t{i}" for i in range(7)])
    assert emu.counts["read"] == 1 and emu.counts["values.batchGet"] == 1
    sh.worksheet("t0")  # one more metadata read
    ws = sh.get_worksheet(0)
    ws.update(range_name="A3", values=[["x"]])
    assert emu.counts["read"] == 3
    assert emu.counts["write"] == 1 and emu.counts["values.update"] == 1
    assert [e for _, e, _ in emu.requests] == ["values.batchGet", "spreadsheets.get",
                                               "spreadsheets.get", "values.update"]
