"""What the emulator answers about a tab's grid: the `GridData` and `CellData` JSON of
`spreadsheets.get` and a batchUpdate's `updatedSpreadsheet` (`grid_data_of`), the table
`values:append` finds to append after (`find_table`), and number formats as JSON gives
them. No request handling here: `endpoints` serves the requests.
"""

from __future__ import annotations

from typing import Any

from .a1 import Box
from .cells import Formula, NumberFormat, render
from .workbook import Tab


def find_table(tab: Tab, area: Box) -> Box | None:
    """Google's "logical table" for values.append.

    Recorded behaviour: the table is the block of touching non-empty cells around the
    last non-empty cell of the searched range (row by row), and it may extend past that
    range; with nothing in the range there is no table and data goes to its first cell.
    """
    seed = None
    for r in range(min(area.row2, len(tab.grid)), area.row1 - 1, -1):
        line = tab.grid[r - 1]
        for c in range(min(area.col2, len(line)), area.col1 - 1, -1):
            if tab.is_filled(r, c):
                seed = (r, c)
                break
        if seed:
            break
    if seed is None:
        return None
    r1, c1, r2, c2 = seed[0], seed[1], seed[0], seed[1]

    def any_filled(row: int, col_a: int, col_b: int) -> bool:
        return any(tab.is_filled(row, c) for c in range(max(col_a, 1), col_b + 1))

    changed = True
    while changed:
        changed = False
        while r2 < tab.row_count and any_filled(r2 + 1, c1 - 1, c2 + 1):
            r2 += 1
            changed = True
        while r1 > 1 and any_filled(r1 - 1, c1 - 1, c2 + 1):
            r1 -= 1
            changed = True
        while c2 < tab.col_count and any(
            tab.is_filled(r, c2 + 1) for r in range(max(r1 - 1, 1), r2 + 2)
        ):
            c2 += 1
            changed = True
        while c1 > 1 and any(tab.is_filled(r, c1 - 1) for r in range(max(r1 - 1, 1), r2 + 2)):
            c1 -= 1
            changed = True
        # Corners touching diagonally pull their row/column in on the next pass.
    return Box(r1, c1, r2, c2)


def grid_data_of(tab: Tab, box: Box) -> dict[str, Any]:
    """A box as Google's GridData: 0-based start, then one RowData per row up to the last
    row holding anything, each CellData with userEnteredValue, effectiveValue and
    formattedValue (an empty cell is ``{}``; trailing empty cells are left out)."""
    rows = []
    for r in range(box.row1, box.row2 + 1):
        values = [cell_data_of(tab, tab.get(r, c)) for c in range(box.col1, box.col2 + 1)]
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    out: dict[str, Any] = {"rowData": rows} if rows else {}
    if box.row1 > 1:
        out["startRow"] = box.row1 - 1
    if box.col1 > 1:
        out["startColumn"] = box.col1 - 1
    return out


def _extended(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, Formula):
        return {"formulaValue": value.text}
    return {"stringValue": str(value)}


def cell_data_of(tab: Tab, cell: Any) -> dict[str, Any]:
    """One cell as CellData, as a grid read (`includeGridData`) shows it."""
    if cell is None or cell.value is None or cell.value == "":
        return {}
    resolve = tab._resolver(0)
    effective = render(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER", resolve)
    data: dict[str, Any] = {"userEnteredValue": _extended(cell.value)}
    if isinstance(effective, str) and isinstance(cell.value, Formula) and \
            effective.startswith("#"):
        data["effectiveValue"] = {"errorValue": {"type": "ERROR", "message": effective}}
    else:
        data["effectiveValue"] = _extended(effective)
    data["formattedValue"] = str(render(cell, "FORMATTED_VALUE", "SERIAL_NUMBER", resolve))
    if cell.fmt is not None:
        data["userEnteredFormat"] = {"numberFormat": cell.fmt.to_json()}
    return data


def number_format_from_json(data: dict[str, Any] | None) -> NumberFormat | None:
    if not data:
        return None
    return NumberFormat(data.get("type", "NUMBER"), data.get("pattern", ""))
