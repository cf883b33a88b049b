"""The Google Sheets backend's other requests and what it learns from the tab list, with no
I/O: what a commit reads, how a misplaced save is put back, the intent tab of a large save
and when one is stale, emptying tabs, new header cells and columns, and the grid sizes
`usage` reports. `sheets_store` sends them; this module only builds and reads JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sheets_schema import TABS, tab
from sheets_schema.changes import ChangeSet
from sheets_schema.frames import FIRST_DATA_ROW

from .base import SchemaReport
from .sheets_cells import (
    a1_cell,
    a1_tab,
    column_format,
    column_letter,
    column_range,
    rows_with,
    text_of,
)
from .sheets_plan import (
    INTENT_CELL_CHARS,
    KEYS_IN_USE,
    KEYS_OF,
    PENDING_PREFIX,
    PENDING_SHEET_ID,
    PENDING_STALE,
    SCRATCH_KEYS,
    SCRATCH_SHEET_ID,
    SCRATCH_TAB,
    Body,
    Plan,
    Sent,
    Target,
    delete_rows,
    keyed_tabs,
    started_at,
)

Requests = list[dict[str, Any]]


def commit_ranges(changes: ChangeSet, audit: bool, sent: Sent | None,
                  key_at: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """What a commit reads, as A1 ranges and the name each answer is kept under: the tabs
    with edits or deletes in full, the header of the others, the key column (where it last
    was, `key_at`) of tabs getting new rows and, after a lost answer, what tells whether
    that attempt landed (its first new row's key column, the scratch tab's column A)."""
    found = list(dict.fromkeys([*changes.edits, *changes.deletes]))
    header_only = [name for name in dict.fromkeys(
        [*changes.appends, *(["audit_log"] if audit else [])]) if name not in found]
    ranges = [a1_tab(t) for t in found] + [f"{a1_tab(t)}!1:1" for t in header_only]
    names = [*found, *header_only]
    check = sent.first_new if sent is not None else None
    if check is not None and check[0] not in found:
        letter = column_letter(check[1])
        ranges.append(f"{a1_tab(check[0])}!{letter}:{letter}")
        names.append(KEYS_OF + check[0])
    if sent is not None and sent.body is not None and sent.body.targets:
        ranges.append(sent.body.response_ranges[0])
        names.append(SCRATCH_KEYS)
    for name in keyed_tabs(changes, found):
        default = tab(name).column_names.index(tab(name).key)
        ranges.append(column_range(name, key_at.get(name, default)))
        names.append(KEYS_IN_USE + name)
    return ranges, names


def headers_of(values: Mapping[str, list[list[Any]]]) -> dict[str, list[str]]:
    """The header row of each tab read whole or by its header (not of key columns)."""
    return {name: [text_of(h).strip() for h in (rows[0] if rows else [])]
            for name, rows in values.items()
            if not name.startswith((KEYS_OF, KEYS_IN_USE)) and name != SCRATCH_KEYS}


def rows_holding(values: list[list[Any]], keys: set[str]) -> list[int]:
    """The sheet row numbers of a one-column read (header included) holding one of `keys`."""
    return [n for n, row in enumerate(values, start=1)
            if n >= FIRST_DATA_ROW and row and text_of(row[0]) in keys]


def undo_requests(body: Body, wrong: list[tuple[Target, str]],
                  values: Mapping[str, list[list[Any]]], headers: Mapping[str, list[str]],
                  ids: Mapping[str, int]) -> tuple[Requests, list[str]]:
    """What puts back a save that landed on rows that moved under it (`wrong`: each with
    the key its row held), over its tabs as read just now: each edited row gets its copy
    back from the scratch tab (found by the key it held), each deleted row is inserted
    again at the end of its tab from its copy, the rows the save added are removed. Also
    the rows that could not be found (then nothing may be sent)."""
    held = {target: key for target, key in wrong}
    scratch_id = body.scratch_id
    requests: Requests = []
    lost: list[str] = []

    def restore(index: int, to_tab: str, row_index: int) -> None:
        width = len(headers[to_tab]) or 1
        requests.append({"copyPaste": {
            "source": {"sheetId": scratch_id, "startRowIndex": index,
                       "endRowIndex": index + 1, "startColumnIndex": 1,
                       "endColumnIndex": 1 + width},
            "destination": {"sheetId": ids[to_tab], "startRowIndex": row_index,
                            "endRowIndex": row_index + 1, "startColumnIndex": 0,
                            "endColumnIndex": width},
            "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}})

    reinsert: dict[str, list[int]] = {}
    for index, target in enumerate(body.targets):
        key = held.get(target, target.key)
        if target.kind == "delete":
            reinsert.setdefault(target.tab, []).append(index)
            continue
        rows = rows_with(target.tab, headers[target.tab], values[target.tab], key)
        if len(rows) == 1 and key:
            restore(index, target.tab, rows[0] - 1)
        else:
            lost.append(f"{target.tab} {key or 'row ' + str(target.row)}")
    for name, indexes in reinsert.items():
        end = len(values[name])
        requests.append({"insertDimension": {"range": {
            "sheetId": ids[name], "dimension": "ROWS", "startIndex": end,
            "endIndex": end + len(indexes)}, "inheritFromBefore": True}})
        for offset, index in enumerate(indexes):
            restore(index, name, end + offset)
    added: dict[str, list[int]] = {}
    for name, key in body.new_keys:
        added.setdefault(name, []).extend(rows_with(name, headers[name], values[name], key))
    for name, numbers in added.items():
        requests.extend(delete_rows(ids[name], numbers))
    return requests, lost


def intent_requests(plan: Plan, grouped: Mapping[str, list[tuple[list[Any], str]]],
                    started: datetime) -> tuple[int, Requests]:
    """The hidden tab `_steward_pending_<id>` recording a large commit's intent: when it
    started and the key of every row it is about to add (by tab), and its sheet id, one of
    a billion from the commit's random nonce (a large append reads no tab list)."""
    intent = PENDING_SHEET_ID + int(plan.nonce[:8], 16) % 1_000_000_000
    rows: list[list[str]] = [["started", started.isoformat()]]
    for tab_name, records in grouped.items():
        column = str(plan.key_column(tab_name))
        text = ""
        for _, key in records:
            if len(text) + len(key) + 1 > INTENT_CELL_CHARS:
                rows.append([tab_name, column, text])
                text = ""
            text += key + "\n"
        rows.append([tab_name, column, text])
    return intent, [
        {"addSheet": {"properties": {
            "sheetId": intent, "title": f"{PENDING_PREFIX}{plan.nonce[:12]}", "hidden": True,
            "gridProperties": {"rowCount": len(rows), "columnCount": 3}}}},
        {"updateCells": {
            "start": {"sheetId": intent, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": v}} for v in row]}
                     for row in rows],
            "fields": "userEnteredValue"}}]


