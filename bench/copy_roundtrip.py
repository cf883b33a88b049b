"""`python -m bench.copy_roundtrip`: time a SQLite -> Google Sheets -> SQLite round trip of
the demo with `storage.copy.copy_store`, and count the Sheets requests (by the emulator).

    python -m bench.copy_roundtrip                      # default demo (8,000 donations)
    python -m bench.copy_roundtrip --donations 100000   # the large organisation
    python -m bench.copy_roundtrip --donations 100000 --postgres
        # then Sheet -> PostgreSQL -> a second Sheet, on a local server the tests' helper
        # starts, and the two sheets' tabs compared cell by cell after parsing

Prints one line per leg. Nothing here passes or fails: the numbers go in the issue note.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from demo import DEFAULT_AS_OF, DemoSize
from storage.copy import copy_store
from storage.seed import load_demo
from storage.sheets_store import GoogleSheetsStore
from storage.sqlite_store import SQLiteStore
from tests.emulator import SheetsEmulator


def _time_serving(emulator: SheetsEmulator) -> list[float]:
    """Add up the time the emulator spends answering (Google's share, not Steward's)."""
    total = [0.0]
    serve = emulator.serve

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return serve(*args, **kwargs)
        finally:
            total[0] += time.perf_counter() - started

    emulator.serve = timed  # type: ignore[method-assign]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.copy_roundtrip")
    parser.add_argument("--donations", type=int, default=DemoSize().donations)
    parser.add_argument("--postgres", action="store_true",
                        help="also copy the sheet to PostgreSQL and back to a new sheet")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="steward-copy-"))
    source = SQLiteStore(folder / "source.sqlite3")
    started = time.perf_counter()
    load_demo(source, DemoSize.scaled(donations=args.donations), as_of=DEFAULT_AS_OF)
    print(f"demo of {args.donations:,} donations in SQLite: {time.perf_counter() - started:.1f} s")

    emulator = SheetsEmulator()
    served = _time_serving(emulator)
    sheet = GoogleSheetsStore(emulator.client(), emulator.create_spreadsheet("Steward", tabs={}))
    back = SQLiteStore(folder / "back.sqlite3")
    for label, src, dst in (("SQLite -> Sheets", source, sheet), ("Sheets -> SQLite", sheet, back)):
        emulator.reset_counts()
        served[0] = 0.0
        report = copy_store(src, dst)
        print(f"{label}: {report.rows:,} rows, {report.seconds:.1f} s (the emulator serving: "
              f"{served[0]:.1f} s), "
              f"{emulator.counts['read']} reads + {emulator.counts['write']} writes "
              f"({dict((k, v) for k, v in emulator.counts.items() if '.' in k)}), "
              f"{'every tab matches' if report.ok else report.problem()}")
    emulator.reset_counts()
    report = copy_store(source, sheet, overwrite=True)
    print(f"SQLite -> Sheets --overwrite: {report.seconds:.1f} s, {emulator.counts['read']} "
          f"reads + {emulator.counts['write']} writes, "
          f"{'every tab matches' if report.ok else report.problem()}")
    same = [t.tab for t in report.tabs]
    first = {t.tab: t.source_checksum for t in copy_store(back, SQLiteStore(
        folder / "again.sqlite3")).tabs}
    print("round trip identical:", all(first[t.tab] == t.source_checksum for t in report.tabs),
          f"({len(same)} tabs)")
    if args.postgres:
        _via_postgres(emulator, sheet)


def _via_postgres(emulator: SheetsEmulator, sheet: GoogleSheetsStore) -> None:
    """Sheet -> PostgreSQL -> a new Sheet, and every tab of the two sheets compared: the
    same rows, the same typed values, the same row problems."""
    from storage.postgres_store import PostgresStore
    from tests.postgres_server import start_server

    server = start_server()
    try:
        database = PostgresStore(server.create_database())
        again = GoogleSheetsStore(emulator.client(),
                                  emulator.create_spreadsheet("Steward again", tabs={}))
        for label, src, dst in (("Sheets -> PostgreSQL", sheet, database),
                                ("PostgreSQL -> Sheets", database, again)):
            emulator.reset_counts()
            report = copy_store(src, dst)
            print(f"{label}: {report.rows:,} rows, {report.seconds:.1f} s, "
                  f"{emulator.counts['read']} reads + {emulator.counts['write']} writes, "
                  f"{'every tab matches' if report.ok else report.problem()}")
        before, after = sheet.load(), again.load()
        differing = [name for name in before.tabs
                     if not before.frame(name).reset_index(drop=True).equals(
                         after.frame(name).reset_index(drop=True))
                     or [vars(p) for p in before.tabs[name].problems]
                     != [vars(p) for p in after.tabs[name].problems]]
        listed = f"; differ: {', '.join(differing)}" if differing else ""
        print(f"Sheet -> PostgreSQL -> Sheet identical: {not differing} "
              f"({len(before.tabs)} tabs{listed})")
        database.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
