"""Export of everything held on one person: every tab, exact money, no formula in the xlsx."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from reports.person_export import person_record, to_json, to_xlsx
from rules.privacy import ABOUT_TABS
from sheets_schema import TABS, parse_tab, rows_to_raw
from sheets_schema.workbook import Workbook

EXPORTED_AT = datetime(2026, 11, 2, 10, 30)
FORMULA = '=HYPERLINK("https://example.org/x","click")'

ROWS: dict[str, list[dict[str, Any]]] = {
    "people": [
        {"id": "P1", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.org",
         "tags": "donor, board", "created_at": "2024-01-01T09:00:00", "shoe_size": "38"},
        {"id": "P2", "organization": "Acme Foundation"},
        {"id": "P3", "first_name": "Cher"},  # gave nothing, volunteers nothing
    ],
    "donations": [
        {"id": "D1", "person_id": "P1", "date": "2024-03-15", "amount": "0.10", "note": FORMULA},
        {"id": "D2", "person_id": "P1", "date": "2024-03-16", "amount": "1234567.89"},
        {"id": "D3", "person_id": "P2", "date": "2024-03-17", "amount": "5"},
    ],
    "volunteer_hours": [{"id": "H1", "person_id": "P1", "date": "2024-04-01", "hours": "2.5"}],
}


@pytest.fixture
def book() -> Workbook:
    return Workbook({name: parse_tab(name, rows_to_raw(name, ROWS.get(name, [])))
                     for name in TABS})


def _json(book: Workbook, person_id: str) -> dict[str, Any]:
    return json.loads(to_json(person_record(book, person_id), EXPORTED_AT).decode("utf-8"))


def _xlsx(book: Workbook, person_id: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(person_record(book, person_id))))


def test_record_has_every_tab_and_only_their_rows(book: Workbook) -> None:
    record = person_record(book, "P1")
    assert list(record) == list(ABOUT_TABS)
    assert list(record["donations"]["id"]) == ["D1", "D2"]


def test_record_keeps_columns_staff_added(book: Workbook) -> None:
    assert person_record(book, "P1")["people"]["shoe_size"].tolist() == ["38"]


def test_record_of_nobody_is_an_error(book: Workbook) -> None:
    with pytest.raises(ValueError, match="no person with id 'P9'"):
        person_record(book, "P9")


def test_json_says_whose_and_when(book: Workbook) -> None:
    document = _json(book, "P1")
    assert document["person_id"] == "P1"
    assert document["exported_at"] == "2026-11-02T10:30:00"


def test_json_money_round_trips_exactly(book: Workbook) -> None:
    amounts = [Decimal(gift["amount"]) for gift in _json(book, "P1")["donations"]]
    assert amounts == [Decimal("0.10"), Decimal("1234567.89")]
    assert sum(amounts) == Decimal("1234567.99")


def test_json_dates_are_iso_and_tags_are_lists(book: Workbook) -> None:
    document = _json(book, "P1")
    person, gift = document["people"][0], document["donations"][0]
    assert gift["date"] == "2024-03-15" and gift["receipt_date"] is None
    assert person["created_at"] == "2024-01-01T09:00:00"
    assert person["tags"] == ["donor", "board"]
    assert document["volunteer_hours"][0]["hours"] == "2.5"


def test_json_of_someone_with_no_gifts_has_every_tab_empty(book: Workbook) -> None:
    document = _json(book, "P3")
    assert {name: len(document[name]) for name in ABOUT_TABS} == {
        name: int(name == "people") for name in ABOUT_TABS}


def test_xlsx_keeps_formula_text_as_text(book: Workbook) -> None:
    sheet = _xlsx(book, "P1")["donations"]
    header = [cell.value for cell in sheet[1]]
    note = sheet.cell(row=2, column=header.index("note") + 1)
    assert note.data_type == "s"
    assert note.value == FORMULA


def test_xlsx_has_a_sheet_per_tab_with_its_header(book: Workbook) -> None:
    workbook = _xlsx(book, "P3")
    assert workbook.sheetnames == list(ABOUT_TABS)
    donations = workbook["donations"]
    assert donations.max_row == 1  # no gifts: the header alone
    assert [c.value for c in donations[1]] == list(TABS["donations"].column_names)


def test_xlsx_dates_are_dates_and_amounts_numbers(book: Workbook) -> None:
    sheet = _xlsx(book, "P1")["donations"]
    header = [cell.value for cell in sheet[1]]
    day = sheet.cell(row=2, column=header.index("date") + 1)
    amount = sheet.cell(row=3, column=header.index("amount") + 1)
    assert day.is_date and day.value.date() == date(2024, 3, 15)
    assert amount.data_type == "n" and Decimal(str(amount.value)) == Decimal("1234567.89")
