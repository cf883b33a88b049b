"""The fundraising dashboard's numbers, worked out once from one `Giving`: every table the
page shows (`Dashboard`), each from the report that defines it; `reports.charts` draws them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from sheets_schema.settings import FEP_LEVELS

from .campaigns import campaign_progress, campaigns_in
from .fundraising import (
    YearToDate,
    gains_losses,
    lybunt,
    monthly_totals,
    retention,
    retention_table,
    sybunt,
    year_to_date,
)
from .giving_breakdown import giving_by_fund, giving_by_method, giving_levels, top_donors
from .ledger import Giving

__all__ = [
    "Dashboard",
    "dashboard",
]


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