def pending_intents(metadata: Mapping[str, Any], own: set[int]) -> list[Mapping[str, Any]]:
    """The properties of the intent tabs in the tab list, but this process's own."""
    return [sheet["properties"] for sheet in metadata.get("sheets", [])
            if str(sheet["properties"].get("title", "")).startswith(PENDING_PREFIX)
            and sheet["properties"]["sheetId"] not in own]


def stale_intents(pending: Sequence[Mapping[str, Any]], value_ranges: Sequence[Any],
                  now: datetime, stale_after: timedelta = PENDING_STALE
                  ) -> tuple[list[int], dict[str, tuple[int, set[str]]]]:
    """Of the intent tabs `pending` (columns A:C of each read as `value_ranges`), the ids of
    those older than `stale_after` (their commit gave up long ago) and the rows they name,
    by tab: key column and keys."""
    stale: list[int] = []
    keys: dict[str, tuple[int, set[str]]] = {}
    for properties, vr in zip(pending, value_ranges, strict=True):
        rows = vr.get("values", [])
        started = started_at(rows)
        if started is not None and now - started < stale_after:
            continue  # its commit may still be running in another process
        stale.append(int(properties["sheetId"]))
        for row in rows[1:]:
            if len(row) >= 3 and row[0] in TABS:
                _, found = keys.setdefault(row[0], (int(row[1]), set()))
                found.update(k for k in str(row[2]).split("\n") if k)
    return stale, keys


def clear_requests(tabs: Sequence[str], grids: Mapping[str, Mapping[str, Any]]
                   ) -> tuple[Requests, dict[int, int]]:
    """Requests deleting every row below the header of `tabs` (by their grid properties),
    and each tab's row count before. Google refuses to delete all non-frozen rows of a
    tab, so each first gets one blank row at the end, which stays."""
    requests: Requests = []
    sizes: dict[int, int] = {}
    for name in tabs:
        properties = grids[name]
        rows = int(properties.get("gridProperties", {}).get("rowCount", 0))
        if rows <= 1:
            continue
        sheet_id = properties["sheetId"]
        sizes[sheet_id] = rows
        requests.append({"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS",
                                             "length": 1}})
        requests.append({"deleteDimension": {"range": {
            "sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": rows}}})
    return requests, sizes


