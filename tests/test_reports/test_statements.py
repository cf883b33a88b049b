"""Year-end giving statements: the year's completed gifts, the IRS note on gifts of $250 or
more, in-kind gifts described but not valued, and HTML in which a donor's name is text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from reports import statements as rs
from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.settings import Settings

SETTINGS = Settings(org_name="Riverside & Co", org_address="12 River St, Cambridge, MA")
ISSUED = date(2026, 1, 15)


def _frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


PEOPLE = _frame("people", [
    {"id": "P1", "first_name": "Ann", "last_name": "Lee", "address": "1 Main St",
     "city": "Boston", "region": "MA", "postcode": "02134"},
    {"id": "P2", "first_name": "<script>alert('x')</script>", "last_name": "O'Neil & Sons"},
    {"id": "P3", "organization": "Acme"},
])
CAMPAIGNS = _frame("campaigns", [{"id": "C1", "name": "Roof <Fund>"}])
GIFTS = _frame("donations", [
    {"id": "D1", "person_id": "P1", "date": "2025-03-01", "amount": "100", "method": "cheque"},
    {"id": "D2", "person_id": "P1", "date": "2025-12-31", "amount": "250", "campaign_id": "C1",
     "method": "card"},
    {"id": "D3", "person_id": "P1", "date": "2025-06-01", "amount": "400", "kind": "in-kind",
     "method": "in-kind", "in_kind_description": "Laptop"},
    {"id": "D4", "person_id": "P1", "date": "2025-07-01", "amount": "999", "status": "refunded"},
    {"id": "D5", "person_id": "P1", "date": "2025-08-01", "amount": "5", "status": "pending"},
    {"id": "D6", "person_id": "P1", "date": "2024-12-31", "amount": "70"},
    {"id": "D7", "person_id": "P1", "date": "2026-01-01", "amount": "80"},
    {"id": "D8", "person_id": "P2", "date": "2025-05-05", "amount": "10",
     "tribute_type": "in memory", "tribute_name": "<b>Grandma</b>",
     "soft_credit_person_id": "P3"},
    {"id": "D9", "person_id": "P9", "date": "2025-05-05", "amount": "10"},
])


def statement(person_id: str = "P1", year: int = 2025) -> rs.Statement:
    return rs.year_end_statement(GIFTS, PEOPLE, CAMPAIGNS, person_id, year, SETTINGS, ISSUED)


def test_a_statement_holds_the_years_completed_gifts_in_date_order() -> None:
    s = statement()
    assert list(s.table()["date"]) == [date(2025, 3, 1), date(2025, 6, 1), date(2025, 12, 31)]
    assert list(s.table()["amount"]) == [Decimal(100), None, Decimal(250)]
    assert s.total == Decimal(350) and s.in_kind == 1
    assert list(s.table()["needs_acknowledgment"]) == [False, False, True]
    assert list(s.table()["campaign"]) == ["", "", "Roof <Fund>"]
    assert (s.name, s.address) == ("Ann Lee", ("1 Main St", "Boston MA 02134"))


def test_the_soft_credited_person_gets_no_statement_for_it() -> None:
    assert rs.statement_donors(GIFTS, 2025) == ["P1", "P2", "P9"]
    assert statement("P3").gifts == () and statement("P3").total == 0


def test_the_years_with_gifts_newest_first() -> None:
    assert rs.statement_years(GIFTS) == [2026, 2025, 2024]


def test_an_unknown_person_is_refused() -> None:
    with pytest.raises(ValueError, match="no person with id 'P9'"):
        statement("P9")


def test_the_html_carries_the_org_the_gifts_and_the_irs_note() -> None:
    html = rs.statement_html(statement())
    assert html.startswith("<!DOCTYPE html>") and "Riverside &amp; Co" in html
    assert "12 River St, Cambridge, MA" in html and "Your giving in 2025" in html
    assert "$100.00" in html and "$250.00 *" in html and "$350.00" in html
    assert "In-kind: Laptop" in html and "$400.00" not in html  # described, not valued
    assert "single gift of $250.00 or more needs this written acknowledgment" in html
    assert "No goods or services were provided" in html
    assert "Roof &lt;Fund&gt;" in html


def test_a_donor_named_like_a_script_is_printed_not_run() -> None:
    html = rs.statement_html(statement("P2"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "O&#39;Neil &amp; Sons" in html
    assert "in memory of &lt;b&gt;Grandma&lt;/b&gt;" in html


def test_all_statements_of_a_year_in_one_document_one_page_each() -> None:
    pages = rs.year_end_statements(GIFTS, PEOPLE, CAMPAIGNS, 2025, SETTINGS, ISSUED)
    assert [p.person_id for p in pages] == ["P1", "P2"]  # P9 is not in the people tab
    assert [p.total for p in pages] == [statement("P1").total, statement("P2").total]
    html = rs.statements_html(pages, "Statements 2025")
    assert html.count('<section class="statement">') == 2 and "<script>" not in html


@pytest.mark.parametrize(("code", "symbol"), [("USD", "$"), ("krw", "₩"), ("CHF", "CHF "),
                                              ("", "")])
def test_currency_symbols(code: str, symbol: str) -> None:
    assert rs.currency_symbol(code) == symbol
