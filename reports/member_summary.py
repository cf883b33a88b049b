"""One person's membership on a day: every term with the status it alone gives, the status
their terms give together, when they joined and when the next renewal is due, by the rules
of `rules.membership_terms` (the Person page's membership part)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from rules.membership_terms import (
    DEFAULT_GRACE_DAYS,
    MembershipError,
    Status,
    latest_term,
    membership_status,
    person_status,
)
from sheets_schema.cells import is_blank

__all__ = ["TERM_COLUMNS", "MemberSummary", "member_summary"]

#: One person's terms, as `member_summary` lists them.
TERM_COLUMNS = [
    "term_id", "level_id", "level_name", "join_date", "start_date", "end_date", "amount",
    "status", "status_override", "auto_renew", "donation_id",
]


@dataclass(frozen=True)
class MemberSummary:
    """One person's membership on a day: every term oldest first (`TERM_COLUMNS`, each
    with the status it alone gives), the status their terms give together (None without a
    usable term), when they joined, and when the next renewal is due (None for lifetime,
    cancelled or deceased members, and for people with no term)."""

    terms: pd.DataFrame
    status: Status | None
    member_since: date | None
    next_renewal: date | None


def _when(value: Any) -> date | None:
    return None if is_blank(value) else pd.Timestamp(value).date()


def member_summary(
    memberships: pd.DataFrame,
    levels: pd.DataFrame,
    person_id: str,
    deceased: bool,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> MemberSummary:
    """`person_id`'s terms and standing on `as_of`, by the rules of `membership_terms`.

    A term that cannot give a status (no start and no join date) is listed with a blank
    status. The next renewal is the day after the newest term ends: ahead for a member,
    past for someone Expired (when they should have renewed).
    """
    mine = memberships[memberships["person_id"] == person_id]
    records = mine.to_dict("records")
    names = dict(zip(levels["id"], levels["name"], strict=False))
    statuses = []
    for record in records:
        try:
            statuses.append(membership_status(record, deceased, as_of, grace_days).value)
        except MembershipError:
            statuses.append("")
    terms = pd.DataFrame({
        "term_id": mine["id"], "level_id": mine["level_id"],
        "level_name": mine["level_id"].map(names).fillna(""),
        "join_date": mine["join_date"], "start_date": mine["start_date"],
        "end_date": mine["end_date"], "amount": mine["amount"],
        "status": pd.Series(statuses, index=mine.index, dtype=object),
        "status_override": mine["status_override"], "auto_renew": mine["auto_renew"],
        "donation_id": mine["donation_id"],
    }, columns=TERM_COLUMNS)
    order = terms["start_date"].fillna(terms["join_date"])
    terms = terms.assign(_order=order).sort_values("_order", kind="stable").drop(
        columns="_order").reset_index(drop=True)
    newest = latest_term(records)
    if newest is None:
        return MemberSummary(terms, None, None, None)
    status = person_status(records, deceased, as_of, grace_days)
    joined = [day for day in map(_when, mine["join_date"]) if day is not None]
    end = _when(newest.get("end_date"))
    final = status in {Status.CANCELLED, Status.DECEASED}
    renewal = None if end is None or final else end + timedelta(days=1)
    return MemberSummary(terms, status, min(joined) if joined else None, renewal)
