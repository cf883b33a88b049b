"""Year arithmetic: calendar and fiscal years named by the year they end in, month order in a
fiscal year, and "the same point last year" counted in days so leap days are fair."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.fiscal import FiscalCalendar, Period, fiscal_year

months = st.integers(min_value=1, max_value=12)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(("day", "start", "year"), [
    (date(2024, 1, 1), 1, 2024),
    (date(2024, 12, 31), 1, 2024),
    (date(2024, 6, 30), 7, 2024),   # the last day of FY2024 (2023-07-01..2024-06-30)
    (date(2024, 7, 1), 7, 2025),    # the first day of FY2025
    (date(2025, 6, 30), 7, 2025),   # the last day of FY2025
    (date(2024, 1, 31), 2, 2024),
    (date(2024, 2, 1), 2, 2025),    # a year starting in February ends in January: FY2025
    (date(2024, 12, 1), 12, 2025),
    (date(2024, 11, 30), 12, 2024),
])
def test_a_year_is_named_by_the_calendar_year_it_ends_in(day: date, start: int, year: int) -> None:
    assert FiscalCalendar(start).year_of(day) == year
    assert fiscal_year(day, start) == year


@pytest.mark.parametrize(("start", "year", "first", "last"), [
    (1, 2024, date(2024, 1, 1), date(2024, 12, 31)),
    (7, 2025, date(2024, 7, 1), date(2025, 6, 30)),
    (3, 2024, date(2023, 3, 1), date(2024, 2, 29)),   # ends on a leap day
    (10, 2026, date(2025, 10, 1), date(2026, 9, 30)),
])
def test_first_and_last_day_of_a_year(start: int, year: int, first: date, last: date) -> None:
    calendar = FiscalCalendar(start)
    assert (calendar.first_day(year), calendar.last_day(year)) == (first, last)
    assert calendar.period(year) == Period(first, last)


@given(months, days)
def test_every_day_lies_in_the_year_it_is_named_for(start: int, day: date) -> None:
    calendar = FiscalCalendar(start)
    year = calendar.year_of(day)
    assert day in calendar.period(year)
    assert calendar.year_of(calendar.last_day(year) + timedelta(days=1)) == year + 1


@given(months, st.lists(days, max_size=30))
def test_whole_columns_get_the_same_years_and_months_as_single_days(
    start: int, many: list[date]
) -> None:
    calendar = FiscalCalendar(start)
    column = pd.Series(pd.to_datetime(many), dtype="datetime64[ns]")
    assert list(calendar.years_of(column)) == [calendar.year_of(d) for d in many]
    assert list(calendar.months_of(column)) == [calendar.month_of(d) for d in many]


@pytest.mark.parametrize(("start", "day", "month"), [
    (1, date(2024, 1, 15), 1),
    (1, date(2024, 12, 15), 12),
    (7, date(2024, 7, 1), 1),
    (7, date(2025, 6, 30), 12),
    (7, date(2025, 1, 10), 7),
])
def test_months_are_counted_from_the_start_of_the_year(start: int, day: date, month: int) -> None:
    assert FiscalCalendar(start).month_of(day) == month


def test_month_names_follow_the_fiscal_year() -> None:
    assert FiscalCalendar(7).month_names()[:2] == ["Jul", "Aug"]
    assert FiscalCalendar(7).month_names()[-1] == "Jun"
    assert FiscalCalendar().month_names()[0] == "Jan"


@pytest.mark.parametrize(("start", "year", "label"), [(1, 2025, "2025"), (7, 2025, "FY2025")])
def test_labels_say_when_a_year_is_fiscal(start: int, year: int, label: str) -> None:
    assert FiscalCalendar(start).label(year) == label


@pytest.mark.parametrize(("start", "as_of", "same_point"), [
    (1, date(2025, 5, 10), date(2024, 5, 9)),    # 2024 is leap: day 130 is 9 May
    (1, date(2024, 2, 29), date(2023, 3, 1)),    # day 60 of 2024 is day 60 of 2023
    (1, date(2025, 3, 1), date(2024, 2, 29)),    # day 60 of 2025 is the leap day
    (1, date(2024, 12, 31), date(2023, 12, 31)),  # day 366 clamps to the last day
    (1, date(2024, 1, 1), date(2023, 1, 1)),
    (7, date(2024, 7, 1), date(2023, 7, 1)),     # the first day of FY2025 and of FY2024
    (7, date(2024, 6, 30), date(2023, 6, 30)),   # FY2024 has 366 days: the last day clamps
    (7, date(2025, 6, 30), date(2024, 6, 29)),   # day 365; FY2024 has 366, so one is left
    (1, date(2025, 12, 31), date(2024, 12, 30)),  # the same after a leap calendar year
    (3, date(2025, 2, 28), date(2024, 2, 28)),   # day 365 of FY2025; FY2024 ends on 29 Feb
])
def test_the_same_point_last_year_is_the_same_number_of_days_in(
    start: int, as_of: date, same_point: date
) -> None:
    assert FiscalCalendar(start).same_point(as_of) == same_point


@given(months, days)
def test_the_same_point_is_in_last_year_and_never_further_in(start: int, as_of: date) -> None:
    calendar = FiscalCalendar(start)
    year = calendar.year_of(as_of)
    earlier = calendar.same_point(as_of)
    assert calendar.year_of(earlier) == year - 1
    into_now = (as_of - calendar.first_day(year)).days
    assert (earlier - calendar.first_day(year - 1)).days == min(into_now,
                                                                calendar.period(year - 1).days - 1)


def test_a_period_holds_both_of_its_ends() -> None:
    period = Period(date(2024, 7, 1), date(2025, 6, 30))
    assert period.days == 365
    assert date(2024, 7, 1) in period and date(2025, 6, 30) in period
    assert date(2025, 7, 1) not in period
    column = pd.Series(pd.to_datetime(["2024-06-30", "2024-07-01", "2025-06-30 18:00",
                                       "2025-07-01", None], format="ISO8601"))
    assert list(period.mask(column)) == [False, True, True, False, False]


@pytest.mark.parametrize("month", [0, 13])
def test_a_start_month_must_be_a_month(month: int) -> None:
    with pytest.raises(ValueError, match="1 to 12"):
        FiscalCalendar(month)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2025, 1, 2), date(2025, 1, 1))
