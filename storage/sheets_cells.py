"""The Google Sheets backend's cells and ranges, with no I/O: A1 ranges, how a cell read
unformatted becomes the schema's text, what a typed value is sent as, and finding a row by
its key in values just read. Kept apart from the client (`sheets_store`), as gspread keeps
`gspread/utils.py` apart from its HTTP client, and tested on their own.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sheets_schema import Locale, tab, to_text
from sheets_schema.cells import (
    CellError,
    is_blank,
    python_value,
    serial_from_date,
    serial_from_datetime,
)
from sheets_schema.fields import ColumnKind
from sheets_schema.frames import FIRST_DATA_ROW

from .base import duplicate_key
from .commit import row_gone
from .errors import SchemaMismatch

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


def padded(row: list[Any], width: int) -> list[str]:
    return [text_of(v) for v in row] + [""] * (width - len(row))


def text_rows(rows: list[list[Any]], width: int) -> list[list[str]]:
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


def column_letter(column: int) -> str:
    """The A1 letters of a 0-based column index: 0 -> 'A', 27 -> 'AB'."""
    letters, number = "", column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def a1_cell(row: int, column: int) -> str:
    """One cell in A1 notation, 1-based as gspread's `rowcol_to_a1`: (1, 28) -> 'AB1'."""
    return f"{column_letter(column - 1)}{row}"


def column_a(rows: list[list[Any]]) -> list[str]:
    return [text_of(row[0]).strip() if row else "" for row in rows]


def column_range(tab_name: str, index: int) -> str:
    """The A1 range of one whole column of a tab, by its 0-based index: ``people!A:A``."""
    letter = column_letter(index)
    return f"{a1_tab(tab_name)}!{letter}:{letter}"


def kinds_of(tab_name: str) -> dict[str, ColumnKind]:
    return {c.name: c.kind for c in tab(tab_name).columns}


def column_format(sheet_id: int, column_index: int, kind: ColumnKind) -> dict[str, Any] | None:
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


def find_row(
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
        raise row_gone(tab_name, key)
    if len(matches) > 1:
        raise duplicate_key(tab_name, key, matches)
    row = padded(values[matches[0] - 1], len(header))
    return matches[0], {h: v for h, v in zip(header, row, strict=False) if h}


def rows_with(tab_name: str, header: list[str], values: list[list[Any]], key: str) -> list[int]:
    """The sheet row numbers whose key cell holds `key`."""
    spec = tab(tab_name)
    if spec.key not in header:
        return []
    at = header.index(spec.key)
    return [number for number, row in enumerate(values[1:], start=FIRST_DATA_ROW)
            if len(row) > at and text_of(row[at]).strip() == key]
