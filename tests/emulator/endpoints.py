"""Request handling for the Sheets API v4 (and the bit of Drive v3 gspread uses).

``route`` names the endpoint and its quota bucket from method + URL without touching
state (so counting and fault injection can happen first); ``Handlers.handle`` then runs
it against the workbook and returns (status, JSON body). Errors are raised as
``ApiError`` and turned into Google's ``{"error": {...}}`` shape by the caller.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from .a1 import A1Range, Box, RangeParseError, format_box, format_range, quote_title
from .cells import parse_input
from .fieldmask import apply_fields
from .grid_data import find_table, grid_data_of
from .workbook import Spreadsheet, Tab

if TYPE_CHECKING:
    from .emulator import SheetsEmulator

SHEETS_PREFIX = "/v4/spreadsheets/"
DRIVE_PREFIX = "/drive/v3/files"
TOKEN_HOST = "oauth2.googleapis.com"  # google-auth's token endpoint (access tokens)
IAM_HOST = "iamcredentials.googleapis.com"  # google-auth's regional access boundary look-up


class ApiError(Exception):
    """An error Google would answer, in Google's words."""

    def __init__(self, code: int, message: str, status: str = "INVALID_ARGUMENT") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.", "NOT_FOUND")


@dataclass
class Route:
    """A request, understood: endpoint name, quota bucket and path parts."""

    endpoint: str
    bucket: str | None  # "read" | "write" | None (Drive)
    spreadsheet_id: str = ""
    range: str = ""
    file_id: str = ""


_VERBS = ("append", "clear")


def route(method: str, url: str) -> Route:
    """Name the endpoint of a request URL (path still percent-encoded)."""
    parts = urlsplit(url)
    path = parts.path
    method = method.upper()
    if parts.netloc == TOKEN_HOST:
        return Route("oauth2.token", "token")
    if parts.netloc == IAM_HOST:
        return Route("iam.allowedLocations", "token")
    if path.startswith(DRIVE_PREFIX):
        rest = path[len(DRIVE_PREFIX):].strip("/")
        if not rest:
            return Route("drive.files.create" if method == "POST" else "drive.files.list", None)
        file_id = unquote(rest.split("/")[0])
        name = {"DELETE": "drive.files.delete", "GET": "drive.files.get"}.get(
            method, "drive.files.other"
        )
        if "/" in rest:
            name = "drive.files.other"
        return Route(name, None, file_id=file_id)
    if not path.startswith(SHEETS_PREFIX):
        return Route("unknown", None)
    rest = path[len(SHEETS_PREFIX):]
    if "/values" not in rest:
        sid, _, verb = rest.partition(":")
        sid = unquote(sid)
        if verb == "batchUpdate" and method == "POST":
            return Route("spreadsheets.batchUpdate", "write", sid)
        if not verb and method == "GET":
            return Route("spreadsheets.get", "read", sid)
        return Route("unknown", None, sid)
    sid, _, tail = rest.partition("/values")
    sid = unquote(sid)
    if tail.startswith(":"):
        verb = tail[1:]
        names = {
            ("GET", "batchGet"): ("values.batchGet", "read"),
            ("POST", "batchUpdate"): ("values.batchUpdate", "write"),
            ("POST", "batchClear"): ("values.batchClear", "write"),
        }
        name, bucket = names.get((method, verb), ("unknown", None))
        return Route(name, bucket, sid)
    encoded = tail.lstrip("/")
    head, sep, verb = encoded.rpartition(":")
    if sep and verb in _VERBS and method == "POST":
        return Route(f"values.{verb}", "write", sid, unquote(head))
    if method == "GET":
        return Route("values.get", "read", sid, unquote(encoded))
    if method == "PUT":
        return Route("values.update", "write", sid, unquote(encoded))
    return Route("unknown", None, sid, unquote(encoded))


