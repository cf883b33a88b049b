"""The giving ledger: completed gifts as exact integer units, and each donor's yearly totals.

`giving()` reads a typed donations frame once into whole units of the smallest amount typed
(cents, usually; int64, so exact; Python ints past 64 bits) and one row per donor per year.
Every fundraising report (`reports.fundraising`), the year-end statements and the donor view
derive from the one `Giving` it returns, so a page builds it once per snapshot and hands it
around. The money helpers here turn units back into exact `Decimal` and ratios into
`Fraction`; nothing is a float until a chart draws it.

    g = giving(book.frame("donations"), as_of=date(2026, 11, 1), fiscal_year_start=7)
    g.money(g.year_rows(g.this_year)["units"].sum())  # this fiscal year's total, exactly
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .fiscal import FiscalCalendar, Period

__all__ = [
    "GIFT_COLUMNS",
    "INT64_LIMIT",
    "NEVER",
    "Giving",
    "as_decimal",
    "giving",
    "objects",
    "places_of",
    "ratio",
    "unit_sum",
    "unit_values",
]

GIFT_COLUMNS = ["id", "person_id", "person", "date", "year", "month", "units", "campaign_id",
                "fund", "method"]
INT64_LIMIT = 2**63


# ------------------------------------------------------------------------------ money


def as_decimal(units: int, places: int) -> Decimal:
    """`units` of 10**-places as an exact Decimal: ``as_decimal(12345, 2) == Decimal("123.45")``.
    Built from text, because Decimal arithmetic would round past 28 digits."""
    return Decimal(f"{int(units)}E-{places}")


def places_of(amounts: Sequence[Decimal]) -> int:
    """The most decimal places any amount has (2 for 0.10, 0 for 100)."""
    deepest = 0
    for amount in amounts:
        exponent = amount.as_tuple().exponent
        if not isinstance(exponent, int):
            raise ValueError(f"{amount} is not an amount of money")
        deepest = max(deepest, -exponent)
    return deepest


#: Arithmetic that never rounds: precision is only a ceiling, so small numbers cost nothing.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])


def unit_values(amounts: Sequence[Decimal], places: int, rows: int) -> np.ndarray:
    """The distinct amounts in whole units of 10**-places (``Decimal("1.5")`` is 150 at two
    places): int64 when no sum of `rows` of them can overflow (the fast, usual case), else
    Python ints in an object array (slower, still exact)."""
    values = [int(amount.scaleb(places, _EXACT)) for amount in amounts]
    largest = max((abs(value) for value in values), default=0)
    if largest * max(rows, 1) < INT64_LIMIT:
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def unit_sum(units: pd.Series | np.ndarray) -> int:
    return int(units.sum())


def ratio(part: int | Decimal, whole: int | Decimal) -> Fraction | None:
    """``ratio(1, 3) == Fraction(1, 3)``; None when `whole` is 0 (no rate to speak of)."""
    return Fraction(part) / Fraction(whole) if whole else None


# ----------------------------------------------------------------------------- giving


def objects(values: Any) -> pd.Series:
    """Text kept as Python objects, as `sheets_schema.frames` types it: pandas would make
    arrow strings of it, which cost more to build and to look up than they save here."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


@dataclass(frozen=True, repr=False)
class Giving:
    """Completed gifts up to `as_of`, and each donor's total in each year.

    Donors are numbered: `persons[k]` is the person_id of donor ``k``, so the yearly sets
    D(y) are boolean arrays over donors and LYBUNT, retention and gains/losses are array
    arithmetic. `gifts` has the columns of `GIFT_COLUMNS`: `person` is the donor's number,
    `year` the (fiscal) year, `month` its month (1 = the first month of the year) and
    `units` the amount in whole units of 10**-`places` (cents when the most precise amount
    has two decimals). `donor_years` has one row per donor and year (`year`, `person`,
    `units`, `gifts`), sorted by year; `first_years[k]` is donor k's first year of giving.
    """

    as_of: date
    calendar: FiscalCalendar
    gifts: pd.DataFrame
    places: int
    persons: np.ndarray
    donor_years: pd.DataFrame
    first_years: np.ndarray

    def __repr__(self) -> str:
        return (f"Giving(as_of={self.as_of}, fiscal_year_start={self.calendar.start_month}, "
                f"gifts={len(self.gifts)}, donors={len(self.persons)})")

    @property
    def this_year(self) -> int:
        """The (fiscal) year containing the as-of date."""
        return self.calendar.year_of(self.as_of)

    @property
    def last_year(self) -> int:
        return self.this_year - 1

    def label(self, year: int) -> str:
        """``'2025'``, or ``'FY2025'`` for a fiscal year."""
        return self.calendar.label(year)

    def money(self, units: int) -> Decimal:
        """An amount in units back to an exact Decimal."""
        return as_decimal(units, self.places)

    def period(self, year: int) -> Period:
        """The days of `year` that count: all of a past year, this year up to the as-of date."""
        whole = self.calendar.period(year)
        return Period(whole.start, min(whole.end, self.as_of))

    def totals(self, year: int) -> pd.Series:
        """Each donor in D(year) with their total in the year (Decimal), by person_id."""
        rows = self.year_rows(year)
        index = pd.Index(self.persons[rows["person"].to_numpy()], dtype=object, name="person_id")
        return pd.Series([self.money(u) for u in rows["units"]], index=index, dtype=object)

    def donors(self, year: int) -> list[str]:
        """D(year): the people with a completed gift in `year` up to the as-of date, sorted."""
        return sorted(self.persons[self.year_rows(year)["person"].to_numpy()])

    def until(self, day: date) -> Giving:
        """The same ledger as it stood on `day` (before `as_of`): what last year to date is
        made from. Donors keep their numbers."""
        if day > self.as_of:
            raise ValueError(f"this giving is as of {self.as_of}; it knows nothing after it")
        kept = self.gifts[self.gifts["date"].to_numpy() < _day_after(day)]
        return _assemble(day, self.calendar, kept, self.places, self.persons)

    def year_rows(self, year: int) -> pd.DataFrame:
        years = self.donor_years["year"].to_numpy()
        start, end = np.searchsorted(years, [year, year + 1])
        return self.donor_years.iloc[start:end]

    def year_units(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """Every donor's units in `year` (0 if none) and whether they are in D(year)."""
        rows = self.year_rows(year)
        units = np.zeros(len(self.persons), dtype=self.donor_years["units"].to_numpy().dtype)
        gave = np.zeros(len(self.persons), dtype=bool)
        who = rows["person"].to_numpy()
        units[who] = rows["units"].to_numpy()
        gave[who] = True
        return units, gave


def _categories(values: np.ndarray) -> pd.Categorical:
    """A text column with few distinct values (funds, methods, campaigns) as a categorical:
    the reports group on its integer codes."""
    codes, names = pd.factorize(values)
    return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object))


