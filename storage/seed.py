"""Filling a store: the schema, then the demo organisation, each tab in one append."""

from __future__ import annotations

from sheets_schema import TABS
from sheets_schema.demo import DemoSize, demo_workbook

from .base import SchemaReport, Store

__all__ = ["is_empty", "load_demo"]


def is_empty(store: Store) -> bool:
    """True when the store has no people, no donations and no settings yet (a fresh file)."""
    raw = store.read(["people", "donations", "settings"])
    return all(frame.empty for frame in raw.values())


def load_demo(store: Store, size: DemoSize | None = None, seed: int = 7) -> dict[str, int]:
    """Create the tabs and append the demo organisation; returns rows added per tab.

    One append per tab (the Sheets backend splits only past ~2 MB), so loading the default
    demo costs about 30 requests on Google Sheets, not one per row.
    """
    store.ensure_schema()
    workbook = demo_workbook(seed=seed, size=size or DemoSize())
    added = {}
    for name in TABS:
        records = workbook.get(name, [])
        if records:
            store.append(name, records)
        added[name] = len(records)
    return added


def prepare(store: Store) -> SchemaReport:
    """Make sure every tab and column exists (safe to run on every start)."""
    return store.ensure_schema()
