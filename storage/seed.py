"""Filling a store: the schema, then the demo organisation, each tab in one append."""

from __future__ import annotations

from demo import DemoSize, demo_workbook
from sheets_schema import TABS

from .base import ChangeSet, Store

__all__ = ["is_empty", "load_demo"]


def is_empty(store: Store) -> bool:
    """True when the store has no people, no donations and no settings yet (a fresh file)."""
    raw = store.read(["people", "donations", "settings"])
    return all(frame.empty for frame in raw.values())


def load_demo(store: Store, size: DemoSize | None = None, seed: int = 7) -> dict[str, int]:
    """Create the tabs and append the demo organisation; returns rows added per tab.

    One commit for every tab: on Google Sheets one read of the headers and one write per
    tab's ~2 MB of rows, not one request per row.
    """
    store.ensure_schema()
    workbook = demo_workbook(seed=seed, size=size or DemoSize())
    changes = ChangeSet(as_given=True)
    for name in TABS:
        if workbook.get(name):
            changes.append(name, *workbook[name])
    store.commit(changes)
    return {name: len(workbook.get(name, [])) for name in TABS}
