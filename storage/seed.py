"""Filling a store: the schema, then the demo organisation, each tab in one append."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from demo import DEMO_KEY, TIME_ZONE, DemoSize, demo_workbook
from sheets_schema import TABS

from .base import ChangeSet, Store

__all__ = ["demo_today", "holds_demo", "is_empty", "load_demo"]


def is_empty(store: Store) -> bool:
    """True when the store has no people, no donations and no settings yet (a fresh file)."""
    raw = store.read(["people", "donations", "settings"])
    return all(frame.empty for frame in raw.values())


def demo_today(now: datetime | None = None) -> date:
    """Today where the demo organisation is (its settings' time zone), the day a demo made
    now is built for."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(TIME_ZONE)).date()


def holds_demo(settings: pd.DataFrame) -> bool:
    """Whether a `settings` frame (columns key, value) is the demo organisation's: the demo
    writes its `DEMO_KEY`; an organisation's own data never has it."""
    return bool(settings["key"].astype(str).str.strip().eq(DEMO_KEY).any())


def load_demo(store: Store, size: DemoSize | None = None, seed: int = 7,
              as_of: date | None = None) -> dict[str, int]:
    """Create the tabs and append the demo organisation built for `as_of` (default: the
    demo organisation's today, so its giving runs up to yesterday and its renewals fall
    due from today); returns rows added per tab. Tests and the bench pin `as_of`.

    One commit for every tab: on Google Sheets one read of the headers and one write per
    tab's ~2 MB of rows, not one request per row.
    """
    store.ensure_schema()
    workbook = demo_workbook(seed=seed, size=size or DemoSize(), as_of=as_of or demo_today())
    changes = ChangeSet(as_given=True)
    for name in TABS:
        if workbook.get(name):
            changes.append(name, *workbook[name])
    store.commit(changes)
    return {name: len(workbook.get(name, [])) for name in TABS}
