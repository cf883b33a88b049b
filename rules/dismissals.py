""""Not a duplicate": pairs of people staff judged to be two people, kept in
`duplicate_dismissals` so the Duplicates page stops listing them.

A pair is the same pair in either order. Dismissing adds one row (who, when); restoring
deletes it, with `seen` as read, so the pair is listed again. Both go through the store as
one commit each and are audited like any write.

    >>> pair_of("P2", "P1")
    ('P1', 'P2')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np
import pandas as pd

from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook, new_id

__all__ = ["DismissalRefused", "dismiss_changes", "dismissed_pairs", "pair_of",
           "restore_changes", "without_dismissed"]


class DismissalRefused(ValueError):
    """A dismissal or restore that must not be written, and why."""


def pair_of(a: str, b: str) -> tuple[str, str]:
    """A pair of person ids in one order, whichever way round it was found."""
    return (a, b) if a <= b else (b, a)


def dismissed_pairs(dismissals: pd.DataFrame) -> set[tuple[str, str]]:
    """Every pair in the `duplicate_dismissals` frame."""
    if dismissals.empty:
        return set()
    return {pair_of(str(a), str(b)) for a, b in
            zip(dismissals["person_id"], dismissals["other_person_id"], strict=True)}


def without_dismissed(found: pd.DataFrame, dismissals: pd.DataFrame) -> pd.DataFrame:
    """The likely pairs of `find_duplicates` (columns `a`, `b`) less those dismissed."""
    gone = dismissed_pairs(dismissals)
    if not gone or found.empty:
        return found
    keep = np.array([pair_of(str(a), str(b)) not in gone
                     for a, b in zip(found["a"], found["b"], strict=True)], dtype=bool)
    return found[keep].reset_index(drop=True)


def dismiss_changes(book: Workbook, a: str, b: str, by: str, now: datetime) -> ChangeSet:
    """One new `duplicate_dismissals` row saying `a` and `b` are two people. Raises
    DismissalRefused for a pair that is dismissed already or is one person twice."""
    if a == b:
        raise DismissalRefused("A person is always the same person as themselves.")
    first, second = pair_of(a, b)
    if (first, second) in dismissed_pairs(book.frame("duplicate_dismissals")):
        raise DismissalRefused(f"{first} and {second} are marked as not a duplicate already.")
    return ChangeSet().append("duplicate_dismissals", {
        "id": new_id("DD"), "person_id": first, "other_person_id": second,
        "dismissed_by": by, "dismissed_at": now})


def restore_changes(book: Workbook, ids: Iterable[str]) -> ChangeSet:
    """Delete the dismissals `ids` (each with `seen` as read), so their pairs are listed
    again. Raises DismissalRefused for an id that is not there."""
    changes = ChangeSet()
    for key in ids:
        row = book.row("duplicate_dismissals", key)
        if row is None:
            raise DismissalRefused(f"There is no dismissal {key} any more; refresh the page.")
        changes.delete("duplicate_dismissals", key,
                       {str(c): v.item() if isinstance(v, np.generic) else v
                        for c, v in row.items()})
    if not changes:
        raise DismissalRefused("Pick at least one pair to list again.")
    return changes
