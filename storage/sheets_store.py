"""The workbook in a Google Sheet that staff also edit by hand, through gspread 6.

Request budget (Google allows the whole app 60 reads and 60 writes a minute):
- `read` of any number of tabs: 1 `values:batchGet`, no metadata request;
- `update` / `delete` of one row: 1 read of the tab (find the row by its key *now*, check
  it against what the user saw) + 1 write, which first copies the rows it changes to a
  hidden scratch tab and answers with the keys they held, so a sort that slipped in
  between is caught and undone (then 1 read + 1 write more, and the save again);
- `append`: 1 read (the header row, and the key column to refuse a key in use) + 1
  `values:append` per ~4 MB of rows;
- `ensure_schema`: 1 metadata read, 1 header read, and at most 3 writes;
- `clear` (emptying tabs for `copy --overwrite`): 1 metadata read + 1 write for all tabs.

The store counts its own requests over the last minute and knows its grid sizes from the
metadata it reads anyway (and from the answers to its own writes), so `usage()` tells the
sidebar how near the app is to Google's limits without sending anything.

Values are read unformatted (numbers as numbers, dates as serial numbers) so no locale
formatting gets in the way, and written RAW: text is stored exactly as typed and is never
run as a formula, while numbers, dates and flags are written as numbers and booleans so the
sheet can sum and sort them (date columns get a date format when `ensure_schema` creates
them).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

import gspread
import pandas as pd
from gspread.utils import rowcol_to_a1

from sheets_schema import TABS, Locale, tab, to_text
from sheets_schema.cells import (
    CellError,
    is_blank,
    python_value,
    serial_from_date,
    serial_from_datetime,
)
from sheets_schema.fields import ColumnKind
from sheets_schema.frames import FIRST_DATA_ROW, ROW_INDEX
from sheets_schema.workbook import Workbook

from .base import (
    AuditHook,
    ChangeSet,
    KeyFill,
    RowEdit,
    SchemaReport,
    Store,
    check_key_fills,
    duplicate_key,
    find_conflicts,
    key_fill_changes,
    raise_if_conflicts,
    refuse_keys_in_use,
)
from .capacity import RequestLog, Usage
from .errors import Conflict, NotFound, SchemaMismatch, StoreError, Uncertain
from .retry import RetryPolicy, Tries, call_with_retry

__all__ = ["GoogleSheetsStore", "cell_value", "text_of"]

REQUEST_TIMEOUT_S = (5, 30)  # connect, read: a 2,000-row read can take tens of seconds
MAX_PAYLOAD_BYTES = 2_000_000  # Google's recommended maximum request body
#: A `values:append` of an import's (or a copy's) rows may be bigger. Google recommends
#: 2 MB "to speed up requests" and sets no hard limit (10 MB bodies have been refused);
#: a large import is a rare write, and against a quota of 60 writes a minute one fewer
#: request is worth a slower one: 10,000 gifts and the donors they add are 3 requests.
APPEND_BYTES = 4_000_000
ENVELOPE_BYTES = 100  # {"requests": [...]} around a batchUpdate's requests
APPEND_ENVELOPE_BYTES = 80  # {"appendCells": {"sheetId": .., "rows": [..], "fields": ..}}
READ_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
SHEET_FORMATS = {
    "DATE": {"type": "DATE", "pattern": "yyyy-mm-dd"},
    "DATE_TIME": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"},
    "TIME": {"type": "TIME", "pattern": "hh:mm"},
    "TEXT": {"type": "TEXT"},
}
MONEY_FORMAT = {"type": "NUMBER", "pattern": "#,##0.00"}


def a1_tab(name: str) -> str:
    """A tab title quoted for A1 notation: ``a1_tab("people") == "'people'"``."""
    return "'" + name.replace("'", "''") + "'"


def text_of(value: Any) -> str:
    """A cell as read unformatted, as the text the schema parses: 45366 -> '45366'."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        # "0.125" would read as 125 in a decimal-comma sheet (a dot before three digits is a
        # thousands separator there); "0.1250" reads as the same number under any locale.
        whole, _, fraction = text.partition(".")
        return text + "0" if len(fraction) == 3 and "e" not in text else text
    return str(value)


def cell_value(kind: ColumnKind | None, value: Any) -> str | int | float | bool:
    """What to send RAW for a typed value: numbers, dates (as serial numbers) and flags as
    JSON numbers and booleans; everything else as exact text, never a formula."""
    if is_blank(value):
        return ""
    value = python_value(value)
    if isinstance(value, str) and kind is not None and kind.name not in {"text", "choice"}:
        try:
            value = kind.parse(value, Locale())  # "2024-03-15" from a form becomes a date
        except CellError:
            return value  # kept exactly as typed; the data-health page reports it
        if value is None:
            return ""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        if kind is not None and kind.name == "date":
            value = value.date()
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return serial_from_datetime(value)
    if isinstance(value, date):
        return serial_from_date(value)
    if isinstance(value, time):
        return round((value.hour * 3600 + value.minute * 60 + value.second) / 86400, 10)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)):
        return value
    return to_text(value)


def _pad(row: list[Any], width: int) -> list[str]:
    return [text_of(v) for v in row] + [""] * (width - len(row))


def _text_rows(rows: list[list[Any]], width: int) -> list[list[str]]:
    """Every cell as text, each row exactly `width` long. Most cells are already text, and
    numbers (dates, amounts) repeat, so each distinct number is converted once: this is the
    hot path of a 100,000-row read."""
    memo: dict[Any, str] = {}
    out = []
    for row in rows:
        texts = []
        for value in row[:width]:
            if value.__class__ is str:
                texts.append(value)
            else:
                key = (value.__class__, value)
                text = memo.get(key)
                if text is None:
                    text = memo[key] = text_of(value)
                texts.append(text)
        if len(texts) < width:
            texts.extend([""] * (width - len(texts)))
        out.append(texts)
    return out


