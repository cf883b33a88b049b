"""The whole workbook leaving the app as one file: an xlsx with a sheet per tab, or one tab
as CSV.

Role-restricted by the caller: pass the workbook the signed-in role may read
(`roles.visible_workbook`) and the tabs of `exportable_tabs(role)`, so a director's file
holds no more than their pages show. Text stays text (never a formula) and days are dates
(`reports.export.to_xlsx`); CSV cells that would run as formulas are neutralised.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from reports.export import to_safe_csv, to_xlsx
from rules.roles import Role, readable_columns
from sheets_schema.cells import to_text
from sheets_schema.tabs import TABS
from sheets_schema.workbook import Workbook

__all__ = ["exportable_tabs", "tab_csv", "workbook_xlsx"]


def exportable_tabs(role: Role, book: Workbook | None = None) -> list[str]:
    """The tabs `role` may read, in the workbook's order (only those in `book`, if given)."""
    return [name for name in TABS
            if readable_columns(role, name, []) is not None
            and (book is None or name in book.tabs)]


def workbook_xlsx(book: Workbook, tabs: Sequence[str]) -> bytes:
    """`tabs` of `book` as one Excel file, one sheet per tab (header row frozen)."""
    return to_xlsx({name: book.frame(name) for name in tabs})


def tab_csv(book: Workbook, name: str) -> str:
    """One tab as CSV, each cell in the text the sheet holds ("2024-03-15", "a, b" for
    tags), no cell able to run as a formula."""
    frame: pd.DataFrame = book.frame(name)
    return to_safe_csv(frame.map(to_text))
