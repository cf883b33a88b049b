"""The pieces every gift table is built from: gifts summed per group with numpy alone, the
donors who gave most, biggest first, and donors' names and addresses for a list.

Shared by `reports.fundraising`, `reports.giving_breakdown`, `reports.campaigns` and
`reports.gift_lists`; each takes a `Giving` or a people frame and returns arrays or a frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rules.people import display_name

from .ledger import Giving, objects

__all__ = [
    "Tally",
    "biggest_first",
    "donor_contacts",
    "tally_by",
    "top_ranked",
]


@dataclass(frozen=True)
class Tally:
    """Units, gifts and distinct donors per group, for groups numbered 0..n-1."""

    units: np.ndarray
    gifts: np.ndarray
    donors: np.ndarray


def tally_by(g: Giving, gifts: pd.DataFrame, groups: np.ndarray, size: int) -> Tally:
    """Sum `gifts` into `size` groups (`groups[i]` is gift i's group) with numpy alone:
    grouping on text would make pandas build arrow strings for every key."""
    units = gifts["units"].to_numpy()
    sums = np.zeros(size, dtype=units.dtype)
    np.add.at(sums, groups, units)
    donors = _distinct_donors(groups, gifts["person"].to_numpy(np.int64), size,
                              max(len(g.persons), 1))
    return Tally(sums, np.bincount(groups, minlength=size), donors)


def _distinct_donors(groups: np.ndarray, persons: np.ndarray, size: int, width: int) -> np.ndarray:
    """How many different donors gave in each group: a group-by-donor table of flags when
    that is small (a dozen funds or months), else the distinct (group, donor) pairs."""
    if size * width <= 2**22:
        seen = np.zeros((size, width), dtype=bool)
        seen[groups, persons] = True
        return seen.sum(axis=1)
    pairs = pd.unique(groups.astype(np.int64) * width + persons)
    return np.bincount(pairs // width, minlength=size)


def biggest_first(units: np.ndarray, names: np.ndarray) -> np.ndarray:
    """The order that puts the largest total first, equal totals by name."""
    order = np.argsort(names, kind="stable")
    return order[np.argsort(-units[order], kind="stable")]


def top_ranked(units: np.ndarray, candidates: np.ndarray, names: np.ndarray,
               limit: int) -> np.ndarray:
    """The `limit` candidates with the most units, biggest first, ties by name; only those
    at or above the limit-th largest total are sorted (a few, out of thousands of donors)."""
    if 0 < limit < len(candidates) and units.dtype != object:
        cut = len(candidates) - limit
        floor = np.partition(units[candidates], cut)[cut]
        candidates = candidates[units[candidates] >= floor]
    ranked = candidates[biggest_first(units[candidates], names[candidates])]
    return ranked[: max(limit, 0)]


def donor_contacts(people: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
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
