"""Where this year's money comes from: dollars, gifts and donors by fund, payment method or
campaign tag, the top donors, and the giving pyramid (donors banded by their year's total).

Each takes a `Giving` (`reports.ledger.giving`) and a period (default: this year to date);
money comes back as `Decimal`, as in `reports.fundraising`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from sheets_schema.settings import FEP_LEVELS

from .fiscal import Period
from .ledger import INT64_LIMIT, Giving, objects
from .tally import biggest_first, donor_contacts, tally_by, top_ranked

__all__ = [
    "giving_by",
    "giving_by_fund",
    "giving_by_method",
    "giving_levels",
    "level_labels",
    "top_donors",
]


# ------------------------------------------------------------- where money comes from


def _in_period(g: Giving, period: Period | None) -> pd.DataFrame:
    period = g.calendar.to_date(g.as_of) if period is None else period
    return g.gifts[period.mask(g.gifts["date"])]


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
    tally = tally_by(g, gifts, groups.astype(np.intp), len(names))
    order = biggest_first(tally.units, names)
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


def top_donors(
    g: Giving, people: pd.DataFrame, period: Period | None = None, limit: int = 10
) -> pd.DataFrame:
    """The `limit` people who gave most in `period` (default: this year to date), ties by
    person_id. Columns person_id, name, first_name, last_name, organization, email, total,
    gifts, last_gift_date."""
    gifts = _in_period(g, period)
    donors = gifts["person"].to_numpy(np.int64)
    tally = tally_by(g, gifts, donors, len(g.persons))
    last_day = np.full(len(g.persons), np.iinfo(np.int64).min)  # NaT would win every max
    np.maximum.at(last_day, donors, gifts["date"].to_numpy(dtype="datetime64[ns]").view(np.int64))
    last_date = last_day.view("datetime64[ns]")
    top = top_ranked(tally.units, np.flatnonzero(tally.gifts > 0), g.persons, limit)
    contacts = donor_contacts(people, list(g.persons[top]))
    return pd.DataFrame({
        "person_id": objects(g.persons[top]),
        **{c: objects(contacts[c]) for c in
           ("name", "first_name", "last_name", "organization", "email")},
        "total": objects([g.money(u) for u in tally.units[top]]),
        "gifts": tally.gifts[top],
        "last_gift_date": last_date[top],
    })


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
