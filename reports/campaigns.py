"""One campaign's numbers: each campaign against its goal, the campaigns that ran in a period,
and a campaign's gifts, donors and donor ids (for a thank-you mailing).

Completed gifts up to the as-of date carrying the campaign's id count, whenever they came in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fiscal import Period
from .ledger import Giving, objects, ratio
from .tally import donor_contacts, tally_by, top_ranked

__all__ = [
    "campaign_donor_ids",
    "campaign_donors",
    "campaign_gifts",
    "campaign_progress",
    "campaigns_in",
]


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
    tally = tally_by(g, g.gifts[tagged], which[tagged], len(ids))
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


def campaigns_in(progress: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The campaigns of `campaign_progress` that ran during `period` (an undated campaign
    counts as running), in the same order."""
    starts, ends = progress["start_date"], progress["end_date"]
    first = pd.Timestamp(period.start)
    last = pd.Timestamp(period.end)
    running = (starts.isna() | (starts <= last)) & (ends.isna() | (ends >= first))
    return progress[running.to_numpy()].reset_index(drop=True)


def campaign_gifts(g: Giving, people: pd.DataFrame, campaign_id: str) -> pd.DataFrame:
    """The completed gifts to `campaign_id`, newest first: columns id, date, person_id,
    name, amount, fund, method."""
    gifts = g.gifts[g.gifts["campaign_id"].to_numpy(dtype=object) == campaign_id]
    gifts = gifts.sort_values(["date", "id"], ascending=False, kind="stable")
    ids = list(gifts["person_id"])
    names = donor_contacts(people, list(dict.fromkeys(ids)))["name"]
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
    tally = tally_by(g, gifts, donors, len(g.persons))
    last_day = np.full(len(g.persons), np.iinfo(np.int64).min)
    np.maximum.at(last_day, donors, gifts["date"].to_numpy(dtype="datetime64[ns]").view(np.int64))
    ranked = top_ranked(tally.units, np.flatnonzero(tally.gifts > 0), g.persons, len(g.persons))
    contacts = donor_contacts(people, list(g.persons[ranked]))
    return pd.DataFrame({
        "person_id": objects(g.persons[ranked]),
        "name": objects(contacts["name"]),
        "email": objects(contacts["email"]),
        "total": objects([g.money(u) for u in tally.units[ranked]]),
        "gifts": tally.gifts[ranked],
        "last_gift_date": last_day.view("datetime64[ns]")[ranked],
    })


def campaign_donor_ids(g: Giving, campaign_id: str) -> list[str]:
    """The people with a completed gift to `campaign_id` up to the as-of date, sorted."""
    gifts = g.gifts[g.gifts["campaign_id"].to_numpy(dtype=object) == campaign_id]
    return sorted(set(gifts["person_id"]))
