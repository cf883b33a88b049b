"""Saves over one request, for the Google Sheets backend (`LargeSaves`, a part of
`GoogleSheetsStore`): a commit over ~2 MB (a large import) records its intent first (a
hidden `_steward_pending_<id>` tab naming every row it adds), sends its rows as
`values:append` requests of ~4 MB, and ends with one request that lands the rest and removes
the intent; rows of a save that failed halfway are taken back, and an intent left behind
for 15 minutes is cleaned up by the next process that reads the tab list. The requests
are built in `sheets_requests` and `sheets_plan`; this module sends them through the
store's client, under its retries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from .errors import StoreError, Uncertain
from .retry import RetryPolicy, Tries, already_exists, call_with_retry, no_grid
from .sheets_cells import READ_PARAMS, a1_tab, column_range, text_of
from .sheets_plan import PENDING_STALE, Body, Plan, append_chunks, delete_rows
from .sheets_requests import (
    grow,
    intent_requests,
    pending_intents,
    rows_holding,
    stale_intents,
)


class LargeSaves:
    """What `GoogleSheetsStore` does for a save over one request, and after one that never
    finished. It uses the store's client and these of its parts:"""

    retry: RetryPolicy
    http: Any  # gspread's HTTPClient
    spreadsheet_id: str
    _metadata: Mapping[str, Any] | None
    _own_intents: set[int]
    _batch_update: Callable[..., Any]
    _learn_grids: Callable[..., None]
    _sheet_ids: Callable[..., dict[str, int]]
    _tab_ids: Callable[[list[str]], dict[str, int]]
    _send: Callable[[Body, Tries], None]
    _send_unless_landed: Callable[..., Any]

    def _finish_intents(self) -> None:
        """Remove what large commits that never finished left behind: for every intent tab
        over 15 minutes old (its commit gave up long ago), the rows it names and the tab
        itself, in 1 read + 1 write. Nothing is sent when there is none (the usual case);
        if Google refuses now, the next start tries again."""
        assert self._metadata is not None
        pending = pending_intents(self._metadata, self._own_intents)
        if not pending:
            return
        try:
            answer = call_with_retry(
                self.retry, "reading unfinished saves",
                lambda: self.http.values_batch_get(
                    self.spreadsheet_id, [f"{a1_tab(p['title'])}!A:C" for p in pending]))
            stale, keys = stale_intents(pending, answer.get("valueRanges", []),
                                        datetime.now(UTC), PENDING_STALE)
            if stale:
                self._drop_rows(keys, stale)
        except StoreError:
            return

    def _drop_rows(self, keys: Mapping[str, tuple[int, set[str]]], intents: list[int]) -> None:
        """Delete the rows holding `keys` (by tab: key column, keys) and the intent tabs."""
        names = list(keys)
        ranges = [column_range(n, keys[n][0]) for n in names]
        requests: list[dict[str, Any]] = []
        if names:
            answer = call_with_retry(self.retry, "reading unfinished saves", lambda: (
                self.http.values_batch_get(self.spreadsheet_id, ranges,
                                           params=dict(READ_PARAMS))))
            ids = self._sheet_ids()
            for name, vr in zip(names, answer.get("valueRanges", []), strict=True):
                requests.extend(delete_rows(ids[name], rows_holding(vr.get("values", []),
                                                                    keys[name][1])))
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

    def _send_large(self, plan: Plan, tries: Tries) -> None:
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
                for chunk in append_chunks([values for values, _ in grouped[tab_name]]):
                    added.append((tab_name, key_index, [text_of(r[key_index]) for r in chunk]))
                    self._append_values(tab_name, key_index, chunk,
                                        text_of(chunk[0][key_index]), tries)
                plan.new_rows = [row for row in plan.new_rows if row[0] != tab_name]
                if plan.single_body() is not None:
                    break
            # Edits over ~2 MB still go, as one request over Google's advice, not never.
            rest = plan.single_body() or plan.single_body(limit=False) or Body([])
            rest.requests.append({"deleteSheet": {"sheetId": intent}})
            self._send(rest, tries)
        except StoreError as error:
            if not added:
                self._drop_intents([intent])
                raise
            self._take_back(added, error, intent)
            raise

    def _record_intent(self, plan: Plan, grouped: Mapping[str, list[tuple[list[Any], str]]],
                       tries: Tries) -> int:
        """1 write: a hidden tab `_steward_pending_<id>` holding when the commit started and
        the key of every row it is about to add (by tab), removed by the commit's own last
        request. Its sheet id is returned."""
        intent, body = intent_requests(plan, grouped, datetime.now(UTC))
        self._own_intents.add(intent)  # never taken for another process's leftover
        # Adding a tab twice is refused, never doubled: a lost answer is simply retried.
        try:
            self._learn_grids(tries.call(partial(self._batch_update, body)))
        except StoreError as error:
            if not already_exists(error):
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
        ranges = [column_range(n, columns[n]) for n in names]
        try:
            while True:  # rows are found by key on every try, so none is deleted twice
                answer = tries.call(partial(self.http.values_batch_get, self.spreadsheet_id,
                                            ranges, params=dict(READ_PARAMS)))
                ids = self._tab_ids(names)
                requests: list[dict[str, Any]] = []
                for name, vr in zip(names, answer.get("valueRanges", []), strict=True):
                    requests.extend(delete_rows(ids[name], rows_holding(vr.get("values", []),
                                                                        keys[name])))
                requests.append({"deleteSheet": {"sheetId": intent}})
                try:
                    if tries.write_once(partial(self._batch_update, requests)) is not None:
                        return
                except StoreError as refused:
                    if no_grid(refused):
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
        # INSERT_ROWS adds exactly these rows to the grid
        grow(self._metadata or {}, tab_name, len(rows))
