"""Lists of gifts for the pages that work through them: every standing gift with what the
lapse rule says of it, the people whose standing gift lapsed (a mailing segment), and the
gifts awaiting a thank-you, one line each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from rules.gifts import schedule_status

from .ledger import objects
from .tally import donor_contacts

__all__ = [
    "lapsed_recurring_ids",
    "standing_gifts",
    "thank_you_list",
]


def _days(dates: pd.Series) -> pd.Series:
    """A datetime64 column as dates, a blank as None (not NaT): what a table shows."""
    return objects([None if pd.isna(d) else d.date() for d in dates])


def _names_of(people: pd.DataFrame, ids: Sequence[str]) -> pd.Series:
    """Each id's display name (a missing person's id in brackets), in the order of `ids`."""
    unique = list(dict.fromkeys(str(i) for i in ids))
    names = donor_contacts(people, unique)["name"]
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