class GoogleSheetsStore(Store):
    """The workbook in one Google Sheet. Pass a ready `gspread.Client` (a notebook or a test
    does), or build one with `from_service_account`."""

    def __init__(
        self,
        client: gspread.Client,
        spreadsheet: str,
        *,
        retry: RetryPolicy | None = None,
        locale: str | None = None,
    ) -> None:
        self.client = client
        self.http = client.http_client
        self.spreadsheet_id = spreadsheet_id_of(spreadsheet)
        self.url = f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"
        self.retry = retry or RetryPolicy()
        self._metadata: Mapping[str, Any] | None = None
        self._own_intents: set[int] = set()
        #: Where each tab's key column was in the last header this store saw, so a commit
        #: of new rows reads that one column (staff may move columns: it is checked).
        self._key_at: dict[str, int] = {}
        self.title = "Google Sheet"
        self._fixed_locale = Locale.from_code(locale) if locale else None
        if self._fixed_locale:
            self.locale = self._fixed_locale
        if self.http.timeout is None:
            # gspread waits forever by default; a hung request must become a retry, not a hang.
            client.set_timeout(REQUEST_TIMEOUT_S)
        self.requests = RequestLog()
        session = getattr(self.http, "session", None)
        if session is not None:  # every answer from Google, retries included, is counted
            session.hooks.setdefault("response", []).append(self._count)

    @classmethod
    def from_service_account(
        cls, info: Mapping[str, Any] | str, spreadsheet: str, **kwargs: Any
    ) -> GoogleSheetsStore:
        """A store signed in as a service account (its JSON key as a dict or a JSON string)."""
        key: dict[str, Any] = json.loads(info) if isinstance(info, str) else dict(info)
        return cls(gspread.service_account_from_dict(key), spreadsheet, **kwargs)

    # ------------------------------------------------------------------ capacity

    @property
    def spec(self) -> str:
        """How `python -m steward copy` names this store."""
        return f"sheets:{self.spreadsheet_id}"

    def _count(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        """A requests response hook: note one Sheets API request, read (GET) or write."""
        request = getattr(response, "request", None)
        if "sheets.googleapis.com" in str(getattr(request, "url", "")):
            method = str(getattr(request, "method", "GET")).upper()
            self.requests.record("read" if method == "GET" else "write")
        return response

    def usage(self) -> Usage:
        """Cells in every tab's grid (as of the last metadata this store saw; None before
        the first) and this process's requests in the last minute."""
        reads, writes = self.requests.recent()
        cells = None
        if self._metadata is not None:
            cells = sum(
                int(grid.get("rowCount", 0)) * int(grid.get("columnCount", 0))
                for grid in (sheet.get("properties", {}).get("gridProperties", {})
                             for sheet in self._metadata.get("sheets", [])))
        return Usage(cells=cells, reads=reads, writes=writes, spec=self.spec)

    def _grew(self, tab_name: str, rows: int) -> None:
        """Keep the known grid size of `tab_name` current after inserting `rows` rows."""
        for sheet in (self._metadata or {}).get("sheets", []):
            properties = sheet.get("properties", {})
            if properties.get("title") == tab_name and "gridProperties" in properties:
                grid = properties["gridProperties"]
                grid["rowCount"] = int(grid.get("rowCount", 0)) + rows

    # ------------------------------------------------------------------ metadata

    def metadata(self, refresh: bool = False) -> Mapping[str, Any]:
        """The spreadsheet's title, locale and tabs: 1 read, kept until `refresh`."""
        if self._metadata is None or refresh:
            self._metadata = call_with_retry(
                self.retry, "reading the sheet's tabs",
                lambda: self.http.fetch_sheet_metadata(self.spreadsheet_id),
            )
            properties = self._metadata.get("properties", {})
            self.title = properties.get("title", self.title)
            self.locale = self._fixed_locale or Locale.from_code(properties.get("locale"))
            self._finish_intents()
        return self._metadata

    def _finish_intents(self) -> None:
        """Remove what large commits that never finished left behind: for every intent tab
        over 15 minutes old (its commit gave up long ago), the rows it names and the tab
        itself, in 1 read + 1 write. Nothing is sent when there is none (the usual case);
        if Google refuses now, the next start tries again."""
        assert self._metadata is not None
        pending = [sheet["properties"] for sheet in self._metadata.get("sheets", [])
                   if str(sheet["properties"].get("title", "")).startswith(PENDING_PREFIX)
                   and sheet["properties"]["sheetId"] not in self._own_intents]
        if not pending:
            return
        try:
            answer = call_with_retry(
                self.retry, "reading unfinished saves",
                lambda: self.http.values_batch_get(
                    self.spreadsheet_id, [f"{a1_tab(p['title'])}!A:C" for p in pending]))
            stale: list[int] = []
            keys: dict[str, tuple[int, set[str]]] = {}
            for properties, vr in zip(pending, answer.get("valueRanges", []), strict=True):
                rows = vr.get("values", [])
                started = _started(rows)
                if started is not None and datetime.now(UTC) - started < PENDING_STALE:
                    continue  # its commit may still be running in another process
                stale.append(int(properties["sheetId"]))
                for row in rows[1:]:
                    if len(row) >= 3 and row[0] in TABS:
                        column, found = keys.setdefault(row[0], (int(row[1]), set()))
                        found.update(k for k in str(row[2]).split("\n") if k)
            if stale:
                self._drop_rows(keys, stale)
        except StoreError:
            return

    def _drop_rows(self, keys: Mapping[str, tuple[int, set[str]]], intents: list[int]) -> None:
        """Delete the rows holding `keys` (by tab: key column, keys) and the intent tabs."""
        names = list(keys)
        ranges = [f"{a1_tab(n)}!{_letter(keys[n][0])}:{_letter(keys[n][0])}" for n in names]
        requests: list[dict[str, Any]] = []
        if names:
            answer = call_with_retry(self.retry, "reading unfinished saves", lambda: (
                self.http.values_batch_get(self.spreadsheet_id, ranges,
                                           params=dict(READ_PARAMS))))
            ids = self._sheet_ids()
            for name, vr in zip(names, answer.get("valueRanges", []), strict=True):
                rows = [n for n, row in enumerate(vr.get("values", []), start=1)
                        if n >= FIRST_DATA_ROW and row and text_of(row[0]) in keys[name][1]]
                for first, last in reversed(_runs(rows)):
                    requests.append({"deleteDimension": {"range": {
                        "sheetId": ids[name], "dimension": "ROWS", "startIndex": first - 1,
                        "endIndex": last}}})
        requests.extend({"deleteSheet": {"sheetId": intent}} for intent in intents)
        self._learn_grids(call_with_retry(self.retry, "removing an unfinished save",
                                          lambda: self._batch_update(requests)))
        gone = set(intents)
        self._metadata = {**(self._metadata or {}), "sheets": [
            sheet for sheet in (self._metadata or {}).get("sheets", [])
            if int(sheet["properties"]["sheetId"]) not in gone]}

    def _drop_intents(self, intents: list[int]) -> None:
        """Remove intent tabs of commits that added nothing (best effort: a tab left
        behind names no rows, and the next start removes it)."""
        try:
            self._drop_rows({}, intents)
        except StoreError:
            return

    def load(self, tabs: Sequence[str] = tuple(TABS)) -> Workbook:
        """As `Store.load`; the first load of this store also reads the sheet's title and
        locale (1 request, once), since ambiguous dates typed as text depend on the locale."""
        self.metadata()
        return super().load(tabs)

    def _sheet_ids(self, refresh: bool = False) -> dict[str, int]:
        return {
            sheet["properties"]["title"]: sheet["properties"]["sheetId"]
            for sheet in self.metadata(refresh).get("sheets", [])
        }

    def row_link(self, tab_name: str, row: int) -> str | None:
        sheet_id = self._sheet_ids().get(tab_name)
        if sheet_id is None:
            return None
        return f"{self.url}#gid={sheet_id}&range=A{row}"

    @property
    def name(self) -> str:
        return f"the Google Sheet {self.spreadsheet_id}"

    def tabs(self) -> list[str]:
        """The tabs in the sheet's tab list (1 metadata read, once, with its locale)."""
        present = {sheet["properties"]["title"] for sheet in self.metadata().get("sheets", [])}
        return [name for name in TABS if name in present]

    # ----------------------------------------------------------------------- reads

    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        for name in tabs:
            tab(name)
        answer = call_with_retry(
            self.retry, "reading the sheet",
            lambda: self.http.values_batch_get(
                self.spreadsheet_id, [a1_tab(n) for n in tabs], params=dict(READ_PARAMS)
            ),
        )
        ranges = answer.get("valueRanges", [])
        return {name: self._frame(name, vr.get("values", [])) for name, vr in
                zip(tabs, ranges, strict=True)}

    def _frame(self, name: str, values: list[list[Any]]) -> pd.DataFrame:
        if not values:
            raise SchemaMismatch(
                f"The {name} tab of the Google Sheet has no header row. Run "
                f"`python -m steward init` to write it."
            )
        header = [text_of(h).strip() for h in values[0]]
        self._learn_key_column(name, header)
        width = len(header)
        frame = pd.DataFrame(_text_rows(values[1:], width), columns=header, dtype=object)
        frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame), name=ROW_INDEX)
        # Columns with an empty header cell hold nothing the app can name; leave them be.
        return frame.loc[:, [bool(h) for h in header]]

    # ---------------------------------------------------------------------- writes

    def commit(
        self,
        changes: ChangeSet,
        *,
        skip_conflicts: bool = False,
        audit: AuditHook | None = None,
    ) -> list[Conflict]:
        """One `values:batchGet` (the tabs with edits or deletes in full, to find each row by
        key now; only the header row of tabs that just get new rows), then one
        `spreadsheets:batchUpdate`, which Google applies all or nothing. Only new rows over
        ~2 MB are split, into one more request per ~4 MB.

        A write that fails is never sent again as it was: each retry reads again, first to
        learn whether the lost attempt landed (then it is done), then to find every row by
        its key again and check it against what the user saw, so a sort during the backoff
        cannot move an edit or a delete onto another person."""
        if not changes:
            return []
        tries = Tries(self.retry, "saving to the sheet")
        sent: _Sent | None = None
        refreshed = False
        while True:
            if sent is not None and sent.body is not None and sent.body.adds_scratch:
                # The lost attempt also created the scratch tab (the first guarded save on
                # this sheet): no tab, so it did not land; a tab, so its copies tell.
                self._metadata = tries.call(partial(self.http.fetch_sheet_metadata,
                                                    self.spreadsheet_id))
                if not self._scratch()[1]:
                    sent, tries.unsure = None, False
            values, headers = self._read_for_commit(changes, audit, sent, tries)
            if sent is not None:
                if sent.landed(values, headers, self.locale):
                    wrong = sent.body.misplaced_keys(_column_a(values.get(_SCRATCH_KEYS, [])))\
                        if sent.body is not None else []
                    if not wrong:
                        return sent.conflicts
                    assert sent.body is not None
                    self._undo(sent.body, wrong, tries)
                    sent = None
                    continue
                tries.unsure = False  # it did not land: sending again cannot double it
            plan, conflicts, expected = self._plan_commit(changes, values, headers,
                                                          skip_conflicts, audit)
            body = plan.single_body()
            if body is None:
                self._send_large(plan, tries)
                return conflicts
            try:
                answer = tries.write_once(partial(self._batch_update, body.requests,
                                                  body.response_ranges))
            except StoreError as error:
                if not body.targets or refreshed or not _no_grid(error):
                    raise
                # Someone deleted the scratch tab since this store read the tab list.
                refreshed = True
                self.metadata(refresh=True)
                continue
            if answer is not None:
                self._learn_grids(answer, some_tabs=bool(body.response_ranges))
                wrong = body.misplaced(answer)
                if not wrong:
                    return conflicts
                # Rows moved between the read and the write: put back what the write
                # replaced, then read, find and check every row again.
                self._undo(body, wrong, tries)
                sent = None
                continue
            sent = (_Sent(body.first_new, expected, conflicts, body) if tries.unsure
                    else None)

    def _read_for_commit(self, changes: ChangeSet, audit: AuditHook | None,
                         sent: _Sent | None, tries: Tries
                         ) -> tuple[dict[str, list[list[Any]]], dict[str, list[str]]]:
        """The tabs with edits or deletes in full, the header of the others, and, after a
        lost answer, the key column of the tab where that attempt's first new row went."""
        found = list(dict.fromkeys([*changes.edits, *changes.deletes]))
        header_only = [name for name in dict.fromkeys(
            [*changes.appends, *(["audit_log"] if audit else [])]) if name not in found]
        ranges = [a1_tab(t) for t in found] + [f"{a1_tab(t)}!1:1" for t in header_only]
        names = [*found, *header_only]
        check = sent.first_new if sent is not None else None
        if check is not None and check[0] not in found:
            letter = rowcol_to_a1(1, check[1] + 1).rstrip("1")
            ranges.append(f"{a1_tab(check[0])}!{letter}:{letter}")
            names.append(_KEYS_OF + check[0])
        if sent is not None and sent.body is not None and sent.body.targets:
            ranges.append(sent.body.response_ranges[0])
            names.append(_SCRATCH_KEYS)
        for name in _keyed(changes, found):
            default = tab(name).column_names.index(tab(name).key)
            ranges.append(_column_range(name, self._key_at.get(name, default)))
            names.append(_KEYS_IN_USE + name)
        answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id, ranges,
                                    params=dict(READ_PARAMS)))
        values = {name: vr.get("values", []) for name, vr in
                  zip(names, answer.get("valueRanges", []), strict=True)}
        headers = {name: [text_of(h).strip() for h in (rows[0] if rows else [])]
                   for name, rows in values.items()
                   if not name.startswith((_KEYS_OF, _KEYS_IN_USE)) and name != _SCRATCH_KEYS}
        for name, header in headers.items():
            self._learn_key_column(name, header)
        return values, headers

    def _plan_commit(self, changes: ChangeSet, values: dict[str, list[list[Any]]],
                     headers: dict[str, list[str]], skip_conflicts: bool,
                     audit: AuditHook | None) -> tuple[_Plan, list[Conflict], _Expected]:
        """The requests that make `changes` true of the rows as just read, the conflicts
        left out, and what the sheet looks like once they landed."""
        plan = _Plan(lambda: self._tab_ids(list(headers)), headers, self._scratch)
        conflicts: list[Conflict] = []
        expected = _Expected()
        landing = ChangeSet(audit_summary=changes.audit_summary,
                            audit_action=changes.audit_action)
        rows_gone: dict[str, list[int]] = {}
        for kind, name, edit in _edits_and_deletes(changes):
            try:
                row_number = self._checked_row(name, headers[name], values[name], edit)
            except Conflict as conflict:
                conflicts.append(conflict)
                continue
            plan.guard(name, row_number, edit.key, kind)
            if kind == "edit":
                plan.edit(name, row_number, edit.changes)
                landing.edit(name, edit.key, edit.changes, edit.seen)
                expected.edits.append((name, edit.key, edit.changes))
            else:
                rows_gone.setdefault(name, []).append(row_number)
                landing.delete(name, edit.key, edit.seen)
                expected.gone.append((name, edit.key))
        if conflicts and not skip_conflicts:
            raise conflicts[0]
        self._refuse_keys_in_use(changes, values, headers, landing)
        for name, rows in rows_gone.items():
            plan.delete(name, rows)
        for name, records in changes.appends.items():
            plan.append(name, records)
            landing.append(name, *records)
        if audit is not None and landing:
            plan.append("audit_log", audit(landing))
        return plan, conflicts, expected

    def _learn_key_column(self, name: str, header: list[str]) -> None:
        key = tab(name).key
        if key in header:
            self._key_at[name] = header.index(key)

    def _refuse_keys_in_use(self, changes: ChangeSet, values: Mapping[str, list[list[Any]]],
                            headers: Mapping[str, list[str]], landing: ChangeSet) -> None:
        """KeyInUse when a new row's key is in its tab as just read (less the rows this
        commit deletes). The key column was read where it last was; its header cell tells
        whether staff moved it since, and then it is read once more where it is now."""
        if changes.as_given:
            return
        for name, records in changes.appends.items():
            if not records:
                continue
            key = tab(name).key
            if key not in headers.get(name, []):
                raise SchemaMismatch(f"The {name} tab has no {key!r} column in row 1. Run "
                                     f"`python -m steward init` to add it.")
            at = headers[name].index(key)
            if _KEYS_IN_USE + name in values:
                column = values[_KEYS_IN_USE + name]
                if not column or text_of(column[0][0] if column[0] else "").strip() != key:
                    column = self._key_column(name, at)
                cells = _column_a(column[1:])
            else:  # the whole tab was read (it has edits or deletes too)
                cells = [text_of(row[at]).strip() if len(row) > at else ""
                         for row in values[name][1:]]
            gone = {edit.key for edit in landing.deletes.get(name, [])}
            refuse_keys_in_use(name, records, set(cells) - gone - {""})

    def _key_column(self, name: str, at: int) -> list[list[Any]]:
        """Column `at` of `name`, header included: one more read, only after staff moved
        the key column since this store last saw the tab's header."""
        answer = call_with_retry(
            self.retry, "reading the ids in use",
            lambda: self.http.values_batch_get(self.spreadsheet_id, [_column_range(name, at)],
                                               params=dict(READ_PARAMS)))
        return list(answer.get("valueRanges", [{}])[0].get("values", []))

    def _batch_update(self, requests: list[dict[str, Any]],
                      response_ranges: Sequence[str] = ()) -> Any:
        """The answer carries the spreadsheet's properties, so the grid sizes `usage`
        reports stay current at no extra request, and the cells of `response_ranges` as
        they are once the whole batch ran (how a save learns where it landed)."""
        body: dict[str, Any] = {"requests": requests, "includeSpreadsheetInResponse": True,
                                "responseIncludeGridData": bool(response_ranges)}
        if response_ranges:
            body["responseRanges"] = list(response_ranges)
        return self.http.batch_update(self.spreadsheet_id, body)

    def _scratch(self) -> tuple[int, bool]:
        """The scratch tab's sheet id, and whether it exists (else the save adds it)."""
        sheets = [sheet["properties"] for sheet in self.metadata().get("sheets", [])]
        for properties in sheets:
            if properties.get("title") == SCRATCH_TAB:
                return int(properties["sheetId"]), True
        taken = {int(p.get("sheetId", 0)) for p in sheets}
        free = SCRATCH_SHEET_ID
        while free in taken:
            free += 1
        return free, False

    def _undo(self, body: _Body, wrong: list[tuple[_Target, str]], tries: Tries) -> None:
        """Put back what a save replaced on rows that moved under it: each edited row gets
        its copy back from the scratch tab (found by the key it held), each deleted row is
        inserted again (at the end of its tab) from its copy, and the rows the save added
        are removed. 1 read and 1 write, only after a misplaced save."""
        held = {target: key for target, key in wrong}
        names = list(dict.fromkeys([*(t.tab for t in body.targets),
                                    *(name for name, _ in body.new_keys)]))
        answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                    [a1_tab(n) for n in names], params=dict(READ_PARAMS)))
        values = {name: vr.get("values", []) for name, vr in
                  zip(names, answer.get("valueRanges", []), strict=True)}
        headers = {name: [text_of(h).strip() for h in (rows[0] if rows else [])]
                   for name, rows in values.items()}
        ids = self._tab_ids(names)
        scratch_id = body.scratch_id
        requests: list[dict[str, Any]] = []
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
            rows = _rows_with(target.tab, headers[target.tab], values[target.tab], key)
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
            added.setdefault(name, []).extend(
                _rows_with(name, headers[name], values[name], key))
        for name, numbers in added.items():
            for first, last in reversed(_runs(sorted(set(numbers)))):
                requests.append({"deleteDimension": {"range": {
                    "sheetId": ids[name], "dimension": "ROWS", "startIndex": first - 1,
                    "endIndex": last}}})
        moved = ", ".join(sorted({f"{t.tab} {k or '(blank)'}" for t, k in wrong}))
        if lost or tries.write_once(partial(self._batch_update, requests)) is None:
            raise StoreError(
                f"Someone sorted or moved rows in the Google Sheet while this was being "
                f"saved, so it landed on other rows ({moved}), and the app could not put "
                f"them back{' (' + ', '.join(lost) + ' not found)' if lost else ''}. Open "
                f"the sheet and check those rows (File > Version history shows what "
                f"changed), then save again.")

    def _send_large(self, plan: _Plan, tries: Tries) -> None:
        """A commit over ~2 MB (an import) first records its intent (a hidden tab naming
        every row it will add), then sends its new rows as compact `values:append`
        requests of ~4 MB each, each retried safely, and last its edits, its small rows and
        the removal of the intent, in one request that lands all or nothing; all under the
        commit's one time budget. If a later request fails for good, the rows already added
        are removed again; if even that fails, the intent stays, and the app's next read of
        the tab list (at its next start) once the intent is 15 minutes old removes them."""
        grouped = plan.rows_by_tab()
        intent = self._record_intent(plan, grouped, tries)
        added: list[tuple[str, int, list[str]]] = []
        try:
            # The biggest tabs' rows go first, each as few `values:append`s as fit; the
            # small rest (the import's own record, the audit row) rides in the last request.
            for tab_name in sorted(grouped, key=lambda name: -len(json.dumps(grouped[name]))):
                key_index = plan.key_column(tab_name)
                for chunk in _chunks([values for values, _ in grouped[tab_name]]):
                    added.append((tab_name, key_index, [text_of(r[key_index]) for r in chunk]))
                    self._append_values(tab_name, key_index, chunk,
                                        text_of(chunk[0][key_index]), tries)
                plan.new_rows = [row for row in plan.new_rows if row[0] != tab_name]
                if plan.single_body() is not None:
                    break
            # Edits over ~2 MB still go, as one request over Google's advice, not never.
            rest = plan.single_body() or plan.single_body(limit=False) or _Body([])
            rest.requests.append({"deleteSheet": {"sheetId": intent}})
            self._send(rest, tries)
        except StoreError as error:
            if not added:
                self._drop_intents([intent])
                raise
            self._take_back(added, error, intent)
            raise

    def _record_intent(self, plan: _Plan, grouped: Mapping[str, list[tuple[list[Any], str]]],
                       tries: Tries) -> int:
        """1 write: a hidden tab `_steward_pending_<id>` holding when the commit started and
        the key of every row it is about to add (by tab), removed by the commit's own last
        request. Its sheet id is returned."""
        # An id of its own without reading the tab list (a large append needs no sheet ids
        # otherwise): one of a billion, from the commit's random nonce.
        intent = PENDING_SHEET_ID + int(plan.nonce[:8], 16) % 1_000_000_000
        self._own_intents.add(intent)  # never taken for another process's leftover
        rows: list[list[str]] = [["started", datetime.now(UTC).isoformat()]]
        for tab_name, records in grouped.items():
            column = str(plan.key_column(tab_name))
            text = ""
            for _, key in records:
                if len(text) + len(key) + 1 > INTENT_CELL_CHARS:
                    rows.append([tab_name, column, text])
                    text = ""
                text += key + "\n"
            rows.append([tab_name, column, text])
        body: list[dict[str, Any]] = [{"addSheet": {"properties": {
                    "sheetId": intent, "title": f"{PENDING_PREFIX}{plan.nonce[:12]}",
                    "hidden": True, "gridProperties": {"rowCount": len(rows),
                                                       "columnCount": 3}}}},
                {"updateCells": {
                    "start": {"sheetId": intent, "rowIndex": 0, "columnIndex": 0},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": v}} for v in row]}
                             for row in rows],
                    "fields": "userEnteredValue"}}]
        # Adding a tab twice is refused, never doubled: a lost answer is simply retried.
        try:
            self._learn_grids(tries.call(partial(self._batch_update, body)))
        except StoreError as error:
            if not _already_exists(error):
                raise
        return intent

    def _take_back(self, added: list[tuple[str, int, list[str]]], error: StoreError,
                   intent: int) -> None:
        """Remove the rows a large commit added before its last request failed (1 read of
        their key columns + 1 write, with a budget of their own), or say what is left."""
        tries = Tries(self.retry, "removing the rows of an unfinished save")
        names = list(dict.fromkeys(name for name, _, _ in added))
        columns = {name: column for name, column, _ in added}
        keys = {name: {k for n, _, chunk in added if n == name for k in chunk} for name in names}
        counts = ", ".join(f"{len(keys[n]):,} to {n}" for n in names)
        what = "may have been saved" if isinstance(error, Uncertain) else "was not saved"
        left = StoreError(
            f"Google stopped answering in the middle of a large save: its rows were added "
            f"(up to {counts}) but the rest of it (the import's record and audit row) {what}, and "
            f"the app could not remove those rows yet. Unless the save turns out to have "
            f"landed, it removes them by itself when it next starts, 15 minutes from now or "
            f"later (restart it then); after that, refresh and check the Import page.")
        if isinstance(error, Uncertain):
            # The last request may have landed (and removed the intent) or not: the next
            # start decides, from whether the intent is still there.
            raise left from error
        ranges = [f"{a1_tab(n)}!{_letter(columns[n])}:{_letter(columns[n])}" for n in names]
        try:
            while True:  # rows are found by key on every try, so none is deleted twice
                answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                            ranges, params=dict(READ_PARAMS)))
                ids = self._tab_ids(names)
                requests: list[dict[str, Any]] = []
                for name, vr in zip(names, answer.get("valueRanges", []), strict=True):
                    rows = [n for n, row in enumerate(vr.get("values", []), start=1)
                            if n >= FIRST_DATA_ROW and row and text_of(row[0]) in keys[name]]
                    for first, last in reversed(_runs(rows)):
                        requests.append({"deleteDimension": {"range": {
                            "sheetId": ids[name], "dimension": "ROWS",
                            "startIndex": first - 1, "endIndex": last}}})
                requests.append({"deleteSheet": {"sheetId": intent}})
                try:
                    if tries.write_once(partial(self._batch_update, requests)) is not None:
                        return
                except StoreError as refused:
                    if _no_grid(refused):
                        return  # the lost answer of this very request: it was done
                    raise
        except StoreError as failed:
            raise left from failed

    def _append_values(self, tab_name: str, key_index: int, rows: list[list[Any]],
                       first_key: str, tries: Tries) -> None:
        def send() -> Any:
            return self.http.values_append(
                self.spreadsheet_id, f"{a1_tab(tab_name)}!A1",
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS",
                        "includeValuesInResponse": "false"},
                body={"values": rows, "majorDimension": "ROWS"},
            )

        self._send_unless_landed(send, (tab_name, key_index, first_key), tries)
        self._grew(tab_name, len(rows))  # INSERT_ROWS adds exactly these rows to the grid

    def _send_unless_landed(self, send: Callable[[], Any],
                            first_new: tuple[str, int, str] | None, tries: Tries) -> Any:
        """Send a write that adds rows; after a lost answer, look for its first new row's key
        before sending it again, so a retry never doubles rows. A look that cannot answer is
        retried under the same budget, never taken for "not there"."""
        while True:
            answer = tries.write_once(send)
            if answer is not None:
                return answer
            if not tries.unsure or first_new is None:
                continue
            if self._key_is_there(first_new, tries):
                return {"landed": True}
            tries.unsure = False

    def _key_is_there(self, first_new: tuple[str, int, str], tries: Tries) -> bool:
        tab_name, column, key = first_new
        letter = rowcol_to_a1(1, column + 1).rstrip("1")
        answer = tries.call(partial(self.http.values_get, self.spreadsheet_id,
                                    f"{a1_tab(tab_name)}!{letter}:{letter}"))
        return key in {text_of(r[0]).strip() for r in answer.get("values", []) if r}

    def _tab_ids(self, names: list[str]) -> dict[str, int]:
        """Each tab's sheet id (grid requests need it), reading the tab list again only when
        a tab is missing from it (staff may have added one since)."""
        ids = self._sheet_ids()
        if any(name not in ids for name in names):
            ids = self._sheet_ids(refresh=True)
        missing = [name for name in names if name not in ids]
        if missing:
            raise SchemaMismatch(f"The Google Sheet has no {missing[0]} tab. Run "
                                 f"`python -m steward init` to create it.")
        return ids

    def _checked_row(self, tab_name: str, header: list[str], values: list[list[Any]],
                     edit: RowEdit) -> int:
        """The sheet row holding `edit.key` now, once it is checked to be as the user saw
        it and to have every column the edit names."""
        missing = sorted(set(edit.changes) - set(header))
        if missing:
            raise SchemaMismatch(f"The {tab_name} tab has no column {missing[0]!r}. Run "
                                 f"`python -m steward init` to add missing columns.")
        row_number, current = _find_row(tab_name, header, values, edit.key)
        raise_if_conflicts(tab_name, edit.key, current, edit.seen, edit.changes or None,
                           self.locale)
        return row_number

    def _send(self, body: _Body, tries: Tries) -> None:
        self._learn_grids(self._send_unless_landed(partial(self._batch_update, body.requests),
                                                   body.first_new, tries))

    def _learn_grids(self, answer: Any, some_tabs: bool = False) -> None:
        """Take the tabs' grid sizes from a batchUpdate's `updatedSpreadsheet`."""
        updated = answer.get("updatedSpreadsheet") if isinstance(answer, Mapping) else None
        if self._metadata is None or not isinstance(updated, Mapping) or "sheets" not in updated:
            return
        if not some_tabs:
            self._metadata = {**self._metadata, "sheets": updated["sheets"]}
            return
        # `responseRanges` limited the answer to some tabs: merge, so the others stay known.
        fresh = {sheet["properties"]["sheetId"]: {"properties": sheet["properties"]}
                 for sheet in updated["sheets"]}
        sheets = [fresh.pop(sheet["properties"]["sheetId"], sheet)
                  for sheet in self._metadata.get("sheets", [])]
        self._metadata = {**self._metadata, "sheets": [*sheets, *fresh.values()]}

    def add_columns(self, columns: Mapping[str, Sequence[str]]) -> None:
        """Header cells for new columns after each tab's last one, widening the grid where
        needed: 1 header read, 1 metadata read and 1 write for all tabs."""
        names = [name for name, wanted in columns.items() if wanted]
        if not names:
            return
        answer = call_with_retry(
            self.retry, "reading the header rows",
            lambda: self.http.values_batch_get(self.spreadsheet_id,
                                               [f"{a1_tab(n)}!1:1" for n in names]),
        )
        headers = {name: [str(h).strip() for h in (vr.get("values") or [[]])[0]]
                   for name, vr in zip(names, answer.get("valueRanges", []), strict=True)}
        self._tab_ids(names)
        grids = {sheet["properties"]["title"]: sheet["properties"]
                 for sheet in self.metadata(refresh=True).get("sheets", [])}
        requests: list[dict[str, Any]] = []
        for name in names:
            header = headers[name]
            new = [c for c in columns[name] if c not in header]
            if not new:
                continue
            sheet_id = grids[name]["sheetId"]
            width = int(grids[name].get("gridProperties", {}).get("columnCount", 26))
            if len(header) + len(new) > width:
                requests.append({"appendDimension": {"sheetId": sheet_id,
                                                     "dimension": "COLUMNS",
                                                     "length": len(header) + len(new) - width}})
            requests.append({"updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": len(header)},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": c}} for c in new]}],
                "fields": "userEnteredValue",
            }})
        if requests:
            self._learn_grids(call_with_retry(
                self.retry, "adding columns",
                lambda: self.http.batch_update(self.spreadsheet_id, {
                    "requests": requests, "includeSpreadsheetInResponse": True,
                    "responseIncludeGridData": False}),
            ))

    def assign_keys_by_row(
        self, tab_name: str, fills: Sequence[KeyFill], *, audit: AuditHook | None = None
    ) -> None:
        """One `values:batchGet` (the tab, to check each row at its number now, and the
        audit log's header), then one `spreadsheets:batchUpdate` writing only the key cells
        and the audit rows, which Google applies all or nothing."""
        if not fills:
            return
        names = [tab_name, *(["audit_log"] if audit is not None and tab_name != "audit_log"
                             else [])]
        ranges = [a1_tab(tab_name), *([f"{a1_tab('audit_log')}!1:1"] if len(names) > 1
                                      else [])]
        key = tab(tab_name).key
        tries = Tries(self.retry, "giving rows ids")
        while True:
            answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                        ranges, params=dict(READ_PARAMS)))
            values = {name: vr.get("values", []) for name, vr in
                      zip(names, answer.get("valueRanges", []), strict=True)}
            headers = {name: [text_of(h).strip() for h in (rows[0] if rows else [])]
                       for name, rows in values.items()}
            header = headers[tab_name]
            if key not in header:
                raise SchemaMismatch(f"The {tab_name} tab has no {key!r} column in row 1.")
            now = {number: {h: v for h, v in zip(header, _pad(row, len(header)),
                                                 strict=False) if h}
                   for number, row in enumerate(values[tab_name][1:], start=FIRST_DATA_ROW)}
            in_use = {cells.get(key, "").strip() for cells in now.values()}
            if tries.unsure:
                if all(fill.key in in_use for fill in fills):
                    return  # the attempt whose answer was lost landed (all or nothing)
                tries.unsure = False
            # Checked again on every try: a sort during a backoff moves rows, and a fill
            # is only ever written at a row that still holds what the user saw.
            check_key_fills(tab_name, fills, now, in_use, self.locale)
            plan = _Plan(lambda: self._tab_ids(names), headers)
            for fill in fills:
                plan.edit(tab_name, fill.row, {key: fill.key})
            if audit is not None:
                plan.append("audit_log", audit(key_fill_changes(tab_name, fills)))
            body = plan.single_body()
            if body is None:
                self._send_large(plan, tries)
                return
            answer = tries.write_once(partial(self._batch_update, body.requests))
            if answer is not None:
                self._learn_grids(answer)
                return

    def clear(self, tabs: Sequence[str]) -> None:
        """One `spreadsheets:batchUpdate` deleting every row below the header of `tabs`
        (after 1 read of the current grid sizes). Google refuses to delete all non-frozen
        rows of a tab, so each tab first gets one blank row at the end, which stays."""
        for name in tabs:
            tab(name)
        grids = {sheet["properties"]["title"]: sheet["properties"]
                 for sheet in self.metadata(refresh=True).get("sheets", [])}
        missing = [name for name in tabs if name not in grids]
        if missing:
            raise SchemaMismatch(f"The Google Sheet has no {missing[0]} tab. Run "
                                 f"`python -m steward init` to create it.")
        requests: list[dict[str, Any]] = []
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
        if not requests:
            return

        def landed(error: Exception) -> Any:
            """A timed-out attempt that was applied left every tab 2 rows tall; sending
            it again would delete past the end of the shrunken grid."""
            answer = self.http.fetch_sheet_metadata(self.spreadsheet_id)
            now = {sheet["properties"]["sheetId"]: sheet["properties"].get(
                "gridProperties", {}).get("rowCount", 0) for sheet in answer.get("sheets", [])}
            shrunk = [now.get(sheet_id) == 2 for sheet_id, rows in sizes.items() if rows > 2]
            return {"updatedSpreadsheet": answer} if shrunk and all(shrunk) else None

        self._learn_grids(call_with_retry(
            self.retry, "emptying tabs",
            lambda: self.http.batch_update(self.spreadsheet_id, {
                "requests": requests, "includeSpreadsheetInResponse": True,
                "responseIncludeGridData": False}),
            landed,
        ))

    # ---------------------------------------------------------------------- schema

    def ensure_schema(self) -> SchemaReport:
        report = SchemaReport()
        sheets = {s["properties"]["title"]: s["properties"]
                  for s in self.metadata(refresh=True).get("sheets", [])}
        existing = [name for name in TABS if name in sheets]
        headers: dict[str, list[str]] = {}
        if existing:
            answer = call_with_retry(
                self.retry, "reading the header rows",
                lambda: self.http.values_batch_get(
                    self.spreadsheet_id, [f"{a1_tab(n)}!1:1" for n in existing]
                ),
            )
            for name, vr in zip(existing, answer.get("valueRanges", []), strict=True):
                headers[name] = [str(h).strip() for h in (vr.get("values") or [[]])[0]]

        structure: list[dict[str, Any]] = []
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
        if not report.changed:
            return report
        if structure:
            replies = call_with_retry(
                self.retry, "creating tabs",
                lambda: self.http.batch_update(self.spreadsheet_id, {"requests": structure}),
            ).get("replies", [])
            for reply in replies:
                properties = (reply or {}).get("addSheet", {}).get("properties")
                if properties:
                    sheets[properties["title"]] = properties

        header_data, formats = [], []
        for name, spec in TABS.items():
            header = headers.get(name, [])
            new_columns = report.added_columns.get(name, list(spec.column_names)
                                                   if name in report.created_tabs else [])
            if not new_columns:
                continue
            first = len(header) + 1
            header_data.append({
                "range": f"{a1_tab(name)}!{rowcol_to_a1(1, first)}",
                "values": [new_columns],
            })
            for offset, column_name in enumerate(new_columns):
                formats.append(_column_format(sheets[name]["sheetId"], first - 1 + offset,
                                              spec.column(column_name).kind))
        call_with_retry(
            self.retry, "writing header rows",
            lambda: self.http.values_batch_update(
                self.spreadsheet_id, body={"valueInputOption": "RAW", "data": header_data}),
        )
        formats = [f for f in formats if f]
        if formats:
            call_with_retry(
                self.retry, "formatting columns",
                lambda: self.http.batch_update(self.spreadsheet_id, {"requests": formats}),
            )
        # Forget the tab list rather than fetch it again: the next `delete` or `row_link`
        # reads it when it needs the new tabs' ids, and this call stays within its budget.
        self._metadata = None
        return report


