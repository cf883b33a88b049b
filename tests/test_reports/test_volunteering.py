"""Volunteer reports on a small hand-worked set of hours.

Approved hours: P1 2024-03 4h pantry, 2024-11 2.5h garden; P2 2024-03 3h pantry,
2025-02 1.5h pantry; P3 2025-02 2h (no activity). P1's 2025-01 10h is not approved.
So 2024: 9.5h (March 7, November 2.5), 2025: 3.5h; pantry 8.5, garden 2.5, none 2;
retention 2025 = |{P1,P2} ∩ {P2,P3}| / 2 = 1/2.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import pytest

from reports.volunteering import (
    active_volunteers,
    activity_figure,
    approved_hours,
    hours_by_activity,
    hours_by_month,
    hours_by_year,
    month_figure,
    retention,
    retention_by_year,
    roster,
    roster_html,
    segment_ids,
    volunteer_value,
)
from sheets_schema import parse_tab, rows_to_raw

AS_OF = date(2025, 6, 1)
HOURS = [  # id, person, date, hours, activity, approved
    ("H1", "P1", "2024-03-02", "4", "pantry", "TRUE"),
    ("H2", "P1", "2024-11-09", "2.5", "garden", "TRUE"),
    ("H3", "P2", "2024-03-09", "3", "pantry", "TRUE"),
    ("H4", "P2", "2025-02-01", "1.5", "Pantry ", "TRUE"),
    ("H5", "P3", "2025-02-15", "2", "", "TRUE"),
    ("H6", "P1", "2025-01-04", "10", "pantry", "FALSE"),
]


def frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


@pytest.fixture
def hours() -> pd.DataFrame:
    names = ("id", "person_id", "date", "hours", "activity", "approved")
    return frame("volunteer_hours", [dict(zip(names, r, strict=True)) for r in HOURS])


@pytest.fixture
def volunteers() -> pd.DataFrame:
    return frame("volunteers", [
        {"id": "P1", "status": "active", "skills": "driving, cooking",
         "availability": "Saturday mornings"},
        {"id": "P2", "status": "active", "skills": "cooking", "availability": "weekdays"},
        {"id": "P3", "status": "inactive", "skills": "IT help", "availability": "saturdays"},
        {"id": "P4", "status": "prospect", "skills": "", "availability": ""}])


@pytest.fixture
def people() -> pd.DataFrame:
    return frame("people", [{"id": f"P{n}", "first_name": "Ann", "last_name": f"Lee{n}",
                             "email": f"ann{n}@example.org", "phone": "555-0100"}
                            for n in range(1, 5)])


def test_only_approved_rows_count(hours: pd.DataFrame) -> None:
    assert list(approved_hours(hours)["id"]) == ["H1", "H2", "H3", "H4", "H5"]
    assert list(approved_hours(hours, 2025)["id"]) == ["H4", "H5"]


def test_hours_by_month_has_twelve_months_and_sums_exactly(hours: pd.DataFrame) -> None:
    months = hours_by_month(hours, 2024)
    assert len(months) == 12
    assert dict(zip(months["month"], months["hours"], strict=True))[3] == Decimal("7")
    assert months.loc[months["month"] == 11, "hours"].item() == Decimal("2.5")
    assert months.loc[months["month"] == 3, "volunteers"].item() == 2
    assert sum(months["hours"]) == Decimal("9.5")


def test_hours_by_activity_trims_and_names_blanks(hours: pd.DataFrame) -> None:
    rows = hours_by_activity(hours)
    assert list(zip(rows["activity"], rows["hours"], strict=True)) == [
        ("pantry", Decimal("7")), ("garden", Decimal("2.5")), ("(no activity)", Decimal("2")),
        ("Pantry", Decimal("1.5"))]
    assert sum(rows["hours"]) == Decimal("13")


@pytest.mark.parametrize("year", [None, 2024, 2025])
def test_every_grouping_totals_the_approved_rows(hours: pd.DataFrame, year: int | None) -> None:
    total = sum((Decimal(h) for h in approved_hours(hours, year)["hours"]), Decimal(0))
    assert sum(hours_by_activity(hours, year)["hours"], Decimal(0)) == total
    if year is not None:
        assert sum(hours_by_month(hours, year)["hours"], Decimal(0)) == total
    by_year = hours_by_year(hours, Decimal("34.79"))
    assert sum(by_year["hours"], Decimal(0)) == Decimal("13")
    assert volunteer_value(hours, Decimal("34.79"), year) == total * Decimal("34.79")


def test_the_value_of_time_is_exact(hours: pd.DataFrame) -> None:
    assert volunteer_value(hours, Decimal("34.79")) == Decimal("452.27")
    by_year = hours_by_year(hours, Decimal("34.79"))
    assert list(by_year["value"]) == [Decimal("330.505"), Decimal("121.765")]


def test_retention_is_last_years_volunteers_who_came_back(hours: pd.DataFrame) -> None:
    assert retention(hours, 2025) == Fraction(1, 2)
    assert retention(hours, 2024) is None
    table = retention_by_year(hours)
    assert table.to_dict("records") == [{"year": 2025, "last_year": 2, "retained": 1,
                                         "retention": Fraction(1, 2)}]


def test_active_volunteers_with_their_recent_hours(volunteers: pd.DataFrame,
                                                  hours: pd.DataFrame,
                                                  people: pd.DataFrame) -> None:
    rows = active_volunteers(volunteers, hours, people, AS_OF)
    assert list(rows["person_id"]) == ["P1", "P2"]
    assert list(rows["hours"]) == [Decimal("2.5"), Decimal("1.5")]
    assert rows["name"].iloc[0] == "Ann Lee1"


def test_segments_by_skill_availability_activity_and_lapsed(volunteers: pd.DataFrame,
                                                            hours: pd.DataFrame) -> None:
    assert segment_ids(volunteers, hours, AS_OF, skill="Cooking") == ["P1", "P2"]
    assert segment_ids(volunteers, hours, AS_OF, availability="saturday") == ["P1", "P3"]
    assert segment_ids(volunteers, hours, AS_OF, activity="pantry") == ["P1", "P2"]
    assert segment_ids(volunteers, hours, AS_OF, lapsed=True) == []
    assert segment_ids(volunteers, hours, date(2026, 3, 1), lapsed=True) == ["P1", "P2", "P3"]
    assert segment_ids(volunteers, hours, AS_OF, skill="cooking",
                       availability="weekdays") == ["P2"]


def test_a_roster_lists_who_works_with_open_places_to_print(people: pd.DataFrame) -> None:
    shift = {"id": "S1", "date": pd.Timestamp("2025-06-01"), "start": None, "end": None,
             "activity": "<b>pantry</b>", "places": 3, "assigned": ("P2", "P1")}
    rows = roster(shift, people)
    assert list(rows["name"]) == ["Ann Lee2", "Ann Lee1"]
    page = roster_html(shift, rows)
    assert "&lt;b&gt;pantry" in page and "<b>pantry" not in page
    assert page.count("<tr>") == 1 + 3


def test_figures_show_the_tables(hours: pd.DataFrame) -> None:
    assert sum(month_figure(hours_by_month(hours, 2024), 2024).data[0].y) == 9.5
    assert sum(activity_figure(hours_by_activity(hours)).data[0].x) == 13
