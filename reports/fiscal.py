"""Which year a day belongs to: calendar years, or fiscal years starting in any month.

A fiscal year is named by the calendar year it **ends** in, the usual convention for
nonprofits (and the US federal government): with years starting in July, FY2025 runs from
2024-07-01 to 2025-06-30. With a start month of 1 the fiscal year is the calendar year and
its name is just the year.

    >>> july = FiscalCalendar(7)
    >>> july.year_of(date(2024, 7, 1)), july.year_of(date(2025, 6, 30))
    (2025, 2025)
    >>> july.period(2025)
    Period(start=datetime.date(2024, 7, 1), end=datetime.date(2025, 6, 30))

Pure arithmetic on dates and whole-column versions of it for pandas, so a report groups
100,000 gifts by year without a Python call per gift.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

__all__ = ["FiscalCalendar", "Period", "fiscal_year"]


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included (a report reads "to 30 June" as
    including 30 June)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period holds: ``Period(date(2024, 1, 1), date(2024, 12, 31)).days
        == 366``."""
        return (self.end - self.start).days + 1

    def mask(self, dates: pd.Series) -> np.ndarray:
        """True for each date (a datetime64 column) inside the period, a time of day on the
        last day included; NaT is outside."""
        values = dates.to_numpy(dtype="datetime64[ns]")
        after_end = np.datetime64(self.end + timedelta(days=1), "ns")
        return (values >= np.datetime64(self.start, "ns")) & (values < after_end)


@dataclass(frozen=True)
class FiscalCalendar:
    """Years that start on the 1st of `start_month` (1 = calendar years)."""

    start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError(
                f"a fiscal year starts in a month from 1 to 12, not {self.start_month}"
            )

    @property
    def is_calendar(self) -> bool:
        return self.start_month == 1

    def year_of(self, day: date) -> int:
        """The (fiscal) year `day` falls in, named by the year it ends in."""
        return day.year + int(not self.is_calendar and day.month >= self.start_month)

    def first_day(self, year: int) -> date:
        """``FiscalCalendar(7).first_day(2025) == date(2024, 7, 1)``."""
        return date(year - int(not self.is_calendar), self.start_month, 1)

    def last_day(self, year: int) -> date:
        """``FiscalCalendar(7).last_day(2025) == date(2025, 6, 30)``."""
        return self.first_day(year + 1) - timedelta(days=1)

    def period(self, year: int) -> Period:
        """The whole of `year`."""
        return Period(self.first_day(year), self.last_day(year))

    def to_date(self, as_of: date) -> Period:
        """From the first day of the year containing `as_of` to `as_of`."""
        return Period(self.first_day(self.year_of(as_of)), as_of)

    def same_point(self, as_of: date, years_back: int = 1) -> date:
        """The day as far into an earlier year as `as_of` is into its own, counted in days.

        Both year-to-date windows then hold the same number of days, so a leap day never
        makes one year look better: to 2024-02-29 (day 60) compares with 2023-01-01 to
        2023-03-01, and to 2025-03-01 with 2024-01-01 to 2024-02-29. The offset is clamped
        to the earlier year's last day, so 2024-12-31 (day 366) compares with all of 2023.
        The price of equal windows: after a leap year the dates drift by one, so 2025-12-31
        (day 365) compares with 2024-01-01 to 2024-12-30.

            >>> FiscalCalendar().same_point(date(2024, 2, 29))
            datetime.date(2023, 3, 1)
        """
        year = self.year_of(as_of)
        offset = as_of - self.first_day(year)
        earlier = year - years_back
        return min(self.first_day(earlier) + offset, self.last_day(earlier))

    def month_of(self, day: date) -> int:
        """The month's place in its year, 1 for the first month: in a July year, July is 1
        and June is 12."""
        return (day.month - self.start_month) % 12 + 1

    def month_names(self) -> list[str]:
        """Short month names in the year's order: ``FiscalCalendar(7).month_names()[0] ==
        'Jul'``."""
        return [calendar.month_abbr[(self.start_month - 1 + i) % 12 + 1] for i in range(12)]

    def label(self, year: int) -> str:
        """How a year is shown: ``'2025'`` for a calendar year, ``'FY2025'`` for a fiscal one."""
        return str(year) if self.is_calendar else f"FY{year}"

    def years_of(self, dates: pd.Series) -> np.ndarray:
        """`year_of` for a whole datetime64 column (no NaT), as int64."""
        parts = dates.dt
        years = parts.year.to_numpy(dtype=np.int64)
        if self.is_calendar:
            return years
        return years + (parts.month.to_numpy(dtype=np.int64) >= self.start_month)

    def months_of(self, dates: pd.Series) -> np.ndarray:
        """`month_of` for a whole datetime64 column (no NaT), as int64."""
        months = dates.dt.month.to_numpy(dtype=np.int64)
        return (months - self.start_month) % 12 + 1


def fiscal_year(day: date, start_month: int = 1) -> int:
    """The fiscal year of `day`, named by the year it ends in: ``fiscal_year(date(2024, 7, 1),
    7) == 2025`` and ``fiscal_year(date(2024, 7, 1), 1) == 2024``."""
    return FiscalCalendar(start_month).year_of(day)
