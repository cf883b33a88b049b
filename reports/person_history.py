"""One person's history across the ledgers: their gifts, membership terms and volunteer hours.

Pure: frames in, frames and exact totals out, so the person page, a notebook and a test all
get the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

__all__ = ["PersonHistory", "person_history"]

GIFT_COLUMNS = ["date", "amount", "currency", "campaign_id", "fund", "method", "kind", "status"]
TERM_COLUMNS = ["level_id", "join_date", "start_date", "end_date", "amount", "status_override"]
HOUR_COLUMNS = ["date", "hours", "activity", "campaign_id", "approved"]


@dataclass(frozen=True)
class PersonHistory:
    """Newest first. `given` counts completed gifts only: pending and refunded are not money
    the organisation has."""

    gifts: pd.DataFrame
    completed_gifts: int
    given: Decimal
    terms: pd.DataFrame
    hours: pd.DataFrame
    hours_given: Decimal
    #: The ids of their rows in each ledger: what their audit history is about.
    gift_ids: tuple[str, ...] = ()
    term_ids: tuple[str, ...] = ()
    hour_ids: tuple[str, ...] = ()


def _mine(frame: pd.DataFrame, person_id: str, newest: str) -> pd.DataFrame:
    return frame[frame["person_id"] == person_id].sort_values(newest, ascending=False)


def person_history(
    donations: pd.DataFrame,
    memberships: pd.DataFrame,
    volunteer_hours: pd.DataFrame,
    person_id: str,
) -> PersonHistory:
    """Everything `person_id` gave, joined and volunteered, with exact totals."""
    gifts = _mine(donations, person_id, "date")
    completed = gifts[gifts["status"] == "completed"]
    hours = _mine(volunteer_hours, person_id, "date")
    terms = _mine(memberships, person_id, "start_date")
    return PersonHistory(
        gifts=gifts[GIFT_COLUMNS],
        completed_gifts=len(completed),
        given=sum(completed["amount"].dropna(), start=Decimal(0)),
        terms=terms[TERM_COLUMNS],
        hours=hours[HOUR_COLUMNS],
        hours_given=sum(hours["hours"].dropna(), start=Decimal(0)),
        gift_ids=tuple(gifts["id"]),
        term_ids=tuple(terms["id"]),
        hour_ids=tuple(hours["id"]),
    )


def mail_history(outbox: pd.DataFrame, mailings: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """The appeals and reminders sent (or not) to one person, newest first."""
    mine = outbox[outbox["person_id"] == person_id]
    names = dict(zip(mailings["id"], mailings["name"], strict=True))
    return pd.DataFrame({
        "appeal": mine["mailing_id"].map(lambda m: names.get(m, m)),
        "status": mine["status"],
        "sent_at": mine["sent_at"],
        "email": mine["email"],
        "note": mine["error"],
    }).sort_values("sent_at", ascending=False, na_position="last")
