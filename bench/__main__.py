"""`python -m bench`: on demo data, count Google Sheets requests (by the emulator) and time
each page's server-side run, cold (nothing cached) and warm (shared cache hit).

    python -m bench                      # default demo size (8,000 donations)
    python -m bench --donations 100000   # the large organisation

Prints a table. Nothing here passes or fails: the numbers go in the issue note.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sheets_schema import TABS
from sheets_schema.demo import DemoSize, demo_workbook
from sheets_schema.workbook import new_id
from storage import RowEdit
from storage.retry import RetryPolicy
from storage.seed import load_demo
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = {
    "People": "pages/people.py",
    "Person": "pages/person.py",
    "Add a person": "pages/add_person.py",
    "Edit many": "pages/bulk_edit.py",
    "Data problems": "pages/data_health.py",
}


def _counted(emulator: SheetsEmulator, action: Callable[[], Any]) -> tuple[int, int, float]:
    emulator.reset_counts()
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    return emulator.counts["read"], emulator.counts["write"], elapsed


def _app(store: GoogleSheetsStore, person_id: str) -> Any:
    """The app in AppTest on `store`, run once on its default page (AppTest only knows the
    app's pages after a first run)."""
    from streamlit.testing.v1 import AppTest

    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=300)
    app.session_state[STORE_OVERRIDE] = store
    app.query_params["id"] = person_id
    app.run()
    return app


def _page_run(app: Any, path: str) -> float:
    started = time.perf_counter()
    app.switch_page(path).run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{path} failed: {app.exception[0].message}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--donations", type=int, default=8000)
    args = parser.parse_args()
    size = DemoSize.scaled(donations=args.donations) if args.donations != 8000 else DemoSize()

    emulator = SheetsEmulator()
    sid = emulator.create_spreadsheet("Steward bench", tabs={})
    store = GoogleSheetsStore(emulator.client(), sid, retry=RetryPolicy(sleep=lambda s: None))
    rows: list[tuple[str, str]] = []

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name:<58} {value}", flush=True)

    reads, writes, seconds = _counted(emulator, store.ensure_schema)
    row("ensure_schema on an empty sheet", f"{reads} reads, {writes} writes, {seconds:.2f} s")
    reads, writes, seconds = _counted(emulator, lambda: load_demo(store, size))
    row(f"load demo ({size.donations:,} donations)",
        f"{reads} reads, {writes} writes, {seconds:.2f} s")

    reads, writes, seconds = _counted(emulator, lambda: store.load(tuple(TABS)))
    tracemalloc.start()
    store.load(tuple(TABS))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row(f"cold read of all {len(TABS)} tabs (read + parse, incl. emulator)",
        f"{reads} reads, {writes} writes, {seconds:.2f} s, peak {peak / 2**20:.0f} MiB")

    book = store.load(("people",))
    people = book.frame("people")
    person = people.iloc[len(people) // 2].to_dict()
    person_id = str(person["id"])

    import pages.common.data as data

    for label, path in PAGES.items():
        app = _app(store, person_id)  # a new session for each page
        data.refresh()
        emulator.reset_counts()
        cold = _page_run(app, path)
        cold_reads = emulator.counts["read"]
        emulator.reset_counts()
        warm = _page_run(app, path)
        row(f"page {label}: cold / warm",
            f"{cold_reads} / {emulator.counts['read']} reads, {cold:.2f} s / {warm:.2f} s")

    reads, writes, seconds = _counted(
        emulator, lambda: store.update("people", person_id, {"phone": "+1 617-555-0100"}, person))
    row("save one edited person", f"{reads} reads, {writes} writes, {seconds:.2f} s")

    fresh = store.load(("people",)).frame("people").head(50)
    edits = [RowEdit(str(p["id"]), {"city": "Springfield"}, p) for p in fresh.to_dict("records")]
    reads, writes, seconds = _counted(emulator, lambda: store.update_many("people", edits))
    row("bulk edit of 50 people", f"{reads} reads, {writes} writes, {seconds:.2f} s")

    extra = demo_workbook(seed=99, size=DemoSize.scaled(donations=10_000))["donations"]
    for record in extra:
        record["id"] = new_id("D")
    reads, writes, seconds = _counted(emulator, lambda: store.append("donations", extra))
    row(f"append {len(extra):,} donations", f"{reads} reads, {writes} writes, {seconds:.2f} s")


if __name__ == "__main__":
    main()
