"""Fundraising reports: who gave when, who lapsed, who came back, and how much.

The definitions are the Fundraising Effectiveness Project's, as DESIGN.md lists them:

- Only **completed** gifts count (pending and refunded gifts are not money the organisation
  has), and only gifts dated on or before the as-of date. A gift without a date, an amount
  or a person cannot be placed in a year or credited to a donor, so it is left out (the
  data-health page reports those rows).
- Years are calendar years or fiscal years (`reports.fiscal.FiscalCalendar`), a fiscal year
  named by the calendar year it ends in: starting in July, FY2025 is 2024-07-01..2025-06-30.
  "This year" is the year containing the as-of date, "last year" the one before, and D(y)
  the people with a completed gift in year y up to the as-of date.
- Every kind of gift counts (gift, membership, pledge payment, in-kind) and the credit goes
  to `person_id` (soft credits are not counted twice). Amounts are added as they stand: the
  reports assume one currency.

`giving()` reads the donations frame once into whole units of the smallest amount typed
(cents, usually; int64, so exact) and one row per donor per year; every report derives from
that, so a dashboard builds one `Giving` per render and hands it to each report. Money comes
back as `Decimal`, ratios as `Fraction` (None when there is nothing to divide by), and
figures convert to float only when they draw (`reports.charts`):

    g = giving(book.frame("donations"), as_of=date(2026, 11, 1), fiscal_year_start=7)
    rate = retention(g).donor_rate  # Fraction(720, 1979): 36.4 % with f"{float(rate):.1%}"
    lapsed = lybunt(g, book.frame("people"))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema.people import display_name
from sheets_schema.settings import FEP_LEVELS

from .fiscal import FiscalCalendar, Period

__all__ = [
    "GAINS_LOSSES",
    "DonorSummary",
    "Giving",
    "Retention",
    "YearSummary",
    "YearToDate",
    "campaign_progress",
    "donor_summary",
    "gains_losses",
    "giving",
    "giving_by",
    "giving_by_fund",
    "giving_by_method",
    "giving_levels",
    "level_labels",
    "lybunt",
    "lybunt_ids",
    "monthly_totals",
    "retention",
    "sybunt",
    "sybunt_ids",
    "top_donors",
    "year_summary",
    "year_to_date",
]

GIFT_COLUMNS = ["id", "person_id", "person", "date", "year", "month", "units", "campaign_id",
                "fund", "method"]
#: The rows of `gains_losses`, in the FEP's order: gains first, then losses.
GAINS_LOSSES = ("new", "recaptured", "upgraded", "same", "downgraded", "lapsed")
_INT64_LIMIT = 2**63


# ------------------------------------------------------------------------------ money


def _as_decimal(units: int, places: int) -> Decimal:
    """`units` of 10**-places as an exact Decimal: ``_as_decimal(12345, 2) == Decimal("123.45")``.
    Built from text, because Decimal arithmetic would round past 28 digits."""
    return Decimal(f"{int(units)}E-{places}")


def _places(amounts: Sequence[Decimal]) -> int:
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


def _unit_values(amounts: Sequence[Decimal], places: int, rows: int) -> np.ndarray:
    """The distinct amounts in whole units of 10**-places (``Decimal("1.5")`` is 150 at two
    places): int64 when no sum of `rows` of them can overflow (the fast, usual case), else
    Python ints in an object array (slower, still exact)."""
    values = [int(amount.scaleb(places, _EXACT)) for amount in amounts]
    largest = max((abs(value) for value in values), default=0)
    if largest * max(rows, 1) < _INT64_LIMIT:
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _sum(units: pd.Series | np.ndarray) -> int:
    return int(units.sum())


def _ratio(part: int | Decimal, whole: int | Decimal) -> Fraction | None:
    """``_ratio(1, 3) == Fraction(1, 3)``; None when `whole` is 0 (no rate to speak of)."""
    return Fraction(part) / Fraction(whole) if whole else None


# ----------------------------------------------------------------------------- giving


def _objects(values: Any) -> pd.Series:
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
        return _as_decimal(units, self.places)

    def period(self, year: int) -> Period:
        """The days of `year` that count: all of a past year, this year up to the as-of date."""
        whole = self.calendar.period(year)
        return Period(whole.start, min(whole.end, self.as_of))

    def totals(self, year: int) -> pd.Series:
        """Each donor in D(year) with their total in the year (Decimal), by person_id."""
        rows = self._rows_of(year)
        index = pd.Index(self.persons[rows["person"].to_numpy()], dtype=object, name="person_id")
        return pd.Series([self.money(u) for u in rows["units"]], index=index, dtype=object)

    def donors(self, year: int) -> list[str]:
        """D(year): the people with a completed gift in `year` up to the as-of date, sorted."""
        return sorted(self.persons[self._rows_of(year)["person"].to_numpy()])

    def until(self, day: date) -> Giving:
        """The same ledger as it stood on `day` (before `as_of`): what last year to date is
        made from. Donors keep their numbers."""
        if day > self.as_of:
            raise ValueError(f"this giving is as of {self.as_of}; it knows nothing after it")
        kept = self.gifts[self.gifts["date"].to_numpy() < _day_after(day)]
        return _assemble(day, self.calendar, kept, self.places, self.persons)

    def _rows_of(self, year: int) -> pd.DataFrame:
        years = self.donor_years["year"].to_numpy()
        start, end = np.searchsorted(years, [year, year + 1])
        return self.donor_years.iloc[start:end]

    def _year(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """Every donor's units in `year` (0 if none) and whether they are in D(year)."""
        rows = self._rows_of(year)
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
    places = _places(list(amounts))
    person, persons = pd.factorize(people[rows])
    picked = pd.Series(dates[rows])
    gifts = pd.DataFrame({
        "id": _objects(donations["id"].to_numpy(dtype=object)[rows]),
        "person_id": _objects(people[rows]),
        "person": person.astype(np.int64),
        "date": picked,
        "year": calendar.years_of(picked),
        "month": calendar.months_of(picked),
        "units": _unit_values(list(amounts), places, len(rows))[codes[rows]],
        **{c: _categories(donations[c].to_numpy(dtype=object)[rows])
           for c in ("campaign_id", "fund", "method")},
    })
    gifts.index = donations.index[rows]
    return _assemble(as_of, calendar, gifts, places, np.asarray(persons, dtype=object))


