"""Fundraising reports: who gave when, who lapsed, who came back, and how much.

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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import numpy as np
import pandas as pd

from rules.gifts import schedule_status
from rules.people import display_name
from sheets_schema.settings import FEP_LEVELS

from .fiscal import Period
from .ledger import INT64_LIMIT, Giving, as_decimal, giving, objects, ratio, unit_sum

__all__ = [
    "GAINS_LOSSES",
    "Dashboard",
    "DonorSummary",
    "Giving",
    "Retention",
    "YearSummary",
    "YearToDate",
    "campaign_donor_ids",
    "campaign_donors",
    "campaign_gifts",
    "campaign_progress",
    "campaigns_in",
    "dashboard",
    "donor_summary",
    "gains_losses",
    "lapsed_recurring_ids",
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
    "retention_table",
    "standing_gifts",
    "sybunt",
    "sybunt_ids",
    "thank_you_list",
    "top_donors",
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
    found.insert(0, "name", objects([
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
    totals = g.year_rows(year)["units"].to_numpy()
    # A total is an integer count of units, so "at most the top" is "at most its floor".
    floors = [math.floor(Fraction(top) * 10**g.places) for top in tops]
    if totals.dtype == object or any(abs(f) >= INT64_LIMIT for f in floors):
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
        "label": objects(level_labels(tops, currency)),
        "above": objects(edges[:-1]),
        "up_to": objects(edges[1:]),
        "donors": np.bincount(band, minlength=count),
        "dollars": objects([g.money(u) for u in dollars]),
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
        column: objects(names[order]),
        "dollars": objects([g.money(u) for u in tally.units[order]]),
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
        "campaign_id": objects(ids),
        **{c: objects(base[c]) for c in ("name", "kind", "status")},
        **{c: base[c].to_numpy() for c in ("start_date", "end_date")},
        "goal": objects(goals),
        "raised": objects(raised),
        "share": objects([None if goal is None else ratio(r, goal)
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
        "person_id": objects(g.persons[top]),
        **{c: objects(contacts[c]) for c in
           ("name", "first_name", "last_name", "organization", "email")},
        "total": objects([g.money(u) for u in tally.units[top]]),
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
                               "month_name": objects(g.calendar.month_names())}
    current = g.calendar.month_of(g.as_of)
    years = g.gifts["year"].to_numpy()
    for name, year in (("this_year", g.this_year), ("last_year", g.last_year)):
        gifts = g.gifts[years == year]
        tally = _tally(g, gifts, gifts["month"].to_numpy(np.int64) - 1, 12)
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


# ------------------------------------------------------------------ mailing segments


def campaign_donor_ids(g: Giving, campaign_id: str) -> list[str]:
    """The people with a completed gift to `campaign_id` up to the as-of date, sorted."""
    gifts = g.gifts[g.gifts["campaign_id"].to_numpy(dtype=object) == campaign_id]
    return sorted(set(gifts["person_id"]))


def lapsed_recurring_ids(schedules: pd.DataFrame, as_of: date, lapse_days: int,
                         close_days: int) -> list[str]:
    """The people with a standing gift that is lapsed on `as_of` by the rule
    (`rules.gifts.schedule_status`: past due by more than `lapse_days`, not yet
    `close_days`), whatever its stored status says, and no other schedule still active."""
    lapsed: set[str] = set()
    active: set[str] = set()
    for row in cast(list[dict[str, Any]], schedules.to_dict("records")):
        status = schedule_status(row, as_of, lapse_days, close_days)
        if status in {"lapsed", "active"}:
            (lapsed if status == "lapsed" else active).add(str(row["person_id"]))
    return sorted(lapsed - active)


# --------------------------------------------------------------------- one campaign


def campaign_gifts(g: Giving, people: pd.DataFrame, campaign_id: str) -> pd.DataFrame:
    """The completed gifts to `campaign_id`, newest first: columns id, date, person_id,
    name, amount, fund, method."""
    gifts = g.gifts[g.gifts["campaign_id"].to_numpy(dtype=object) == campaign_id]
    gifts = gifts.sort_values(["date", "id"], ascending=False, kind="stable")
    ids = list(gifts["person_id"])
    names = _contacts(people, list(dict.fromkeys(ids)))["name"]
    return pd.DataFrame({
        "id": objects(gifts["id"].to_numpy()),
        "date": gifts["date"].to_numpy(),
        "person_id": objects(ids),
        "name": objects([names.get(pid, f"({pid})") for pid in ids]),
        "amount": objects([g.money(u) for u in gifts["units"]]),
        "fund": objects(np.asarray(gifts["fund"], dtype=object)),
        "method": objects(np.asarray(gifts["method"], dtype=object)),
    })


def campaign_donors(g: Giving, people: pd.DataFrame, campaign_id: str) -> pd.DataFrame:
    """Who gave to `campaign_id`, biggest total first (ties by person_id): columns
    person_id, name, email, total, gifts, last_gift_date."""
    gifts = g.gifts[g.gifts["campaign_id"].to_numpy(dtype=object) == campaign_id]
    donors = gifts["person"].to_numpy(np.int64)
    tally = _tally(g, gifts, donors, len(g.persons))
    last_day = np.full(len(g.persons), np.iinfo(np.int64).min)
    np.maximum.at(last_day, donors, gifts["date"].to_numpy(dtype="datetime64[ns]").view(np.int64))
    ranked = _top(tally.units, np.flatnonzero(tally.gifts > 0), g.persons, len(g.persons))
    contacts = _contacts(people, list(g.persons[ranked]))
    return pd.DataFrame({
        "person_id": objects(g.persons[ranked]),
        "name": objects(contacts["name"]),
        "email": objects(contacts["email"]),
        "total": objects([g.money(u) for u in tally.units[ranked]]),
        "gifts": tally.gifts[ranked],
        "last_gift_date": last_day.view("datetime64[ns]")[ranked],
    })


# ---------------------------------------------------------------------- the dashboard


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


def campaigns_in(progress: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The campaigns of `campaign_progress` that ran during `period` (an undated campaign
    counts as running), in the same order."""
    starts, ends = progress["start_date"], progress["end_date"]
    first = pd.Timestamp(period.start)
    last = pd.Timestamp(period.end)
    running = (starts.isna() | (starts <= last)) & (ends.isna() | (ends >= first))
    return progress[running.to_numpy()].reset_index(drop=True)


