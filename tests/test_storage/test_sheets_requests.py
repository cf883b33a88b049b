"""The Google Sheets backend's request building, without a sheet or a client: A1 ranges,
which requests a change set becomes, and what the tab list says (`storage/sheets_cells.py`,
`sheets_plan.py`, `sheets_requests.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gspread.utils import rowcol_to_a1

from sheets_schema import Locale
from storage import ChangeSet, Conflict, NotFound
from storage.commit import run_commit
from storage.sheets_cells import a1_cell, a1_tab, column_letter, column_range, find_row
from storage.sheets_plan import (
    KEYS_IN_USE,
    MAX_PAYLOAD_BYTES,
    CommitPlanning,
    Plan,
    delete_rows,
    row_runs,
)
from storage.sheets_requests import (
    clear_requests,
    commit_ranges,
    grid_cells,
    header_cell_requests,
    stale_intents,
)

HEADER = ["id", "first_name", "last_name"]
PEOPLE = [HEADER, ["P1", "Ann", "Zimmer"], ["P2", "Bob", "Adams"], ["P3", "Cy", "Mills"]]
IDS = {"people": 7, "audit_log": 9}


@pytest.mark.parametrize("row, column", [(1, 1), (1, 26), (1, 27), (5, 52), (2, 703),
                                         (1, 16384)])
def test_a1_cells_are_what_gspread_names_them(row: int, column: int) -> None:
    assert a1_cell(row, column) == rowcol_to_a1(row, column)
    assert column_letter(column - 1) == rowcol_to_a1(1, column).rstrip("1")


def test_tab_titles_are_quoted_in_a1() -> None:
    assert a1_tab("it's") == "'it''s'"
    assert column_range("people", 27) == "'people'!AB:AB"


def test_a_row_is_found_by_its_key_as_read_now() -> None:
    assert find_row("people", HEADER, PEOPLE, "P2") == (
        3, {"id": "P2", "first_name": "Bob", "last_name": "Adams"})
    with pytest.raises(NotFound):
        find_row("people", HEADER, PEOPLE, "P9")
    with pytest.raises(Conflict, match="Rows 2, 5"):
        find_row("people", HEADER, [*PEOPLE, ["P1", "Ann"]], "P1")


def test_rows_deleted_together_go_bottom_up_as_few_ranges() -> None:
    assert row_runs([3, 4, 5, 9]) == [(3, 5), (9, 9)]
    ranges = [r["deleteDimension"]["range"] for r in delete_rows(7, [9, 3, 5, 4])]
    assert [(r["startIndex"], r["endIndex"]) for r in ranges] == [(8, 9), (2, 5)]


def plan_of(changes: ChangeSet, values: dict[str, list[list[Any]]]) -> Plan:
    headers = {name: [str(h) for h in rows[0]] for name, rows in values.items()
               if not name.startswith(KEYS_IN_USE)}
    planning = CommitPlanning(Plan(lambda: IDS, headers), values, headers,
                              lambda name, at: [])
    run_commit(planning, changes, skip_conflicts=False, audit=None, locale=Locale())
    return planning.finish()


def test_a_commit_becomes_cell_edits_then_row_deletes_then_new_rows_in_one_request() -> None:
    changes = (ChangeSet().append("people", {"id": "P4", "first_name": "Di"})
               .delete("people", "P1", {"id": "P1"})
               .edit("people", "P3", {"first_name": "Cyrus"}, {"first_name": "Cy"}))
    body = plan_of(changes, {"people": PEOPLE}).single_body()
    assert body is not None
    kinds = [next(iter(r)) for r in body.requests]
    assert kinds == ["updateCells", "deleteDimension", "appendCells"]
    edit = body.requests[0]["updateCells"]
    assert edit["range"]["startRowIndex"] == 3 and edit["range"]["startColumnIndex"] == 1
    assert edit["rows"] == [{"values": [{"userEnteredValue": {"stringValue": "Cyrus"}}]}]
    assert body.requests[2]["appendCells"]["sheetId"] == 7
    assert body.first_new == ("people", 0, "P4")


def test_new_rows_past_two_megabytes_do_not_fit_one_request() -> None:
    rows = [{"id": f"P{n}", "first_name": "x" * 1000} for n in range(2500)]
    plan = plan_of(ChangeSet(as_given=True).append("people", *rows), {"people": [HEADER]})
    assert plan.single_body() is None
    body = plan.single_body(limit=False)
    assert body is not None and len(str(body.requests)) > MAX_PAYLOAD_BYTES


def test_a_commit_reads_whole_only_the_tabs_it_edits() -> None:
    changes = (ChangeSet().edit("people", "P1", {"first_name": "A"}, {})
               .append("donations", {"id": "D1"}))
    ranges, names = commit_ranges(changes, True, None, {"donations": 3})
    assert ranges == ["'people'", "'donations'!1:1", "'audit_log'!1:1", "'donations'!D:D"]
    assert names == ["people", "donations", "audit_log", KEYS_IN_USE + "donations"]


def test_emptying_tabs_keeps_the_header_and_one_blank_row() -> None:
    grids = {"people": {"sheetId": 7, "gridProperties": {"rowCount": 40}},
             "gifts": {"sheetId": 8, "gridProperties": {"rowCount": 1}}}
    requests, sizes = clear_requests(["people", "gifts"], grids)
    assert sizes == {7: 40}
    assert requests == [
        {"appendDimension": {"sheetId": 7, "dimension": "ROWS", "length": 1}},
        {"deleteDimension": {"range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 1,
                                       "endIndex": 40}}}]


def test_new_header_cells_go_after_the_last_one_widening_the_grid() -> None:
    grids = {"people": {"sheetId": 7, "gridProperties": {"columnCount": 3}}}
    requests = header_cell_requests({"people": HEADER}, {"people": ["id", "Pledge"]}, grids)
    assert requests[0] == {"appendDimension": {"sheetId": 7, "dimension": "COLUMNS",
                                               "length": 1}}
    assert requests[1]["updateCells"]["start"] == {"sheetId": 7, "rowIndex": 0,
                                                   "columnIndex": 3}


def test_only_intents_older_than_fifteen_minutes_are_stale() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    pending = [{"sheetId": 1}, {"sheetId": 2}]
    answers = [{"values": [["started", (now - timedelta(minutes=20)).isoformat()],
                           ["people", "0", "P1\nP2\n"]]},
               {"values": [["started", (now - timedelta(minutes=5)).isoformat()],
                           ["people", "0", "P3\n"]]}]
    assert stale_intents(pending, answers, now) == ([1], {"people": (0, {"P1", "P2"})})


def test_the_cells_in_use_are_the_grid_sizes_of_every_tab() -> None:
    metadata = {"sheets": [{"properties": {"gridProperties": {"rowCount": 10,
                                                              "columnCount": 3}}},
                           {"properties": {"gridProperties": {"rowCount": 2,
                                                              "columnCount": 5}}}]}
    assert grid_cells(metadata) == 40