def _param(params: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = params.get(name)
    return values[-1] if values else default


def _bool_param(params: dict[str, list[str]], name: str) -> bool:
    return (_param(params, name, "false") or "false").lower() == "true"


class Handlers:
    """The endpoint implementations, bound to one emulator's state."""

    def __init__(self, emu: SheetsEmulator) -> None:
        self.emu = emu

    # ------------------------------------------------------------------ dispatch

    def handle(
        self, r: Route, method: str, url: str, body: Any
    ) -> tuple[int, dict[str, Any] | None]:
        params = parse_qs(urlsplit(url).query, keep_blank_values=True)
        if r.endpoint.startswith("drive."):
            return self.drive(r, body, params)
        if r.endpoint == "oauth2.token":
            self.emu.tokens_issued += 1
            return 200, {"access_token": f"emu-token-{self.emu.tokens_issued}",
                         "expires_in": 3600, "token_type": "Bearer"}
        if r.endpoint == "iam.allowedLocations":
            return 200, {"locations": ["us-central1"], "encodedLocations": "0x1"}
        if r.endpoint == "unknown":
            raise ApiError(404, f"Emulator: unsupported request {method} {url}", "NOT_FOUND")
        book = self.emu.books.get(r.spreadsheet_id)
        if book is None:
            raise not_found()
        handler = getattr(self, r.endpoint.replace(".", "_"))
        return 200, handler(book, r, params, body or {})

    # ------------------------------------------------------------------ drive

    def drive(
        self, r: Route, body: Any, params: dict[str, list[str]]
    ) -> tuple[int, dict[str, Any] | None]:
        if r.endpoint == "drive.files.create":
            sid = self.emu.create_spreadsheet((body or {}).get("name", "Untitled spreadsheet"))
            book = self.emu.books[sid]
            return 200, {
                "kind": "drive#file",
                "id": sid,
                "name": book.title,
                "mimeType": "application/vnd.google-apps.spreadsheet",
            }
        if r.endpoint == "drive.files.list":
            files = [self._drive_file(b) for b in self.emu.books.values()]
            return 200, {"files": files}
        book = self.emu.books.get(r.file_id)
        if book is None:
            raise ApiError(404, f"File not found: {r.file_id}.", "NOT_FOUND")
        if r.endpoint == "drive.files.delete":
            del self.emu.books[r.file_id]
            return 204, None
        if r.endpoint == "drive.files.get":
            return 200, self._drive_file(book)
        raise ApiError(404, "Emulator: unsupported Drive request", "NOT_FOUND")

    @staticmethod
    def _drive_file(book: Spreadsheet) -> dict[str, Any]:
        return {
            "id": book.id,
            "name": book.title,
            "createdTime": book.created,
            "modifiedTime": book.modified,
        }

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _locate(book: Spreadsheet, text: str) -> tuple[Tab, A1Range]:
        try:
            return book.locate(text)
        except RangeParseError as exc:
            raise ApiError(400, f"Unable to parse range: {text}") from exc

    @staticmethod
    def _grid_error(tab: Tab, shown: str) -> ApiError:
        return ApiError(
            400,
            f"Range ({shown}) exceeds grid limits. Max rows: {tab.row_count}, "
            f"max columns: {tab.col_count}",
        )

    def _read_box(self, tab: Tab, rng: A1Range) -> Box:
        """The box a read or clear covers; explicit bounds past the grid are an error."""
        box = tab.resolve_box(rng)
        if not tab.fits(box):
            raise self._grid_error(tab, format_range(tab.title, rng))
        return box

    def _value_range(
        self, tab: Tab, rng: A1Range, params: dict[str, list[str]]
    ) -> dict[str, Any]:
        box = self._read_box(tab, rng)
        major = _param(params, "majorDimension", "ROWS") or "ROWS"
        values = tab.read_box(
            box,
            _param(params, "valueRenderOption", "FORMATTED_VALUE") or "FORMATTED_VALUE",
            _param(params, "dateTimeRenderOption", "SERIAL_NUMBER") or "SERIAL_NUMBER",
            major,
        )
        out: dict[str, Any] = {"range": format_box(tab.title, box), "majorDimension": major}
        if values:
            out["values"] = values
        return out

    @staticmethod
    def _orient(values: Any, major: str | None) -> list[list[Any]]:
        rows = [list(r) if isinstance(r, list) else [r] for r in (values or [])]
        if major == "COLUMNS":
            width = max((len(c) for c in rows), default=0)
            rows = [[col[i] if i < len(col) else None for col in rows] for i in range(width)]
        return rows

    @staticmethod
    def _check_values(rows: list[list[Any]]) -> None:
        for row in rows:
            for value in row:
                if isinstance(value, dict | list):
                    raise ApiError(
                        400,
                        "Invalid value at 'data.values' (type.googleapis.com/"
                        f"google.protobuf.ListValue), {value!r}",
                    )

    def _write(
        self,
        tab: Tab,
        row1: int,
        col1: int,
        rows: list[list[Any]],
        option: str,
    ) -> None:
        for r_off, row in enumerate(rows):
            for c_off, value in enumerate(row):
                if value is None:  # JSON null: leave the cell alone
                    continue
                typed, fmt = parse_input(value, option)
                tab.put(row1 + r_off, col1 + c_off, typed, fmt)

    def _prepare_update(
        self, book: Spreadsheet, text: str, values: Any, major: str | None
    ) -> tuple[Tab, Box, list[list[Any]]]:
        """Validate a values write (range, shape, grid) before anything is changed."""
        tab, rng = self._locate(book, text)
        rows = self._orient(values, major)
        self._check_values(rows)
        height = len(rows)
        width = max((len(r) for r in rows), default=0)
        start_row, start_col = rng.row1 or 1, rng.col1 or 1
        box = Box(start_row, start_col, start_row + max(height, 1) - 1,
                  start_col + max(width, 1) - 1)
        limit = tab.resolve_box(rng) if not rng.whole_sheet else None
        if limit is not None and not rng.single_cell:
            shown = format_range(tab.title, rng)
            if rng.row2 is not None and box.row2 > limit.row2:
                raise ApiError(
                    400,
                    f"Requested writing within range [{shown}], but tried writing to row "
                    f"[{box.row2}]",
                )
            if rng.col2 is not None and box.col2 > limit.col2:
                from .a1 import col_to_letters

                raise ApiError(
                    400,
                    f"Requested writing within range [{shown}], but tried writing to column "
                    f"[{col_to_letters(box.col2)}]",
                )
        if not tab.fits(box):
            raise self._grid_error(tab, format_box(tab.title, box))
        return tab, box, rows

    @staticmethod
    def _update_result(book: Spreadsheet, tab: Tab, box: Box, rows: list[list[Any]]) -> dict:
        """Google counts only the cells actually written (JSON nulls are skipped)."""
        written = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
        out: dict[str, Any] = {"spreadsheetId": book.id, "updatedRange": format_box(tab.title, box)}
        if written:
            out.update(
                updatedRows=len({r for r, _ in written}),
                updatedColumns=len({c for _, c in written}),
                updatedCells=len(written),
            )
        return out

    def _updated_data(self, tab: Tab, box: Box, params: dict[str, list[str]]) -> dict:
        render = _param(params, "responseValueRenderOption", "FORMATTED_VALUE")
        dt_render = _param(params, "responseDateTimeRenderOption", "SERIAL_NUMBER")
        out: dict[str, Any] = {"range": format_box(tab.title, box), "majorDimension": "ROWS"}
        values = tab.read_box(box, render or "FORMATTED_VALUE", dt_render or "SERIAL_NUMBER")
        if values:
            out["values"] = values
        return out

    @staticmethod
    def _input_option(option: str | None) -> str:
        if option not in ("RAW", "USER_ENTERED"):
            if option in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
                raise ApiError(400, "'valueInputOption' is required but not specified")
            raise ApiError(
                400, f"Invalid value at 'value_input_option' (type.googleapis.com/"
                f"google.apps.sheets.v4.ValueInputOption), \"{option}\""
            )
        return option

    # ------------------------------------------------------------------ spreadsheets

    def spreadsheets_get(
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        meta = book.metadata()
        ranges = params.get("ranges")
        if ranges:
            wanted = {self._locate(book, text)[0].sheet_id for text in ranges}
            meta["sheets"] = [
                s for s in meta["sheets"] if s["properties"]["sheetId"] in wanted
            ]
        fields = _param(params, "fields")
        if fields:
            meta = apply_fields(meta, fields)
        return meta

    def spreadsheets_batchUpdate(  # noqa: N802 - named after the endpoint
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        from .batch_update import apply_request

        requests = body.get("requests") or []
        snapshot = _snapshot(book, requests) if len(requests) > 1 else None
        replies = []
        try:
            for i, request in enumerate(requests):
                replies.append(apply_request(book, i, request))
        except ApiError:
            if snapshot is not None:
                _restore(book, snapshot)
            raise
        out: dict[str, Any] = {"spreadsheetId": book.id, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            out["updatedSpreadsheet"] = self._updated_spreadsheet(
                book, body.get("responseRanges") or [],
                bool(body.get("responseIncludeGridData")))
        return out

    def _updated_spreadsheet(self, book: Spreadsheet, ranges: list[str],
                             grid_data: bool) -> dict[str, Any]:
        """The spreadsheet after the batch: `responseRanges` limits it to the tabs of those
        ranges, and `responseIncludeGridData` adds each range's cells (as GridData)."""
        meta = book.metadata()
        if not ranges:
            if grid_data:
                for sheet, tab in zip(meta["sheets"], book.tabs, strict=True):
                    sheet["data"] = [grid_data_of(tab, Box(1, 1, tab.row_count,
                                                           tab.col_count))]
            return meta
        located = [self._locate(book, text) for text in ranges]
        by_id = {sheet["properties"]["sheetId"]: sheet for sheet in meta["sheets"]}
        wanted: list[int] = []
        for tab, rng in located:
            if tab.sheet_id not in wanted:
                wanted.append(tab.sheet_id)
            if grid_data:
                by_id[tab.sheet_id].setdefault("data", []).append(
                    grid_data_of(tab, self._read_box(tab, rng)))
        meta["sheets"] = [sheet for sheet in meta["sheets"]
                          if sheet["properties"]["sheetId"] in wanted]
        return meta

    # ------------------------------------------------------------------ values

    def values_get(
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        tab, rng = self._locate(book, r.range)
        return self._value_range(tab, rng, params)

    def values_batchGet(  # noqa: N802
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        located = [self._locate(book, text) for text in params.get("ranges", [])]
        return {
            "spreadsheetId": book.id,
            "valueRanges": [self._value_range(tab, rng, params) for tab, rng in located],
        }

    def values_update(
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        option = self._input_option(_param(params, "valueInputOption"))
        tab, box, rows = self._prepare_update(
            book, r.range, body.get("values"), body.get("majorDimension")
        )
        self._write(tab, box.row1, box.col1, rows, option)
        out = self._update_result(book, tab, box, rows)
        if _bool_param(params, "includeValuesInResponse"):
            out["updatedData"] = self._updated_data(tab, box, params)
        return out

    def values_batchUpdate(  # noqa: N802
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        option = self._input_option(body.get("valueInputOption"))
        prepared = [
            self._prepare_update(book, d.get("range", ""), d.get("values"),
                                 d.get("majorDimension"))
            for d in body.get("data") or []
        ]
        responses = []
        touched_rows: set[tuple[int, int]] = set()
        touched_cols: set[tuple[int, int]] = set()
        sheets: set[int] = set()
        cells = 0
        for tab, box, rows in prepared:
            self._write(tab, box.row1, box.col1, rows, option)
            result = self._update_result(book, tab, box, rows)
            if body.get("includeValuesInResponse"):
                result["updatedData"] = self._updated_data(tab, box, {
                    "responseValueRenderOption": [body.get("responseValueRenderOption")
                                                  or "FORMATTED_VALUE"],
                })
            responses.append(result)
            written = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
                       if v is not None]
            if written:
                sheets.add(tab.sheet_id)
                cells += len(written)
                touched_rows.update((tab.sheet_id, box.row1 + r) for r, _ in written)
                touched_cols.update((tab.sheet_id, box.col1 + c) for _, c in written)
        out: dict[str, Any] = {"spreadsheetId": book.id}
        if prepared:
            out.update(
                totalUpdatedRows=len(touched_rows),
                totalUpdatedColumns=len(touched_cols),
                totalUpdatedCells=cells,
                totalUpdatedSheets=len(sheets),
                responses=responses,
            )
        return out

    def values_append(
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        option = self._input_option(_param(params, "valueInputOption"))
        insert = (_param(params, "insertDataOption", "OVERWRITE") or "OVERWRITE") == "INSERT_ROWS"
        tab, rng = self._locate(book, r.range)
        rows = self._orient(body.get("values"), body.get("majorDimension"))
        self._check_values(rows)
        area = tab.resolve_box(rng)
        area = Box(area.row1, area.col1, min(area.row2, tab.row_count),
                   min(area.col2, tab.col_count))
        table = find_table(tab, area)
        if table is None:
            start_row, start_col = area.row1, area.col1
        else:
            start_row, start_col = table.row2 + 1, table.col1
        height = len(rows)
        width = max((len(row) for row in rows), default=0)
        box = Box(start_row, start_col, start_row + max(height, 1) - 1,
                  start_col + max(width, 1) - 1)
        if box.col2 > tab.col_count:
            raise self._grid_error(tab, format_box(tab.title, box))
        if insert and height:
            tab.insert("ROWS", start_row - 1, height) if start_row <= tab.row_count else None
        if box.row2 > tab.row_count:
            tab.row_count = box.row2  # append grows the grid
        self._write(tab, box.row1, box.col1, rows, option)
        out: dict[str, Any] = {"spreadsheetId": book.id}
        if table is not None:
            out["tableRange"] = format_box(tab.title, table)
        updates = self._update_result(book, tab, box, rows)
        if _bool_param(params, "includeValuesInResponse"):
            updates["updatedData"] = self._updated_data(tab, box, params)
        out["updates"] = updates
        return out

    def values_clear(
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        tab, rng = self._locate(book, r.range)
        box = self._read_box(tab, rng)
        tab.clear_box(box)
        return {"spreadsheetId": book.id, "clearedRange": format_box(tab.title, box)}

    def values_batchClear(  # noqa: N802
        self, book: Spreadsheet, r: Route, params: dict[str, list[str]], body: Any
    ) -> dict[str, Any]:
        boxes = []
        for text in body.get("ranges") or []:
            tab, rng = self._locate(book, text)
            boxes.append((tab, self._read_box(tab, rng)))
        for tab, box in boxes:
            tab.clear_box(box)
        return {
            "spreadsheetId": book.id,
            "clearedRanges": [format_box(tab.title, box) for tab, box in boxes],
        }


__all__ = ["ApiError", "Handlers", "Route", "route", "find_table", "quote_title"]


_STRUCTURAL = {"addSheet", "deleteSheet", "duplicateSheet", "updateSheetProperties"}


def _sheet_ids_named(value: Any) -> set[int]:
    """Every `sheetId` anywhere in a request."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "sheetId" and isinstance(inner, int):
                found.add(inner)
            else:
                found |= _sheet_ids_named(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _sheet_ids_named(inner)
    return found


def _snapshot(book: Spreadsheet, requests: list[dict[str, Any]]) -> Any:
    """What to put back if a request fails, so a batchUpdate is all or nothing as Google's
    is. Only the tabs the requests touch are copied (a 100,000-row tab is costly to copy)
    unless a request changes the list of tabs itself."""
    if any(set(request) & _STRUCTURAL for request in requests):
        return ("all", copy.deepcopy(book.tabs))
    touched = _sheet_ids_named(requests)
    return ("some", [(index, copy.deepcopy(tab)) for index, tab in enumerate(book.tabs)
                     if tab.sheet_id in touched])


def _restore(book: Spreadsheet, snapshot: Any) -> None:
    scope, saved = snapshot
    if scope == "all":
        book.tabs[:] = saved
    else:
        for index, tab in saved:
            book.tabs[index] = tab
    for tab in book.tabs:
        tab.book = book
