"""Reports on an organisation with no rows yet (a first start with "Start empty"): empty
tables, never an error."""

from __future__ import annotations

from decimal import Decimal

from reports.volunteering import hours_by_year, retention_by_year
from sheets_schema import parse_tab, rows_to_raw


def test_volunteering_year_on_year_with_no_hours_is_an_empty_table() -> None:
    hours = parse_tab("volunteer_hours", rows_to_raw("volunteer_hours", [])).frame
    table = hours_by_year(hours, Decimal("34.79")).merge(retention_by_year(hours), on="year",
                                                         how="left")
    assert table.empty and "retention" in table.columns
