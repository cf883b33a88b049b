"""One donor's giving at a glance, for the person page's Giving tab: totals by year, first,
last and largest gift, and whether they are LYBUNT or SYBUNT.

    donor_view(data.workbook(), person_id, data.today(), book.settings.fiscal_year_start)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import streamlit as st

from pages.common import gift_ui, session
from reports import fundraising as fr
from sheets_schema.workbook import Workbook


def _gift(day: date | None, amount: Decimal | None) -> str:
    return "–" if day is None else f"{gift_ui.money(amount)} on {day:%Y-%m-%d}"


def donor_view(book: Workbook, person_id: str, as_of: date, fiscal_year_start: int) -> None:
    """Render `person_id`'s completed giving up to `as_of`, years starting in month
    `fiscal_year_start`. Shows nothing of it to a role that may not read giving."""
    if not session.user().can("read_giving"):
        st.info("Your role does not show giving.")
        return
    g = gift_ui.giving_of(book, as_of, fiscal_year_start)
    summary = fr.donor_summary(g, person_id)
    if not summary.gifts:
        st.info(f"No completed gifts up to {as_of:%Y-%m-%d}.")
        return
    this, last = g.label(g.this_year), g.label(g.last_year)
    if summary.lybunt:
        st.warning(f"LYBUNT: gave in {last} but not yet in {this}.", icon="⏳")
    elif summary.sybunt:
        st.warning(f"SYBUNT: gave before {last}, but neither in {last} nor in {this}.",
                   icon="💤")
    top = st.columns(3)
    top[0].metric("Given in all", gift_ui.money(summary.total),
                  help="Completed gifts only; pending and refunded gifts are not counted")
    top[1].metric("Gifts", f"{summary.gifts:,}")
    top[2].metric("Years of giving", f"{len(summary.by_year):,}")
    gifts = st.columns(3)
    gifts[0].caption("First gift")
    gifts[0].text(_gift(summary.first_gift_date, summary.first_gift_amount))
    gifts[1].caption("Last gift")
    gifts[1].text(_gift(summary.last_gift_date, summary.last_gift_amount))
    gifts[2].caption("Largest gift")
    gifts[2].text(_gift(summary.largest_gift_date, summary.largest_gift_amount))
    by_year = summary.by_year.sort_values("year", ascending=False)[["label", "total", "gifts"]]
    gift_ui.table(by_year.rename(columns={"label": "year"}), f"donor_years_{person_id}")