def header_cell_requests(headers: Mapping[str, list[str]],
                         columns: Mapping[str, Sequence[str]],
                         grids: Mapping[str, Mapping[str, Any]]) -> Requests:
    """Header cells for `columns` (by tab) a header lacks, after its last cell, widening
    the grid where needed."""
    requests: Requests = []
    for name, header in headers.items():
        new = [c for c in columns[name] if c not in header]
        if not new:
            continue
        sheet_id = grids[name]["sheetId"]
        width = int(grids[name].get("gridProperties", {}).get("columnCount", 26))
        if len(header) + len(new) > width:
            requests.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                                 "length": len(header) + len(new) - width}})
        requests.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": len(header)},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": c}} for c in new]}],
            "fields": "userEnteredValue",
        }})
    return requests


def schema_structure(sheets: Mapping[str, Mapping[str, Any]],
                     headers: Mapping[str, list[str]], report: SchemaReport) -> Requests:
    """The tabs to add and the columns to widen for every tab of the models to have its
    header; what will change is noted in `report`."""
    structure: Requests = []
    for name, spec in TABS.items():
        if name not in sheets:
            report.created_tabs.append(name)
            structure.append({"addSheet": {"properties": {
                "title": name,
                "gridProperties": {"rowCount": 1000, "columnCount": len(spec.columns),
                                   "frozenRowCount": 1},
            }}})
            continue
        header = headers.get(name, [])
        missing = [c for c in spec.column_names if c not in header]
        if missing:
            report.added_columns[name] = missing
            needed = len(header) + len(missing)
            grid = sheets[name].get("gridProperties", {})
            if needed > grid.get("columnCount", 26):
                structure.append({"appendDimension": {
                    "sheetId": sheets[name]["sheetId"], "dimension": "COLUMNS",
                    "length": needed - grid.get("columnCount", 26),
                }})
    return structure


def schema_headers(sheets: Mapping[str, Mapping[str, Any]], headers: Mapping[str, list[str]],
                   report: SchemaReport) -> tuple[Requests, Requests]:
    """The header cells `report` says to write (a `values:batchUpdate`'s data) and the
    number format of each new column (`repeatCell` requests)."""
    header_data: Requests = []
    formats: Requests = []
    for name, spec in TABS.items():
        header = headers.get(name, [])
        new_columns = report.added_columns.get(name, list(spec.column_names)
                                               if name in report.created_tabs else [])
        if not new_columns:
            continue
        first = len(header) + 1
        header_data.append({"range": f"{a1_tab(name)}!{a1_cell(1, first)}",
                            "values": [new_columns]})
        for offset, column_name in enumerate(new_columns):
            found = column_format(sheets[name]["sheetId"], first - 1 + offset,
                                  spec.column(column_name).kind)
            if found:
                formats.append(found)
    return header_data, formats


def grid_cells(metadata: Mapping[str, Any]) -> int:
    """Cells in every tab's grid, by the tab list."""
    return sum(int(grid.get("rowCount", 0)) * int(grid.get("columnCount", 0))
               for grid in (sheet.get("properties", {}).get("gridProperties", {})
                            for sheet in metadata.get("sheets", [])))


def grow(metadata: Mapping[str, Any], tab_name: str, rows: int) -> None:
    """Keep the tab list's grid size of `tab_name` current after inserting `rows` rows."""
    for sheet in metadata.get("sheets", []):
        properties = sheet.get("properties", {})
        if properties.get("title") == tab_name and "gridProperties" in properties:
            grid = properties["gridProperties"]
            grid["rowCount"] = int(grid.get("rowCount", 0)) + rows


def merged_metadata(metadata: Mapping[str, Any], updated: Mapping[str, Any],
                    some_tabs: bool) -> dict[str, Any]:
    """The tab list after a batchUpdate answered with `updated` (its
    `updatedSpreadsheet`); when `responseRanges` limited that answer to some tabs, the
    others stay as they were known."""
    if not some_tabs:
        return {**metadata, "sheets": updated["sheets"]}
    fresh = {sheet["properties"]["sheetId"]: {"properties": sheet["properties"]}
             for sheet in updated["sheets"]}
    sheets = [fresh.pop(sheet["properties"]["sheetId"], sheet)
              for sheet in metadata.get("sheets", [])]
    return {**metadata, "sheets": [*sheets, *fresh.values()]}


def scratch_of(metadata: Mapping[str, Any]) -> tuple[int, bool]:
    """The scratch tab's sheet id, and whether it exists (else a free id the save gives
    the tab it adds)."""
    sheets = [sheet["properties"] for sheet in metadata.get("sheets", [])]
    for properties in sheets:
        if properties.get("title") == SCRATCH_TAB:
            return int(properties["sheetId"]), True
    taken = {int(p.get("sheetId", 0)) for p in sheets}
    free = SCRATCH_SHEET_ID
    while free in taken:
        free += 1
    return free, False
