"""Tables leaving the app as files: safe to open in a spreadsheet program.

CSV cells that a spreadsheet would run as formulas get an apostrophe (OWASP's advice), also
where a formula would start for a reader that splits the file on another separator
(`Smith;=1+1` is two cells to a program that splits on `;`); xlsx cells are typed
instead: text is stored as text (never a formula, and no apostrophe added), days as dates,
amounts as exact numbers with two decimals.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sheets_schema.cells import is_blank

#: Where a spreadsheet may start a cell: the start, or after a separator some program splits
#: on (comma, semicolon, tab, bar, a line break), spaces allowed; then a formula's first sign.
_FORMULA_AT = re.compile(r"(^|[,;\t|\r\n])(?=[ \u00a0]*[=+\-@])")
_BLANK_STARTS = ("\t", "\r", "\n")

__all__ = ["neutralise", "to_safe_csv", "to_xlsx", "xlsx_value"]


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets an apostrophe before it (OWASP's CSV
    injection advice), at the start and after any separator: ``neutralise("=HYPERLINK(...)")
    == "'=HYPERLINK(...)"``, ``neutralise("Smith;=1+1") == "Smith;'=1+1"``. Text starting
    with a tab or line break (trimmed by some programs) gets one too. Numbers pass."""
    if not isinstance(value, str):
        return value
    if value.startswith(_BLANK_STARTS):
        value = "'" + value
    return _FORMULA_AT.sub(r"\1'", value)


def to_safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text in which no cell, and no header, runs as a formula when opened,
    whatever separator the reading program splits on."""
    safe = frame.map(neutralise)
    safe.columns = [neutralise(str(c)) for c in frame.columns]
    return safe.to_csv(index=False)


def xlsx_value(value: Any) -> Any:
    """A frame cell as an xlsx cell holds it: blanks empty, a midnight Timestamp a date,
    numpy scalars and Fractions (shares) as numbers, tags as comma-separated text, and text
    without the control characters the file format cannot store."""
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    if isinstance(value, Fraction):
        return round(float(value), 6)
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        moment = value.to_pydatetime()
        return moment.date() if moment.time() == datetime.min.time() else moment
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Frames as an Excel workbook, one sheet per name (header in row 1, frozen)."""
    book = openpyxl.Workbook()
    if book.active is not None:
        book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31] or "table")
        rows: Iterable[Sequence[Any]] = frame.itertuples(index=False, name=None)
        for row_number, values in enumerate([list(map(str, frame.columns)), *rows], start=1):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_number, column=column, value=xlsx_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would take "=..." for a formula
                elif isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
