"""An import on every backend: exactly the good rows land, once, and the undo removes exactly
those; on Google Sheets, 10,000 rows take at most 4 write requests (its intent, its rows, and
its record with the intent's removal)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from importing.files import read_source
from importing.mapping import IMPORT_KINDS, suggest_mapping
from importing.plan import ImportPlan, plan_import
from importing.undo import undo_import
from storage import Store
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator

NOW = datetime(2026, 12, 2, 9, 30)


def _gifts_file(rows: int, bad_every: int = 0) -> bytes:
    lines = ["Date,Name,From Email Address,Gross,Transaction ID,Note"]
    for n in range(rows):
        amount = "12O.00" if bad_every and n % bad_every == 0 else f"{10 + n % 90}.50"
        lines.append(f"2026-0{1 + n % 9}-1{n % 9},Donor {n // 3},donor{n // 3}@example.org,"
                     f"{amount},TX-{n:05d},=HYPERLINK(\"x\") {n}")
    return ("\n".join(lines) + "\n").encode()


def _plan(store: Store, data: bytes) -> ImportPlan:
    kind = IMPORT_KINDS["donations"]
    source = read_source(data, "gifts.csv")
    return plan_import(source, kind, suggest_mapping(kind, source.headers), store.load(),
                       now=NOW)


def test_mixed_rows_land_exactly_once_and_undo_removes_exactly_them(store: Store) -> None:
    store.append("people", [{"id": "P1", "first_name": "Ann", "email": "donor0@example.org"}])
    store.append("donations", [{"id": "D1", "person_id": "P1", "date": date(2025, 1, 1),
                                "amount": "5.00"}])
    before = store.load()
    plan = _plan(store, _gifts_file(30, bad_every=4))
    counts = plan.counts()
    assert (counts["add"], counts["invalid"]) == (22, 8)
    store.commit(plan.changes(NOW, "staff@example.org"))
    book = store.load()
    gifts = book.frame("donations")
    mine = gifts[gifts["import_id"] == plan.import_id]
    assert sorted(mine["reference"]) == sorted(r.record["reference"] for r in plan.to_add
                                               if r.record)
    assert mine["note"].str.startswith("=HYPERLINK(").all()  # stored as text, never run
    assert len(book.frame("people")) == 1 + plan.people_added
    store.commit(undo_import(book, plan.import_id, now=NOW, user="staff@example.org"))
    after = store.load()
    for name in ("people", "donations"):
        assert after.frame(name).reset_index(drop=True).equals(
            before.frame(name).reset_index(drop=True))


@pytest.mark.parametrize("rows", [10_000])
def test_ten_thousand_rows_on_google_sheets_take_at_most_four_writes(
    emulator: SheetsEmulator, sheets_store: GoogleSheetsStore, rows: int
) -> None:
    sheets_store.ensure_schema()
    plan = _plan(sheets_store, _gifts_file(rows))
    assert len(plan.to_add) == rows and plan.people_added == rows // 3 + 1
    emulator.reset_counts()
    sheets_store.commit(plan.changes(NOW, "staff@example.org"))
    assert emulator.counts["write"] <= 4 and emulator.counts["read"] == 1
    book = sheets_store.load()
    assert (book.frame("donations")["import_id"] == plan.import_id).sum() == rows

    emulator.reset_counts()
    sheets_store.commit(undo_import(book, plan.import_id, now=NOW, user="staff@example.org"))
    assert (emulator.counts["read"], emulator.counts["write"]) == (1, 1)
    assert sheets_store.load().frame("donations").empty
