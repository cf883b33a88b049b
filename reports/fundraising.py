"""Fundraising reports: who gave when, who lapsed, who came back, and how much (where the
money comes from is in `reports.giving_breakdown`, one campaign in `reports.campaigns`, lists
of gifts in `reports.gift_lists`, the dashboard's tables in `reports.fundraising_dashboard`).

The definitions are the Fundraising Effectiveness Project's, as docs/architecture.md
lists them:

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

`giving()` (in `reports.ledger`, re-exported here) reads the donations frame once into whole
units of the smallest amount typed (cents, usually; int64, so exact) and one row per donor
per year; every report derives from that, so a dashboard builds one `Giving` per snapshot and
hands it to each report. Money comes back as `Decimal`, ratios as `Fraction` (None when
there is nothing to divide by), and figures convert to float only when they draw
(`reports.charts`):

    g = giving(book.frame("donations"), as_of=date(2026, 11, 1), fiscal_year_start=7)
    rate = retention(g).donor_rate  # Fraction(720, 1979): 36.4 % with f"{float(rate):.1%}"
    lapsed = lybunt(g, book.frame("people"))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .fiscal import Period
from .ledger import Giving, as_decimal, giving, objects, ratio, unit_sum
from .tally import donor_contacts, tally_by

__all__ = [
    "GAINS_LOSSES",
    "DonorSummary",
    "Giving",
    "Retention",
    "YearSummary",
    "YearToDate",
    "donor_summary",
    "gains_losses",
    "giving",
    "lybunt",
    "lybunt_ids",
    "monthly_totals",
    "retention",
    "retention_table",
    "sybunt",
    "sybunt_ids",
    "year_summary",
    "year_to_date",
]


#: The rows of `gains_losses`, in the FEP's order: gains first, then losses.
GAINS_LOSSES = ("new", "recaptured", "upgraded", "same", "downgraded", "lapsed")


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
    this, gave_this = g.year_units(year)
    last, gave_last = g.year_units(year - 1)
    two_ago = g.year_units(year - 2)[1]
    return _Standing(year, g.first_years, this, last, gave_this, gave_last, two_ago)


# ---------------------------------------------------------------------- lapsed donors


def lybunt_ids(g: Giving) -> list[str]:
    """LYBUNT, "last year but unfortunately not this": in D(last year), not in D(this year).
    Sorted person ids, ready to become a mailing segment."""
    return sorted(g.persons[_standing(g, g.this_year).lybunt])


def sybunt_ids(g: Giving) -> list[str]:
    """SYBUNT, "some year but unfortunately not this": gave in a year before last year, but
    neither last year nor this year. Sorted person ids."""
    return sorted(g.persons[_standing(g, g.this_year).sybunt])


def _lapsed_frame(g: Giving, people: pd.DataFrame, donors: np.ndarray) -> pd.DataFrame:
    """The lapsed-donor list for the donor numbers `donors`, in that order."""
    chosen = np.zeros(len(g.persons), dtype=bool)
    chosen[donors] = True
    mine = g.gifts[chosen[g.gifts["person"].to_numpy()]].sort_values("date", kind="stable")
    last_gift = mine.drop_duplicates("person", keep="last").set_index("person").reindex(donors)
    ids = list(g.persons[donors])
    contacts = donor_contacts(people, ids)
    last_year = g.year_units(g.last_year)[0][donors]
    return pd.DataFrame({
        "person_id": objects(ids),
        "name": objects(contacts["name"]),
        "email": objects(contacts["email"]),
        "last_gift_date": last_gift["date"].to_numpy(),
        "last_gift_amount": objects([g.money(u) for u in last_gift["units"]]),
        "total_last_year": objects([g.money(u) for u in last_year]),
    })


def _by_id(g: Giving, mask: np.ndarray) -> np.ndarray:
    """The donor numbers where `mask` holds, in person_id order."""
    donors = np.flatnonzero(mask)
    return donors[np.argsort(g.persons[donors], kind="stable")]


def lybunt(g: Giving, people: pd.DataFrame) -> pd.DataFrame:
    """The LYBUNT donors with their contact and last gift, biggest last-year givers first:
    columns person_id, name, email, last_gift_date, last_gift_amount, total_last_year."""
    donors = _by_id(g, _standing(g, g.this_year).lybunt)
    last_year = g.year_units(g.last_year)[0][donors]
    ranked = donors[np.argsort(-last_year, kind="stable")]  # ties stay in person_id order
    return _lapsed_frame(g, people, ranked)


def sybunt(g: Giving, people: pd.DataFrame) -> pd.DataFrame:
    """The SYBUNT donors, most recent last gift first, with the same columns as `lybunt`
    (their total_last_year is 0 by definition)."""
    frame = _lapsed_frame(g, people, _by_id(g, _standing(g, g.this_year).sybunt))
    return frame.sort_values("last_gift_date", ascending=False, kind="stable").reset_index(
        drop=True)


# -------------------------------------------------------------------------- retention


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
        return ratio(self.donors_retained, self.donors_last_year)

    @property
    def new_donor_rate(self) -> Fraction | None:
        """Of the donors whose first gift ever was in y-1, the share in D(y)."""
        return ratio(self.new_retained, self.new_last_year)

    @property
    def repeat_donor_rate(self) -> Fraction | None:
        """Of the donors in both D(y-2) and D(y-1), the share in D(y)."""
        return ratio(self.repeat_retained, self.repeat_last_year)

    @property
    def dollar_rate(self) -> Fraction | None:
        """This year's dollars from donors retained from last year / all of last year's."""
        return ratio(self.dollars_retained, self.dollars_last_year)


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
        dollars_last_year=g.money(unit_sum(s.last)),
        dollars_retained=g.money(unit_sum(s.this[kept])),
    )


def retention_table(rates: Retention) -> pd.DataFrame:
    """The four retention rates with the counts behind them: columns measure, retained,
    of, rate (a Fraction, None when there is nothing to divide by)."""
    return pd.DataFrame({
        "measure": ["Donor retention", "New-donor retention", "Repeat-donor retention",
                    "Dollar retention"],
        "retained": objects([rates.donors_retained, rates.new_retained,
                             rates.repeat_retained, rates.dollars_retained]),
        "of": objects([rates.donors_last_year, rates.new_last_year, rates.repeat_last_year,
                       rates.dollars_last_year]),
        "rate": objects([rates.donor_rate, rates.new_donor_rate, rates.repeat_donor_rate,
                         rates.dollar_rate]),
    })


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
        before, after = unit_sum(s.last[mask]), unit_sum(s.this[mask])
        rows.append({"category": category, "donors": int(mask.sum()),
                     "last_year": g.money(before), "this_year": g.money(after),
                     "change": g.money(after - before)})
    return pd.DataFrame(rows).astype({"category": object})


# ------------------------------------------------------------------- through the year


def monthly_totals(g: Giving) -> pd.DataFrame:
    """This year's and last year's dollars and gifts by month of the (fiscal) year, side by
    side, so a chart can lay one year over the other.

    Columns month (1 = the year's first month), month_name, this_year, last_year,
    this_year_gifts, last_year_gifts, and the running totals this_year_to_date and
    last_year_to_date. Months of this year after the as-of date's month are None (not yet
    happened, as opposed to nothing given).
    """
    columns: dict[str, Any] = {"month": np.arange(1, 13),
                               "month_name": objects(g.calendar.month_names())}
    current = g.calendar.month_of(g.as_of)
    years = g.gifts["year"].to_numpy()
    for name, year in (("this_year", g.this_year), ("last_year", g.last_year)):
        gifts = g.gifts[years == year]
        tally = tally_by(g, gifts, gifts["month"].to_numpy(np.int64) - 1, 12)
        shown = 12 if name == "last_year" else current
        running = np.cumsum(tally.units)
        columns[name] = objects([g.money(u) if m < shown else None
                                  for m, u in enumerate(tally.units)])
        columns[f"{name}_gifts"] = pd.array([int(c) if m < shown else None
                                             for m, c in enumerate(tally.gifts)], dtype="Int64")
        columns[f"{name}_to_date"] = objects([g.money(u) if m < shown else None
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
    return as_decimal(round(Fraction(total, gifts) * 10 ** (places - g.places)), places)


def year_summary(g: Giving, year: int | None = None) -> YearSummary:
    """Total, donors, gifts, average gift and donor retention of `year` (default this year)
    up to the as-of date."""
    year = g.this_year if year is None else year
    rows = g.year_rows(year)
    total, gifts = unit_sum(rows["units"]), unit_sum(rows["gifts"])
    return YearSummary(year, g.label(year), g.period(year), g.money(total), len(rows), gifts,
                       _average(g, total, gifts), retention(g, year).donor_rate)


def year_to_date(g: Giving) -> YearToDate:
    """This year to date against last year to the same day offset into the year (see
    `FiscalCalendar.same_point`: leap days are handled by counting days)."""
    earlier = g.until(g.calendar.same_point(g.as_of))
    return YearToDate(year_summary(g), year_summary(earlier, g.last_year))


# -------------------------------------------------------------------------- one donor


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
        "label": objects([g.label(int(y)) for y in table["year"]]),
        "total": objects([g.money(u) for u in table["units"]]),
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
        person_id, by_year, g.money(unit_sum(mine["units"])), len(mine), *first, *last, *largest,
        lybunt=gave_last and not gave_this,
        sybunt=earlier and not gave_last and not gave_this,
    )
