"""The batch plan of a Google Sheets commit, with no I/O: which `updateCells`,
`deleteDimension`, `appendCells` and `copyPaste` requests a `ChangeSet` becomes over the
tabs as just read (`CommitPlanning`, `KeyFillPlanning`: the shared commit rule of
`storage/commit.py` filled with planning instead of writing), how big they are, how the
answer tells where the save landed (`Body.misplaced`) and whether a write whose answer was
lost landed (`Sent.landed`). `sheets_store` sends the plan and re-reads; this module only
builds and reads JSON, so it is tested on its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sheets_schema import Locale, tab
from sheets_schema.changes import ChangeSet, KeyFill, RowEdit
from sheets_schema.frames import FIRST_DATA_ROW

from .base import find_conflicts
from .commit import CommitIO, KeyFillIO
from .errors import Conflict, SchemaMismatch
from .sheets_cells import (
    a1_tab,
    cell_data,
    cell_value,
    column_a,
    find_row,
    kinds_of,
    padded,
    rows_with,
    text_of,
)

MAX_PAYLOAD_BYTES = 2_000_000  # Google's recommended maximum request body


#: A `values:append` of an import's (or a copy's) rows may be bigger. Google recommends
#: 2 MB "to speed up requests" and sets no hard limit (10 MB bodies have been refused);
#: a large import is a rare write, and against a quota of 60 writes a minute one fewer
#: request is worth a slower one: 10,000 gifts and the donors they add are 3 requests.
APPEND_BYTES = 4_000_000


ENVELOPE_BYTES = 100  # {"requests": [...]} around a batchUpdate's requests


APPEND_ENVELOPE_BYTES = 80  # {"appendCells": {"sheetId": .., "rows": [..], "fields": ..}}


#: A hidden tab the store owns: each save copies the rows it is about to change there first
#: (in the same request), so it can tell where the save landed and put back what it
#: replaced. It holds only the rows of the last save.
SCRATCH_TAB = "_steward_scratch"


SCRATCH_SHEET_ID = 1_606_016


#: Hidden tabs `_steward_pending_<id>`: the intent of a commit over one request (when it
#: started, and the key of every row it adds), removed by the commit's own last request.
PENDING_PREFIX = "_steward_pending_"


PENDING_SHEET_ID = 1_000_000_000


PENDING_STALE = timedelta(minutes=15)


INTENT_CELL_CHARS = 40_000  # Google allows 50,000 characters a cell


#: The name under which a commit's read holds the scratch tab's column A (a landed check).
SCRATCH_KEYS = "scratch keys"


#: The name under which a commit's read holds a tab's key column only (a landed check).
KEYS_OF = "keys of "


#: ... and the key column of a tab getting new rows, to refuse a key already in use
KEYS_IN_USE = "keys in use of "


@dataclass(frozen=True)
class Target:
    """A row a commit edits or deletes: where it was read, and the key it held then."""

    tab: str
    row: int
    key: str
    kind: str  # "edit" | "delete"


@dataclass
class Body:
    """One `spreadsheets:batchUpdate`, and the first new row it adds (tab, key column, key),
    by which a retry can tell whether a timed-out attempt landed."""

    requests: list[dict[str, Any]]
    first_new: tuple[str, int, str] | None = None
    targets: list[Target] = field(default_factory=list)
    scratch_id: int = 0
    new_keys: list[tuple[str, str]] = field(default_factory=list)

    nonce: str = ""
    adds_scratch: bool = False

    @property
    def response_ranges(self) -> list[str]:
        """Column A of the scratch tab: the keys of the rows this request changed, as they
        were when it changed them, then this request's own token."""
        n = len(self.targets)
        return [f"{a1_tab(SCRATCH_TAB)}!A1:A{n + 1}"] if self.targets else []

    def misplaced(self, answer: Any) -> list[tuple[Target, str]]:
        """The rows this request changed that did not hold the key it meant (someone sorted,
        inserted or deleted rows between the store's read and this request), with the key
        each did hold. Empty when every change landed on its row."""
        if not self.targets:
            return []
        return self.misplaced_keys(scratch_keys(answer, self.scratch_id, len(self.targets)))

    def misplaced_keys(self, held: list[str]) -> list[tuple[Target, str]]:
        held = held + [""] * (len(self.targets) - len(held))
        return [(target, key) for target, key in zip(self.targets, held, strict=False)
                if key != target.key]


