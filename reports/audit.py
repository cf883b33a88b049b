"""The audit trail, read: filter the log, and one person's history across the tabs.

Pure: the `audit_log` frame in, a frame out, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

__all__ = ["COLUMNS", "filter_log", "person_log"]

COLUMNS = ["at", "user", "action", "tab", "record_id", "before", "after"]


def filter_log(
    log: pd.DataFrame,
    *,
    user: str = "",
    tab: str = "",
    action: str = "",
    record_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """The entries matching every filter given (user and record id match as substrings,
    case-insensitively; `until` includes its whole day), newest first."""
    mask = pd.Series(True, index=log.index)
    if user.strip():
        mask &= log["user"].str.casefold().str.contains(user.strip().casefold(), regex=False)
    if record_id.strip():
        mask &= log["record_id"].str.casefold().str.contains(record_id.strip().casefold(),
                                                             regex=False)
    if tab:
        mask &= log["tab"] == tab
    if action:
        mask &= log["action"] == action
    if since is not None:
        mask &= log["at"] >= pd.Timestamp(since)
    if until is not None:
        mask &= log["at"] < pd.Timestamp(until) + pd.Timedelta(days=1)
    return log.loc[mask, COLUMNS].sort_values("at", ascending=False)


def person_log(log: pd.DataFrame, person_id: str, their_rows: Iterable[str]) -> pd.DataFrame:
    """Every entry about a person: their own row and the rows that are theirs (gifts,
    terms, hours), newest first."""
    ids = {person_id, *their_rows}
    return log.loc[log["record_id"].isin(ids), COLUMNS].sort_values("at", ascending=False)