def _assemble(
    as_of: date, calendar: FiscalCalendar, gifts: pd.DataFrame, places: int, persons: np.ndarray
) -> Giving:
    table = _donor_years(gifts, len(persons))
    first_years = np.full(len(persons), _NEVER, dtype=np.int64)
    firsts = table.drop_duplicates("person", keep="first")  # sorted by year: the first year
    first_years[firsts["person"].to_numpy()] = firsts["year"].to_numpy()
    return Giving(as_of, calendar, gifts, places, persons, table, first_years)


_NEVER = np.iinfo(np.int64).max  # the first year of a donor with no gift up to the as-of date


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


@dataclass(frozen=True)
class _Standing:
    """Every donor's place in `year`: what they gave in it (`this`) and the year before
    (`last`) in units, whether they are in D(year), D(year-1) and D(year-2), and their first
    year. The one table LYBUNT, retention and gains/losses read."""

    year: int
    first_year: np.ndarray
    this: np.ndarray
    last: np.ndarray
    gave_this: np.ndarray
    gave_last: np.ndarray
    gave_two_ago: np.ndarray

    @property
    def lybunt(self) -> np.ndarray:
        return self.gave_last & ~self.gave_this

    @property
    def sybunt(self) -> np.ndarray:
        return (self.first_year < self.year - 1) & ~self.gave_last & ~self.gave_this


def _standing(g: Giving, year: int) -> _Standing:
    this, gave_this = g._year(year)
    last, gave_last = g._year(year - 1)
    return _Standing(year, g.first_years, this, last, gave_this, gave_last, g._year(year - 2)[1])


# --------------------------------------------------------------------- lapsed donors


def lybunt_ids(g: Giving) -> list[str]:
    """LYBUNT, "last year but unfortunately not this": in D(last year), not in D(this year).
    Sorted person ids, ready to become a mailing segment."""
    return sorted(g.persons[_standing(g, g.this_year).lybunt])


def sybunt_ids(g: Giving) -> list[str]:
    """SYBUNT, "some year but unfortunately not this": gave in a year before last year, but
    neither last year nor this year. Sorted person ids."""
    return sorted(g.persons[_standing(g, g.this_year).sybunt])