def _day_after(day: date) -> np.datetime64:
    return np.datetime64(day + timedelta(days=1), "ns")


def giving(donations: pd.DataFrame, as_of: date, fiscal_year_start: int = 1) -> Giving:
    """The completed gifts of a typed donations frame up to `as_of`, ready for every report.

    `fiscal_year_start` is the month years start in (`Settings.fiscal_year_start`; 1 means
    calendar years). Each distinct amount is converted once, so 100,000 gifts cost a few
    thousand conversions and the sums below are integer sums.
    """
    calendar = FiscalCalendar(fiscal_year_start)
    codes, amounts = pd.factorize(donations["amount"].to_numpy(dtype=object))
    dates = donations["date"].to_numpy(dtype="datetime64[ns]")
    people = donations["person_id"].to_numpy(dtype=object)
    usable = (
        (donations["status"].to_numpy(dtype=object) == "completed")
        & (codes >= 0)
        & (dates < _day_after(as_of))
        & (people != "")
    )
    rows = np.flatnonzero(usable)
    places = places_of(list(amounts))
    person, persons = pd.factorize(people[rows])
    picked = pd.Series(dates[rows])
    gifts = pd.DataFrame({
        "id": objects(donations["id"].to_numpy(dtype=object)[rows]),
        "person_id": objects(people[rows]),
        "person": person.astype(np.int64),
        "date": picked,
        "year": calendar.years_of(picked),
        "month": calendar.months_of(picked),
        "units": unit_values(list(amounts), places, len(rows))[codes[rows]],
        **{c: _categories(donations[c].to_numpy(dtype=object)[rows])
           for c in ("campaign_id", "fund", "method")},
    })
    gifts.index = donations.index[rows]
    return _assemble(as_of, calendar, gifts, places, np.asarray(persons, dtype=object))


def _assemble(
    as_of: date, calendar: FiscalCalendar, gifts: pd.DataFrame, places: int, persons: np.ndarray
) -> Giving:
    table = _donor_years(gifts, len(persons))
    first_years = np.full(len(persons), NEVER, dtype=np.int64)
    firsts = table.drop_duplicates("person", keep="first")  # sorted by year: the first year
    first_years[firsts["person"].to_numpy()] = firsts["year"].to_numpy()
    return Giving(as_of, calendar, gifts, places, persons, table, first_years)


NEVER = np.iinfo(np.int64).max  # the first year of a donor with no gift up to the as-of date


def _donor_years(gifts: pd.DataFrame, width: int) -> pd.DataFrame:
    """One row per donor per year with their total and number of gifts, sorted by year.

    Grouped on one integer key (year and donor number together), several times faster than
    grouping on the two columns.
    """
    years = gifts["year"].to_numpy(dtype=np.int64)
    base = int(years.min()) if len(years) else 0
    width = max(width, 1)
    key = (years - base) * width + gifts["person"].to_numpy(dtype=np.int64)
    grouped = pd.Series(gifts["units"].to_numpy()).groupby(key, sort=True)
    sums = grouped.sum()
    keys = sums.index.to_numpy(dtype=np.int64)
    return pd.DataFrame({
        "year": keys // width + base,
        "person": keys % width,
        "units": sums.to_numpy(),
        "gifts": grouped.size().to_numpy(dtype=np.int64),
    })
