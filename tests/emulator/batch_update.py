"""spreadsheets:batchUpdate requests: tabs, dimensions, formats and sorting.

Only the requests an app like Steward (and gspread's basic helpers) sends are supported;
anything else is answered with a 400 that names the request, so a test using an
unsupported feature fails loudly instead of passing against a silently wrong fake.
"""

from __future__ import annotations

from typing import Any

from .a1 import Box
from .cells import Formula, parse_raw
from .endpoints import ApiError
from .fieldmask import mask_paths
from .grid_data import number_format_from_json
from .workbook import DEFAULT_COLS, DEFAULT_ROWS, Spreadsheet, Tab

# Requests accepted without effect on values (they only change looks).
_COSMETIC = {"updateDimensionProperties", "autoResizeDimensions", "updateBorders"}


def _bad(i: int, kind: str, message: str) -> ApiError:
    return ApiError(400, f"Invalid requests[{i}].{kind}: {message}")


def _tab(book: Spreadsheet, i: int, kind: str, sheet_id: Any) -> Tab:
    tab = book.tab_by_id(int(sheet_id or 0))
    if tab is None:
        raise _bad(i, kind, f"No grid with id: {sheet_id}")
    return tab


def grid_box(tab: Tab, rng: dict[str, Any]) -> Box:
    """A GridRange (0-based, half-open, open ends allowed) as a 1-based box."""
    return Box(
        int(rng.get("startRowIndex", 0)) + 1,
        int(rng.get("startColumnIndex", 0)) + 1,
        int(rng.get("endRowIndex", tab.row_count)),
        int(rng.get("endColumnIndex", tab.col_count)),
    )


def apply_request(book: Spreadsheet, i: int, request: dict[str, Any]) -> dict[str, Any]:
    """Apply one request of a batchUpdate; returns its reply (``{}`` for most)."""
    if len(request) != 1:
        raise ApiError(400, f"Invalid requests[{i}]: exactly one kind of request expected")
    kind, spec = next(iter(request.items()))
    handler = _HANDLERS.get(kind)
    if handler is not None:
        return handler(book, i, spec)
    if kind in _COSMETIC:
        _tab(book, i, kind, (spec.get("range") or spec.get("dimensions") or {}).get("sheetId"))
        return {}
    raise ApiError(400, f"Emulator: unsupported batchUpdate request '{kind}' (requests[{i}])")


