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
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import gspread
import pandas as pd

from sheets_schema import TABS, Locale, tab
from sheets_schema.frames import FIRST_DATA_ROW, ROW_INDEX
from sheets_schema.workbook import Workbook

from .base import (
    AuditHook,
    ChangeSet,
    KeyFill,
    SchemaReport,
    Store,
)
from .capacity import RequestLog, Usage
from .commit import run_commit, run_key_fills, tab_missing
from .errors import Conflict, NotFound, SchemaMismatch, StoreError
from .retry import RetryPolicy, Tries, call_with_retry, no_grid
from .sheets_cells import (
    READ_PARAMS,
    a1_tab,
    cell_value,
    column_a,
    column_letter,
    column_range,
    text_of,
    text_rows,
)
from .sheets_large import LargeSaves
from .sheets_plan import (
    SCRATCH_KEYS,
    Body,
    CommitPlanning,
    Expected,
    KeyFillPlanning,
    Plan,
    Sent,
    Target,
)
from .sheets_requests import (
    clear_requests,
    commit_ranges,
    grid_cells,
    header_cell_requests,
    headers_of,
    merged_metadata,
    schema_headers,
    schema_structure,
    scratch_of,
    undo_requests,
)

__all__ = ["GoogleSheetsStore", "cell_value", "text_of"]

REQUEST_TIMEOUT_S = (5, 30)  # connect, read: a 2,000-row read can take tens of seconds


