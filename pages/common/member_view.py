"""One person's memberships, for the person page's Memberships tab: their status, since
when, the next renewal, every term as a timeline (gaps show as gaps) and as a table."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.common import columns, downloads, session
from reports.member_summary import member_summary
from reports.membership_charts import term_timeline
from rules.membership_terms import Status
from sheets_schema.workbook import Workbook

__all__ = ["member_view"]


def member_view(book: Workbook, person_id: str, as_of: date) -> None:
    """Render `person_id`'s memberships on `as_of`. Amounts show only to roles that may
    read giving (the workbook has them blank for the others anyway)."""
    person = book.row("people", person_id)
    summary = member_summary(book.frame("memberships"), book.frame("membership_levels"),
                             person_id, bool(person is not None and person["deceased"]), as_of,
                             book.settings.grace_days)
    if summary.terms.empty:
        st.info("No membership terms.")
        return
    status, since, renewal = st.columns(3)
    status.metric("Status", summary.status.value if summary.status else "—")
    since.metric("Member since", f"{summary.member_since:%Y-%m-%d}"
                 if summary.member_since else "—")
    if summary.next_renewal is not None:
        lapsed = summary.status == Status.EXPIRED
        renewal.metric("Renewal was due" if lapsed else "Next renewal",
                       f"{summary.next_renewal:%Y-%m-%d}")
    else:
        lifetime = summary.status not in {Status.CANCELLED, Status.DECEASED, None}
        renewal.metric("Next renewal", "never (lifetime)" if lifetime else "—")
    downloads.chart(term_timeline(summary.terms, as_of), key=f"member_timeline_{person_id}")
    terms = summary.terms
    if not session.user().can("read_giving"):
        terms = terms.drop(columns=["amount", "donation_id"])
    columns.table(terms, f"member_terms_{person_id}")