def _find_row(
    tab_name: str, header: list[str], values: list[list[Any]], key: str
) -> tuple[int, dict[str, str]]:
    """Find the row whose key is `key` in a fresh read: by value, never by remembered position."""
    spec = tab(tab_name)
    if spec.key not in header:
        raise SchemaMismatch(f"The {tab_name} tab has no {spec.key!r} column in row 1.")
    key_at = header.index(spec.key)
    matches = [
        number for number, row in enumerate(values[1:], start=FIRST_DATA_ROW)
        if len(row) > key_at and text_of(row[key_at]).strip() == key
    ]
    if not matches:
        raise NotFound(
            f"There is no row with {spec.key} {key!r} in {tab_name} any more; someone may "
            f"have deleted it. Refresh to see the current data."
        )
    if len(matches) > 1:
        raise duplicate_key(tab_name, key, matches)
    row = _pad(values[matches[0] - 1], len(header))
    return matches[0], {h: v for h, v in zip(header, row, strict=False) if h}


def _column_format(sheet_id: int, column_index: int, kind: ColumnKind) -> dict[str, Any] | None:
    """Give a new column the number format of its kind, from row 2 down: dates show as
    dates, amounts with two decimals, and text columns stay text (a postcode keeps its 0)."""
    if kind.name == "money":
        number_format: dict[str, str] | None = MONEY_FORMAT
    else:
        number_format = SHEET_FORMATS.get(kind.sheet_format)
    if number_format is None:
        return None
    return {"repeatCell": {
        "range": {"sheetId": sheet_id, "startRowIndex": 1,
                  "startColumnIndex": column_index, "endColumnIndex": column_index + 1},
        "cell": {"userEnteredFormat": {"numberFormat": number_format}},
        "fields": "userEnteredFormat.numberFormat",
    }}