class Plan:
    """The requests of one commit: cell edits, then row deletes (bottom up, so the row
    numbers read still hold), then new rows."""

    def __init__(self, sheet_ids: Callable[[], Mapping[str, int]],
                 headers: Mapping[str, list[str]],
                 scratch: Callable[[], tuple[int, bool]] | None = None) -> None:
        self._sheet_ids, self.headers, self._scratch = sheet_ids, headers, scratch
        self.fixed: list[dict[str, Any]] = []
        self.new_rows: list[tuple[str, list[Any], str]] = []
        self.targets: list[Target] = []
        self.nonce = uuid.uuid4().hex  # tells this save's copies from an earlier save's

    def guard(self, tab_name: str, row_number: int, key: str, kind: str) -> None:
        """Have the request copy row `row_number` aside before it changes it, and answer
        with the key the row held then (see `_guard_requests`)."""
        if self._scratch is not None and all(
                (t.tab, t.row) != (tab_name, row_number) for t in self.targets):
            self.targets.append(Target(tab_name, row_number, key, kind))

    def _guard_requests(self) -> tuple[list[dict[str, Any]], list[Target], int]:
        """Requests that run first in the commit's own batchUpdate: size the hidden
        scratch tab to the rows about to be changed, and copy each of them there, its key
        into column A and the whole row from column B on. The answer then holds column A
        as it is after the batch, which is each row's key just before it was changed."""
        if not self.targets or self._scratch is None:
            return [], [], 0
        scratch_id, exists = self._scratch()
        targets = sorted(self.targets, key=lambda t: (t.tab, t.row))
        width = 1 + max(len(self.headers[t.tab]) for t in targets)
        grid = {"rowCount": len(targets) + 1, "columnCount": width}
        if exists:
            requests: list[dict[str, Any]] = [{"updateSheetProperties": {
                "properties": {"sheetId": scratch_id, "gridProperties": grid},
                "fields": "gridProperties.rowCount,gridProperties.columnCount"}}]
        else:
            requests = [{"addSheet": {"properties": {
                "sheetId": scratch_id, "title": SCRATCH_TAB, "hidden": True,
                "gridProperties": grid}}}]
        first = 0
        while first < len(targets):
            last = first
            while (last + 1 < len(targets) and targets[last + 1].tab == targets[first].tab
                   and targets[last + 1].row == targets[last].row + 1):
                last += 1
            name, top, count = targets[first].tab, targets[first].row, last - first + 1
            key_at, row_width = self.key_column(name), len(self.headers[name])
            for (start, end), to in (((key_at, key_at + 1), 0), ((0, row_width), 1)):
                requests.append({"copyPaste": {
                    "source": {"sheetId": self.sheet_ids[name], "startRowIndex": top - 1,
                               "endRowIndex": top - 1 + count, "startColumnIndex": start,
                               "endColumnIndex": end},
                    "destination": {"sheetId": scratch_id, "startRowIndex": first,
                                    "endRowIndex": first + count, "startColumnIndex": to,
                                    "endColumnIndex": to + end - start},
                    "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}})
            first = last + 1
        requests.append({"updateCells": {
            "start": {"sheetId": scratch_id, "rowIndex": len(targets), "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": self.nonce}}]}],
            "fields": "userEnteredValue"}})
        return requests, targets, scratch_id

    @cached_property
    def sheet_ids(self) -> Mapping[str, int]:
        """Grid requests name tabs by sheet id; a large append alone never needs them."""
        return self._sheet_ids()

    def edit(self, tab_name: str, row_number: int, changes: Mapping[str, Any]) -> None:
        kinds = kinds_of(tab_name)
        header = self.headers[tab_name]
        for column, value in changes.items():
            at = header.index(column)
            self.fixed.append({"updateCells": {
                "range": {"sheetId": self.sheet_ids[tab_name],
                          "startRowIndex": row_number - 1, "endRowIndex": row_number,
                          "startColumnIndex": at, "endColumnIndex": at + 1},
                "rows": [{"values": [cell_data(kinds.get(column), value)]}],
                "fields": "userEnteredValue",
            }})

    def delete(self, tab_name: str, row_numbers: list[int]) -> None:
        """Rows next to each other go as one range (an undone import is one), bottom first so
        each range's row numbers still hold when it is removed."""
        self.fixed.extend(delete_rows(self.sheet_ids[tab_name], row_numbers))

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        if not records:
            return
        spec = tab(tab_name)
        header = self.headers[tab_name]
        if spec.key not in header:
            raise SchemaMismatch(f"The {tab_name} tab has no {spec.key!r} column in row 1. "
                                 f"Run `python -m steward init` to add missing columns.")
        unknown = sorted({c for r in records for c in r if r.get(c) not in (None, "")}
                         - set(header))
        if unknown:
            raise SchemaMismatch(
                f"The {tab_name} tab has no column {unknown[0]!r}. Run `python -m steward "
                f"init` to add missing columns, or add it to row 1 by hand."
            )
        kinds = kinds_of(tab_name)
        memo: dict[tuple[str, str], str | int | float | bool] = {}

        def value_of(column: str, value: Any) -> str | int | float | bool:
            """`cell_value`, once per distinct text of a column (an import or a copy
            repeats its dates, amounts and statuses)."""
            if value.__class__ is not str:
                return cell_value(kinds.get(column), value)
            found = memo.get((column, value))
            if found is None:
                found = memo[(column, value)] = cell_value(kinds.get(column), value)
            return found

        for record in records:
            values = [value_of(h, record.get(h)) if h else "" for h in header]
            self.new_rows.append((tab_name, values, str(record.get(spec.key, ""))))

    def single_body(self, limit: bool = True) -> Body | None:
        """Everything as one `spreadsheets:batchUpdate`, which lands all or nothing; None
        when that would pass ~2 MB (unless not `limit`)."""
        size = ENVELOPE_BYTES + sum(len(json.dumps(r)) + 2 for r in self.fixed)
        rows: list[tuple[str, dict[str, Any], str]] = []
        for tab_name, values, key in self.new_rows:
            cells = [cell_data(None, v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            row = {"values": cells or [{}]}
            size += len(json.dumps(row)) + 2
            if not rows or rows[-1][0] != tab_name:
                size += APPEND_ENVELOPE_BYTES  # a new appendCells request
            if limit and size > MAX_PAYLOAD_BYTES:
                return None
            rows.append((tab_name, row, key))
        guard, targets, scratch_id = self._guard_requests()
        body = Body(guard + list(self.fixed), targets=targets, scratch_id=scratch_id,
                     new_keys=[(tab_name, key) for tab_name, _, key in rows],
                     nonce=self.nonce,
                     adds_scratch=bool(guard) and "addSheet" in guard[0])
        for tab_name, row, key in rows:
            last = body.requests[-1].get("appendCells") if body.requests else None
            if last is None or last["sheetId"] != self.sheet_ids[tab_name]:
                body.requests.append({"appendCells": {
                    "sheetId": self.sheet_ids[tab_name], "rows": [],
                    "fields": "userEnteredValue"}})
                last = body.requests[-1]["appendCells"]
            last["rows"].append(row)
            if body.first_new is None:
                body.first_new = (tab_name, self.key_column(tab_name), key)
        return body if body.requests else None

    def key_column(self, tab_name: str) -> int:
        return self.headers[tab_name].index(tab(tab_name).key)

    def rows_by_tab(self) -> dict[str, list[tuple[list[Any], str]]]:
        grouped: dict[str, list[tuple[list[Any], str]]] = {}
        for tab_name, values, key in self.new_rows:
            grouped.setdefault(tab_name, []).append((values, key))
        return grouped


class CommitPlanning(CommitIO):
    """A commit's I/O as the Sheets backend plans it: rows are found in the tabs just read,
    and what passes becomes the requests of one batchUpdate (`plan`). Only `key_column`
    reads (the key column of a tab, when staff moved it since the store last looked)."""

    def __init__(self, plan: Plan, values: Mapping[str, list[list[Any]]],
                 headers: Mapping[str, list[str]],
                 key_column: Callable[[str, int], list[list[Any]]]) -> None:
        self.plan, self.values, self.headers, self.key_column = plan, values, headers, key_column
        self.expected = Expected()
        self.rows_gone: dict[str, list[int]] = {}

    def row(self, tab_name: str, edit: RowEdit) -> tuple[Any, Mapping[str, str]]:
        """The sheet row holding `edit.key` now, which must have every column it names."""
        header = self.headers[tab_name]
        missing = sorted(set(edit.changes) - set(header))
        if missing:
            raise SchemaMismatch(f"The {tab_name} tab has no column {missing[0]!r}. Run "
                                 f"`python -m steward init` to add missing columns.")
        return find_row(tab_name, header, self.values[tab_name], edit.key)

    def edit(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.plan.guard(tab_name, handle, edit.key, "edit")
        self.plan.edit(tab_name, handle, edit.changes)
        self.expected.edits.append((tab_name, edit.key, edit.changes))

    def delete(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.plan.guard(tab_name, handle, edit.key, "delete")
        self.rows_gone.setdefault(tab_name, []).append(handle)
        self.expected.gone.append((tab_name, edit.key))

    def keys_in_use(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> set[str]:
        """The key column as just read: where it last was, unless its header cell says
        staff moved it since (then it is read once more where it is now)."""
        key = tab(tab_name).key
        if key not in self.headers.get(tab_name, []):
            raise SchemaMismatch(f"The {tab_name} tab has no {key!r} column in row 1. Run "
                                 f"`python -m steward init` to add it.")
        at = self.headers[tab_name].index(key)
        if KEYS_IN_USE + tab_name in self.values:
            column = self.values[KEYS_IN_USE + tab_name]
            if not column or text_of(column[0][0] if column[0] else "").strip() != key:
                column = self.key_column(tab_name, at)
            return set(column_a(column[1:]))
        # the whole tab was read (it has edits or deletes too)
        return {text_of(row[at]).strip() if len(row) > at else ""
                for row in self.values[tab_name][1:]}

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.plan.append(tab_name, records)

    def finish(self) -> Plan:
        """The plan, its row deletes added last (bottom up, so the row numbers read hold)."""
        for tab_name, rows in self.rows_gone.items():
            self.plan.delete(tab_name, rows)
        return self.plan


class KeyFillPlanning(KeyFillIO):
    """`assign_keys_by_row` planned over the tab just read: key cells and audit rows
    become the requests of one batchUpdate (`plan`). `unsure`: an earlier attempt's answer
    was lost, so keys already there mean it landed."""

    def __init__(self, plan: Plan, values: Mapping[str, list[list[Any]]],
                 headers: Mapping[str, list[str]], unsure: bool) -> None:
        self.plan, self.values, self.headers, self.unsure = plan, values, headers, unsure

    def rows_by_number(self, tab_name: str) -> Mapping[int, Mapping[str, str]]:
        header, key = self.headers[tab_name], tab(tab_name).key
        if key not in header:
            raise SchemaMismatch(f"The {tab_name} tab has no {key!r} column in row 1.")
        return {number: {h: v for h, v in zip(header, padded(row, len(header)), strict=False)
                         if h}
                for number, row in enumerate(self.values[tab_name][1:], start=FIRST_DATA_ROW)}

    def landed(self, fills: Sequence[KeyFill], in_use: set[str]) -> bool:
        return self.unsure and all(fill.key in in_use for fill in fills)

    def write_keys(self, tab_name: str, key: str, fills: Sequence[KeyFill]) -> None:
        for fill in fills:
            self.plan.edit(tab_name, fill.row, {key: fill.key})

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.plan.append(tab_name, records)


@dataclass
class Expected:
    """What the sheet shows once a commit's edits and deletes landed."""

    edits: list[tuple[str, str, Mapping[str, Any]]] = field(default_factory=list)
    gone: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Sent:
    """A commit's write whose answer was lost: how to tell, from a fresh read, whether
    Google applied it (each batchUpdate lands whole or not at all)."""

    first_new: tuple[str, int, str] | None
    expected: Expected
    conflicts: list[Conflict]
    body: Body | None = None

    def landed(self, values: Mapping[str, list[list[Any]]],
               headers: Mapping[str, list[str]], locale: Locale) -> bool:
        if self.body is not None and self.body.targets:
            # A guarded write left its own token under the rows it copied aside.
            scratch = values.get(SCRATCH_KEYS, [])
            n = len(self.body.targets)
            return len(scratch) > n and bool(scratch[n]) and text_of(scratch[n][0]) == \
                self.body.nonce
        if self.first_new is not None:
            tab_name, column, key = self.first_new
            rows = values.get(KEYS_OF + tab_name)
            if rows is None:
                rows, at = values[tab_name][1:], column
            else:
                rows, at = rows[1:], 0
            return key in {text_of(r[at]).strip() for r in rows if len(r) > at}
        for tab_name, key in self.expected.gone:
            if rows_with(tab_name, headers[tab_name], values[tab_name], key):
                return False
        for tab_name, key, wanted in self.expected.edits:
            found = rows_with(tab_name, headers[tab_name], values[tab_name], key)
            if len(found) != 1:
                return False
            row = dict(zip(headers[tab_name], padded(values[tab_name][found[0] - 1],
                                                    len(headers[tab_name])), strict=False))
            if find_conflicts(tab_name, row, wanted, None, locale):
                return False
        return True


def started_at(rows: list[list[Any]]) -> datetime | None:
    """When the commit of an intent tab started (its cell B1), if readable."""
    try:
        return datetime.fromisoformat(str(rows[0][1]))
    except (IndexError, ValueError):
        return None


def keyed_tabs(changes: ChangeSet, found: Sequence[str]) -> list[str]:
    """The tabs that get new rows, whose key column a commit reads to refuse a key in use
    (a tab read whole for its edits has it already; a copy or the demo skips it)."""
    if changes.as_given:
        return []
    return [name for name, records in changes.appends.items() if records and name not in found]


def scratch_keys(answer: Any, scratch_id: int, count: int) -> list[str]:
    """Column A of the scratch tab from a batchUpdate's `updatedSpreadsheet` grid data."""
    sheets = (answer or {}).get("updatedSpreadsheet", {}).get("sheets", [])
    rows: list[Any] = []
    for sheet in sheets:
        if sheet.get("properties", {}).get("sheetId") == scratch_id:
            for data in sheet.get("data", []):
                rows = data.get("rowData", [])
    keys = []
    for index in range(count):
        values = (rows[index].get("values") or [{}]) if index < len(rows) else [{}]
        effective = (values[0] or {}).get("effectiveValue") or {}
        value = next(iter(effective.values()), "") if effective else ""
        keys.append(text_of(value).strip())
    return keys


def row_runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as (first, last) runs of consecutive ones: [3, 4, 5, 9] -> (3, 5), (9, 9)."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def append_chunks(rows: list[list[Any]]) -> list[list[list[Any]]]:
    """Split rows so each `values:append` body stays under `APPEND_BYTES`.

    Rows are measured as requests sends them: JSON with non-ASCII text escaped (`지` is the
    six bytes `\\uc9c0`, not three), and ", " between rows.
    """
    chunks: list[list[list[Any]]] = [[]]
    size = ENVELOPE_BYTES
    for row in rows:
        row_size = len(json.dumps(row)) + 2
        if chunks[-1] and size + row_size > APPEND_BYTES:
            chunks.append([])
            size = ENVELOPE_BYTES
        chunks[-1].append(row)
        size += row_size
    return chunks


def delete_rows(sheet_id: int, numbers: Sequence[int]) -> list[dict[str, Any]]:
    """`deleteDimension` requests removing the sheet rows `numbers` of a tab: rows next to
    each other as one range, bottom first so each range's row numbers still hold."""
    return [{"deleteDimension": {"range": {
        "sheetId": sheet_id, "dimension": "ROWS", "startIndex": first - 1, "endIndex": last}}}
        for first, last in reversed(row_runs(sorted(set(numbers))))]
