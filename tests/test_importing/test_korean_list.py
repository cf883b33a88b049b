"""A Korean organisation imports its donor list: `010-` mobiles without a Country column are
read in the settings' region, a phone that cannot be read is a warning on a row that is
imported all the same (kept as typed), and amounts typed the Korean way are read in won,
while won in a US organisation is refused with a sentence (issue 18, issue 26)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from importing.files import read_source
from importing.mapping import IMPORT_KINDS, suggest_mapping
from importing.plan import ImportOptions, ImportPlan, plan_import
from sheets_schema.settings import Settings
from storage.sqlite_store import SQLiteStore

NOW = datetime(2026, 12, 2, 9, 30)
KOREAN = ImportOptions(default_region=Settings(currency="KRW").phone_region_or_default(),
                       currency="KRW")
PEOPLE_CSV = """이름,이메일,휴대폰
김민준,minjun@example.kr,010-2345-6789
이서연,seoyeon@example.kr,01098765432
박지호,jiho@example.kr,02-312-3456
최하은,haeun@example.kr,12
"""
GIFTS_CSV = """후원일,후원자,이메일,연락처,후원금
2026-01-05,김민준,minjun@example.kr,010-2345-6789,"₩50,000"
2026-01-06,이서연,seoyeon@example.kr,010-9876-5432,"30,000원"
2026-01-07,박지호,jiho@example.kr,010-1111-2222,"￦20,000"
2026-01-08,최하은,haeun@example.kr,010-3333-4444,5만원
2026-01-09,정우진,woojin@example.kr,12,10000
"""


@pytest.fixture
def store() -> SQLiteStore:
    store = SQLiteStore(":memory:")
    store.ensure_schema()
    store.append("people", [{"id": "P1", "first_name": "은지", "last_name": "한",
                             "email": "eunji@example.kr"}])
    return store


def _plan(store: SQLiteStore, kind: str, text: str, options: ImportOptions) -> ImportPlan:
    source = read_source(text.encode(), f"{kind}.csv")
    mapping = suggest_mapping(IMPORT_KINDS[kind], source.headers)
    return plan_import(source, IMPORT_KINDS[kind], mapping, store.load(), options, now=NOW)


def _added(plan: ImportPlan, column: str) -> list[Any]:
    return [row.record[column] for row in plan.to_add if row.record is not None]


def test_a_korean_list_without_a_country_column_imports_every_row(store: SQLiteStore) -> None:
    plan = _plan(store, "people", PEOPLE_CSV, KOREAN)
    assert [row.outcome for row in plan.rows] == ["add"] * 4
    assert _added(plan, "phone") == ["+82 10-2345-6789", "+82 10-9876-5432", "+82 2-312-3456",
                                     "12"]
    assert [row.line for row in plan.warned] == [5]
    assert plan.warned[0].warnings == [
        "phone: '12' could not be read as a phone number (a number without +country is read "
        "as KR); it is imported as typed: check it"]


def test_the_preview_shows_the_warning_on_its_row(store: SQLiteStore) -> None:
    plan = _plan(store, "people", PEOPLE_CSV, KOREAN)
    table = plan.table(read_source(PEOPLE_CSV.encode(), "people.csv"))
    assert table["outcome"].tolist() == ["will be added"] * 4
    assert table["problems"].tolist()[:3] == ["", "", ""]
    assert "phone: '12' could not be read" in table["problems"].tolist()[3]


def test_a_phone_read_in_the_wrong_region_is_a_warning_never_a_dropped_row(
        store: SQLiteStore) -> None:
    plan = _plan(store, "people", PEOPLE_CSV, ImportOptions())  # the US, as before issue 18
    assert [row.outcome for row in plan.rows] == ["add"] * 4
    assert _added(plan, "phone")[0] == "010-2345-6789"  # kept as typed
    assert [row.line for row in plan.warned] == [2, 3, 4, 5]
    changes = plan.changes(NOW, "staff@example.org")
    assert len(changes.appends["people"]) == 4


def test_a_person_already_in_steward_is_found_whatever_their_phone(store: SQLiteStore) -> None:
    text = "이름,이메일,휴대폰\n한은지,EUNJI@example.kr,12\n"
    plan = _plan(store, "people", text, KOREAN)
    assert [(row.outcome, row.person_id, row.warnings) for row in plan.rows] == [
        ("exists", "P1", [])]


def test_gifts_in_won_typed_the_korean_way_add_their_donors(store: SQLiteStore) -> None:
    plan = _plan(store, "donations", GIFTS_CSV, KOREAN)
    assert [row.outcome for row in plan.rows] == ["add"] * 5
    assert _added(plan, "amount") == [Decimal(n) for n in (50000, 30000, 20000, 50000, 10000)]
    donors = [row.new_person for row in plan.to_add]
    assert [d["phone"] for d in donors if d is not None] == [
        "+82 10-2345-6789", "+82 10-9876-5432", "+82 10-1111-2222", "+82 10-3333-4444", "12"]
    assert [row.line for row in plan.warned] == [6]


def test_won_in_a_us_organisation_is_not_imported_and_says_why(store: SQLiteStore) -> None:
    plan = _plan(store, "donations", GIFTS_CSV, ImportOptions(currency="USD"))
    assert [row.outcome for row in plan.rows] == ["invalid"] * 4 + ["add"]
    assert plan.rows[0].problems == [
        "amount: '₩50,000' is in Korean won (KRW), but this organisation's amounts are in US "
        "dollars (USD): type the amount in USD (a number alone, like 1234.50, is USD), or "
        "change the currency in Settings"]


def test_a_currency_column_says_which_currency_a_rows_amount_is_in(store: SQLiteStore) -> None:
    text = ("Date,Email,Name,Gross,Currency\n"
            "2026-01-05,a@example.org,A Lee,\"₩50,000\",KRW\n"
            "2026-01-06,b@example.org,B Lee,$20,KRW\n")
    plan = _plan(store, "donations", text, ImportOptions(currency="USD"))
    assert [row.outcome for row in plan.rows] == ["add", "invalid"]
    assert "'$20' is in dollars" in plan.rows[1].problems[0]