def _contacts(people: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """Name columns and email for `ids`, in that order; a person missing from `people` (a
    gift to an unknown id) gets a name in brackets rather than dropping their money."""
    columns = ["first_name", "last_name", "organization", "email"]
    known = people[people["id"].isin(ids)].drop_duplicates("id")
    known = known.set_index(pd.Index(known["id"].to_numpy(), dtype=object))[columns]
    found = known.reindex(pd.Index(list(ids), dtype=object, name="person_id")).fillna("")
    parts = zip(ids, *(found[c] for c in columns[:3]), strict=True)
    found.insert(0, "name", _objects([
        display_name({"id": pid, "first_name": first, "last_name": last, "organization": org})
        for pid, first, last, org in parts]).to_numpy())
    return found


def _lapsed_frame(g: Giving, people: pd.DataFrame, donors: np.ndarray) -> pd.DataFrame:
    """The lapsed-donor list for the donor numbers `donors`, in that order."""
    chosen = np.zeros(len(g.persons), dtype=bool)
    chosen[donors] = True
    mine = g.gifts[chosen[g.gifts["person"].to_numpy()]].sort_values("date", kind="stable")
    last_gift = mine.drop_duplicates("person", keep="last").set_index("person").reindex(donors)
    ids = list(g.persons[donors])
    contacts = _contacts(people, ids)
    last_year = g._year(g.last_year)[0][donors]
    return pd.DataFrame({
        "person_id": _objects(ids),
        "name": _objects(contacts["name"]),
        "email": _objects(contacts["email"]),
        "last_gift_date": last_gift["date"].to_numpy(),
        "last_gift_amount": _objects([g.money(u) for u in last_gift["units"]]),
        "total_last_year": _objects([g.money(u) for u in last_year]),
    })


def _by_id(g: Giving, mask: np.ndarray) -> np.ndarray:
    """The donor numbers where `mask` holds, in person_id order."""
    donors = np.flatnonzero(mask)
    return donors[np.argsort(g.persons[donors], kind="stable")]


def lybunt(g: Giving, people: pd.DataFrame) -> pd.DataFrame:
    """The LYBUNT donors with their contact and last gift, biggest last-year givers first:
    columns person_id, name, email, last_gift_date, last_gift_amount, total_last_year."""
    donors = _by_id(g, _standing(g, g.this_year).lybunt)
    last_year = g._year(g.last_year)[0][donors]
    ranked = donors[np.argsort(-last_year, kind="stable")]  # ties stay in person_id order
    return _lapsed_frame(g, people, ranked)


def sybunt(g: Giving, people: pd.DataFrame) -> pd.DataFrame:
    """The SYBUNT donors, most recent last gift first, with the same columns as `lybunt`
    (their total_last_year is 0 by definition)."""
    frame = _lapsed_frame(g, people, _by_id(g, _standing(g, g.this_year).sybunt))
    return frame.sort_values("last_gift_date", ascending=False, kind="stable").reset_index(
        drop=True)


# ------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class Retention:
    """The counts behind each retention rate for `year`, so a page can say "412 of 980"."""

    year: int
    donors_last_year: int
    donors_retained: int
    new_last_year: int
    new_retained: int
    repeat_last_year: int
    repeat_retained: int
    dollars_last_year: Decimal
    dollars_retained: Decimal

    @property
    def donor_rate(self) -> Fraction | None:
        """|D(y-1) ∩ D(y)| / |D(y-1)|."""
        return _ratio(self.donors_retained, self.donors_last_year)

    @property
    def new_donor_rate(self) -> Fraction | None:
        """Of the donors whose first gift ever was in y-1, the share in D(y)."""
        return _ratio(self.new_retained, self.new_last_year)

    @property
    def repeat_donor_rate(self) -> Fraction | None:
        """Of the donors in both D(y-2) and D(y-1), the share in D(y)."""
        return _ratio(self.repeat_retained, self.repeat_last_year)

    @property
    def dollar_rate(self) -> Fraction | None:
        """This year's dollars from donors retained from last year / all of last year's."""
        return _ratio(self.dollars_retained, self.dollars_last_year)


def retention(g: Giving, year: int | None = None) -> Retention:
    """Donor, new-donor, repeat-donor and dollar retention into `year` (default: this year,
    up to the as-of date, so early in a year the rates are still growing)."""
    s = _standing(g, g.this_year if year is None else year)
    kept = s.gave_last & s.gave_this
    new = s.first_year == s.year - 1
    repeat = s.gave_two_ago & s.gave_last
    return Retention(
        year=s.year,
        donors_last_year=int(s.gave_last.sum()),
        donors_retained=int(kept.sum()),
        new_last_year=int(new.sum()),
        new_retained=int((new & s.gave_this).sum()),
        repeat_last_year=int(repeat.sum()),
        repeat_retained=int((repeat & s.gave_this).sum()),
        dollars_last_year=g.money(_sum(s.last)),
        dollars_retained=g.money(_sum(s.this[kept])),
    )


def gains_losses(g: Giving, year: int | None = None) -> pd.DataFrame:
    """The FEP gain/loss table for `year` (default this year) against the year before.

    One row per category of `GAINS_LOSSES` with columns category, donors, last_year and
    this_year (what those donors gave in each year) and change (this_year - last_year):
    new (first gift ever in the year), recaptured (gave before last year, not last year),
    upgraded / same / downgraded (retained, giving more / equal / less than last year),
    lapsed (gave last year, not this year: LYBUNT). Every donor of either year is in exactly
    one row, so the changes add up to this year's total minus last year's.
    """
    s = _standing(g, g.this_year if year is None else year)
    kept = s.gave_last & s.gave_this
    masks = {
        "new": s.first_year == s.year,
        "recaptured": s.gave_this & ~s.gave_last & (s.first_year < s.year - 1),
        "upgraded": kept & (s.this > s.last),
        "same": kept & (s.this == s.last),
        "downgraded": kept & (s.this < s.last),
        "lapsed": s.lybunt,
    }
    rows = []
    for category in GAINS_LOSSES:
        mask = masks[category]
        before, after = _sum(s.last[mask]), _sum(s.this[mask])
        rows.append({"category": category, "donors": int(mask.sum()),
                     "last_year": g.money(before), "this_year": g.money(after),
                     "change": g.money(after - before)})
    return pd.DataFrame(rows).astype({"category": object})


# ---------------------------------------------------------------------- giving levels


def _money_text(amount: Decimal, currency: str) -> str:
    shown = f"{int(amount):,}" if amount == amount.to_integral_value() else f"{amount:,}"
    return f"{currency}{shown}"


def level_labels(tops: Sequence[Decimal], currency: str = "$") -> list[str]:
    """Names for the bands that `tops` (ascending band tops) make, one more than tops:
    ``level_labels([Decimal(100), Decimal(500)]) == ["Up to $100", "$101–$500", "Over $500"]``.
    A band starts one dollar above the band below (one cent when that top has cents)."""
    if not tops:
        return ["Any amount"]
    labels = [f"Up to {_money_text(tops[0], currency)}"]
    for below, top in zip(tops, tops[1:], strict=False):
        step = Decimal(1) if below == below.to_integral_value() else Decimal("0.01")
        labels.append(f"{_money_text(below + step, currency)}–{_money_text(top, currency)}")
    labels.append(f"Over {_money_text(tops[-1], currency)}")
    return labels


def giving_levels(
    g: Giving,
    tops: Sequence[Decimal] = FEP_LEVELS,
    year: int | None = None,
    currency: str = "$",
) -> pd.DataFrame:
    """The giving pyramid: donors of `year` (default this year) banded by their total in the
    year, with the donors and dollars of each band.

    `tops` are the band tops (`Settings.giving_levels`; FEP's by default): a donor whose
    total is at most a top is in that band, above the last top in the top band. Columns:
    level (1 = smallest), label, above, up_to (the band's bounds, None when open), donors,
    dollars. Bands with nobody in them are kept, so the pyramid always has the same rows.
    """
    year = g.this_year if year is None else year
    totals = g._rows_of(year)["units"].to_numpy()
    # A total is an integer count of units, so "at most the top" is "at most its floor".
    floors = [math.floor(Fraction(top) * 10**g.places) for top in tops]
    if totals.dtype == object or any(abs(f) >= _INT64_LIMIT for f in floors):
        totals, bounds = totals.astype(object), np.array(floors, dtype=object)
    else:
        bounds = np.array(floors, dtype=np.int64)
    band = np.searchsorted(bounds, totals, side="left")
    count = len(tops) + 1
    dollars = np.zeros(count, dtype=totals.dtype)
    np.add.at(dollars, band, totals)
    edges: list[Decimal | None] = [None, *tops, None]
    return pd.DataFrame({
        "level": np.arange(1, count + 1),
        "label": _objects(level_labels(tops, currency)),
        "above": _objects(edges[:-1]),
        "up_to": _objects(edges[1:]),
        "donors": np.bincount(band, minlength=count),
        "dollars": _objects([g.money(u) for u in dollars]),
    })


# ------------------------------------------------------------------ where money comes from


def _in_period(g: Giving, period: Period | None) -> pd.DataFrame:
    period = g.calendar.to_date(g.as_of) if period is None else period
    return g.gifts[period.mask(g.gifts["date"])]


@dataclass(frozen=True)
class _Tally:
    """Units, gifts and distinct donors per group, for groups numbered 0..n-1."""

    units: np.ndarray
    gifts: np.ndarray
    donors: np.ndarray


def _tally(g: Giving, gifts: pd.DataFrame, groups: np.ndarray, size: int) -> _Tally:
    """Sum `gifts` into `size` groups (`groups[i]` is gift i's group) with numpy alone:
    grouping on text would make pandas build arrow strings for every key."""
    units = gifts["units"].to_numpy()
    sums = np.zeros(size, dtype=units.dtype)
    np.add.at(sums, groups, units)
    donors = _distinct_donors(groups, gifts["person"].to_numpy(np.int64), size,
                              max(len(g.persons), 1))
    return _Tally(sums, np.bincount(groups, minlength=size), donors)


def _distinct_donors(groups: np.ndarray, persons: np.ndarray, size: int, width: int) -> np.ndarray:
    """How many different donors gave in each group: a group-by-donor table of flags when
    that is small (a dozen funds or months), else the distinct (group, donor) pairs."""
    if size * width <= 2**22:
        seen = np.zeros((size, width), dtype=bool)
        seen[groups, persons] = True
        return seen.sum(axis=1)
    pairs = pd.unique(groups.astype(np.int64) * width + persons)
    return np.bincount(pairs // width, minlength=size)


def _biggest_first(units: np.ndarray, names: np.ndarray) -> np.ndarray:
    """The order that puts the largest total first, equal totals by name."""
    order = np.argsort(names, kind="stable")
    return order[np.argsort(-units[order], kind="stable")]


def _top(units: np.ndarray, candidates: np.ndarray, names: np.ndarray, limit: int) -> np.ndarray:
    """The `limit` candidates with the most units, biggest first, ties by name; only those
    at or above the limit-th largest total are sorted (a few, out of thousands of donors)."""
    if 0 < limit < len(candidates) and units.dtype != object:
        cut = len(candidates) - limit
        floor = np.partition(units[candidates], cut)[cut]
        candidates = candidates[units[candidates] >= floor]
    ranked = candidates[_biggest_first(units[candidates], names[candidates])]
    return ranked[: max(limit, 0)]


def giving_by(g: Giving, column: str, period: Period | None = None) -> pd.DataFrame:
    """Dollars, gifts and donors per value of `column` ("fund", "method", "campaign_id") in
    `period` (default: this year to date), biggest first; a blank value is its own row."""
    gifts = _in_period(g, period)
    values = gifts[column].array
    if isinstance(values, pd.Categorical):
        groups, names = values.codes, np.asarray(values.categories, dtype=object)
    else:
        groups, found = pd.factorize(values.to_numpy(dtype=object))
        names = np.asarray(found, dtype=object)
    tally = _tally(g, gifts, groups.astype(np.intp), len(names))
    order = _biggest_first(tally.units, names)
    order = order[tally.gifts[order] > 0]
    return pd.DataFrame({
        column: _objects(names[order]),
        "dollars": _objects([g.money(u) for u in tally.units[order]]),
        "gifts": tally.gifts[order],
        "donors": tally.donors[order],
    })


def giving_by_fund(g: Giving, period: Period | None = None) -> pd.DataFrame:
    """`giving_by` fund: columns fund, dollars, gifts, donors."""
    return giving_by(g, "fund", period)


def giving_by_method(g: Giving, period: Period | None = None) -> pd.DataFrame:
    """`giving_by` method: columns method, dollars, gifts, donors."""
    return giving_by(g, "method", period)


def campaign_progress(g: Giving, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Each campaign against its goal, from the completed gifts carrying its campaign_id up
    to the as-of date (whenever they came in: a late gift still counts toward the goal).

    Columns campaign_id, name, kind, status, start_date, end_date, goal, raised, share
    (raised / goal as a Fraction, None without a goal), donors, gifts; in the campaigns
    tab's order.
    """
    base = campaigns.drop_duplicates("id")
    ids = base["id"].to_numpy(dtype=object)
    tags = pd.Categorical(g.gifts["campaign_id"])
    which = pd.Index(ids, dtype=object).get_indexer(tags.categories)[tags.codes]
    tagged = which >= 0
    tally = _tally(g, g.gifts[tagged], which[tagged], len(ids))
    goals = base["goal"].to_numpy(dtype=object)
    raised = [g.money(u) for u in tally.units]
    frame = pd.DataFrame({
        "campaign_id": _objects(ids),
        **{c: _objects(base[c]) for c in ("name", "kind", "status")},
        **{c: base[c].to_numpy() for c in ("start_date", "end_date")},
        "goal": _objects(goals),
        "raised": _objects(raised),
        "share": _objects([None if goal is None else _ratio(r, goal)
                           for r, goal in zip(raised, goals, strict=True)]),
        "donors": tally.donors,
        "gifts": tally.gifts,
    })
    return frame


def top_donors(
    g: Giving, people: pd.DataFrame, period: Period | None = None, limit: int = 10
) -> pd.DataFrame:
    """The `limit` people who gave most in `period` (default: this year to date), ties by
    person_id. Columns person_id, name, first_name, last_name, organization, email, total,
    gifts, last_gift_date."""
    gifts = _in_period(g, period)
    donors = gifts["person"].to_numpy(np.int64)
    tally = _tally(g, gifts, donors, len(g.persons))
    last_day = np.full(len(g.persons), np.iinfo(np.int64).min)  # NaT would win every max
    np.maximum.at(last_day, donors, gifts["date"].to_numpy(dtype="datetime64[ns]").view(np.int64))
    last_date = last_day.view("datetime64[ns]")
    top = _top(tally.units, np.flatnonzero(tally.gifts > 0), g.persons, limit)
    contacts = _contacts(people, list(g.persons[top]))
    return pd.DataFrame({
        "person_id": _objects(g.persons[top]),
        **{c: _objects(contacts[c]) for c in
           ("name", "first_name", "last_name", "organization", "email")},
        "total": _objects([g.money(u) for u in tally.units[top]]),
        "gifts": tally.gifts[top],
        "last_gift_date": last_date[top],
    })


# ------------------------------------------------------------------ through the year


def monthly_totals(g: Giving) -> pd.DataFrame:
    """This year's and last year's dollars and gifts by month of the (fiscal) year, side by
    side, so a chart can lay one year over the other.

    Columns month (1 = the year's first month), month_name, this_year, last_year,
    this_year_gifts, last_year_gifts, and the running totals this_year_to_date and
    last_year_to_date. Months of this year after the as-of date's month are None (not yet
    happened, as opposed to nothing given).
    """
    columns: dict[str, Any] = {"month": np.arange(1, 13),
                               "month_name": _objects(g.calendar.month_names())}
    current = g.calendar.month_of(g.as_of)
    years = g.gifts["year"].to_numpy()
    for name, year in (("this_year", g.this_year), ("last_year", g.last_year)):
        gifts = g.gifts[years == year]
        tally = _tally(g, gifts, gifts["month"].to_numpy(np.int64) - 1, 12)
        shown = 12 if name == "last_year" else current
        running = np.cumsum(tally.units)
        columns[name] = _objects([g.money(u) if m < shown else None
                                  for m, u in enumerate(tally.units)])
        columns[f"{name}_gifts"] = pd.array([int(c) if m < shown else None
                                             for m, c in enumerate(tally.gifts)], dtype="Int64")
        columns[f"{name}_to_date"] = _objects([g.money(u) if m < shown else None
                                               for m, u in enumerate(running)])
    order = ["month", "month_name", "this_year", "last_year", "this_year_gifts",
             "last_year_gifts", "this_year_to_date", "last_year_to_date"]
    return pd.DataFrame({c: columns[c] for c in order})


@dataclass(frozen=True)
class YearSummary:
    """One year's giving over `period`. `average_gift` is rounded half to even to the cent
    (or to the most decimals an amount has, if more); `retention` is donor retention."""

    year: int
    label: str
    period: Period
    total: Decimal
    donors: int
    gifts: int
    average_gift: Decimal | None
    retention: Fraction | None


@dataclass(frozen=True)
class YearToDate:
    """This year to the as-of date beside last year to the same point."""

    this_year: YearSummary
    last_year: YearSummary

    def table(self) -> pd.DataFrame:
        """The two summaries as rows of a table: metric, this_year, last_year."""
        metrics = {"Total given": "total", "Donors": "donors", "Gifts": "gifts",
                   "Average gift": "average_gift", "Donor retention": "retention"}
        return pd.DataFrame({
            "metric": list(metrics),
            "this_year": [getattr(self.this_year, f) for f in metrics.values()],
            "last_year": [getattr(self.last_year, f) for f in metrics.values()],
        })


def _average(g: Giving, total: int, gifts: int) -> Decimal | None:
    if not gifts:
        return None
    places = max(g.places, 2)
    return _as_decimal(round(Fraction(total, gifts) * 10 ** (places - g.places)), places)


def year_summary(g: Giving, year: int | None = None) -> YearSummary:
    """Total, donors, gifts, average gift and donor retention of `year` (default this year)
    up to the as-of date."""
    year = g.this_year if year is None else year
    rows = g._rows_of(year)
    total, gifts = _sum(rows["units"]), _sum(rows["gifts"])
    return YearSummary(year, g.label(year), g.period(year), g.money(total), len(rows), gifts,
                       _average(g, total, gifts), retention(g, year).donor_rate)


def year_to_date(g: Giving) -> YearToDate:
    """This year to date against last year to the same day offset into the year (see
    `FiscalCalendar.same_point`: leap days are handled by counting days)."""
    earlier = g.until(g.calendar.same_point(g.as_of))
    return YearToDate(year_summary(g), year_summary(earlier, g.last_year))


# ---------------------------------------------------------------------- one donor


@dataclass(frozen=True)
class DonorSummary:
    """One person's completed giving up to the as-of date. `by_year` has columns year, label,
    total, gifts, oldest first; the gift fields are None for someone who never gave."""

    person_id: str
    by_year: pd.DataFrame
    total: Decimal
    gifts: int
    first_gift_date: date | None
    first_gift_amount: Decimal | None
    last_gift_date: date | None
    last_gift_amount: Decimal | None
    largest_gift_date: date | None
    largest_gift_amount: Decimal | None
    lybunt: bool
    sybunt: bool


def donor_summary(g: Giving, person_id: str) -> DonorSummary:
    """`person_id`'s giving by year, first, last and largest gift (the earliest, if two are
    equal), and whether they are LYBUNT or SYBUNT this year."""
    number = np.flatnonzero(g.persons == person_id)[:1]
    mine = g.gifts[np.isin(g.gifts["person"].to_numpy(), number)].sort_values("date",
                                                                              kind="stable")
    table = g.donor_years[np.isin(g.donor_years["person"].to_numpy(), number)]
    years = set(table["year"].tolist())
    by_year = pd.DataFrame({
        "year": table["year"].to_numpy(),
        "label": _objects([g.label(int(y)) for y in table["year"]]),
        "total": _objects([g.money(u) for u in table["units"]]),
        "gifts": table["gifts"].to_numpy(),
    })
    gave_this, gave_last = g.this_year in years, g.last_year in years
    earlier = any(y < g.last_year for y in years)

    def gift(at: int | None) -> tuple[date | None, Decimal | None]:
        if at is None:
            return None, None
        row = mine.iloc[at]
        return pd.Timestamp(row["date"]).date(), g.money(row["units"])

    has = not mine.empty
    first, last = gift(0 if has else None), gift(len(mine) - 1 if has else None)
    largest = gift(int(np.argmax(mine["units"].to_numpy())) if has else None)
    return DonorSummary(
        person_id, by_year, g.money(_sum(mine["units"])), len(mine), *first, *last, *largest,
        lybunt=gave_last and not gave_this,
        sybunt=earlier and not gave_last and not gave_this,
    )