@dataclass(frozen=True)
class Dashboard:
    """Everything the fundraising dashboard shows, worked out once from one `Giving`: this
    year to date against last year to the same day, and this year's tables (see each
    function for its columns). `campaigns` holds the campaigns running this year."""

    giving: Giving
    year_to_date: YearToDate
    retention: pd.DataFrame
    monthly: pd.DataFrame
    campaigns: pd.DataFrame
    by_fund: pd.DataFrame
    by_method: pd.DataFrame
    levels: pd.DataFrame
    top_donors: pd.DataFrame
    gains_losses: pd.DataFrame
    lybunt: pd.DataFrame
    sybunt: pd.DataFrame


def dashboard(
    g: Giving,
    people: pd.DataFrame,
    campaigns: pd.DataFrame,
    tops: Sequence[Decimal] = FEP_LEVELS,
    currency: str = "$",
    top: int = 25,
) -> Dashboard:
    """The dashboard's numbers for `g`'s as-of date and years."""
    return Dashboard(
        giving=g,
        year_to_date=year_to_date(g),
        retention=retention_table(retention(g)),
        monthly=monthly_totals(g),
        campaigns=campaigns_in(campaign_progress(g, campaigns), g.period(g.this_year)),
        by_fund=giving_by_fund(g),
        by_method=giving_by_method(g),
        levels=giving_levels(g, tops, currency=currency),
        top_donors=top_donors(g, people, limit=top),
        gains_losses=gains_losses(g),
        lybunt=lybunt(g, people),
        sybunt=sybunt(g, people),
    )


# ------------------------------------------------------------------ lists for the pages


def _days(dates: pd.Series) -> pd.Series:
    """A datetime64 column as dates, a blank as None (not NaT): what a table shows."""
    return objects([None if pd.isna(d) else d.date() for d in dates])


def _names_of(people: pd.DataFrame, ids: Sequence[str]) -> pd.Series:
    """Each id's display name (a missing person's id in brackets), in the order of `ids`."""
    unique = list(dict.fromkeys(str(i) for i in ids))
    names = _contacts(people, unique)["name"]
    return pd.Series(names.reindex(list(ids)).to_numpy(), dtype=object)


def standing_gifts(schedules: pd.DataFrame, people: pd.DataFrame, as_of: date,
                   lapse_days: int, close_days: int) -> pd.DataFrame:
    """Every standing gift with its donor's name, how many days it is past due on `as_of`
    and the status the lapse rule gives it (`should_be`). Columns id, donor, amount,
    frequency, next_date, days_past_due, status, should_be, fund."""
    due = schedules["next_date"]
    late = (pd.Timestamp(as_of) - due).dt.days
    return pd.DataFrame({
        "id": objects(schedules["id"].to_numpy()),
        "donor": _names_of(people, list(schedules["person_id"])),
        "amount": objects(schedules["amount"].to_numpy()),
        "frequency": objects(schedules["frequency"].to_numpy()),
        "next_date": _days(due),
        "days_past_due": late.clip(lower=0).fillna(0).astype(np.int64).to_numpy(),
        "status": objects(schedules["status"].to_numpy()),
        "should_be": objects([schedule_status(row, as_of, lapse_days, close_days) for row in
                              cast(list[dict[str, Any]], schedules.to_dict("records"))]),
        "fund": objects(schedules["fund"].to_numpy()),
    })


def thank_you_list(gifts: pd.DataFrame, people: pd.DataFrame,
                   campaigns: pd.DataFrame) -> pd.DataFrame:
    """Gifts (a donations frame, such as `rules.gifts.awaiting_thanks` gives) one
    line each for writing thank-yous: columns id, date, donor, amount, kind, campaign,
    tribute."""
    titles = dict(zip(campaigns["id"], campaigns["name"], strict=False))
    return pd.DataFrame({
        "id": objects(gifts["id"].to_numpy()),
        "date": _days(gifts["date"]),
        "donor": _names_of(people, list(gifts["person_id"])),
        "amount": objects(gifts["amount"].to_numpy()),
        "kind": objects(gifts["kind"].to_numpy()),
        "campaign": objects([titles.get(c, "") for c in gifts["campaign_id"]]),
        "tribute": objects([f"{t} of {n}" if t and n else "" for t, n in
                            zip(gifts["tribute_type"], gifts["tribute_name"], strict=True)]),
    })