def add_sheet(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    props = dict(spec.get("properties") or {})
    title = props.pop("title", None)
    if title is None:
        n = len(book.tabs) + 1
        while book.tab_by_title(f"Sheet{n}"):
            n += 1
        title = f"Sheet{n}"
    if any(t.title.lower() == str(title).lower() for t in book.tabs):
        raise _bad(
            i, "addSheet",
            f'A sheet with the name "{title}" already exists. Please enter another name.',
        )
    sheet_id = props.pop("sheetId", None)
    if sheet_id is not None and book.tab_by_id(int(sheet_id)):
        raise _bad(i, "addSheet", f"Sheet with id {sheet_id} already exists.")
    grid = dict(props.pop("gridProperties", {}) or {})
    tab = book.add_tab(
        str(title),
        int(grid.pop("rowCount", DEFAULT_ROWS)),
        int(grid.pop("columnCount", DEFAULT_COLS)),
        props.pop("index", None),
        None if sheet_id is None else int(sheet_id),
    )
    props.pop("sheetType", None)
    if grid:
        tab.extra["gridProperties"] = grid
    tab.extra.update(props)
    return {"addSheet": {"properties": tab.properties()}}


def delete_sheet(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    tab = _tab(book, i, "deleteSheet", spec.get("sheetId"))
    if len(book.tabs) == 1:
        raise _bad(i, "deleteSheet", "You can't remove all the sheets in a document.")
    book.tabs.remove(tab)
    book.reindex()
    return {}


def update_sheet_properties(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    kind = "updateSheetProperties"
    props = spec.get("properties") or {}
    tab = _tab(book, i, kind, props.get("sheetId"))
    fields = spec.get("fields") or ""
    paths = mask_paths(fields)
    if any(p == ["*"] for p in paths):
        paths = [[k] for k in props if k != "sheetId"]
    for path in paths:
        present = True
        value: Any = props
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            else:
                present = False
                value = None
                break
        head = path[0]
        if head == "title":
            if value is None or value == "":
                raise _bad(i, kind, "Sheet title cannot be empty.")
            other = book.tab_by_title(str(value))
            if other is not None and other is not tab and other.title.lower() == str(value).lower():
                raise _bad(
                    i, kind,
                    f'A sheet with the name "{value}" already exists. Please enter another name.',
                )
            tab.title = str(value)
        elif head == "index":
            book.tabs.remove(tab)
            book.tabs.insert(min(int(value or 0), len(book.tabs)), tab)
            book.reindex()
        elif path == ["gridProperties", "rowCount"]:
            tab.resize(rows=int(value or 0))
        elif path == ["gridProperties", "columnCount"]:
            tab.resize(cols=int(value or 0))
        elif head in ("sheetId", "sheetType"):
            continue
        else:
            if head == "hidden" and value:
                others = [t for t in book.tabs if t is not tab]
                if all(t.extra.get("hidden") for t in others):
                    raise _bad(i, kind, "You can't hide all the sheets in a document.")
            target = tab.extra
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if present and value is not None:
                target[path[-1]] = value
            else:
                target.pop(path[-1], None)
    return {}


def update_spreadsheet_properties(
    book: Spreadsheet, i: int, spec: dict[str, Any]
) -> dict[str, Any]:
    props = spec.get("properties") or {}
    for path in mask_paths(spec.get("fields") or ""):
        key = path[0]
        if key in ("title", "*") and "title" in props:
            book.title = props["title"]
        if key in ("locale", "*") and "locale" in props:
            book.locale = props["locale"]
        if key in ("timeZone", "*") and "timeZone" in props:
            book.time_zone = props["timeZone"]
    return {}


def _dimension_range(book: Spreadsheet, i: int, kind: str, rng: dict[str, Any]) -> tuple:
    tab = _tab(book, i, kind, rng.get("sheetId"))
    dimension = rng.get("dimension", "ROWS")
    size = tab.row_count if dimension == "ROWS" else tab.col_count
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if start < 0 or end < start:
        raise _bad(i, kind, "Invalid dimension range.")
    return tab, dimension, start, end, size


def insert_dimension(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    tab, dimension, start, end, size = _dimension_range(
        book, i, "insertDimension", spec.get("range") or {}
    )
    if start > size:
        raise _bad(i, "insertDimension", f"range.startIndex ({start}) must be <= {size}")
    tab.insert(dimension, start, end - start)
    return {}


def delete_dimension(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    tab, dimension, start, end, size = _dimension_range(
        book, i, "deleteDimension", spec.get("range") or {}
    )
    end = min(end, size)
    if end - start >= size:
        what = "rows" if dimension == "ROWS" else "columns"
        raise _bad(i, "deleteDimension", f"You can't delete all the {what} on the sheet.")
    tab.delete(dimension, start, end)
    return {}


def append_dimension(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    tab = _tab(book, i, "appendDimension", spec.get("sheetId"))
    length = int(spec.get("length", 0))
    if spec.get("dimension", "ROWS") == "ROWS":
        tab.row_count += length
    else:
        tab.col_count += length
    return {}


def _apply_cell_data(tab: Tab, row: int, col: int, data: dict[str, Any], fields: str) -> None:
    paths = mask_paths(fields) if fields else [["*"]]
    everything = any(p[0] == "*" for p in paths)
    touch_value = everything or any(p[0] == "userEnteredValue" for p in paths)
    touch_format = everything or any(
        p[0] == "userEnteredFormat" and (len(p) == 1 or p[1] == "numberFormat") for p in paths
    )
    if touch_value:
        uev = data.get("userEnteredValue") or {}
        value: Any = None
        if "formulaValue" in uev:
            value = Formula(uev["formulaValue"])
        elif "stringValue" in uev:
            value = parse_raw(uev["stringValue"])
        elif "numberValue" in uev:
            value = uev["numberValue"]
        elif "boolValue" in uev:
            value = bool(uev["boolValue"])
        tab.put(row, col, value)
    if touch_format:
        fmt_json = (data.get("userEnteredFormat") or {}).get("numberFormat")
        tab.set_format(row, col, number_format_from_json(fmt_json))


def _check_box(tab: Tab, i: int, kind: str, box: Box) -> None:
    if box.row2 > tab.row_count or box.col2 > tab.col_count:
        raise _bad(
            i, kind,
            f"Range ('{tab.title}'!R{box.row1}C{box.col1}:R{box.row2}C{box.col2}) exceeds "
            f"grid limits. Max rows: {tab.row_count}, max columns: {tab.col_count}",
        )


def update_cells(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    rows = spec.get("rows") or []
    fields = spec.get("fields") or "*"
    if "start" in spec:
        start = spec["start"]
        tab = _tab(book, i, "updateCells", start.get("sheetId"))
        row0, col0 = int(start.get("rowIndex", 0)) + 1, int(start.get("columnIndex", 0)) + 1
        height = len(rows)
        width = max((len(r.get("values") or []) for r in rows), default=0)
        box = Box(row0, col0, row0 + max(height, 1) - 1, col0 + max(width, 1) - 1)
    else:
        tab = _tab(book, i, "updateCells", (spec.get("range") or {}).get("sheetId"))
        box = grid_box(tab, spec.get("range") or {})
    _check_box(tab, i, "updateCells", box)
    if "range" in spec:
        # Cells of the range without data are cleared (for the masked fields).
        for r in range(box.row1, box.row2 + 1):
            for c in range(box.col1, box.col2 + 1):
                r_off, c_off = r - box.row1, c - box.col1
                row_values = rows[r_off].get("values") or [] if r_off < len(rows) else []
                data = row_values[c_off] if c_off < len(row_values) else {}
                _apply_cell_data(tab, r, c, data, fields)
        return {}
    for r_off, row in enumerate(rows):
        for c_off, data in enumerate(row.get("values") or []):
            _apply_cell_data(tab, box.row1 + r_off, box.col1 + c_off, data, fields)
    return {}


def append_cells(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    """New rows after the last row holding a value, growing the grid as Google does."""
    tab = _tab(book, i, "appendCells", spec.get("sheetId"))
    fields = spec.get("fields")
    if not fields:
        raise _bad(i, "appendCells", "At least one field must be specified in 'fields'.")
    rows = spec.get("rows") or []
    width = max((len(r.get("values") or []) for r in rows), default=0)
    if width > tab.col_count:
        raise _bad(i, "appendCells",
                   f"Range ('{tab.title}'!C{width}) exceeds grid limits. "
                   f"Max columns: {tab.col_count}")
    last_row, _ = tab.data_extent()
    tab.row_count = max(tab.row_count, last_row + len(rows))
    for offset, row in enumerate(rows, start=1):
        for col, data in enumerate(row.get("values") or [], start=1):
            _apply_cell_data(tab, last_row + offset, col, data, fields)
    return {}


def repeat_cell(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    rng = spec.get("range") or {}
    tab = _tab(book, i, "repeatCell", rng.get("sheetId"))
    box = grid_box(tab, rng)
    _check_box(tab, i, "repeatCell", box)
    cell = spec.get("cell") or {}
    fields = spec.get("fields") or "*"
    for r in range(box.row1, box.row2 + 1):
        for c in range(box.col1, box.col2 + 1):
            _apply_cell_data(tab, r, c, cell, fields)
    return {}


def sort_range(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    rng = spec.get("range") or {}
    tab = _tab(book, i, "sortRange", rng.get("sheetId"))
    box = grid_box(tab, rng)
    specs = [
        (int(s.get("dimensionIndex", 0)) + 1, s.get("sortOrder", "ASCENDING") == "DESCENDING")
        for s in spec.get("sortSpecs") or []
    ]
    tab.sort_box(box, specs or [(box.col1, False)])
    return {}


def copy_paste(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    """Copy a range's cells (values and formats, PASTE_NORMAL; values only, PASTE_VALUES)
    to a range of the same or another tab. As Google documents it: a destination that is a
    whole multiple of the source repeats it; a smaller one still gets the whole source.
    Formulas are copied as typed (Google would shift their relative references)."""
    kind = "copyPaste"
    source, target = spec.get("source") or {}, spec.get("destination") or {}
    from_tab = _tab(book, i, kind, source.get("sheetId"))
    to_tab = _tab(book, i, kind, target.get("sheetId"))
    src = grid_box(from_tab, source)
    _check_box(from_tab, i, kind, src)
    paste = spec.get("pasteType", "PASTE_NORMAL")
    if paste not in ("PASTE_NORMAL", "PASTE_VALUES"):
        raise ApiError(400, f"Emulator: unsupported pasteType {paste!r} (requests[{i}])")
    if spec.get("pasteOrientation", "NORMAL") != "NORMAL":
        raise ApiError(400, f"Emulator: unsupported pasteOrientation (requests[{i}])")
    height, width = src.row2 - src.row1 + 1, src.col2 - src.col1 + 1
    dst = grid_box(to_tab, target)
    dst_h, dst_w = dst.row2 - dst.row1 + 1, dst.col2 - dst.col1 + 1
    reps_r = dst_h // height if dst_h >= height and dst_h % height == 0 else 1
    reps_c = dst_w // width if dst_w >= width and dst_w % width == 0 else 1
    box = Box(dst.row1, dst.col1, dst.row1 + height * reps_r - 1, dst.col1 + width * reps_c - 1)
    _check_box(to_tab, i, kind, box)
    cells = [[from_tab.get(r, c) for c in range(src.col1, src.col2 + 1)]
             for r in range(src.row1, src.row2 + 1)]
    copied = [[(None, None) if cell is None else (cell.value, cell.fmt) for cell in row]
              for row in cells]
    for rr in range(reps_r):
        for rc in range(reps_c):
            for r_off, row in enumerate(copied):
                for c_off, (value, fmt) in enumerate(row):
                    r = box.row1 + rr * height + r_off
                    c = box.col1 + rc * width + c_off
                    to_tab.put(r, c, value)
                    if paste == "PASTE_NORMAL":
                        to_tab.set_format(r, c, fmt)
    return {}


def cut_paste(book: Spreadsheet, i: int, spec: dict[str, Any]) -> dict[str, Any]:
    """Move a range's cells to a GridCoordinate (the source is left empty)."""
    kind = "cutPaste"
    source, target = spec.get("source") or {}, spec.get("destination") or {}
    from_tab = _tab(book, i, kind, source.get("sheetId"))
    to_tab = _tab(book, i, kind, target.get("sheetId"))
    src = grid_box(from_tab, source)
    _check_box(from_tab, i, kind, src)
    if spec.get("pasteType", "PASTE_NORMAL") != "PASTE_NORMAL":
        raise ApiError(400, f"Emulator: unsupported pasteType (requests[{i}])")
    row0, col0 = int(target.get("rowIndex", 0)) + 1, int(target.get("columnIndex", 0)) + 1
    box = Box(row0, col0, row0 + src.row2 - src.row1, col0 + src.col2 - src.col1)
    _check_box(to_tab, i, kind, box)
    moved = [[(None, None) if cell is None else (cell.value, cell.fmt)
              for cell in (from_tab.get(r, c) for c in range(src.col1, src.col2 + 1))]
             for r in range(src.row1, src.row2 + 1)]
    for r in range(src.row1, src.row2 + 1):
        for c in range(src.col1, src.col2 + 1):
            from_tab.put(r, c, None)
            from_tab.set_format(r, c, None)
    for r_off, row in enumerate(moved):
        for c_off, (value, fmt) in enumerate(row):
            to_tab.put(row0 + r_off, col0 + c_off, value)
            to_tab.set_format(row0 + r_off, col0 + c_off, fmt)
    return {}


_HANDLERS = {
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "updateCells": update_cells,
    "appendCells": append_cells,
    "repeatCell": repeat_cell,
    "sortRange": sort_range,
}