def _chunks(rows: list[list[Any]]) -> list[list[list[Any]]]:
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


def spreadsheet_id_of(spreadsheet: str) -> str:
    """A spreadsheet id from an id or a docs.google.com URL."""
    text = spreadsheet.strip()
    if "/" in text:
        try:
            return gspread.utils.extract_id_from_url(text)
        except gspread.exceptions.NoValidUrlKeyFound:
            raise NotFound(f"{spreadsheet!r} is not a Google Sheets URL or id.") from None
    return text


def cell_data(kind: ColumnKind | None, value: Any) -> dict[str, Any]:
    """A typed value as the CellData of a grid write: text as `stringValue` (stored exactly,
    never a formula, like RAW), numbers and dates as `numberValue`, flags as `boolValue`,
    and a blank as no value (which clears the cell)."""
    sent = cell_value(kind, value)
    if sent == "":
        return {}
    if isinstance(sent, bool):
        return {"userEnteredValue": {"boolValue": sent}}
    if isinstance(sent, (int, float)):
        return {"userEnteredValue": {"numberValue": sent}}
    return {"userEnteredValue": {"stringValue": sent}}


def _edits_and_deletes(changes: ChangeSet) -> Iterator[tuple[str, str, RowEdit]]:
    for name, edits in changes.edits.items():
        for edit in edits:
            yield "edit", name, edit
    for name, deletes in changes.deletes.items():
        for gone in deletes:
            yield "delete", name, gone


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
_SCRATCH_KEYS = "scratch keys"
#: The name under which a commit's read holds a tab's key column only (a landed check).
_KEYS_OF = "keys of "
#: ... and the key column of a tab getting new rows, to refuse a key already in use
_KEYS_IN_USE = "keys in use of "


