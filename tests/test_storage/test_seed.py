"""Filling a store with the demo: built for the demo organisation's today unless a day is
given, and marked so the app can tell demo data from an organisation's own."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from demo import DEMO_KEY, DemoSize
from storage.seed import demo_today, holds_demo, is_empty, load_demo
from storage.sqlite_store import SQLiteStore

SMALL = DemoSize(people=300, donations=1600, memberships=120, volunteers=24)


def test_the_demo_is_built_for_today_where_the_organisation_is(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    before = demo_today()
    load_demo(store, SMALL)
    settings = store.load(["settings"]).frame("settings")
    built = dict(zip(settings["key"], settings["value"], strict=True))[DEMO_KEY]
    assert built in {before.isoformat(), demo_today().isoformat()}
    assert holds_demo(settings)


def test_a_pinned_day_is_kept(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    load_demo(store, SMALL, as_of=date(2026, 11, 1))
    gifts = store.load(["donations"]).frame("donations")
    assert gifts["date"].max() == datetime(2026, 10, 31)


def test_the_demo_day_is_new_york_s_not_the_server_s() -> None:
    assert demo_today(datetime(2026, 12, 5, 3, 0, tzinfo=UTC)) == date(2026, 12, 4)


def test_an_empty_store_is_not_demo_data(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    store.ensure_schema()
    assert is_empty(store)
    assert not holds_demo(store.load(["settings"]).frame("settings"))
    store.append("settings", [{"key": "org_name", "value": "Our club"}])
    assert not holds_demo(store.load(["settings"]).frame("settings"))
