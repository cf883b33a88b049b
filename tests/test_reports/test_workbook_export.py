"""The whole workbook as one xlsx, and a tab as CSV, read back."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from demo import DEFAULT_AS_OF
from reports.workbook_export import exportable_tabs, tab_csv, workbook_xlsx
from rules.roles import Role, visible_workbook
from sheets_schema.workbook import Workbook
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore


@pytest.fixture(scope="module")
def book() -> Workbook:
    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    return store.load()


def test_every_tab_is_a_sheet_with_text_as_text_and_dates_as_dates(book: Workbook) -> None:
    tabs = exportable_tabs(Role.ADMIN, book)
    read = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(book, tabs)))
    assert read.sheetnames == tabs
    donations = read["donations"]
    header = [c.value for c in donations[1]]
    rows = {row[0]: dict(zip(header, row, strict=False))
            for row in donations.iter_rows(min_row=2, values_only=True)}
    assert isinstance(rows["D000001"]["date"], datetime)
    assert str(rows["D000064"]["note"]).startswith("=HYPERLINK(")  # text, not a formula
    cell = next(c for c in donations["A"] if c.value == "D000064")
    assert donations.cell(cell.row, header.index("note") + 1).data_type == "s"
    assert donations.max_row - 1 == len(book.frame("donations"))


def test_a_role_gets_only_the_tabs_it_may_read(book: Workbook) -> None:
    volunteer = exportable_tabs(Role.VOLUNTEER, book)
    assert "donations" not in volunteer and "people" in volunteer
    data = workbook_xlsx(visible_workbook(book, Role.VOLUNTEER), volunteer)
    assert "donations" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def test_a_tab_as_csv_keeps_the_sheets_text_and_runs_no_formula(book: Workbook) -> None:
    text = tab_csv(book, "donations")
    assert text.splitlines()[0].startswith("id,person_id,date,amount")
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text
    assert "2020-11-01," in text