@dataclass
class _Expected:
    """What the sheet shows once a commit's edits and deletes landed."""

    edits: list[tuple[str, str, Mapping[str, Any]]] = field(default_factory=list)
    gone: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Sent:
    """A commit's write whose answer was lost: how to tell, from a fresh read, whether
    Google applied it (each batchUpdate lands whole or not at all)."""

    first_new: tuple[str, int, str] | None
    expected: _Expected
    conflicts: list[Conflict]
    body: _Body | None = None

    def landed(self, values: Mapping[str, list[list[Any]]],
               headers: Mapping[str, list[str]], locale: Locale) -> bool:
        if self.body is not None and self.body.targets:
            # A guarded write left its own token under the rows it copied aside.
            scratch = values.get(_SCRATCH_KEYS, [])
            n = len(self.body.targets)
            return len(scratch) > n and bool(scratch[n]) and text_of(scratch[n][0]) == \
                self.body.nonce
        if self.first_new is not None:
            tab_name, column, key = self.first_new
            rows = values.get(_KEYS_OF + tab_name)
            if rows is None:
                rows, at = values[tab_name][1:], column
            else:
                rows, at = rows[1:], 0
            return key in {text_of(r[at]).strip() for r in rows if len(r) > at}
        for tab_name, key in self.expected.gone:
            if _rows_with(tab_name, headers[tab_name], values[tab_name], key):
                return False
        for tab_name, key, wanted in self.expected.edits:
            found = _rows_with(tab_name, headers[tab_name], values[tab_name], key)
            if len(found) != 1:
                return False
            row = dict(zip(headers[tab_name], _pad(values[tab_name][found[0] - 1],
                                                    len(headers[tab_name])), strict=False))
            if find_conflicts(tab_name, row, wanted, None, locale):
                return False
        return True


