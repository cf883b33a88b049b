"""copyPaste between tabs, and a batchUpdate that answers with cells after it ran
(`includeSpreadsheetInResponse` + `responseRanges` + `responseIncludeGridData`)."""

from __future__ import annotations

import gspread

from tests.emulator import SheetsEmulator


def test_copy_paste_to_another_tab_keeps_values_and_formats(
    emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet
) -> None:
    sh.batch_update({"requests": [{"addSheet": {"properties": {
        "title": "scratch", "sheetId": 77, "hidden": True,
        "gridProperties": {"rowCount": 2, "columnCount": 4}}}}]})
    people = sh.worksheet("people").id
    reply = sh.batch_update({"requests": [{"copyPaste": {
        "source": {"sheetId": people, "startRowIndex": 2, "endRowIndex": 3,
                   "startColumnIndex": 0, "endColumnIndex": 4},
        "destination": {"sheetId": 77, "startRowIndex": 0, "endRowIndex": 1,
                        "startColumnIndex": 0, "endColumnIndex": 4},
        "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}}]})
    assert reply["replies"] == [{}]  # as Google answers a copyPaste (recorded)
    assert emu.sheet(sid, "scratch").values() == [["p2", "Bob", "Adams", "10001"]]


def test_a_batch_update_answers_with_the_cells_of_its_response_ranges_after_it_ran(
    sh: gspread.Spreadsheet,
) -> None:
    people = sh.worksheet("people").id
    answer = sh.batch_update({
        "requests": [{"updateCells": {
            "range": {"sheetId": people, "startRowIndex": 1, "endRowIndex": 2,
                      "startColumnIndex": 1, "endColumnIndex": 2},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "Anna"}}]}],
            "fields": "userEnteredValue"}}],
        "includeSpreadsheetInResponse": True,
        "responseRanges": ["'people'!A2:D3"],
        "responseIncludeGridData": True,
    })
    sheets = answer["updatedSpreadsheet"]["sheets"]
    assert [s["properties"]["title"] for s in sheets] == ["people"]
    (data,) = sheets[0]["data"]
    assert data["startRow"] == 1 and "startColumn" not in data
    first = data["rowData"][0]["values"]
    assert first[0]["userEnteredValue"] == {"stringValue": "p1"}
    assert first[1]["effectiveValue"] == {"stringValue": "Anna"}  # after the update
    assert first[3]["formattedValue"] == "02134"
    assert len(data["rowData"]) == 2


def test_without_grid_data_the_response_ranges_only_choose_tabs(
    sh: gspread.Spreadsheet,
) -> None:
    answer = sh.batch_update({"requests": [], "includeSpreadsheetInResponse": True,
                              "responseRanges": ["'gifts'!A1"]})
    sheets = answer["updatedSpreadsheet"]["sheets"]
    assert [s["properties"]["title"] for s in sheets] == ["gifts"]
    assert "data" not in sheets[0]
