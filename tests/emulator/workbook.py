"""Emulated spreadsheet state: tabs, grids, and the edits a person makes by hand.

The grid is a list of rows of ``Cell`` (None for never-touched cells), only as long as
the data; ``row_count``/``col_count`` are the grid size Google reports and enforces.
Row and column operations move cells with their formats, like Sheets does, so tests can
reproduce "staff sorted the sheet between the app's read and write".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .a1 import A1Range, Box, RangeParseError, parse_cells, split_sheet
from .cells import Cell, NumberFormat, parse_user_entered, render, sort_key, trim

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26


class Tab:
    """One sheet (tab) of a spreadsheet. Rows and columns are 1-based in this API."""

    def __init__(
        self,
        book: Spreadsheet,
        sheet_id: int,
        title: str,
        index: int,
        rows: int = DEFAULT_ROWS,
        cols: int = DEFAULT_COLS,
    ) -> None:
        self.book = book
        self.sheet_id = sheet_id
        self.title = title
        self.index = index
        self.row_count = rows
        self.col_count = cols
        self.grid: list[list[Cell | None]] = []
        # Other SheetProperties (hidden, tabColor, gridProperties.frozenRowCount...).
        self.extra: dict[str, Any] = {}

    # ------------------------------------------------------------------ raw cell access

    def get(self, row: int, col: int) -> Cell | None:
        if row - 1 < len(self.grid):
            line = self.grid[row - 1]
            if col - 1 < len(line):
                return line[col - 1]
        return None

    def put(self, row: int, col: int, value: Any, fmt: NumberFormat | None = None) -> None:
        """Store a typed value; keeps the cell's existing format unless a new one is given."""
        while len(self.grid) < row:
            self.grid.append([])
        line = self.grid[row - 1]
        while len(line) < col:
            line.append(None)
        cell = line[col - 1]
        if cell is None:
            if value is None and fmt is None:
                return
            cell = line[col - 1] = Cell()
        cell.value = value
        if fmt is not None:
            cell.fmt = fmt

    def set_format(self, row: int, col: int, fmt: NumberFormat | None) -> None:
        cell = self.get(row, col)
        if cell is None:
            if fmt is None:
                return
            self.put(row, col, None, fmt)
        else:
            cell.fmt = fmt

    def clear_box(self, box: Box) -> None:
        """values.clear: remove values, keep formats."""
        for r in range(box.row1, min(box.row2, len(self.grid)) + 1):
            line = self.grid[r - 1]
            for c in range(box.col1, min(box.col2, len(line)) + 1):
                cell = line[c - 1]
                if cell is not None:
                    cell.value = None

    def is_filled(self, row: int, col: int) -> bool:
        cell = self.get(row, col)
        return cell is not None and cell.value is not None and cell.value != ""

    def data_extent(self) -> tuple[int, int]:
        """(last row, last column) holding a value; (0, 0) for an empty tab."""
        last_row = last_col = 0
        for r, line in enumerate(self.grid, start=1):
            for c in range(len(line), 0, -1):
                cell = line[c - 1]
                if cell is not None and cell.value is not None:
                    last_row = r
                    last_col = max(last_col, c)
                    break
        return last_row, last_col

    # ------------------------------------------------------------------ rendering

    def resolve_box(self, rng: A1Range) -> Box:
        """Close an open range against this grid (``A:A`` -> ``A1:A1000``)."""
        return Box(
            rng.row1 or 1,
            rng.col1 or 1,
            rng.row2 if rng.row2 is not None else self.row_count,
            rng.col2 if rng.col2 is not None else self.col_count,
        )

    def fits(self, box: Box) -> bool:
        return box.row2 <= self.row_count and box.col2 <= self.col_count

    def read_box(
        self,
        box: Box,
        value_render: str = "FORMATTED_VALUE",
        datetime_render: str = "SERIAL_NUMBER",
        major: str = "ROWS",
        depth: int = 0,
    ) -> list[list[Any]]:
        """Rendered values of a box, trimmed like Google trims them."""
        last = min(box.row2, len(self.grid))
        rows = []
        for r in range(box.row1, last + 1):
            line = self.grid[r - 1]
            end = min(box.col2, len(line))
            rows.append(
                [
                    render(line[c - 1], value_render, datetime_render, self._resolver(depth))
                    for c in range(box.col1, end + 1)
                ]
            )
        if major == "COLUMNS":
            width = max((len(r) for r in rows), default=0)
            rows = [[r[c] if c < len(r) else None for r in rows] for c in range(width)]
        return trim(rows)

    def _resolver(self, depth: int) -> Any:
        def resolve(ref: str) -> list[list[Any]]:
            if depth > 50:
                raise RecursionError
            sheet, cells = split_sheet(ref.replace("$", ""))
            tab = self if sheet is None else self.book.tab_by_title(sheet)
            if tab is None:
                from .cells import FormulaError

                raise FormulaError("#REF!")
            r1, c1, r2, c2 = parse_cells(cells)
            box = tab.resolve_box(A1Range(None, r1, c1, r2, c2))
            grid = []
            for r in range(box.row1, box.row2 + 1):
                grid.append(
                    [
                        render(tab.get(r, c), "UNFORMATTED_VALUE", "SERIAL_NUMBER",
                               tab._resolver(depth + 1))
                        for c in range(box.col1, box.col2 + 1)
                    ]
                )
            return grid

        return resolve

    # ------------------------------------------------------------------ dimensions

    def insert(self, dimension: str, start: int, count: int) -> None:
        """Insert ``count`` empty rows/columns before 0-based ``start``."""
        if dimension == "ROWS":
            if start < len(self.grid):
                self.grid[start:start] = [[] for _ in range(count)]
            self.row_count += count
        else:
            for line in self.grid:
                if start < len(line):
                    line[start:start] = [None] * count
            self.col_count += count

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete 0-based half-open [start, end) rows/columns."""
        if dimension == "ROWS":
            del self.grid[start:end]
            self.row_count -= end - start
        else:
            for line in self.grid:
                del line[start:end]
            self.col_count -= end - start

    def resize(self, rows: int | None = None, cols: int | None = None) -> None:
        if rows is not None:
            del self.grid[rows:]
            self.row_count = rows
        if cols is not None:
            for line in self.grid:
                del line[cols:]
            self.col_count = cols

    def sort_box(self, box: Box, specs: Sequence[tuple[int, bool]]) -> None:
        """Sort the rows of a box by (1-based column, descending) keys; blanks go last."""
        rows = [
            [self.get(r, c) for c in range(box.col1, box.col2 + 1)]
            for r in range(box.row1, box.row2 + 1)
        ]
        resolver = self._resolver(0)

        def value_of(cells: list[Cell | None], col: int) -> Any:
            return render(cells[col - box.col1], "UNFORMATTED_VALUE", "SERIAL_NUMBER", resolver)

        for col, descending in reversed(specs):
            filled = [r for r in rows if value_of(r, col) not in (None, "")]
            blank = [r for r in rows if value_of(r, col) in (None, "")]
            filled.sort(key=lambda r, c=col: sort_key(value_of(r, c)), reverse=descending)
            rows = filled + blank
        for offset, cells in enumerate(rows):
            row = box.row1 + offset
            while len(self.grid) < row:
                self.grid.append([])
            line = self.grid[row - 1]
            while len(line) < box.col2:
                line.append(None)
            line[box.col1 - 1 : box.col2] = cells

    def properties(self) -> dict[str, Any]:
        """SheetProperties as spreadsheets.get returns them."""
        # Google's JSON leaves out fields at their default (0, false), so do we.
        grid = {"rowCount": self.row_count, "columnCount": self.col_count}
        grid.update({k: v for k, v in self.extra.get("gridProperties", {}).items() if v})
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        for key, value in self.extra.items():
            if key != "gridProperties" and value:
                props[key] = value
        return props

    # ------------------------------------------------------------------ test-facing API

    def values(
        self, render: str = "FORMATTED_VALUE", datetime_render: str = "SERIAL_NUMBER"
    ) -> list[list[Any]]:
        """The whole tab as a values.get of the tab would return it."""
        with self.book.lock:
            return self.read_box(
                Box(1, 1, self.row_count, self.col_count), render, datetime_render
            )

    def cell(self, row: int, col: int) -> Any:
        """The stored typed value (str, int/float, bool, Formula) or None."""
        with self.book.lock:
            found = self.get(row, col)
            return None if found is None else found.value

    def number_format(self, row: int, col: int) -> NumberFormat | None:
        with self.book.lock:
            found = self.get(row, col)
            return None if found is None else found.fmt

    def header(self, header_rows: int = 1) -> list[Any]:
        return (self.values()[header_rows - 1:header_rows] or [[]])[0]

    def _column_of(self, header: str, header_rows: int = 1) -> int:
        headers = self.header(header_rows)
        if header not in headers:
            raise KeyError(f"no column {header!r} in {self.title!r}: {headers}")
        return headers.index(header) + 1

    def set(self, row: int, col: int, value: Any) -> None:
        """A person types ``value`` into a cell (USER_ENTERED semantics)."""
        with self.book.lock:
            self._grow_to(row, col)
            typed, fmt = parse_user_entered(value)
            self.put(row, col, typed, fmt)

    def set_raw(self, row: int, col: int, value: Any) -> None:
        """Store a value exactly (RAW semantics): for seeding odd data in tests."""
        with self.book.lock:
            self._grow_to(row, col)
            self.put(row, col, None if value == "" else value)

    def sort(self, by_header: str, descending: bool = False, header_rows: int = 1) -> None:
        """Data > Sort range on the data rows, by one column, as staff do it in the UI."""
        with self.book.lock:
            col = self._column_of(by_header, header_rows)
            last_row, last_col = self.data_extent()
            if last_row <= header_rows:
                return
            box = Box(header_rows + 1, 1, last_row, max(last_col, 1))
            self.sort_box(box, [(col, descending)])

    def insert_rows(self, at_row: int, rows: Sequence[Sequence[Any]] = ((),)) -> None:
        """Insert rows above sheet row ``at_row`` (1-based), typed as a person types."""
        with self.book.lock:
            self.insert("ROWS", at_row - 1, len(rows))
            for offset, values in enumerate(rows):
                for c, value in enumerate(values, start=1):
                    self._grow_to(at_row + offset, c)
                    typed, fmt = parse_user_entered(value)
                    self.put(at_row + offset, c, typed, fmt)

    def delete_row(self, row: int) -> None:
        """Right-click > Delete row."""
        with self.book.lock:
            self.delete("ROWS", row - 1, row)

    def add_column(
        self, header: str, values: Sequence[Any] | None = None, header_rows: int = 1
    ) -> int:
        """Add a column right of the data with ``header``; returns its 1-based index."""
        with self.book.lock:
            _, last_col = self.data_extent()
            col = last_col + 1
            self._grow_to(header_rows, col)
            self.put(header_rows, col, header)
            for offset, value in enumerate(values or []):
                row = header_rows + 1 + offset
                self._grow_to(row, col)
                typed, fmt = parse_user_entered(value)
                self.put(row, col, typed, fmt)
            return col

    def append_row(self, values: Sequence[Any]) -> int:
        """A person types a new row under the last row with data; returns its number."""
        with self.book.lock:
            last_row, _ = self.data_extent()
            row = last_row + 1
            for c, value in enumerate(values, start=1):
                self._grow_to(row, c)
                typed, fmt = parse_user_entered(value)
                self.put(row, c, typed, fmt)
            return row

    def _grow_to(self, row: int, col: int) -> None:
        """The UI adds rows/columns when a person types past the edge; so do we."""
        self.row_count = max(self.row_count, row)
        self.col_count = max(self.col_count, col)

    def __repr__(self) -> str:
        return f"<Tab {self.title!r} id={self.sheet_id} {self.row_count}x{self.col_count}>"


class Spreadsheet:
    """One spreadsheet file: properties and its tabs in index order."""

    def __init__(
        self,
        spreadsheet_id: str,
        title: str,
        lock: threading.RLock,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
    ) -> None:
        self.id = spreadsheet_id
        self.title = title
        self.locale = locale
        self.time_zone = time_zone
        self.lock = lock
        self.tabs: list[Tab] = []
        self.created = "2024-01-01T00:00:00.000Z"
        self.modified = self.created
        self._next_sheet_id = 0

    def __deepcopy__(self, memo: dict[int, object]) -> Spreadsheet:
        """A batchUpdate's rollback copies the tabs, which point back here; the file itself
        (and its lock) is never copied, only its tabs' contents."""
        return self

    def new_sheet_id(self) -> int:
        """0 for the first tab (as Google does), then large ids that look like Google's."""
        if not self.tabs and self._next_sheet_id == 0:
            self._next_sheet_id = 1_000_000_007
            return 0
        while self.tab_by_id(self._next_sheet_id) is not None:
            self._next_sheet_id += 7919
        sid = self._next_sheet_id
        self._next_sheet_id += 7919
        return sid

    def add_tab(
        self,
        title: str,
        rows: int = DEFAULT_ROWS,
        cols: int = DEFAULT_COLS,
        index: int | None = None,
        sheet_id: int | None = None,
    ) -> Tab:
        sid = self.new_sheet_id() if sheet_id is None else sheet_id
        tab = Tab(self, sid, title, 0, rows, cols)
        position = len(self.tabs) if index is None else min(index, len(self.tabs))
        self.tabs.insert(position, tab)
        self.reindex()
        return tab

    def reindex(self) -> None:
        for i, tab in enumerate(self.tabs):
            tab.index = i

    def tab_by_title(self, title: str) -> Tab | None:
        for tab in self.tabs:
            if tab.title == title:
                return tab
        # Google matches titles case-insensitively when resolving ranges.
        for tab in self.tabs:
            if tab.title.lower() == title.lower():
                return tab
        return None

    def tab_by_id(self, sheet_id: int) -> Tab | None:
        for tab in self.tabs:
            if tab.sheet_id == sheet_id:
                return tab
        return None

    def __iter__(self) -> Iterator[Tab]:
        return iter(self.tabs)

    def locate(self, text: str) -> tuple[Tab, A1Range]:
        """Resolve an A1 range to its tab; raises RangeParseError like Google's 400."""
        from .a1 import parse_range

        titles = {t.title for t in self.tabs} | {t.title.lower() for t in self.tabs}
        rng = parse_range(text, titles)
        if rng.sheet is None:
            if not self.tabs:
                raise RangeParseError(text)
            return self.tabs[0], rng
        tab = self.tab_by_title(rng.sheet)
        if tab is None:
            raise RangeParseError(text)
        return tab, rng

    def metadata(self) -> dict[str, Any]:
        return {
            "spreadsheetId": self.id,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
                "defaultFormat": {
                    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
                    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
                    "verticalAlignment": "BOTTOM",
                    "wrapStrategy": "OVERFLOW_CELL",
                    "textFormat": {
                        "foregroundColor": {},
                        "fontFamily": "arial,sans,sans-serif",
                        "fontSize": 10,
                        "bold": False,
                        "italic": False,
                        "strikethrough": False,
                        "underline": False,
                    },
                },
            },
            "sheets": [{"properties": tab.properties()} for tab in self.tabs],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.id}/edit",
        }