class GoogleSheetsStore(LargeSaves, Store):
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
        cells = grid_cells(self._metadata) if self._metadata is not None else None
        return Usage(cells=cells, reads=reads, writes=writes, spec=self.spec)

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
        frame = pd.DataFrame(text_rows(values[1:], width), columns=header, dtype=object)
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
        sent: Sent | None = None
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
                    wrong = sent.body.misplaced_keys(column_a(values.get(SCRATCH_KEYS, [])))\
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
                if not body.targets or refreshed or not no_grid(error):
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
            sent = (Sent(body.first_new, expected, conflicts, body) if tries.unsure
                    else None)

    def _read_for_commit(self, changes: ChangeSet, audit: AuditHook | None,
                         sent: Sent | None, tries: Tries
                         ) -> tuple[dict[str, list[list[Any]]], dict[str, list[str]]]:
        """The tabs with edits or deletes in full, the header of the others, and, after a
        lost answer, the key column of the tab where that attempt's first new row went."""
        ranges, names = commit_ranges(changes, audit is not None, sent, self._key_at)
        answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id, ranges,
                                    params=dict(READ_PARAMS)))
        values = {name: vr.get("values", []) for name, vr in
                  zip(names, answer.get("valueRanges", []), strict=True)}
        headers = headers_of(values)
        for name, header in headers.items():
            self._learn_key_column(name, header)
        return values, headers

    def _plan_commit(self, changes: ChangeSet, values: dict[str, list[list[Any]]],
                     headers: dict[str, list[str]], skip_conflicts: bool,
                     audit: AuditHook | None) -> tuple[Plan, list[Conflict], Expected]:
        """The requests that make `changes` true of the rows as just read, the conflicts
        left out, and what the sheet looks like once they landed."""
        planning = CommitPlanning(Plan(lambda: self._tab_ids(list(headers)), headers,
                                        self._scratch), values, headers, self._key_column)
        conflicts = run_commit(planning, changes, skip_conflicts=skip_conflicts, audit=audit,
                               locale=self.locale)
        return planning.finish(), conflicts, planning.expected

    def _learn_key_column(self, name: str, header: list[str]) -> None:
        key = tab(name).key
        if key in header:
            self._key_at[name] = header.index(key)

    def _key_column(self, name: str, at: int) -> list[list[Any]]:
        """Column `at` of `name`, header included: one more read, only after staff moved
        the key column since this store last saw the tab's header."""
        answer = call_with_retry(
            self.retry, "reading the ids in use",
            lambda: self.http.values_batch_get(self.spreadsheet_id, [column_range(name, at)],
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
        return scratch_of(self.metadata())

    def _undo(self, body: Body, wrong: list[tuple[Target, str]], tries: Tries) -> None:
        """Put back what a save replaced on rows that moved under it: each edited row gets
        its copy back from the scratch tab (found by the key it held), each deleted row is
        inserted again (at the end of its tab) from its copy, and the rows the save added
        are removed. 1 read and 1 write, only after a misplaced save."""
        names = list(dict.fromkeys([*(t.tab for t in body.targets),
                                    *(name for name, _ in body.new_keys)]))
        answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                    [a1_tab(n) for n in names], params=dict(READ_PARAMS)))
        values = {name: vr.get("values", []) for name, vr in
                  zip(names, answer.get("valueRanges", []), strict=True)}
        requests, lost = undo_requests(body, wrong, values, headers_of(values),
                                       self._tab_ids(names))
        moved = ", ".join(sorted({f"{t.tab} {k or '(blank)'}" for t, k in wrong}))
        if lost or tries.write_once(partial(self._batch_update, requests)) is None:
            raise StoreError(
                f"Someone sorted or moved rows in the Google Sheet while this was being "
                f"saved, so it landed on other rows ({moved}), and the app could not put "
                f"them back{' (' + ', '.join(lost) + ' not found)' if lost else ''}. Open "
                f"the sheet and check those rows (File > Version history shows what "
                f"changed), then save again.")

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
        letter = column_letter(column)
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
            raise tab_missing(missing[0], "the Google Sheet")
        return ids

    def _send(self, body: Body, tries: Tries) -> None:
        self._learn_grids(self._send_unless_landed(partial(self._batch_update, body.requests),
                                                   body.first_new, tries))

    def _learn_grids(self, answer: Any, some_tabs: bool = False) -> None:
        """Take the tabs' grid sizes from a batchUpdate's `updatedSpreadsheet`."""
        updated = answer.get("updatedSpreadsheet") if isinstance(answer, Mapping) else None
        if self._metadata is None or not isinstance(updated, Mapping) or "sheets" not in updated:
            return
        self._metadata = merged_metadata(self._metadata, updated, some_tabs)

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
        requests = header_cell_requests(headers, columns, grids)
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
        tries = Tries(self.retry, "giving rows ids")
        while True:
            answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                        ranges, params=dict(READ_PARAMS)))
            values = {name: vr.get("values", []) for name, vr in
                      zip(names, answer.get("valueRanges", []), strict=True)}
            headers = headers_of(values)
            planning = KeyFillPlanning(Plan(lambda: self._tab_ids(names), headers), values,
                                       headers, tries.unsure)
            # Checked again on every try: a sort during a backoff moves rows, and a fill
            # is only ever written at a row that still holds what the user saw.
            if not run_key_fills(planning, tab_name, fills, audit=audit, locale=self.locale):
                return  # the attempt whose answer was lost landed (all or nothing)
            tries.unsure = False
            plan = planning.plan
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
            raise tab_missing(missing[0], "the Google Sheet")
        requests, sizes = clear_requests(tabs, grids)
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

        structure = schema_structure(sheets, headers, report)
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

        header_data, formats = schema_headers(sheets, headers, report)
        call_with_retry(
            self.retry, "writing header rows",
            lambda: self.http.values_batch_update(
                self.spreadsheet_id, body={"valueInputOption": "RAW", "data": header_data}),
        )
        if formats:
            call_with_retry(
                self.retry, "formatting columns",
                lambda: self.http.batch_update(self.spreadsheet_id, {"requests": formats}),
            )
        # Forget the tab list rather than fetch it again: the next `delete` or `row_link`
        # reads it when it needs the new tabs' ids, and this call stays within its budget.
        self._metadata = None
        return report


def spreadsheet_id_of(spreadsheet: str) -> str:
    """A spreadsheet id from an id or a docs.google.com URL."""
    text = spreadsheet.strip()
    if "/" in text:
        try:
            return gspread.utils.extract_id_from_url(text)
        except gspread.exceptions.NoValidUrlKeyFound:
            raise NotFound(f"{spreadsheet!r} is not a Google Sheets URL or id.") from None
    return text

