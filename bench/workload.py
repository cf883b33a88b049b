"""The work every contender does, defined once: the demo sheet, the record to save, the
10,000 rows to import, the appeal's recipients and the browsing sessions' schedule.

Steward and naive gspread run it in this process on the same emulator; st-gsheets-connection
gets it as JSON (`Workload.to_json`) in its own virtual environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from demo import DEFAULT_AS_OF, DemoSize, demo_workbook
from sheets_schema import TABS, tab
from sheets_schema.workbook import new_id
from storage.retry import RetryPolicy
from storage.seed import load_demo
from storage.sheets_cells import cell_value
from storage.sheets_store import GoogleSheetsStore

from .meter import Meter

#: A contact correction made on the person page (1 field) and a fuller one (3 fields).
EDITS = {
    "1 field": {"phone": "+1 617-555-0100"},
    "3 fields": {"phone": "+1 617-555-0101", "email": "moved@example.org",
                 "city": "Somerville"},
}
IMPORT_ROWS = 10_000
RECIPIENTS = 1_000
SYNC_EVERY = 100  # Steward brings the sheet's outbox up to date every 100 messages
SESSIONS = 20
MINUTE_S = 60.0
VIEW_EVERY_S = 10.0  # each session opens a page every 10 s of the simulated minute


@dataclass
class Workload:
    """Everything the peers need to repeat Steward's work (JSON-able)."""

    tabs: dict[str, list[list[Any]]]
    page_tabs: dict[str, list[str]] = field(default_factory=dict)
    person_id: str = ""
    person_row: int = 0
    edits: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(EDITS))
    import_rows: list[list[Any]] = field(default_factory=list)
    outbox_rows: list[dict[str, Any]] = field(default_factory=list)
    sent_changes: dict[str, Any] = field(default_factory=dict)
    views: list[tuple[float, int, str]] = field(default_factory=list)
    naive_import_sample: int = 500
    sync_every: int = SYNC_EVERY

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def seeded_store(size: DemoSize) -> tuple[Meter, GoogleSheetsStore]:
    """An emulated Google Sheet holding the demo organisation, and Steward's store on it."""
    meter = Meter()
    sid = meter.emulator.create_spreadsheet("Steward bench", tabs={})
    import gspread

    client = gspread.Client(auth=None, session=meter.session())  # type: ignore[arg-type]
    store = GoogleSheetsStore(client, sid, retry=RetryPolicy(sleep=lambda s: None))
    load_demo(store, size, as_of=DEFAULT_AS_OF)
    return meter, store


def sheet_values(meter: Meter, store: GoogleSheetsStore) -> dict[str, list[list[Any]]]:
    """Every tab as stored (numbers and dates as numbers), to copy the sheet for a peer."""
    return {name: meter.emulator.sheet(store.spreadsheet_id, name).values(
        render="UNFORMATTED_VALUE") for name in TABS}


def import_records(count: int = IMPORT_ROWS, people: Sequence[str] = ()
                   ) -> list[dict[str, Any]]:
    """`count` new donations with fresh ids: the rows of the import file (written out by
    `steward_requests.import_rows`), each for one of `people` (the store's ids) when given."""
    size = replace(DemoSize.scaled(donations=count), bad_rows=False)  # a clean export
    rows = demo_workbook(seed=99, size=size)["donations"][:count]
    for number, record in enumerate(rows, start=1):
        # A payment export's transaction ids are its own: none is in Steward yet.
        record["id"], record["reference"] = new_id("D"), f"BENCH-TX-{number:06d}"
        if people:
            record["person_id"] = people[number % len(people)]
    return rows


def as_sheet_rows(tab_name: str, header: list[str], records: list[dict[str, Any]]
                  ) -> list[list[Any]]:
    """Records as the values Steward writes for them, in the tab's column order: what a
    peer appends to do the same work."""
    kinds = {c.name: c.kind for c in tab(tab_name).columns}
    return [[cell_value(kinds.get(h), r.get(h)) for h in header] for r in records]


def recipients(people: list[dict[str, Any]], count: int = RECIPIENTS
               ) -> list[tuple[str, str, str]]:
    """(person_id, email, name) of the first `count` people with an email address."""
    chosen = [(str(p["id"]), str(p["email"]), f"{p['first_name']} {p['last_name']}".strip())
              for p in people if p.get("email")]
    if len(chosen) < count:
        raise RuntimeError(f"the demo has only {len(chosen)} people with an email address")
    return chosen[:count]


def outbox_rows(mailing_id: str, chosen: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The outbox tab's rows of a queued appeal, as Steward writes them."""
    return [{"id": f"OB-{mailing_id}-{pid}", "mailing_id": mailing_id, "person_id": pid,
             "email": email, "status": "queued", "attempts": 0} for pid, email, _ in chosen]


def sent_changes(day: date) -> dict[str, Any]:
    """The cells of an outbox row that change when its message is sent (the message id is
    filled in per row)."""
    return {"status": "sent", "attempts": 1, "sent_at": cell_value(
        tab("outbox").column("sent_at").kind, f"{day.isoformat()} 09:00:00")}


def schedule(pages: list[str], sessions: int = SESSIONS, minute: float = MINUTE_S,
             every: float = VIEW_EVERY_S) -> list[tuple[float, int, str]]:
    """(second, session, page) of every page view in the simulated minute, in time order:
    session s opens the app at s/2 seconds (its default page, "first page"), then the next
    page in the list every `every` seconds."""
    views = []
    for s in range(sessions):
        start = s * 0.5
        k = 0
        while start + k * every < minute:
            page = "first page" if k == 0 else pages[(s + k) % len(pages)]
            views.append((start + k * every, s, page))
            k += 1
    return sorted(views)