def _rows_with(tab_name: str, header: list[str], values: list[list[Any]], key: str) -> list[int]:
    """The sheet row numbers whose key cell holds `key`."""
    spec = tab(tab_name)
    if spec.key not in header:
        return []
    at = header.index(spec.key)
    return [number for number, row in enumerate(values[1:], start=FIRST_DATA_ROW)
            if len(row) > at and text_of(row[at]).strip() == key]


@dataclass(frozen=True)
class _Target:
    """A row a commit edits or deletes: where it was read, and the key it held then."""

    tab: str
    row: int
    key: str
    kind: str  # "edit" | "delete"


def _no_grid(error: StoreError) -> bool:
    """Whether Google refused a request for naming a tab that is not there (any more)."""
    cause = error.__cause__
    return isinstance(cause, gspread.exceptions.APIError) and "No grid with id" in str(
        cause.error.get("message", ""))


def _started(rows: list[list[Any]]) -> datetime | None:
    """When the commit of an intent tab started (its cell B1), if readable."""
    try:
        return datetime.fromisoformat(str(rows[0][1]))
    except (IndexError, ValueError):
        return None


def _already_exists(error: StoreError) -> bool:
    """Whether Google refused an addSheet because that tab exists (a retried request)."""
    cause = error.__cause__
    return isinstance(cause, gspread.exceptions.APIError) and "already exists" in str(
        cause.error.get("message", ""))


