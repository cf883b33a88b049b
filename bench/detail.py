"""`python -m bench detail` (or `python -m bench`): on demo data, count Google Sheets
requests (by the emulator) and time each page's server-side run, cold (nothing cached) and
warm (shared cache hit).

    python -m bench detail                      # default demo size (8,000 donations)
    python -m bench detail --donations 100000   # the large organisation
    python -m bench detail --donations 100000 --terms 20000

Prints a table. Nothing here passes or fails. `python -m bench report` makes the report
against the peers (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from demo import DEFAULT_AS_OF, DemoSize, demo_workbook
from reports.membership import latest_terms_of, reminder_records, reminders_of
from rules.membership_terms import latest_term, renewal_records
from rules.roles import Role, User
from sheets_schema import TABS
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import new_id
from storage import RowEdit
from storage.retry import RetryPolicy
from storage.seed import load_demo
from storage.sheets_store import GoogleSheetsStore
from storage.signed_in import SignedInStore
from tests.emulator import SheetsEmulator

from .apptest import APP, BENCH_USER, PAGES


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


def _member_view(person_id: str, day: str) -> None:
    from datetime import date

    from pages.common import data
    from pages.common.member_view import member_view

    member_view(data.workbook(), person_id, date.fromisoformat(day))


def _member_view_app(store: GoogleSheetsStore, person_id: str) -> Any:
    """The person page's Memberships tab on its own (the page wires it in)."""
    from streamlit.testing.v1 import AppTest

    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_function(_member_view, args=(person_id, DEFAULT_AS_OF.isoformat()),
                                default_timeout=300)
    app.session_state[STORE_OVERRIDE] = store
    app.session_state["steward_user"] = BENCH_USER
    return app


def _timed_run(app: Any) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"member view failed: {app.exception[0].message}")
    return elapsed


def _membership_actions(store: GoogleSheetsStore, emulator: SheetsEmulator,
                        row: Callable[[str, str], None]) -> None:
    """Record a renewal (term, gift and audit rows) and hand out the day's reminders, as the
    renewals page does."""
    signed = SignedInStore(store, BENCH_USER)
    book = store.load(tuple(TABS))
    latest = latest_terms_of(book, DEFAULT_AS_OF)
    member = latest[latest["status"] == "Grace"].iloc[0]
    terms = book.frame("memberships")
    last = latest_term(terms[terms["person_id"] == member["person_id"]].to_dict("records"))
    level = book.row("membership_levels", member["level_id"])
    new = renewal_records(member["person_id"], level.to_dict(), last, DEFAULT_AS_OF, None,
                          "cheque", datetime.now())
    reads, writes, seconds = _counted(emulator, lambda: signed.commit(new.changes()))
    row("record a renewal (term + gift + 2 audit rows)",
        f"{reads} reads, {writes} writes, {seconds:.2f} s")
    # The demo has handed out its reminders up to two days before the day it was built for;
    # a fortnight later, the ones due since are there to hand out.
    due = reminders_of(book, DEFAULT_AS_OF + timedelta(days=14))
    handed = ChangeSet().append("reminders", *reminder_records(due, datetime.now(), "bench"))
    reads, writes, seconds = _counted(emulator, lambda: signed.commit(handed))
    row(f"hand out {len(due):,} reminders", f"{reads} reads, {writes} writes, {seconds:.2f} s")


def _giving_actions(store: GoogleSheetsStore, emulator: SheetsEmulator, person_id: str,
                    row: Callable[[str, str], None]) -> None:
    """One campaign's page, the dashboard in a second session (what a second director
    pays), and a volunteer's deposit batch of 200 gifts saved as the batch page does."""
    import pages.common.data as data
    from rules.gifts import check_batch

    for label, path, query in (("Campaign (?id=C01)", "pages/campaign.py", "C01"),
                               ("Fundraising, second session", "pages/fundraising.py", "")):
        app = _app(store, person_id)
        app.query_params["id"] = query or person_id
        if query:
            data.refresh()
        row(f"page {label}: first / next run",
            _cold_warm(emulator, partial(_page_run, app, path)))

    people = store.load(("people",)).frame("people")
    ids = [str(i) for i in people["id"].head(200)]
    lines = [{"person_id": pid, "amount": f"{n % 90 + 10}.25", "method": "cheque",
              "reference": f"{1000 + n}"} for n, pid in enumerate(ids)]
    control = sum(n % 90 + 10.25 for n in range(len(ids)))
    checked = check_batch(lines, f"{control:.2f}", deposit_date=DEFAULT_AS_OF,
                          today=DEFAULT_AS_OF, now=datetime.now(), people_ids=set(ids),
                          batch_id=new_id("B"))
    volunteer = SignedInStore(store, User("volunteer@example.org", Role.VOLUNTEER))
    reads, writes, seconds = _counted(emulator, lambda: volunteer.commit(checked.changes()))
    row(f"save a batch of {len(checked.gifts)} gifts (+1 audit row)",
        f"{reads} reads, {writes} writes, {seconds:.2f} s")


def _cold_warm(emulator: SheetsEmulator, run: Callable[[], float]) -> str:
    """Reads and seconds of a page's first run and of the run after it (cache warm)."""
    emulator.reset_counts()
    cold = run()
    cold_reads = emulator.counts["read"]
    emulator.reset_counts()
    warm = run()
    return f"{cold_reads} / {emulator.counts['read']} reads, {cold:.2f} s / {warm:.2f} s"


def _page_run(app: Any, path: str) -> float:
    started = time.perf_counter()
    app.switch_page(path).run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{path} failed: {app.exception[0].message}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench detail",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--donations", type=int, default=8000)
    parser.add_argument("--terms", type=int, default=0,
                        help="membership terms (default: in proportion to the donations)")
    args = parser.parse_args(argv)
    size = DemoSize.scaled(donations=args.donations) if args.donations != 8000 else DemoSize()
    if args.terms:
        size = replace(size, memberships=args.terms)

    emulator = SheetsEmulator()
    sid = emulator.create_spreadsheet("Steward bench", tabs={})
    store = GoogleSheetsStore(emulator.client(), sid, retry=RetryPolicy(sleep=lambda s: None))
    rows: list[tuple[str, str]] = []

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name:<58} {value}", flush=True)

    reads, writes, seconds = _counted(emulator, store.ensure_schema)
    row("ensure_schema on an empty sheet", f"{reads} reads, {writes} writes, {seconds:.2f} s")
    reads, writes, seconds = _counted(emulator, lambda: load_demo(store, size, as_of=DEFAULT_AS_OF))
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
        row(f"page {label}: cold / warm", _cold_warm(emulator, partial(_page_run, app, path)))

    terms = store.load(("memberships",)).frame("memberships")
    member_id = str(terms["person_id"].value_counts().index[0])  # the longest history
    app = _member_view_app(store, member_id)
    data.refresh()
    row("member view (person page, Memberships tab): cold / warm",
        _cold_warm(emulator, lambda: _timed_run(app)))

    _membership_actions(store, emulator, row)
    _giving_actions(store, emulator, person_id, row)

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