def _letter(column: int) -> str:
    """The A1 letters of a 0-based column index: 0 -> 'A', 27 -> 'AB'."""
    return rowcol_to_a1(1, column + 1).rstrip("1")


def _column_a(rows: list[list[Any]]) -> list[str]:
    return [text_of(row[0]).strip() if row else "" for row in rows]


def _column_range(tab_name: str, index: int) -> str:
    """The A1 range of one whole column of a tab, by its 0-based index: ``people!A:A``."""
    letter = _letter(index)
    return f"{a1_tab(tab_name)}!{letter}:{letter}"


def _keyed(changes: ChangeSet, found: Sequence[str]) -> list[str]:
    """The tabs that get new rows, whose key column a commit reads to refuse a key in use
    (a tab read whole for its edits has it already; a copy or the demo skips it)."""
    if changes.as_given:
        return []
    return [name for name, records in changes.appends.items() if records and name not in found]


def _scratch_keys(answer: Any, scratch_id: int, count: int) -> list[str]:
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


@dataclass
class _Body:
    """One `spreadsheets:batchUpdate`, and the first new row it adds (tab, key column, key),
    by which a retry can tell whether a timed-out attempt landed."""

    requests: list[dict[str, Any]]
    first_new: tuple[str, int, str] | None = None
    targets: list[_Target] = field(default_factory=list)
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

    def misplaced(self, answer: Any) -> list[tuple[_Target, str]]:
        """The rows this request changed that did not hold the key it meant (someone sorted,
        inserted or deleted rows between the store's read and this request), with the key
        each did hold. Empty when every change landed on its row."""
        if not self.targets:
            return []
        return self.misplaced_keys(_scratch_keys(answer, self.scratch_id, len(self.targets)))

    def misplaced_keys(self, held: list[str]) -> list[tuple[_Target, str]]:
        held = held + [""] * (len(self.targets) - len(held))
        return [(target, key) for target, key in zip(self.targets, held, strict=False)
                if key != target.key]


class _Plan:
    """The requests of one commit: cell edits, then row deletes (bottom up, so the row
    numbers read still hold), then new rows."""

    def __init__(self, sheet_ids: Callable[[], Mapping[str, int]],
                 headers: Mapping[str, list[str]],
                 scratch: Callable[[], tuple[int, bool]] | None = None) -> None:
        self._sheet_ids, self.headers, self._scratch = sheet_ids, headers, scratch
        self.fixed: list[dict[str, Any]] = []
        self.new_rows: list[tuple[str, list[Any], str]] = []
        self.targets: list[_Target] = []
        self.nonce = uuid.uuid4().hex  # tells this save's copies from an earlier save's

    def guard(self, tab_name: str, row_number: int, key: str, kind: str) -> None:
        """Have the request copy row `row_number` aside before it changes it, and answer
        with the key the row held then (see `_guard_requests`)."""
        if self._scratch is not None and all(
                (t.tab, t.row) != (tab_name, row_number) for t in self.targets):
            self.targets.append(_Target(tab_name, row_number, key, kind))

    def _guard_requests(self) -> tuple[list[dict[str, Any]], list[_Target], int]:
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
        kinds = _kinds(tab_name)
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
        for first, last in reversed(_runs(sorted(set(row_numbers)))):
            self.fixed.append({"deleteDimension": {"range": {
                "sheetId": self.sheet_ids[tab_name], "dimension": "ROWS",
                "startIndex": first - 1, "endIndex": last,
            }}})

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
        kinds = _kinds(tab_name)
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

    def single_body(self, limit: bool = True) -> _Body | None:
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
        body = _Body(guard + list(self.fixed), targets=targets, scratch_id=scratch_id,
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


def _kinds(tab_name: str) -> dict[str, ColumnKind]:
    return {c.name: c.kind for c in tab(tab_name).columns}


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as (first, last) runs of consecutive ones: [3, 4, 5, 9] -> (3, 5), (9, 9)."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
